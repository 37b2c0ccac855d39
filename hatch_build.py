"""Build hook: bundle the widget's ES modules from js/ into nemo_nb/static/ (pure Python, no Node).

A fresh machine has only Python and pip, so the bundle step must not need npm. The widget is plain
ESM with no third-party imports; the bundler lives in nemo_nb/notebook/_bundle.py so the widget can
also build it at import time from a source checkout.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location("_nemo_bundle", root / "nemo_nb" / "notebook" / "_bundle.py")
        if spec is None or spec.loader is None:
            return
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.build(root / "js", root / "nemo_nb" / "static")
