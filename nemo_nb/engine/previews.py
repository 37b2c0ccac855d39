"""After an edit, get the next preview ready in the background: what iterating never changes.

The engine already prepares each uploaded photo for the draft size of the moment. An edit can change
that size ("make it vertical") and makes the soundtrack the first preview would encode. So after a
turn that changed the draft, on the low-priority preparation thread: every photo on the video track
is prepared at the new preview size and fit, and the preview soundtrack is encoded and kept (both in
the per-user store of :mod:`nemo_nb.render.prepared`). The first preview export (and the notebook's
live player, which reads the same store) then only composites and encodes. Any failure is left for
the render itself to report.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from typing import Any

log = logging.getLogger("nemo_nb.engine")


def prepare_draft(draft: dict[str, Any], media: dict[str, str]) -> bool:
    """Prepare what a preview of ``draft`` needs; False when it cannot be planned (the render says why)."""
    from ..draft import Draft
    from ..render import build_plan, prepare_photo
    from ..render.soundtrack import write_soundtrack

    parsed = Draft.from_json(draft)
    if parsed.is_empty:
        return False
    try:
        plan = build_plan(parsed, media, "preview")
    except Exception:  # a bad file or draft: the render reports it with its own message
        return False
    width, height = parsed.size
    for clip in plan.clips:
        if clip.kind == "photo":
            prepare_photo(clip.path, width, height, clip.fit)
    if plan.has_audio:
        fd, tmp = tempfile.mkstemp(prefix="nemo-sound-", suffix=".m4a")
        os.close(fd)
        try:
            write_soundtrack(plan, tmp)
        except Exception:
            log.debug("preparing the preview soundtrack failed", exc_info=True)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return True


__all__ = ["prepare_draft"]
