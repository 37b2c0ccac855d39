"""Running the engine: in a background thread (tests, embedding) or in the foreground (CLI, launcher).

Either way one engine owns a data directory at a time (an exclusive lock file), the socket is
bound before anything is announced (so port 0 works), and a runtime file (0600) tells launchers
where it listens. The engine stops itself after ``idle_timeout`` seconds with no request and no
running render.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from .. import config
from .app import Engine, create_app
from .settings import EngineSettings

log = logging.getLogger("nemo_nb.engine")

RUNTIME_FILE = "engine.json"
LOCK_FILE = "engine.lock"


class EngineBusy(RuntimeError):
    """Another engine process already serves this data directory."""


def acquire_lock(data_dir: Path) -> int:
    """An exclusive lock on ``data_dir`` held for the engine's life (released by the OS on any exit)."""
    config.ensure_private_dir(data_dir)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise EngineBusy(f"Another nemo_nb engine is already using {data_dir}: connect to it (see "
                         f"{data_dir / RUNTIME_FILE}) or pass a different --data-dir.") from None
    return fd


def read_runtime(data_dir: Path) -> dict[str, Any] | None:
    try:
        info = json.loads((Path(data_dir) / RUNTIME_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only when the listening socket
    # says TCP; without it every keep-alive response body waited ~40 ms (Nagle + the client's delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"Cannot listen on {host}:{port} ({exc.strerror}): choose another --port.") from None
    sock.listen(2048)
    sock.set_inheritable(False)
    return sock


def url_of(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


class EngineServer:
    """A real uvicorn server on 127.0.0.1 in a background thread: ``start()``, ``url``, ``stop()``."""

    def __init__(self, data_dir: str | Path | None = None, port: int = 0, *, host: str = "127.0.0.1",
                 settings: EngineSettings | None = None, **overrides: Any) -> None:
        self.settings = settings or EngineSettings(**overrides)
        if data_dir is not None:
            self.settings.data_dir = Path(data_dir)
        self.settings.host, self.settings.port = host, port
        self.engine: Engine | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._lock_fd: int | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("EngineServer is not started")
        return url_of(self.settings.host, self.port)

    def start(self, timeout: float = 30.0) -> EngineServer:
        self._lock_fd = acquire_lock(self.settings.data_dir)
        try:
            sock = bind_socket(self.settings.host, self.settings.port)
            self.port = sock.getsockname()[1]
            app = create_app(settings=self.settings, on_ready=self._ready)
            cfg = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False,
                                 timeout_graceful_shutdown=5)
            self._server = uvicorn.Server(cfg)
            self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                            name="nemo-engine", daemon=True)
            self._thread.start()
            deadline = time.monotonic() + timeout
            while not self._server.started:
                if not self._thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError("The engine did not start; see the log above.")
                time.sleep(0.01)
        except BaseException:
            self._release()
            raise
        return self

    def _ready(self, engine: Engine) -> None:
        self.engine = engine

    def stop(self, timeout: float = 15.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._release()

    def _release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> EngineServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(settings: EngineSettings) -> int:
    """Run in the foreground until Ctrl-C, SIGTERM or the idle timeout; returns an exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # Everything this process and its render workers write is the user's private data (tokens in
    # SQLite, their photos, the finished videos): owner-only, like the media files.
    os.umask(0o077)
    if not settings.is_loopback:
        bar = "!" * 78
        print(f"{bar}\nWARNING: the nemo_nb engine is listening on {settings.host}, not 127.0.0.1.\n"
              "Anyone who can reach this address can use it, spend its credits and read its media.\n"
              f"Use --host 127.0.0.1 unless you really mean to share it.\n{bar}", file=sys.stderr, flush=True)
    try:
        lock_fd = acquire_lock(settings.data_dir)
    except EngineBusy as exc:
        print(f"nemo-nb serve: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind_socket(settings.host, settings.port)
    except OSError as exc:
        print(f"nemo-nb serve: {exc}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    holder: dict[str, Engine] = {}
    app = create_app(settings=settings, on_ready=lambda e: holder.setdefault("engine", e))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False,
                                           timeout_graceful_shutdown=5))
    runtime = settings.data_dir / RUNTIME_FILE
    info = {"pid": os.getpid(), "host": settings.host, "port": port, "url": url_of(settings.host, port),
            "data_dir": str(settings.data_dir), "started_at": time.time()}
    # A SIGTERM before uvicorn installs its own handlers still means a clean stop.
    signal.signal(signal.SIGTERM, lambda *_: setattr(server, "should_exit", True))
    if settings.idle_timeout:
        threading.Thread(target=_idle_watch, args=(server, holder["engine"], settings.idle_timeout),
                         name="nemo-idle", daemon=True).start()
    print(f"nemo_nb engine listening on {info['url']} (data: {settings.data_dir})", file=sys.stderr, flush=True)
    config.write_private(runtime, json.dumps(info))
    try:
        server.run(sockets=[sock])
    finally:
        current = read_runtime(settings.data_dir)
        if current and current.get("pid") == os.getpid():
            with contextlib.suppress(OSError):
                runtime.unlink()
        os.close(lock_fd)
    return 0


def _idle_watch(server: uvicorn.Server, engine: Engine, idle_timeout: float) -> None:
    while not server.should_exit:
        time.sleep(min(1.0, idle_timeout / 4))
        if engine.jobs.active == 0 and engine.activity.idle_for() > idle_timeout:
            log.info("idle for %.0f s: stopping", idle_timeout)
            server.should_exit = True
