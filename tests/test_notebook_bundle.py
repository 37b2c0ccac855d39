"""The widget bundle: built without Node, one module scope, valid JavaScript."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from nemo_nb.client import NoCreditsError
from nemo_nb.notebook import _bundle
from nemo_nb.notebook.studio import error_payload

JS = Path(__file__).resolve().parents[1] / "js"


def test_the_bundle_has_one_default_export_and_no_imports(tmp_path: Path) -> None:
    _bundle.build(JS, tmp_path)
    code = (tmp_path / "widget.js").read_text()
    assert code.count("export default") == 1
    assert "import " not in code.replace("import(", "")  # no static imports left: nothing from a CDN
    assert "http://" not in code.replace("https?:\\/\\/", "") and "cdn" not in code.lower()
    css = (tmp_path / "widget.css").read_text()
    assert "--jp-layout-color1" in css and "--jp-brand-color1" in css


def test_duplicate_top_level_names_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("export function h() {}\n")
    (tmp_path / "widget.js").write_text('import { h } from "./a.js";\nfunction h() {}\nexport default {};\n')
    with pytest.raises(ValueError, match="'h' is declared in both"):
        _bundle.bundle(tmp_path)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run JavaScript (optional)")
def test_the_bundle_parses_and_the_js_sha256_matches_python(tmp_path: Path) -> None:
    _bundle.build(JS, tmp_path)
    (tmp_path / "w.mjs").write_text((tmp_path / "widget.js").read_text())
    subprocess.run(["node", "--check", str(tmp_path / "w.mjs")], check=True)
    data = bytes((i * 7 + 3) & 255 for i in range(100_003))
    script = (JS / "sha256.js").read_text() + (
        "\nconst b = new Uint8Array(100003).map((_, i) => (i * 7 + 3) & 255);"
        "\nconst s = new Sha256(); s.update(b.subarray(0, 70001)); s.update(b.subarray(70001));"
        "\nconsole.log(s.hex());\n")
    (tmp_path / "sha.mjs").write_text(script)
    out = subprocess.run(["node", str(tmp_path / "sha.mjs")], check=True, capture_output=True, text=True).stdout
    assert out.strip() == hashlib.sha256(data).hexdigest()


def test_a_credits_error_carries_the_registration_link() -> None:
    err = NoCreditsError(register_url="https://nemovideo.ai/register?bind=t1")
    payload = error_payload(err)
    assert payload["link"] == "https://nemovideo.ai/register?bind=t1"
    assert "Register" in payload["hint"] and payload["message"]
