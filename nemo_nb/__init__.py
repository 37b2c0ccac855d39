"""nemo_nb: turn photos into short social videos from a Jupyter notebook.

``nemo_nb.connect()`` gives a Studio on the embedded offline engine (or the NemoVideo cloud);
``%load_ext nemo_nb`` adds the ``%nemo`` magics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Campaign", "__version__", "connect", "load_ipython_extension"]

if TYPE_CHECKING:
    from .campaign import Campaign
    from .notebook.studio import connect


def __getattr__(name: str) -> Any:
    """``nemo_nb.connect`` (the Studio's own function: its real signature and help for Shift-Tab)
    and ``nemo_nb.Campaign``, imported on first use so ``import nemo_nb`` stays cheap."""
    if name == "connect":
        from .notebook.studio import connect

        return connect
    if name == "Campaign":
        from .campaign import Campaign

        return Campaign
    raise AttributeError(f"module 'nemo_nb' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext nemo_nb``: register the ``%nemo`` / ``%%nemo`` magics."""
    from .notebook.magics import load_ipython_extension as _load

    _load(ipython)
