"""The renderer's exceptions: one base class so callers can catch everything the renderer raises."""

from __future__ import annotations

from pathlib import Path

from ..protocol import ErrorCode, supported_formats_text


class RenderError(Exception):
    """A render could not be produced; the message says why and what to do."""

    code: int = 0


class RenderCancelled(RenderError):
    """The caller's cancel event was set; no output file was left behind."""


class MediaError(RenderError):
    """A media file is corrupt, unsupported, truncated or a decompression bomb (envelope code 4001)."""

    code = int(ErrorCode.UNSUPPORTED_FILE)

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = None if path is None else str(path)
        self.hint = f"Supported formats: {supported_formats_text()}."
        super().__init__(message)


def media_error(path: str | Path, what: str, todo: str | None = None) -> MediaError:
    """A MediaError whose message names the file, says what is wrong and what to do."""
    name = Path(path).name
    todo = todo or "Re-export it as JPG, PNG or MP4 and upload it again."
    return MediaError(f"{name}: {what}. {todo}", path)
