"""One private event loop in a daemon thread, where every Studio's network I/O runs.

Why a private loop: the same Studio must answer ``await studio.ask(...)`` in a kernel (whose loop
is always running), ``studio.sync.ask(...)`` in a plain script, and ``%nemo ask`` inside a cell,
which is synchronous code running *on* the kernel's loop. Running the I/O on a loop of our own
makes all three work without ``nest_asyncio``: awaiting callers hop over with ``wrap_future``;
blocking callers wait on a ``concurrent.futures.Future`` while the worker loop keeps going, so
nothing waits on the loop it is blocking. Only code already running on the worker loop cannot
block on it; that raises :class:`BlockingCallError` telling the user to ``await``.

Events an operation emits travel back to the caller's thread (see :class:`EventPipe`), so the
widget and printed output are always updated from the thread that asked.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import queue
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None


class BlockingCallError(RuntimeError):
    """A blocking twin was called where blocking would deadlock."""


def worker_loop() -> asyncio.AbstractEventLoop:
    """The shared worker loop, started on first use."""
    global _loop, _thread
    with _lock:
        if _loop is not None and _thread is not None and _thread.is_alive():
            return _loop
        loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(started.set)
            loop.run_forever()

        thread = threading.Thread(target=run, name="nemo-nb-io", daemon=True)
        thread.start()
        started.wait()
        _loop, _thread = loop, thread
        return loop


def on_worker() -> bool:
    """True when the caller runs on the worker loop's thread."""
    return _thread is not None and threading.current_thread() is _thread


def submit(coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
    """Schedule ``coro`` on the worker loop."""
    return asyncio.run_coroutine_threadsafe(coro, worker_loop())


async def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Await ``coro`` on the worker loop from any loop (directly if we are already on it)."""
    if on_worker():
        return await coro
    future = submit(coro)
    try:
        return await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        future.cancel()
        raise


def run_sync(coro: Coroutine[Any, Any, T], what: str = "this call") -> T:
    """Block until ``coro`` finishes on the worker loop. Ctrl-C / interrupt cancels it."""
    if on_worker():
        coro.close()
        raise BlockingCallError(
            f"{what} cannot block here (it is already running on nemo_nb's event loop): "
            f"use `await` instead."
        )
    future = submit(coro)
    try:
        return future.result()
    except KeyboardInterrupt:
        future.cancel()
        raise


class EventPipe:
    """Carries events from an operation on the worker loop to a handler on the caller's side.

    ``emit`` is called on the worker. The handler runs on the caller's thread: scheduled on the
    caller's loop (an awaiting caller), pumped by :meth:`wait` (a blocking caller), or directly
    when the caller itself runs on the worker loop.
    """

    def __init__(self, handler: Callable[[Any], None] | None, *, blocking: bool) -> None:
        self._handler = handler
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._direct = False
        if not blocking:
            if on_worker():
                self._direct = True
            else:
                self._loop = asyncio.get_running_loop()

    def emit(self, event: Any) -> None:
        if self._handler is None:
            return
        if self._direct:
            self._handle(event)
        elif self._loop is not None:
            self._loop.call_soon_threadsafe(self._handle, event)
        else:
            self._queue.put(event)

    def _handle(self, event: Any) -> None:
        if self._handler is not None:
            self._handler(event)

    def _drain(self) -> None:
        while True:
            try:
                event = self._queue.get_nowait()
            except queue.Empty:
                return
            self._handle(event)

    def wait(self, future: concurrent.futures.Future[T]) -> T:
        """Block on ``future`` while running the handler for each event as it arrives."""
        try:
            while not future.done():
                try:
                    event = self._queue.get(timeout=0.05)
                except queue.Empty:
                    continue
                self._handle(event)
            self._drain()
            return future.result()
        except KeyboardInterrupt:
            future.cancel()
            raise


async def call_async(make: Callable[[EventPipe], Awaitable[T]], handler: Callable[[Any], None] | None) -> T:
    """Run ``make(pipe)`` on the worker; events reach ``handler`` on this loop, in order."""
    pipe = EventPipe(handler, blocking=False)
    result = await run_async(_as_coro(make, pipe))
    await asyncio.sleep(0)  # let events scheduled just before completion run first
    return result


def call_sync(
    make: Callable[[EventPipe], Awaitable[T]], handler: Callable[[Any], None] | None, what: str
) -> T:
    """Run ``make(pipe)`` on the worker, blocking; events reach ``handler`` on this thread."""
    if on_worker():
        raise BlockingCallError(
            f"{what} cannot block here (it is already running on nemo_nb's event loop): use `await` instead."
        )
    pipe = EventPipe(handler, blocking=True)
    return pipe.wait(submit(_as_coro(make, pipe)))


async def _as_coro(make: Callable[[EventPipe], Awaitable[T]], pipe: EventPipe) -> T:
    return await make(pipe)


def _shutdown() -> None:
    loop = _loop
    if loop is not None and loop.is_running():
        loop.call_soon_threadsafe(loop.stop)


atexit.register(_shutdown)
