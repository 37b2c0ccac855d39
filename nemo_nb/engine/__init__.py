"""The embedded local engine: the NemoVideo protocol on 127.0.0.1, persistent and offline.

Public interface (docs/architecture.md)::

    create_app(store_dir, settings) -> Starlette      # the ASGI app (app.py)
    EngineServer(data_dir, port=0).start() / .url / .stop()   # uvicorn in a thread (server.py)
    ensure_engine(data_dir=None) -> base URL          # background engine, found or started (launcher.py)
    EngineSettings(...)                               # every knob (settings.py)

Names load lazily so importing ``nemo_nb.engine.agent`` does not pull in the web stack.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "create_app": ".app",
    "EngineServer": ".server",
    "ensure_engine": ".launcher",
    "EngineSettings": ".settings",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        from importlib import import_module

        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
