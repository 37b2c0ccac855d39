"""``nemo-nb``: command-line entry points: ``serve`` the local engine, ``demo`` / ``make`` a video,
``status`` / ``stop`` the background engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def _serve(args: argparse.Namespace) -> int:
    from .engine.server import serve
    from .engine.settings import EngineSettings

    kwargs = {"host": args.host, "port": args.port, "idle_timeout": args.idle_timeout or None}
    if args.data_dir:
        kwargs["data_dir"] = Path(args.data_dir)
    if args.workers:
        kwargs["render_workers"] = args.workers
    if args.dask:
        kwargs["dask_address"] = args.dask
    return serve(EngineSettings(**kwargs))


def add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the local engine in the foreground",
                       description="Serve the NemoVideo protocol on this machine (offline, no account).")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; anything else exposes the engine to the network)")
    p.add_argument("--port", type=int, default=0, help="port (default 0: any free port, printed at start)")
    p.add_argument("--data-dir", default=None, help="where the store and media live (default: per-user data dir)")
    p.add_argument("--idle-timeout", type=float, default=None,
                   help="stop after this many seconds without requests or renders (default: never)")
    p.add_argument("--workers", type=int, default=None, help="parallel renders (default: half the CPU cores)")
    p.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="run render jobs on this Dask scheduler (tcp://host:8786; needs nemo_nb[dask])")
    p.set_defaults(func=_serve)


# --- the background engine: status, stop, and one-shot commands that clean up after themselves -----------
def _data_dir(args: argparse.Namespace) -> Path:
    from . import config

    return Path(args.data_dir or config.data_dir()).expanduser().resolve()


def _status(args: argparse.Namespace) -> int:
    from .engine.launcher import engine_status

    data_dir = _data_dir(args)
    st = engine_status(data_dir)
    if st is None:
        print(f"No nemo_nb engine is running for {data_dir}.")
        return 0
    idle = "unknown" if st.idle_s is None else f"{st.idle_s:.0f} s"
    limit = f" (stops itself after {st.idle_timeout_s:.0f} s idle)" if st.idle_timeout_s else " (no idle timeout)"
    print(f"nemo_nb engine running\n  pid       {st.pid}\n  url       {st.url}\n  data dir  {st.data_dir}\n"
          f"  idle      {idle}{limit}\n  renders   {st.active_jobs} running\nStop it with: nemo-nb stop")
    return 0


def _stop(args: argparse.Namespace) -> int:
    from .engine.launcher import stop_engine

    data_dir = _data_dir(args)
    pid = stop_engine(data_dir)
    print(f"Stopped the nemo_nb engine (pid {pid})." if pid else f"No nemo_nb engine is running for {data_dir}.")
    return 0


def _clean(args: argparse.Namespace) -> int:
    from .engine.cleanup import clean
    from .engine.launcher import engine_status, stop_engine

    data_dir = _data_dir(args)
    st = engine_status(data_dir)
    if st is not None and st.active_jobs:
        print(f"The engine (pid {st.pid}) is rendering: wait for it to finish, or stop it with "
              f"`nemo-nb stop`, then clean.", file=sys.stderr)
        return 1
    if st is not None:
        stop_engine(data_dir)  # it starts again on the next call
    older = None if args.older_than is None else args.older_than * 86400
    print(clean(data_dir, older_than_s=older, everything=args.all).summary())
    return 0


def add_engine_commands(sub: argparse._SubParsersAction) -> None:
    parsers = {}
    for name, func, text in (("status", _status, "is a background engine running (pid, url, data dir, idle time)"),
                             ("stop", _stop, "stop the background engine and its renders"),
                             ("clean", _clean, "free disk: the engine's finished renders, temp files and caches")):
        p = parsers[name] = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        p.add_argument("--data-dir", default=None, help="the engine's data dir (default: the per-user data dir)")
        p.set_defaults(func=func)
    parsers["clean"].add_argument("--older-than", type=float, default=None, metavar="DAYS",
                                  help="only renders finished more than DAYS days ago")
    parsers["clean"].add_argument("--all", action="store_true",
                                  help="also the notebook's copies in the data dir (files saved elsewhere stay)")


#: Commands that start the background engine for one job: they stop it again when done.
ONE_SHOT = ("make", "demo")


def run_one_shot(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run ``func``; if it started the background engine, stop that engine before returning (one
    that was already running, e.g. a notebook's, is left alone)."""
    from .engine.launcher import engine_status, stop_engine

    before = engine_status()
    try:
        return int(func(args) or 0)
    finally:
        after = engine_status()
        if after is not None and (before is None or after.pid != before.pid):
            stop_engine(after.data_dir)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nemo-nb", description="Photos in, short social videos out.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_serve(sub)
    from .demo import add_commands

    add_commands(sub)
    add_engine_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command in ONE_SHOT:
            return run_one_shot(args.func, args)
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
