"""The Studio's public methods, awaitable and blocking, generated from one table.

Each row of :data:`OPERATIONS` names a public method and the private coroutine that does the work
(``async def _x(self, work, ...)``, run on nemo_nb's worker loop). From the row come
``Studio.<name>`` (``await studio.ask(...)``) and ``studio.sync.<name>`` (blocking), with the
implementation's signature and docstring, so Shift-Tab shows the real parameters. A new feature
(``studio.campaign(...)``) is one implementation plus one row.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import _runner
from .events import Busy, StudioEvent


class Work:
    """What an operation gets besides its arguments: where to report, and whether to echo."""

    def __init__(self, pipe: _runner.EventPipe | None, echo: bool) -> None:
        self._pipe = pipe
        self.echo = echo

    def emit(self, event: StudioEvent) -> None:
        if self._pipe is not None:
            self._pipe.emit(event)

    @contextlib.contextmanager
    def busy(self, what: str) -> Iterator[None]:
        """Mark ``what`` (thinking | rendering | uploading) as going on for the block."""
        self.emit(Busy(what, 1))
        try:
            yield
        finally:
            self.emit(Busy(what, -1))


@dataclass(frozen=True)
class Op:
    """One public method: ``name`` → the implementation ``impl`` (a Studio method name).

    ``echo``: the method takes ``echo=`` and prints into the cell by default (the Studio's
    ``echo`` setting); otherwise it never prints.
    """

    name: str
    impl: str
    echo: bool = False


#: Every public Studio operation. Add a row (and its ``_impl``) for a new one.
OPERATIONS: tuple[Op, ...] = (
    Op("open", "_open"),
    Op("upload", "_upload", echo=True),
    Op("ask", "_ask", echo=True),
    Op("undo", "_undo", echo=True),
    Op("export", "_export", echo=True),
    Op("brand", "_brand", echo=True),
    Op("cancel", "_cancel"),
    Op("attach", "_attach", echo=True),
    Op("credits", "_credits_frame"),
    Op("tracks", "_tracks"),
    Op("renders", "_render_table"),
    Op("timeline", "_timeline"),
    Op("status", "_timeline"),
    Op("thumbnail", "_thumbnail"),
    Op("media_file", "_media_file"),
    Op("close", "_close"),
)


def _public_signature(impl: Callable[..., Any], op: Op) -> inspect.Signature:
    """``impl``'s signature without ``work``, plus ``echo=None`` for echoing operations."""
    params = [p for name, p in inspect.signature(impl).parameters.items() if name != "work"]
    if op.echo:
        params.append(inspect.Parameter("echo", inspect.Parameter.KEYWORD_ONLY, default=None,
                                        annotation="bool | None"))
    return inspect.signature(impl).replace(parameters=params)


def _awaitable(op: Op, impl: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def method(self: Any, *args: Any, **kw: Any) -> Any:
        echo = kw.pop("echo", None) if op.echo else False
        return await self._run(op, args, kw, echo)

    return method


def _blocking(op: Op) -> Callable[..., Any]:
    def method(self: Any, *args: Any, **kw: Any) -> Any:
        echo = kw.pop("echo", None) if op.echo else False
        return self._studio._run_sync(op, args, kw, echo, f"studio.sync.{op.name}()")

    return method


def install(studio_cls: type, blocking_cls: type) -> None:
    """Add every row of :data:`OPERATIONS` to both classes (awaitable and blocking)."""
    for op in OPERATIONS:
        impl = getattr(studio_cls, op.impl)
        signature = _public_signature(impl, op)
        doc = inspect.getdoc(impl) or ""
        for cls, method in ((studio_cls, _awaitable(op, impl)), (blocking_cls, _blocking(op))):
            method.__name__ = method.__qualname__ = op.name
            method.__qualname__ = f"{cls.__name__}.{op.name}"
            method.__doc__ = doc
            method.__signature__ = signature  # type: ignore[attr-defined]
            method.__module__ = cls.__module__
            setattr(cls, op.name, method)


__all__ = ["OPERATIONS", "Op", "Work", "install"]
