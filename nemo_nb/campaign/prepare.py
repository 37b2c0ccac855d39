"""Base drafts through the public protocol: one session per photo set × direction, where the agent
makes the direction's draft and then each format of it. Whoever answers (local engine or cloud)
does the planning; the campaign only reads the drafts back."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..client import NemoClient
from ..draft import ASPECT_SIZES, Draft
from .spec import CampaignError, format_request


@dataclass
class Base:
    """A base draft and where it lives: the session that holds its media."""

    session_id: str
    draft: dict[str, Any]
    #: media id → the photo file on the kernel's disk (so executors can render it elsewhere).
    media: dict[str, Path] = field(default_factory=dict)


async def _direction(client: NemoClient, files: list[Path], request: str, formats: list[str],
                     pset: int, dname: str) -> dict[tuple[int, str, str], Base]:
    session = await client.create_session()
    sid = session.session_id
    uploaded = await client.upload(sid, *files)
    media = {m.id: path for m, path in zip(uploaded, files, strict=False)}
    await client.reply(sid, request)
    out: dict[tuple[int, str, str], Base] = {}
    for fmt in formats:
        await client.reply(sid, format_request(fmt))
        draft = (await client.state(sid)).draft
        if draft.is_empty:
            raise CampaignError(f"The direction {dname!r} ({request!r}) gave an empty timeline: "
                                "say what video to make, e.g. 'a 6-second slideshow with calm music'.")
        if fmt in ASPECT_SIZES and Draft.from_json(draft.to_json()).aspect != fmt:
            raise CampaignError(f"The agent did not make the {fmt} format for {dname!r}; name the format "
                                "as 16:9, 9:16, 1:1, 4:5 or a platform (TikTok, Instagram, YouTube).")
        out[(pset, dname, fmt)] = Base(sid, draft.to_json(), dict(media))
    return out


async def base_drafts(client: NemoClient, sets: list[list[Path]], directions: dict[str, str],
                      formats: list[str], needed: set[tuple[int, str, str]],
                      limit: int = 4) -> dict[tuple[int, str, str], Base]:
    """Every base draft the variants need, a few sessions at a time."""
    gate = asyncio.Semaphore(limit)
    pairs = sorted({(p, d) for p, d, _ in needed})

    async def one(pset: int, dname: str) -> dict[tuple[int, str, str], Base]:
        fmts = [f for f in formats if (pset, dname, f) in needed]
        async with gate:
            return await _direction(client, sets[pset], directions[dname], fmts, pset, dname)

    found: dict[tuple[int, str, str], Base] = {}
    for part in await asyncio.gather(*(one(p, d) for p, d in pairs)):
        found.update(part)
    return found
