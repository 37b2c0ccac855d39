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
from typing import Any, Literal

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
_PANEL = r"(?:panel|editor|timeline|project|settings|tab|menu|view)"
# "... to see the effect": a purpose of looking is kept as said; "... to change it" becomes the request.
_SEE = r"(?:see|check|view|look|review|confirm|preview|watch)"
_PURPOSE = rf"(?=\s+(?:to|and)\s+{_SEE}\b)"
_EDIT = rf"\s+(?:to|and)\s+(?!{_SEE}\b)"
_ZH_PURPOSE = r"(?=(?:来|以)?(?:查看|看看|确认|检查|预览))"
_ZH_EDIT = r"(?:来|以)?(?=(?:调整|修改|更改|设置|编辑|更换|替换|删除|添加))"
_ZH_QUOTE_L, _ZH_QUOTE_R = r"[「“\"']?", r"[」”\"']?"


def _zh_order(match: re.Match[str]) -> str:
    """拖拽照片调整顺序 → 告诉我照片的新顺序."""
    what = match.group(1)
    return f"告诉我{what}的新顺序" if what else "告诉我新的顺序"


#: The seeds' GUI phrases ("click"/点击, "open"/打开, "drag/drop"/拖拽, "preview in timeline",
#: "Export"/导出) rewritten as whole, natural sentences; the most specific shapes come first.
_GUI_RULES: list[tuple[re.Pattern[str], Any]] = [
    # Export buttons → the export command.
    (re.compile(rf"\b{_CLICK}\s+(?:the\s+)?[\"'“]?export[\"'”]?{_BTN}", re.I), 'say "export"'),
    (re.compile(rf"(?:点击|按|单击)\s*{_ZH_QUOTE_L}导出{_ZH_QUOTE_R}(?:按钮)?"), "输入“导出”"),
    # Preview in (the) timeline → the track summary; a stated purpose is kept.
    (re.compile(rf"\bpreview\s+(?:it\s+|them\s+|the\s+\w+\s+)?(?:in|on)\s+(?:the\s+)?timeline{_PURPOSE}", re.I),
     'say "status"'),
    (re.compile(r"\bpreview\s+(?:it\s+|them\s+|the\s+\w+\s+)?(?:in|on)\s+(?:the\s+)?timeline", re.I),
     'say "status" to see the track summary'),
    (re.compile(r"(?:在)?时间线(?:上|中|里)?预览(?:一下)?(?:效果|结果|视频)?"), "输入“状态”查看轨道摘要"),
    (re.compile(r"预览时间线"), "输入“状态”查看轨道摘要"),
    # Open a panel / the editor → query the state; a stated purpose is kept.
    (re.compile(rf"\bopen\s+(?:the\s+)?(?:\w+\s+)?{_PANEL}\b{_PURPOSE}", re.I), 'say "status"'),
    (re.compile(rf"\bopen\s+(?:the\s+)?(?:\w+\s+)?{_PANEL}\b{_EDIT}", re.I), "ask me to "),
    (re.compile(rf"\bopen\s+(?:the\s+)?(?:\w+\s+)?{_PANEL}\b", re.I), 'say "status" to see the timeline'),
    (re.compile(rf"打开\S{{0,6}}?(?:面板|编辑器|时间线|项目|设置)(?:面板|窗口|页面)?{_ZH_PURPOSE}"), "输入“状态”"),
    (re.compile(rf"打开\S{{0,6}}?(?:面板|编辑器|时间线|项目|设置)(?:面板|窗口|页面)?{_ZH_EDIT}"), "告诉我要怎样"),
    (re.compile(r"打开\S{0,6}?(?:面板|编辑器|时间线|项目|设置)(?:面板|窗口|页面)?"), "输入“状态”查看时间线"),
    # Drag and drop → describe the edit in a message.
    (re.compile(r"\bdrag(?:ging)?(?:\s*(?:and|&|/|-|n)\s*drop(?:ping)?)?\b", re.I), "ask me to move"),
    (re.compile(r"(?:把|将)(\S{1,12}?)拖(?:拽|动|放)?到"), r"告诉我把\1移到"),
    (re.compile(r"(?:通过)?拖(?:拽|动|放)(\S{0,6}?)(?:即可|就能|可以|来|以)?调整(?:\S{0,4}?)顺序"), _zh_order),
    (re.compile(r"拖拽|拖动|拖放"), "告诉我怎样移动"),
    # Any other click → ask for it in a message.
    (re.compile(rf"\b{_CLICK}\s+(?:the\s+)?[\"'“]?([\w ]{{1,30}}?)[\"'”]?\s+(?:button|icon)\b", re.I),
     r'ask me to "\1"'),
    (re.compile(r"\bclick(?:\s+on)?\b", re.I), "ask me for"),
    (re.compile(rf"(?:点击|单击){_ZH_QUOTE_L}(\S{{1,8}}?){_ZH_QUOTE_R}按钮"), r"输入“\1”"),
    (re.compile(r"点击|单击"), "告诉我"),
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
