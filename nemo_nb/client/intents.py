"""Intent shortcuts and GUI translation (PROTOCOL.md), English and Chinese. Pure functions.

``detect_intent`` recognises short commands that need no agent round trip ("export", "积分", a
file path...). It matches whole commands, not keywords anywhere, so "add a title saying export
sale" still goes to the agent.

``translate_gui`` rewrites the backend's GUI talk ("click Export", "drag it onto the timeline")
into what a notebook user can do: say a command, or ask in a message.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal

from ..formats import extension_format

Intent = Literal["export", "credits", "status", "upload"]

_POLITE = re.compile(
    r"^(?:(?:please|pls|ok(?:ay)?|now|and|then|just|can you|could you|would you|i want to|"
    r"i'd like to|let's|lets)[\s,]+)+",
    re.I,
)
_TRAIL = re.compile(r"(?:[\s,]+(?:please|pls|now|thanks|thank you))+$", re.I)
_ZH_POLITE = re.compile(r"^(?:请|请帮我|帮我|麻烦|给我|我要|我想)+")
_ZH_TRAIL = re.compile(r"(?:一下|吧|了|呢|啊|谢谢)+$")

_EN: dict[str, re.Pattern[str]] = {
    "export": re.compile(
        r"^(?:export|render|download)(?: (?:it|this|that|the (?:video|movie|clip|mp4|result)|"
        r"(?:the )?mp4|video))?(?: (?:for me|now))?$"
        r"|^(?:send|give) me the (?:video|mp4|file|result)$",
        re.I,
    ),
    "credits": re.compile(
        r"^(?:(?:my|check|show(?: me)?(?: my)?)\s+)?(?:credits?|balance|credit balance)$"
        r"|^how many credits(?: do i have| are left| left)?$",
        re.I,
    ),
    "status": re.compile(
        r"^(?:status|state|show(?: me)?(?: the)? (?:tracks|timeline|status)|timeline|tracks|"
        r"what(?:'s| is) on the timeline)$",
        re.I,
    ),
    "upload": re.compile(r"^upload(?: (?:a |some |my |these |the )?(?:files?|photos?|images?|videos?|media|music))?$", re.I),
}
_ZH: dict[str, re.Pattern[str]] = {
    "export": re.compile(r"^(?:导出|下载|渲染)(?:视频|成片|一下)?$"),
    "credits": re.compile(r"^(?:查询|查看|看看|我的)?(?:积分|余额|点数)(?:还有多少|多少)?$"),
    "status": re.compile(r"^(?:查看|看看|显示)?(?:状态|轨道|时间线)$"),
    "upload": re.compile(r"^上传(?:文件|照片|图片|视频|素材|音乐)?$"),
}

_URL = re.compile(r"^https?://\S+$", re.I)


def _normalise(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip()).strip(" .!?。！？~、，,\"'“”")
    previous = None
    while previous != text:
        previous = text
        text = _POLITE.sub("", text)
        text = _TRAIL.sub("", text)
        text = _ZH_POLITE.sub("", text)
        text = _ZH_TRAIL.sub("", text).strip(" .!?。！？~、，,")
    return text


def _looks_like_media(token: str) -> bool:
    """A path or URL whose name has a supported media extension."""
    token = token.strip().strip("'\"")
    if not token or "\n" in token:
        return False
    name = token.split("?", 1)[0].split("#", 1)[0]
    if not (_URL.match(token) or "/" in token or "\\" in token or " " not in token):
        return False
    return extension_format(PurePath(name).name) is not None


def detect_intent(text: str) -> Intent | None:
    """``export`` | ``credits`` | ``status`` | ``upload`` for a shortcut command, else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    raw = text.strip()
    # One or more media files / URLs (separated by spaces, commas or newlines) → upload.
    items = [t for t in re.split(r"[\s,]+", raw) if t]
    if items and len(items) <= 50 and all(_looks_like_media(t) for t in items):
        return "upload"
    norm = _normalise(raw)
    if not norm:
        return None
    for intent, pattern in _EN.items():
        if pattern.match(norm):
            return intent  # type: ignore[return-value]
    for intent, pattern in _ZH.items():
        if pattern.match(norm):
            return intent  # type: ignore[return-value]
    return None


# --- GUI translation ---------------------------------------------------------------------------

_BTN = r"(?:\s+(?:button|icon|tab|menu|option))?"
_CLICK = r"(?:click|tap|press|hit|select)(?:\s+on)?"
_GUI_RULES: list[tuple[re.Pattern[str], str]] = [
    # Export buttons → the export command.
    (re.compile(rf"\b{_CLICK}\s+(?:the\s+)?[\"'“]?export[\"'”]?{_BTN}", re.I), 'say "export"'),
    (re.compile(r"点击?\s*[「“\"]?导出[」”\"]?(?:按钮)?"), "输入“导出”"),
    # Preview in the timeline → the track summary.
    (re.compile(r"\bpreview\s+(?:it\s+|them\s+|the\s+\w+\s+)?(?:in|on)\s+the\s+timeline", re.I),
     'say "status" to see the track summary'),
    (re.compile(r"在时间线(?:上|中|里)?预览"), "输入“状态”查看轨道摘要"),
    # Open a panel / the editor → query the state.
    (re.compile(r"\bopen\s+(?:the\s+)?(?:\w+\s+)?(?:panel|editor|timeline|project|settings|tab|menu)\b", re.I),
     'say "status" to see the timeline'),
    (re.compile(r"打开(?:\S{0,6}?)(?:面板|编辑器|时间线|项目|设置)"), "输入“状态”查看时间线"),
    # Drag and drop → describe the edit in a message.
    (re.compile(r"\bdrag(?:ging)?(?:\s*(?:and|&|/|-|n)\s*drop(?:ping)?)?\b", re.I), "ask me to move"),
    (re.compile(r"拖拽|拖动|拖放"), "告诉我移动"),
    # Any other click → ask for it in a message.
    (re.compile(rf"\b{_CLICK}\s+(?:the\s+)?[\"'“]?([\w ]{{1,30}}?)[\"'”]?\s+(?:button|icon)\b", re.I),
     r'ask me to "\1"'),
    (re.compile(r"\bclick(?:\s+on)?\b", re.I), "ask me for"),
    (re.compile(r"点击"), "让我"),
]


def translate_gui(text: str) -> str:
    """Rewrite GUI instructions for a notebook user. Text without them comes back unchanged."""
    if not text:
        return text
    out = text
    for pattern, repl in _GUI_RULES:
        out = pattern.sub(repl, out)
    if out != text:
        # Keep a capital letter at the start of a sentence we rewrote.
        out = re.sub(r"(^|[.!?]\s+)(say|ask)\b", lambda m: m.group(1) + m.group(2).capitalize(), out)
    return out


__all__ = ["Intent", "detect_intent", "translate_gui"]
