"""The brand kit on every render this engine starts: the one place a kit is applied.

Every export reaches :func:`turn.start_render` — the studio's button, ``studio.export``, ``%nemo export``,
"export" typed in the chat (the agent starts it), a bare ``NemoClient.start_export`` — so the kit is
applied there, once: :func:`branded` reads the kit of the user running the engine (``brand.json`` in
the config dir, written by ``studio.brand`` and the widget's brand panel) and gives the draft its
defaults with :func:`nemo_nb.brand.apply_brand`. The kit's logo becomes a medium of the session the
first time (a draft names a logo only by media id, never by path); the same file is found again
afterwards, also when ``studio.brand`` already uploaded it.

An engine serving other people (bound beyond loopback) applies no kit: it would put its operator's
logo on their videos (``EngineSettings.brand_kit``).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from .. import brand, config
from .settings import EngineSettings
from .store import Store

#: How the kit's logo is named among the session's media (the agent knows it as a logo, never a slide).
LOGO_NAME = "brand_logo"


def branded(store: Store, settings: EngineSettings, session_id: str, draft: dict[str, Any]) -> dict[str, Any]:
    """``draft`` with the user's brand kit as its defaults (unchanged when there is no kit)."""
    if not settings.applies_brand_kit:
        return draft
    kit = brand.load_brand(config.config_dir())
    if kit.is_empty:
        return draft
    meta = draft.get("m") if isinstance(draft.get("m"), dict) else {}
    logo_id = kit_logo_media(store, session_id, Path(kit.logo)) if kit.logo and "logo" not in meta else None
    return brand.apply_brand(draft, kit, logo_id)


def kit_logo_media(store: Store, session_id: str, logo: Path) -> str | None:
    """The media id of ``logo`` in the session: the same bytes already there, else a copy added now."""
    try:
        data = logo.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(data).hexdigest()
    for item in store.list_media(session_id):
        if item.get("kind") == "photo" and item.get("size_bytes") == len(data) and _sha256(store, item) == digest:
            return str(item["id"])
    return _add_logo(store, session_id, logo, len(data))


def _sha256(store: Store, item: dict[str, Any]) -> str | None:
    try:
        return hashlib.sha256((store.media_dir / str(item["file"])).read_bytes()).hexdigest()
    except OSError:
        return None


def _add_logo(store: Store, session_id: str, logo: Path, size: int) -> str | None:
    from ..render import probe
    from ..render.errors import MediaError

    try:
        info = probe(logo)
    except MediaError:
        return None  # the kit's logo became unreadable: the export goes on without it
    media_id = store.new_media_id()
    target = store.media_dir / f"{media_id}.{info.format}"
    shutil.copyfile(logo, target)
    store.add_media(session_id, [{
        "id": media_id, "name": f"{LOGO_NAME}.{info.format}", "format": info.format, "kind": "photo",
        "width": info.width, "height": info.height, "duration_ms": None, "size_bytes": size,
        "file": target.name, "source": "brand"}])
    return media_id


__all__ = ["LOGO_NAME", "branded", "kit_logo_media"]
