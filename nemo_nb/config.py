"""Where nemo_nb keeps things on this machine: one place, so every part agrees.

``NEMO_NB_CONFIG_DIR``, ``NEMO_NB_DATA_DIR`` and ``NEMO_NB_CACHE_DIR`` override the per-user defaults
(tests and multi-user servers use them).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "nemo_nb"


def config_dir() -> Path:
    """Per-user config (auth tokens, client id): files here are written with mode 0600."""
    env = os.environ.get("NEMO_NB_CONFIG_DIR")
    return Path(env) if env else Path(platformdirs.user_config_dir(APP))


def data_dir() -> Path:
    """Per-user data: the engine's SQLite store and media, the kernel-side render history."""
    env = os.environ.get("NEMO_NB_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    """Per-user cache: things that can be rebuilt, e.g. photos prepared for previews. Safe to delete."""
    env = os.environ.get("NEMO_NB_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir(APP))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (mode 0700) if missing and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private(path: Path, text: str) -> None:
    """Write a secret-bearing file atomically with mode 0600 (never world-readable, even briefly)."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
