"""``%nemo campaign``: a small campaign spec on one line, started from a cell.

    %nemo campaign --photos "photos/*.jpg" --direction "calm=a 6-second slideshow with calm music"
                   --direction "bold=a 6-second video with upbeat music" --format 16:9 --format 9:16
                   --copy copy_df --title product --caption "{price} · {cta}" [--executor client] [--wait]

``--copy`` and ``--executor`` name variables of the notebook. The campaign starts at once and
displays as its gallery; ``--wait`` blocks until every variant has ended.
"""

from __future__ import annotations

import argparse
import glob
import os
import shlex
from typing import Any

from .campaign import Campaign

USAGE = ('%nemo campaign --photos GLOB [--photos GLOB ...] --direction [NAME=]REQUEST [...] --format F [...] '
         '[--copy VAR] [--title COLUMN|TEMPLATE] [--caption COLUMN|TEMPLATE] [--quality preview|high] '
         '[--executor VAR|ADDRESS] [--wait] [--out VAR]')


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise ValueError(f"%nemo campaign: {message}. Usage: {USAGE}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="%nemo campaign", add_help=False)
    p.add_argument("--photos", action="append", required=True)
    p.add_argument("--direction", action="append", required=True)
    p.add_argument("--format", action="append", default=None)
    p.add_argument("--copy", default=None)
    p.add_argument("--title", default="title")
    p.add_argument("--caption", default="caption")
    p.add_argument("--quality", choices=["preview", "high"], default="preview")
    p.add_argument("--executor", default=None)
    p.add_argument("--wait", action="store_true")
    p.add_argument("--out", default=None)
    return p


def _photos(patterns: list[str]) -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        matches = sorted(glob.glob(os.path.expanduser(pattern)))
        if not matches:
            raise ValueError(f"No file matches {pattern!r} (relative to {os.getcwd()})")
        found.extend(matches)
    return found


def _directions(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, item in enumerate(items, 1):
        name, sep, request = item.partition("=")
        out[name.strip() if sep and name.strip() else f"d{k}"] = request.strip() if sep else item.strip()
    return out


def run_magic(rest: str, namespace: dict[str, Any], backend: Any = None, base_url: str | None = None) -> Any:
    """Parse ``rest``, start the campaign, store it under ``--out``; the campaign (or, with ``--wait``, its results)."""
    args = _parser().parse_args(shlex.split(rest))
    copy = None
    if args.copy is not None:
        if args.copy not in namespace:
            raise ValueError(f"--copy {args.copy}: no such variable in the notebook (make a DataFrame first)")
        copy = namespace[args.copy]
    executor = None
    if args.executor is not None:
        executor = namespace.get(args.executor, args.executor if "://" in args.executor else None)
        if executor is None:
            raise ValueError(f"--executor {args.executor}: no such variable and not a scheduler address")
    campaign = Campaign(_photos(args.photos), _directions(args.direction), args.format or ["16:9"], copy,
                        title=args.title, caption=args.caption, quality=args.quality, backend=backend,
                        base_url=base_url)
    if args.out:
        if not args.out.isidentifier():
            raise ValueError(f"--out {args.out!r} is not a valid variable name")
        namespace[args.out] = campaign
    if args.wait:
        return campaign.sync.run(executor)
    return campaign.start(executor)
