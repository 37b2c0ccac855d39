"""``%load_ext nemo_nb``: the ``%nemo`` line magic (subcommands) and the ``%%nemo`` chat cell.

Prompts are sent exactly as typed (``@no_var_expand``: no ``{}``/``$`` interpolation). Results are
objects that display themselves (DataFrames, the timeline, the render player); ``--out VAR``
stores them. Errors are one line with what to do (``UsageError``); tracebacks only with
``%config NemoMagics.debug = True``.
"""

from __future__ import annotations

import argparse
import glob
import os
import shlex
from collections.abc import Callable
from typing import Any, NoReturn

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from traitlets import Bool, Unicode
from traitlets.config.configurable import Configurable

from .. import protocol
from ..client import NemoError
from ._runner import BlockingCallError
from .studio import Studio, connect, current

HELP = """\
%nemo — make short videos from photos, from a notebook.

  %nemo connect [--backend local|cloud] [--base-url URL] [--language en]
                          open a session (local engine by default; the cloud with NEMO_TOKEN / NEMO_BASE_URL)
  %nemo upload PATH ...   add files from the kernel's disk (globs work) or http(s) URLs
  %nemo ask TEXT          send a request as typed, e.g. %nemo ask make it vertical for TikTok
  %%nemo                  the whole cell is one request (several lines; sent as typed, no {} or $ expansion)
  %nemo status            the timeline summary and its segments
  %nemo tracks            the timeline as a DataFrame (one row per segment)
  %nemo credits           the credit balance as a DataFrame
  %nemo export [--quality {qualities}] [--embed] [--out FILE.mp4]
                          render the MP4, download it (to FILE.mp4 if given) and show a player
  %nemo renders           every render so far (this kernel's and earlier ones) as a DataFrame
  %nemo attach [ID]       re-attach to a render started before a kernel restart and fetch it
  %nemo undo              undo the last edit
  %nemo ui                show the studio widget (upload, chat, timeline, export)
  %nemo campaign --photos GLOB --direction [NAME=]REQUEST ... --format F ... [--copy VAR] [--title COL]
                 [--caption COL|TEMPLATE] [--executor VAR|ADDRESS] [--wait] [--out VAR]
                          render every variant (directions × formats × copy rows) and show the gallery
  %nemo help              this text

Options: --out VAR (right after the subcommand, or on the %%nemo line) stores the result in VAR;
         for export, --out is the MP4 file to write, as in the nemo-nb CLI (the result is in `_`).
Shortcuts: "export", "credits", "status" (and 导出, 积分, 状态) run directly, without the agent.
Settings: %config NemoMagics.backend = "cloud"     %config NemoMagics.base_url = "http://..."
          %config NemoMagics.language = "zh"       %config NemoMagics.debug = True (full tracebacks)
""".replace("{qualities}", "|".join(protocol.RENDER_QUALITIES))

SUBCOMMANDS = ("connect", "upload", "ask", "status", "tracks", "credits", "export", "renders", "attach",
               "undo", "ui", "campaign", "help")


class _Parser(argparse.ArgumentParser):
    """argparse that reports mistakes as one-line UsageErrors instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}. See %nemo help.")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise UsageError(message or f"{self.prog}: see %nemo help.")


def _parser(name: str, *args: tuple[tuple[str, ...], dict[str, Any]]) -> _Parser:
    parser = _Parser(prog=f"%nemo {name}", add_help=False)
    parser.add_argument("--out", metavar="VAR")
    for flags, kw in args:
        parser.add_argument(*flags, **kw)
    return parser


def _split_out(rest: str) -> tuple[str | None, str]:
    """A leading ``--out VAR`` (or ``--out=VAR``), then the rest exactly as typed."""
    text = rest.lstrip()
    if text.startswith("--out="):
        head, _, tail = text.partition(" ")
        return head.split("=", 1)[1] or None, tail
    if text.startswith("--out ") or text == "--out":
        parts = text.split(None, 2)
        if len(parts) < 2:
            raise UsageError("--out needs a variable name, e.g. --out result")
        return parts[1], parts[2] if len(parts) > 2 else ""
    return None, rest


@magics_class
class NemoMagics(Magics, Configurable):
    """The ``%nemo`` / ``%%nemo`` magics (configure with ``%config NemoMagics.<name> = ...``)."""

    debug = Bool(False, config=True, help="Show full tracebacks instead of one-line errors.")
    backend = Unicode(None, allow_none=True, config=True, help='"local" or "cloud" (default: automatic).')
    base_url = Unicode(None, allow_none=True, config=True, help="Where the backend lives (default: automatic).")
    language = Unicode("en", config=True, help="Language of the session (e.g. en, zh).")

    # --- plumbing -------------------------------------------------------------------------------
    def _studio(self) -> Studio:
        studio = current()
        if studio is None:
            studio = connect(self.backend or None, self.base_url or None, language=self.language)
        return studio

    def _store(self, var: str | None, value: Any) -> Any:
        if var:
            if not var.isidentifier():
                raise UsageError(f"--out {var!r} is not a valid variable name")
            self.shell.user_ns[var] = value
        return value

    def _run(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except UsageError:
            raise
        except (NemoError, BlockingCallError, ValueError, FileNotFoundError) as err:
            if self.debug:
                raise
            raise UsageError(_one_line(err)) from None
        except KeyboardInterrupt:
            raise
        except Exception as err:
            if self.debug:
                raise
            raise UsageError(f"{type(err).__name__}: {_one_line(err)} (%config NemoMagics.debug = True shows the "
                             "traceback)") from None

    # --- the magic ------------------------------------------------------------------------------
    @no_var_expand
    @line_cell_magic
    def nemo(self, line: str = "", cell: str | None = None) -> Any:
        """%nemo SUBCOMMAND ... / %%nemo [--out VAR] — see %nemo help."""
        if cell is not None:
            var, rest = _split_out(line)
            if rest.strip():
                raise UsageError("%%nemo takes only --out VAR on its line; put the request in the cell body")
            if not cell.strip():
                raise UsageError("The %%nemo cell is empty: write your request below the %%nemo line")
            return self._store(var, self._run(lambda: self._studio().sync.ask(cell.strip())))
        stripped = line.strip()
        if not stripped:
            print(HELP)
            return None
        name, _, rest = stripped.partition(" ")
        name = name.lower()
        if name not in SUBCOMMANDS:
            raise UsageError(f"Unknown subcommand {name!r}: use one of {', '.join(SUBCOMMANDS)} (see %nemo help)")
        return getattr(self, f"_cmd_{name}")(rest)

    # --- subcommands ----------------------------------------------------------------------------
    def _cmd_help(self, rest: str) -> None:
        print(HELP)

    def _cmd_connect(self, rest: str) -> Any:
        args = _parser("connect", (("--backend",), {"choices": ["local", "cloud"]}), (("--base-url",), {}),
                       (("--language",), {})).parse_args(shlex.split(rest))

        def run() -> Studio:
            studio = connect(args.backend or self.backend or None, args.base_url or self.base_url or None,
                             language=args.language or self.language)
            print(f"Connected: {studio.backend.label} · session {studio.session_id}")
            return studio

        studio = self._run(run)
        self._store(args.out, studio)
        return None

    def _cmd_upload(self, rest: str) -> Any:
        args = _parser("upload", (("paths",), {"nargs": "+"})).parse_args(shlex.split(rest))
        items: list[str] = []
        for item in args.paths:
            if "://" in item:  # a URL: the Studio uploads http(s) and says why it refuses the others
                items.append(item)
                continue
            expanded = sorted(glob.glob(os.path.expanduser(item)))
            if not expanded:
                raise UsageError(f"No file matches {item!r}: check the path (relative to {os.getcwd()})")
            items.extend(expanded)
        return self._store(args.out, self._run(lambda: self._studio().sync.upload(*items)))

    def _cmd_ask(self, rest: str) -> Any:
        var, text = _split_out(rest)
        if not text.strip():
            raise UsageError("What should I do? e.g. %nemo ask turn these photos into a 30-second video")
        return self._store(var, self._run(lambda: self._studio().sync.ask(text.strip())))

    def _simple(self, name: str, rest: str, call: Callable[[Studio], Any]) -> Any:
        args = _parser(name).parse_args(shlex.split(rest))
        return self._store(args.out, self._run(lambda: call(self._studio())))

    def _cmd_status(self, rest: str) -> Any:
        return self._simple("status", rest, lambda s: s.sync.timeline())

    def _cmd_tracks(self, rest: str) -> Any:
        return self._simple("tracks", rest, lambda s: s.sync.tracks())

    def _cmd_credits(self, rest: str) -> Any:
        return self._simple("credits", rest, lambda s: s.sync.credits())

    def _cmd_renders(self, rest: str) -> Any:
        return self._simple("renders", rest, lambda s: s.sync.renders())

    def _cmd_undo(self, rest: str) -> Any:
        return self._simple("undo", rest, lambda s: s.sync.undo())

    def _cmd_ui(self, rest: str) -> Any:
        return self._simple("ui", rest, lambda s: s.widget())

    def _cmd_export(self, rest: str) -> Any:
        """``--out`` is the MP4 to write (as in the CLI), not a variable."""
        args = _parser("export", (("--quality",), {"choices": list(protocol.RENDER_QUALITIES), "default": "high"}),
                       (("--embed",), {"action": "store_true"})).parse_args(shlex.split(rest))
        if args.out and not (args.out.lower().endswith(".mp4") or os.path.isdir(os.path.expanduser(args.out))):
            raise UsageError(f"--out {args.out!r}: give the MP4 file to write, e.g. --out promo.mp4 "
                             "(the result itself is in `_`)")

        def run() -> Any:
            result = self._studio().sync.export(args.quality, out=args.out)
            return result.show(embed=True) if args.embed else result

        return self._run(run)

    def _cmd_attach(self, rest: str) -> Any:
        args = _parser("attach", (("render_id",), {"nargs": "?"})).parse_args(shlex.split(rest))
        return self._store(args.out, self._run(lambda: self._studio().sync.attach(args.render_id)))

    def _cmd_campaign(self, rest: str) -> Any:
        """Self-contained: the spec is parsed and run by nemo_nb.campaign.magic."""
        from ..campaign.magic import run_magic

        return self._run(lambda: run_magic(rest, self.shell.user_ns, self.backend or None, self.base_url or None))


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magics(NemoMagics)


__all__ = ["HELP", "NemoMagics", "load_ipython_extension"]
