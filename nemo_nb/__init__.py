"""nemo_nb: turn photos into short social videos from a Jupyter notebook.

``nemo_nb.connect()`` gives a Studio on the embedded offline engine (or the NemoVideo cloud);
``%load_ext nemo_nb`` adds the ``%nemo`` magics.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["Campaign", "__version__", "connect", "load_ipython_extension"]


def connect(*args: Any, **kwargs: Any) -> Any:
    """Open a Studio (one editing session). See :func:`nemo_nb.notebook.studio.connect`."""
    from .notebook.studio import connect as _connect

    return _connect(*args, **kwargs)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext nemo_nb``: register the ``%nemo`` / ``%%nemo`` magics."""
    from .notebook.magics import load_ipython_extension as _load

    _load(ipython)


def __getattr__(name: str) -> Any:
    """``nemo_nb.Campaign`` without importing the campaign package (and pandas) at ``import nemo_nb``."""
    if name == "Campaign":
        from .campaign import Campaign

        return Campaign
    raise AttributeError(f"module 'nemo_nb' has no attribute {name!r}")
