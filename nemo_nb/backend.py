"""Which server answers: the embedded local engine or the NemoVideo cloud.

The notebook layer only ever gets a base URL (and maybe a token) from here, so nothing above it
knows or cares which backend it talks to. A fresh machine with no cloud settings runs offline on
the local engine; a configured ``NEMO_TOKEN`` or ``NEMO_BASE_URL`` means the user wants the cloud.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import protocol
from .netloc import is_loopback_url

BACKENDS = ("local", "cloud")


@dataclass(frozen=True)
class Backend:
    """A resolved backend. ``token`` is kept out of ``repr`` so it never lands in a notebook.

    ``managed``: the background engine found or started by ``ensure_engine`` — it may stop (idle
    timeout, crash) and come back on another port, so callers can :func:`revive` it.
    ``token_key``: where clients file its anonymous token (stable across those restarts).
    """

    name: str
    base_url: str
    token: str | None = field(default=None, repr=False)
    managed: bool = field(default=False, compare=False)
    token_key: str | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """What the Studio tells the user (never the token): ``embedded engine at http://…``.
        One level of words, so it reads well inside brackets too."""
        where = "embedded engine" if self.name == "local" else "NemoVideo cloud"
        return f"{where} at {self.base_url}"


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def default_backend() -> str:
    """``cloud`` when a cloud token or base URL is configured, else ``local``."""
    return "cloud" if (_env("NEMO_TOKEN") or _env("NEMO_BASE_URL")) else "local"


def resolve(backend: str | None = None, base_url: str | None = None, token: str | None = None) -> Backend:
    """Pick the backend and its base URL; starts (or finds) the local engine when needed.

    ``base_url`` overrides where either backend lives (e.g. an engine someone else started).
    """
    name = (backend or "").strip().lower() or None
    if name is None:
        name = "cloud" if (base_url and not is_loopback_url(base_url)) else default_backend()
        if base_url and is_loopback_url(base_url):
            name = "local"
    if name not in BACKENDS:
        raise ValueError(f"Unknown backend {backend!r}: use one of {', '.join(repr(b) for b in BACKENDS)}.")
    if name == "cloud":
        url = base_url or _env("NEMO_BASE_URL") or protocol.CLOUD_BASE_URL
        # NEMO_TOKEN is read by the client itself, so a refused one is reported as NEMO_TOKEN's.
        return Backend("cloud", url.rstrip("/"), token)
    # NEMO_TOKEN is a cloud secret: never hand it to another server; the engine issues its own.
    if base_url:
        return Backend("local", base_url.rstrip("/"), token)
    return _managed_engine(token)


def _managed_engine(token: str | None = None) -> Backend:
    from pathlib import Path

    from . import config
    from .engine.launcher import ensure_engine

    data = Path(config.data_dir()).expanduser().resolve()
    return Backend("local", ensure_engine(data).rstrip("/"), token, managed=True, token_key=f"local-engine:{data}")


def revive(backend: Backend) -> Backend | None:
    """The background engine again (restarted if it stopped), or None when ``backend`` is not one
    this package manages (the cloud, or a server someone else runs at a given URL)."""
    if backend.name != "local" or not backend.managed:
        return None
    return _managed_engine(backend.token)


__all__ = ["BACKENDS", "Backend", "default_backend", "resolve", "revive"]
