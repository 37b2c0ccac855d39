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


#: What drives Jupyter (a server, kernels, Chromium): the browser tests, and the executed notebooks,
#: which share notebooks/ with them (the campaign notebook writes its hand-over folder there).
_JUPYTER = ("tests/ui/", "tests/test_notebooks_execute.py")
#: The longest file after the Jupyter unit: queued second, so both workers start with a long one.
_LONG = ("tests/test_cases.py",)


def _unit(nodeid: str) -> str:
    """The unit of work an xdist worker takes whole: the Jupyter tests together, else the test's file."""
    return "jupyter" if nodeid.startswith(_JUPYTER) else nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The Jupyter tests first, then the longest file, then the rest (each file keeps its order)."""
    items.sort(key=lambda item: 0 if _unit(item.nodeid) == "jupyter" else 1 if item.nodeid.startswith(_LONG) else 2)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """How pytest-xdist (``-n 2`` in pyproject) shares the suite between its workers: a file is one
    unit (its module fixtures run once, on one worker), except that everything driving Jupyter is one
    unit, run in order on one worker: the browser tests share its one Jupyter server and Chromium and
    never run beside each other. Units are handed out in collection order (above), not by size."""
    from xdist.scheduler import LoadScopeScheduling

    class ByUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _unit(nodeid)

    return ByUnit(config, log)  # type: ignore[arg-type]


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
