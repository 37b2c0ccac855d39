"""``python -m nemo_nb.engine [--host H] [--port N] [--data-dir D] [--idle-timeout S]``."""

from __future__ import annotations

import sys

from ..cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
