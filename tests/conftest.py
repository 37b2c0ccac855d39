"""Shared test setup: isolated per-test dirs, the test media in tests/data, and the browser/OCR gates.

Browser and OCR tests need system packages. In CI (``CI=true``) they are mandatory: a missing tool
fails the run. Elsewhere they skip with a message saying what to install.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The tests' own media: photos/, formats/, audio/, bad/ (origins and licences in its README.md).
DATA = ROOT / "tests" / "data"
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


#: Files that drive Jupyter (a server, kernels, Chromium) besides the browser tests: they share
#: notebooks/ (the campaign notebook writes its hand-over folder there) with tests/ui.
_JUPYTER_FILES = {"test_notebooks_execute.py"}
#: The longest file after the Jupyter group: scheduled second, so both workers start with a long one.
_LONG_FILES = ("test_cases.py",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """How pytest-xdist shares the suite between its workers (``-n 2 --dist loadgroup`` in pyproject):
    every file is one unit (its module fixtures run once, on one worker), except that everything
    driving Jupyter (the browser tests and the executed notebooks) is one unit, run first and in
    order on one worker, so it shares one Jupyter server and browser and never runs beside itself.
    Without xdist this only puts those tests first."""
    def group(item: pytest.Item) -> str:
        if "browser" in item.keywords or item.path.name in _JUPYTER_FILES:
            return "jupyter"
        return item.path.relative_to(ROOT).as_posix()

    def rank(item: pytest.Item) -> int:
        name = group(item)
        return 0 if name == "jupyter" else 1 if item.path.name in _LONG_FILES else 2

    items.sort(key=rank)  # stable: each file keeps its order
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(group(item)))


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
    """``tests/data``: photos/, formats/, audio/ and bad/ (made by tests/data/make_data.py)."""
    return DATA


@pytest.fixture(scope="session")
def photos(samples: Path) -> list[Path]:
    """The photos in name order: eleven distinct pictures, 61 KB to 2 MB, up to 6000x4000."""
    return sorted(p for p in (samples / "photos").iterdir() if p.is_file())
