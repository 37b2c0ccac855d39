"""Actions: undo, redo, export, credits, status, help — whole-turn requests, not edits."""

from __future__ import annotations

import re

from ..model import Parsed
from .base import Clause, add

# --- actions -------------------------------------------------------------------------------------
_UNDO = (r"\bundo\b|\bun-do\b|\brevert\b|\bgo\s+back\b|\btake\s+(?:that|it)\s+back\b|\bcancel\s+(?:that|the\s+last)"
         r"|\bnever\s*mind\b|\bput\s+it\s+back\b|\bback\s+to\s+(?:how|the\s+way)\s+it\s+was\b|\bctrl\s*\+?\s*z\b"
         r"|\bprevious\s+version\b|撤销|撤回|回退|返回上一步|恢复原样|还原|上一步|上[一1]?个?版本"
         # indirect: "put that back how it was", "change it back to how it was before", "改回去"
         r"|\b(?:put|change|set|switch|turn|make|bring)\s+(?:that|it|this|things|everything)\s+back\b(?!\s+(?:up|down|on|in)\b)"
         r"|\b(?:how|the\s+way|what|like|as)\s+it\s+(?:was|used\s+to\s+be)\b(?!\s+(?:too|so|very|not|\w+ed|\d)\b)"
         r"|\b(?:liked|preferred)\s+it\s+(?:better|more)\b|\b(?:it|the\s+(?:old|previous)\s+(?:one|version))\s+was\s+better\s+before\b"
         r"|(?:改|变|弄|调|换)回(?:去|来|原来|原样)|(?:回|恢复)到(?:之前|原来|刚才)的?(?:样子|状态|版本)?|不要刚才(?:那个|的|那步|那一步)|刚才那(?:个|步)不要")
_REDO = r"\bredo\b|\bre-do\b|\bctrl\s*\+?\s*y\b|重做|恢复撤销"
_EXPORT = (r"\bexport(?:ing|ed)?\b|\bdownload\b|\bsend\s+(?:me\s+)?(?:the\s+|my\s+)?(?:video|file|mp4|it|result)\b(?!\s+(?:\w+\s+){0,2}?(?:to|on|via)\s+(?!me\b))"
           r"|\brender\s+(?:it|this|that|the\s+(?:video|final|mp4)|out)\b|\bsave\s+(?:it|this|the\s+video)\b"
           r"|\bgive\s+me\s+the\s+(?:video|file|mp4|result)\b|\bi'?m\s+done\b|\bfinali[sz]e\b"
           r"|\bget\s+(?:me\s+)?the\s+(?:video|mp4|file)\b|\bget\s+it\s+as\b|\bship\s+it\b|^\s*render\s*$|导出|下载|输出视频|保存视频|出片|生成视频|渲染|出一?版|出个片|出视频")
_CREDITS = r"\bcredits?\b|\bbalance\b|\bhow\s+much\s+(?:do\s+i\s+have\s+)?left\b|积分|余额|点数"
_STATUS = (r"(?<!whatsapp\s)\bstatus\b|\bhow\s+long\s+is\s+(?:it|the\s+video|this)\b|\bwhat(?:'?s|\s+is)\s+the\s+(?:length|duration)\b|"
           r"多长时间|多少秒|(?:现在|目前)?(?:视频)?(?:有)?多长|几秒了?(?=\s*$|[?？吗呢])|现在(?:是)?(?:什么|啥)样|\bshow\s+(?:me\s+)?(?:the\s+)?(?:tracks?|timeline|draft|project)\b|\bwhat'?s\s+"
           r"(?:in\s+)?(?:the\s+)?(?:timeline|draft|project)\b|\bwhere\s+are\s+we\b|\bsummary\b|"
           r"\bcurrent\s+(?:state|draft|timeline)\b|\bpreview\s+in\s+(?:the\s+)?timeline\b|\bshow\s+tracks\b|"
           r"\bwhat\s+(?:does|do)\s+(?:the\s+|my\s+|our\s+)?(?:timeline|draft|project|video|tracks?)\s+(?:look\s+like|"
           r"contain|have)\b|\bwhat(?:'?s|\s+is)\s+on\s+(?:the\s+|my\s+)?(?:timeline|tracks?)\b|"
           r"状态|时间线|轨道|进度|(?:现在|目前)?(?:是)?(?:什么|啥)情况|现在怎么样了?")


def actions(c: Clause, p: Parsed, names: list[str]) -> None:
    for name, pattern in (("redo", _REDO), ("undo", _UNDO), ("export", _EXPORT), ("credits", _CREDITS),
                          ("status", _STATUS)):
        m = c.search(pattern)
        if m:
            add(p, c, name, m.start())
            if name in ("undo", "redo") and re.search(r"\b(?:two|2|three|3|both|few|last\s+\d+)\b|两步|几步|两次", c.orig):
                p.notes.append(("steps", {}))  # one step per turn: the reply says how to go further
            other = c.search(r"\b(?:as\s+(?:an?\s+)?|in\s+|to\s+)?(?:gif|mov|webm|avi|mkv|wmv|animated\s+gif)\b")
            if name == "export" and other:  # "export as gif": say what it exports
                add(p, c, "unsupported", other.start(), what="export_format")
            fps = c.search(r"\b\d+\s*fps\b|帧率")
            if name == "export" and fps:  # "导出60fps的": say it is 30 fps
                add(p, c, "unsupported", fps.start(), what="fps")


def help_request(c: Clause, p: Parsed, names: list[str]) -> None:
    m = c.search(r"^\s*(?:help|\?|what\s+can\s+you\s+do|how\s+does\s+this\s+work|commands|帮助|你能做什么)\s*$")
    if m:
        add(p, c, "help", m.start())

