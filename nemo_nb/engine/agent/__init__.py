"""The embedded engine's agent: a documented, deterministic interpreter of editing requests.

``respond(text, ctx)`` reads a request in English or Chinese ("turn these photos into a 30-second
video with transitions and background music", "把视频改成竖屏") and returns the operations it applied to
the draft, each with the draft after it, plus the texts to say. The grammar is in docs/agent.md.
"""

from __future__ import annotations

from .lang import conversation_language, detect_language
from .model import AgentContext, AgentReply, MediaItem, Operation
from .respond import respond
from .understand import understand

__all__ = ["AgentContext", "AgentReply", "MediaItem", "Operation", "conversation_language", "detect_language", "respond", "understand"]
