"""Find the background engine for a data directory, or start one: ``ensure_engine() -> base URL``.

The engine writes a runtime file (pid, port, data dir) once it listens; a second notebook or a
restarted kernel reads it, checks the process and ``GET /api/health``, and reuses that engine. If
none answers, one is spawned as a detached process (it outlives the kernel and stops itself after
``idle_timeout`` seconds without requests: 5 minutes unless ``NEMO_NB_ENGINE_IDLE_TIMEOUT`` says
otherwise). A lock file keeps two callers from spawning two engines. ``engine_status`` and
``stop_engine`` are what ``nemo-nb status`` / ``nemo-nb stop`` show and do.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from .. import config, protocol
from .server import read_runtime
from .settings import data_dir_id

#: Seconds without requests after which the background engine stops itself (a notebook restarts
#: it on its next call). Override with the environment variable ``NEMO_NB_ENGINE_IDLE_TIMEOUT``.
DEFAULT_IDLE_TIMEOUT = 300.0
IDLE_TIMEOUT_ENV = "NEMO_NB_ENGINE_IDLE_TIMEOUT"
LOG_FILE = "engine.log"
LAUNCH_LOCK = "launch.lock"
MAX_LOG_BYTES = 5 * 1024 * 1024


class EngineStartError(RuntimeError):
    """The background engine did not come up; the message points at its log."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_engine(data_dir: Path) -> str | None:
    """The base URL of a healthy engine serving ``data_dir``, or None."""
    info = read_runtime(data_dir)
    if not info or not isinstance(info.get("pid"), int) or not info.get("url"):
        return None
    if not _alive(info["pid"]):
        return None
    try:
        resp = httpx.get(str(info["url"]) + protocol.PATH_HEALTH, timeout=3.0, trust_env=False)
        body = resp.json()
    except (httpx.HTTPError, ValueError):
        return None
    served = protocol.pick(body, "data_dir_id")  # health shows strangers a tag, never the path
    if resp.status_code != 200 or body.get("code") != 0 or served != data_dir_id(data_dir):
        return None
    return str(info["url"])


def _lock_free(data_dir: Path) -> bool:
    """True when no engine holds ``data_dir``'s engine lock."""
    fd = os.open(data_dir / "engine.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


@contextlib.contextmanager
def _launch_lock(data_dir: Path, timeout: float) -> Iterator[None]:
    fd = os.open(data_dir / LAUNCH_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise EngineStartError(f"Timed out waiting for another process starting the engine in "
                                           f"{data_dir}.") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


#: Run by a short-lived intermediate process: starts the engine in its own session and exits, so
#: the engine is nobody's child here (no zombie in the kernel, no Popen left running).
_DETACH = (
    "import os, subprocess, sys\n"
    "fd = int(sys.argv[1])\n"
    "p = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=fd, stderr=fd, pass_fds=(fd,),"
    " start_new_session=True, close_fds=True)\n"
    "print(p.pid)\n"
)


def spawn_engine(data_dir: Path, idle_timeout: float | None) -> int:
    """Start ``python -m nemo_nb.engine`` fully detached (own session, output to a log); its pid."""
    log_path = data_dir / LOG_FILE
    with contextlib.suppress(OSError):
        if log_path.stat().st_size > MAX_LOG_BYTES:
            log_path.unlink()
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    args = [sys.executable, "-m", "nemo_nb.engine", "--host", "127.0.0.1", "--port", "0",
            "--data-dir", str(data_dir)]
    if idle_timeout:
        args += ["--idle-timeout", str(idle_timeout)]
    try:
        out = subprocess.run([sys.executable, "-c", _DETACH, str(log_fd), *args], pass_fds=(log_fd,),
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=str(data_dir),
                             timeout=30, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        raise EngineStartError(f"Could not start the local engine: {exc}") from None
    finally:
        os.close(log_fd)
    return int(out.stdout.strip())


def idle_timeout_setting() -> float:
    """The background engine's idle timeout: ``NEMO_NB_ENGINE_IDLE_TIMEOUT`` seconds, else 5 minutes."""
    raw = os.environ.get(IDLE_TIMEOUT_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_IDLE_TIMEOUT
    except ValueError:
        raise ValueError(f"{IDLE_TIMEOUT_ENV}={raw!r} is not a number of seconds (e.g. 300).") from None
    return value if value > 0 else DEFAULT_IDLE_TIMEOUT


def ensure_engine(data_dir: str | Path | None = None, *, idle_timeout: float | None = None,
                  start_timeout: float = 60.0) -> str:
    """Base URL of the engine for ``data_dir`` (default: the per-user data dir), starting it if needed
    (with ``idle_timeout``, default :func:`idle_timeout_setting`)."""
    idle_timeout = idle_timeout or idle_timeout_setting()
    data_dir = config.ensure_private_dir(Path(data_dir) if data_dir else config.data_dir()).resolve()
    url = running_engine(data_dir)
    if url:
        return url
    with _launch_lock(data_dir, start_timeout):
        url = running_engine(data_dir)
        if url:
            return url
        pid = spawn_engine(data_dir, idle_timeout)
        deadline = time.monotonic() + start_timeout
        while time.monotonic() < deadline:
            url = running_engine(data_dir)
            if url:
                return url
            # It exited and no other engine holds the directory (else wait for that one's runtime file).
            if not _alive(pid) and _lock_free(data_dir):
                break
            time.sleep(0.1)
    raise EngineStartError(f"The local engine did not start within {start_timeout:g} s; see "
                           f"{data_dir / LOG_FILE} for why.")


# --- status and stop (``nemo-nb status`` / ``nemo-nb stop``) ----------------------------------------------
@dataclass(frozen=True)
class EngineStatus:
    """A background engine of ours: what ``nemo-nb status`` prints."""

    pid: int
    url: str
    data_dir: Path
    started_at: float | None
    idle_s: float | None  # seconds since its last request (health checks do not count)
    idle_timeout_s: float | None  # it stops itself after this much idle time
    active_jobs: int


def _engine_process(data_dir: Path) -> psutil.Process | None:
    """The engine process named by ``data_dir``'s runtime file, if it is alive and really ours."""
    info = read_runtime(data_dir) or {}
    pid = info.get("pid")
    if not isinstance(pid, int):
        return None
    try:
        proc = psutil.Process(pid)
        alive, command = proc.status() != psutil.STATUS_ZOMBIE, " ".join(proc.cmdline())
    except psutil.Error:
        return None
    # Ours: the background engine (python -m nemo_nb.engine) or a foreground `nemo-nb serve`; else
    # it exited and the pid now belongs to someone else.
    return proc if alive and any(name in command for name in ("nemo_nb.engine", "nemo-nb", "nemo_nb.cli")) else None


def _idle_timeout_of(proc: psutil.Process) -> float | None:
    with contextlib.suppress(psutil.Error, ValueError, IndexError):
        cmd = proc.cmdline()
        return float(cmd[cmd.index("--idle-timeout") + 1])
    return None


def engine_status(data_dir: str | Path | None = None) -> EngineStatus | None:
    """The engine serving ``data_dir`` (default: the per-user data dir), or None when none runs."""
    data_dir = Path(data_dir or config.data_dir()).expanduser().resolve()
    proc = _engine_process(data_dir) if data_dir.is_dir() else None
    url = running_engine(data_dir) if proc is not None else None
    if proc is None or url is None:
        return None
    try:
        body = httpx.get(url + protocol.PATH_HEALTH, timeout=3.0, trust_env=False).json()
    except (httpx.HTTPError, ValueError):
        body = {}
    idle = protocol.pick(body, "idle_s")
    info = read_runtime(data_dir) or {}
    return EngineStatus(pid=proc.pid, url=url, data_dir=data_dir, started_at=info.get("started_at"),
                        idle_s=None if idle is None else float(idle), idle_timeout_s=_idle_timeout_of(proc),
                        active_jobs=int(protocol.pick(body, "active_jobs") or 0))


def _finish(procs: list[psutil.Process], timeout: float) -> None:
    """Wait for ``procs`` to end (a zombie counts as ended); kill what is left."""
    deadline = time.monotonic() + timeout
    while procs and time.monotonic() < deadline:
        procs = [p for p in procs if _running(p)]
        time.sleep(0.05)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def stop_engine(data_dir: str | Path | None = None, *, timeout: float = 20.0) -> int | None:
    """Stop the engine serving ``data_dir`` and its render workers; its pid, or None if none ran.

    SIGTERM first (running renders fail with a reason, nothing half-written is kept), SIGKILL
    after ``timeout`` seconds.
    """
    data_dir = Path(data_dir or config.data_dir()).expanduser().resolve()
    proc = _engine_process(data_dir) if data_dir.is_dir() else None
    if proc is None:
        return None
    with contextlib.suppress(psutil.Error):
        workers = proc.children(recursive=True)
        proc.terminate()
        _finish([proc], timeout)
        _finish(workers, 5.0)  # they end when the engine closes their stdin
    return proc.pid
