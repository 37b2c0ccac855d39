"""``nemo-nb``: command-line entry points: ``serve`` the local engine, ``demo`` / ``make`` a video."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nemo-nb", description="Photos in, short social videos out.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_serve(sub)
    from .demo import add_commands

    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
