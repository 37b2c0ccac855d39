"""Shared test setup: isolated per-test dirs, the shared samples, and the browser/OCR gates.

Browser and OCR tests need system packages. In CI (``CI=true``) they are mandatory: a missing tool
fails the run. Elsewhere they skip with a message saying what to install.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEMO_NB_SHARED", ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

pytest_plugins = ["tests._support.engine", "tests._support.scripted"]

_NEEDS = {
    "browser": ("chromium", "apt-get install -y chromium"),
    "ocr": ("tesseract", "apt-get install -y tesseract-ocr"),
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, (tool, how) in _NEEDS.items():
        if marker in item.keywords and shutil.which(tool) is None:
            if IN_CI:
                pytest.fail(f"{tool} is required in CI and is missing: {how}", pytrace=False)
            pytest.skip(f"needs {tool}: {how}")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real config, tokens or data."""
    base = tmp_path_factory.mktemp("nemo_home")
    monkeypatch.setenv("NEMO_NB_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("NEMO_NB_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("NEMO_NB_CACHE_DIR", str(base / "cache"))
    monkeypatch.delenv("NEMO_TOKEN", raising=False)
    monkeypatch.delenv("NEMO_BASE_URL", raising=False)


@pytest.fixture(scope="session")
def samples() -> Path:
    """``../shared/samples`` (photos, formats, audio, bad)."""
    path = SHARED / "samples"
    if not path.is_dir():
        pytest.skip(f"shared samples not found at {path} (set NEMO_NB_SHARED)")
    return path


@pytest.fixture(scope="session")
def photos(samples: Path) -> list[Path]:
    return sorted((samples / "photos").iterdir())
