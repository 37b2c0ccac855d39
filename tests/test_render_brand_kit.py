"""Brand kit, logo watermark and end card, checked on decoded frames of exported MP4s."""

from __future__ import annotations

import json
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from PIL import Image

from nemo_nb.brand import BrandKit, apply_brand, clear_brand, load_brand, set_brand
from nemo_nb.render import build_plan, render
from nemo_nb.render.text import safe_area
from nemo_nb.style import color_rgb

from .test_render_brand import decoded_frames


@pytest.fixture(scope="module")
def logo(samples: Path) -> Path:
    """A small logo with texture (for template matching) and transparent rounded corners (tests/data/brand)."""
    return samples / "brand" / "logo.png"


@pytest.fixture
def media(samples: Path, logo: Path) -> dict[str, str]:
    photos = samples / "photos"
    return {"p": str(photos / "rocket_launch.jpg"), "q": str(photos / "chelsea_cat.png"), "L": str(logo)}


def _draft(size: tuple[int, int], **meta: object) -> dict:
    return {"m": {"w": size[0], "h": size[1], "fps": 30, **meta}, "t": [
        {"tt": 0, "sg": [{"d": 1500, "m": {"type": "photo", "src": "p"}}, {"d": 1500, "m": {"type": "photo", "src": "q"}}]},
        {"tt": 7, "sg": [{"d": 1500, "s": 0, "m": {"type": "text", "role": "title", "text": "Summer Sale"}}]}]}


def _template(logo: Path, side: int) -> np.ndarray:
    """The logo as the renderer scales it (larger side ``side``), flattened on grey, without its
    transparent corners."""
    img = Image.open(logo).convert("RGBA")
    k = side / max(img.size)
    img = img.resize((round(img.width * k / 2) * 2, round(img.height * k / 2) * 2), Image.Resampling.LANCZOS)
    rgb = np.asarray(img)[:, :, :3]
    m = max(2, rgb.shape[0] // 6)
    return np.ascontiguousarray(rgb[m:-m, m:-m])


def _find(frame: np.ndarray, template: np.ndarray) -> tuple[float, tuple[int, int]]:
    """Best normalised match and the centre of where it is."""
    res = cv2.matchTemplate(frame, template, cv2.TM_CCOEFF_NORMED)
    _, score, _, (x, y) = cv2.minMaxLoc(res)
    return score, (x + template.shape[1] // 2, y + template.shape[0] // 2)


@pytest.mark.parametrize(("size", "corner"), [((640, 360), "bottom_right"), ((360, 640), "top_left"),
                                              ((480, 600), "bottom_left")], ids=["16:9", "9:16", "4:5"])
def test_logo_watermark_is_found_at_its_corner(media: dict[str, str], logo: Path, tmp_path: Path,
                                               size: tuple[int, int], corner: str) -> None:
    draft = _draft(size, logo={"src": "L", "corner": corner, "size": 0.2})
    out = tmp_path / "logo.mp4"
    render(draft, media, out, quality="preview")
    w, h = size
    template = _template(logo, round(min(w, h) * 0.2))
    left, top, right, bottom = safe_area(w, h)
    for frame in decoded_frames(out, [0.2, 1.5, 2.8]):  # over both photos and the title
        score, (cx, cy) = _find(frame, template)
        assert score > 0.8, score
        assert (cx < w / 2) == corner.endswith("left") and (cy < h / 2) == corner.startswith("top"), (cx, cy)
        assert left <= cx <= w - right and top <= cy <= h - bottom  # inside the platform's safe area
    # Without the logo key the same place holds no logo.
    render(_draft(size), media, tmp_path / "plain.mp4", quality="preview")
    (plain,) = decoded_frames(tmp_path / "plain.mp4", [1.5])
    assert _find(plain, template)[0] < 0.6


def _sharpness(img: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var())


def test_end_card_blurred_with_text_and_logo(media: dict[str, str], logo: Path, tmp_path: Path) -> None:
    draft = _draft((640, 360), logo={"src": "L"}, end_card={"text": "Order at example.com", "d": 1000})
    out = tmp_path / "card.mp4"
    render(draft, media, out, quality="preview")
    with av.open(str(out)) as c:
        assert c.streams.video[0].frames == 90  # the length asked for: the card covers the end
    before, card = decoded_frames(out, [1.6, 2.8])
    band = (slice(0, 60), slice(None))  # the top strip: photo only, no text or logo
    assert _sharpness(card[band]) < 0.25 * _sharpness(before[band])  # the video is blurred behind the card
    big = _template(logo, round(360 * 0.22))
    score, (cx, cy) = _find(card, big)
    assert score > 0.8 and abs(cx - 320) < 20  # the logo, centred ...
    white = (card.min(axis=2) > 225)
    white[: cy + big.shape[0]] = False  # (the logo has a white stripe)
    ys, xs = np.nonzero(white)
    assert white.sum() > 800 and abs(xs.mean() - 320) < 40 and 140 < ys.mean() < 260  # the text, centred
    assert cy < ys.min()  # ... above the text
    small = _template(logo, round(360 * 0.12))
    assert _find(card[250:, 450:], small)[0] < 0.6  # the corner watermark gave way to the card's logo
    assert _find(before[250:, 450:], small)[0] > 0.8


@pytest.mark.parametrize("bg", ["navy", "藏青色", "#1e3a8a"])
def test_end_card_on_a_solid_colour(media: dict[str, str], tmp_path: Path, bg: str) -> None:
    draft = _draft((640, 360), end_card={"text": "Thanks!", "bg": bg, "d": 800})
    out = tmp_path / "solid.mp4"
    render(draft, media, out, quality="preview")
    (frame,) = decoded_frames(out, [2.9])
    navy = np.array(color_rgb("navy"))
    near = (np.abs(frame.astype(int) - navy).max(axis=2) < 20).mean()
    assert near > 0.8


def test_brand_kit_is_kept_per_user_and_checked(tmp_path: Path, logo: Path) -> None:
    kit = set_brand(logo=logo, colors=["红色", "#ffffff"], font="serif", corner="top-right", directory=tmp_path)
    assert kit.colors == ["#e11d2a", "#ffffff"] and kit.font == "serif" and kit.logo_corner == "top_right"
    assert Path(kit.logo or "").is_file() and Path(kit.logo or "").parent == tmp_path  # a kept copy
    assert load_brand(tmp_path) == kit
    before = (tmp_path / "brand.json").read_text()
    for bad in ({"colors": ["ultraviolet"]}, {"font": "Comic Sans"}, {"logo": tmp_path / "missing.png"},
                {"logo": tmp_path / "brand.json"}, {"corner": "middle"}, {"opacity": 2}):
        with pytest.raises(ValueError, match=r"use|give|between|export"):
            set_brand(directory=tmp_path, **bad)  # type: ignore[arg-type]
        assert (tmp_path / "brand.json").read_text() == before  # stored kit untouched
    assert json.loads(before)["font"] == "serif"
    clear_brand(tmp_path)
    assert load_brand(tmp_path) == BrandKit() and not Path(kit.logo or "").exists()


def test_one_part_of_the_kit_is_removed_alone(tmp_path: Path, logo: Path) -> None:
    kit = set_brand(logo=logo, colors=["red", "white"], font="serif", directory=tmp_path)
    assert set_brand(font="", directory=tmp_path).font is None
    assert load_brand(tmp_path).colors == ["#e11d2a", "#ffffff"] and load_brand(tmp_path).logo == kit.logo
    assert set_brand(colors=[], directory=tmp_path).colors == []
    assert load_brand(tmp_path).logo == kit.logo  # the logo stays until asked
    after = set_brand(logo="", directory=tmp_path)
    assert after.logo is None and not Path(kit.logo or "").exists() and after.is_empty
    assert load_brand(tmp_path) == after


def test_brand_kit_styles_every_export(media: dict[str, str], logo: Path, tmp_path: Path) -> None:
    kit = set_brand(logo=logo, colors=["#16a34a"], font="inter", directory=tmp_path)
    draft = apply_brand(_draft((640, 360)), kit, "L")
    assert draft["m"]["logo"]["src"] == "L" and draft["m"]["text_style"]["color"] == "#16a34a"
    # The draft's own choices win over the kit's; m.logo false keeps this video free of the logo.
    own = _draft((640, 360), text_style={"color": "red"}, logo=False)
    branded = apply_brand(own, kit, "L")
    assert branded["m"]["text_style"] == {"font": "inter", "color": "red"} and branded["m"]["logo"] is False
    assert build_plan(branded, media, quality="preview").logo is None
    out = tmp_path / "branded.mp4"
    render(draft, media, out, quality="preview")
    (frame,) = decoded_frames(out, [0.8])
    green = (np.abs(frame.astype(int) - np.array(color_rgb("#16a34a"))).max(axis=2) < 50)
    ys, xs = np.nonzero(green)
    assert green.sum() > 300 and abs(xs.mean() - 320) < 60 and abs(ys.mean() - 180) < 40  # the title, green
    assert _find(frame, _template(logo, round(360 * 0.12)))[0] > 0.8


def test_the_engine_takes_a_logo_only_by_media_id(api: object, photos: list[Path], logo: Path) -> None:
    """m.logo names an uploaded image; a path there is refused like a path on a track (nothing queued)."""
    from tests.test_engine_security import photo_draft
    from tests.test_engine_security import render as post_render

    infos = api.upload(photos[:1]).json()["data"]["video_infos"]  # type: ignore[attr-defined]
    draft = photo_draft(infos, logo={"src": str(logo)})
    resp = post_render(api, draft)  # type: ignore[arg-type]
    assert resp.status_code == 400 and str(logo) in resp.json()["message"] and "m.logo" in resp.json()["message"]
    mine = api.upload([logo]).json()["data"]["video_infos"][0]["id"]  # type: ignore[attr-defined]
    ok = post_render(api, photo_draft(infos, logo={"src": mine, "corner": "top_left"}), "render_logo")  # type: ignore[arg-type]
    assert ok.status_code == 200, ok.text


def test_studio_brand_puts_the_kit_on_every_export(engine_url: str, photos: list[Path], logo: Path,
                                                   tmp_path: Path) -> None:
    """studio.brand(...) kept per user; the export (through the real engine) carries the logo in its
    corner and the brand colour on the title — checked on the decoded MP4."""
    from nemo_nb import connect
    from nemo_nb.client import NemoError

    studio = connect(base_url=engine_url, echo=False)
    try:
        with pytest.raises(NemoError, match="ultraviolet"):
            studio.sync.brand(colors=["ultraviolet"])
        kit = studio.sync.brand(logo=logo, colors=["#16a34a"], corner="top_left", size=0.2)
        assert load_brand() == kit  # per user: the config dir
        studio.sync.upload(*[p for p in photos if p.name.startswith("rocket")][:1])
        studio.sync.ask("make a 2 second video with a title 'Sale'")
        names = [m.name for m in studio.draft.video.segments] if studio.draft.video else []
        assert len(names) == 1  # the uploaded logo is not a slide
        result = studio.sync.export(quality="preview", out=tmp_path)
        (frame,) = decoded_frames(Path(result.path), [1.0])
        h, w = frame.shape[:2]
        score, (cx, cy) = _find(frame, _template(logo, round(min(w, h) * 0.2)))
        assert score > 0.8 and cx < w / 2 and cy < h / 2  # the logo, top left
        green = (np.abs(frame.astype(int) - np.array(color_rgb("#16a34a"))).max(axis=2) < 50)
        assert green.sum() > 200  # the title in the brand colour
    finally:
        studio.sync.close()


@pytest.mark.anyio
async def test_every_export_of_the_engine_carries_the_kit(engine_url: str, photos: list[Path], logo: Path,
                                                          tmp_path: Path) -> None:
    """The kit is applied where every export starts (engine/branding.py): "export" typed in the chat
    (the agent starts the render) and a bare NemoClient export of a draft without any brand key both
    carry the logo in its corner and the title in the brand colour — on the decoded MP4s, over real HTTP."""
    from nemo_nb.client import NemoClient
    from nemo_nb.engine.settings import EngineSettings

    set_brand(logo=logo, colors=["#16a34a"], corner="top_right", size=0.2)  # the user's kit (config dir)
    async with NemoClient(engine_url) as client:
        sid = (await client.create_session()).session_id
        await client.upload(sid, next(p for p in photos if p.name.startswith("rocket")))
        await client.reply(sid, "make a 2 second video with a title 'Sale'")
        plain = (await client.state(sid)).draft.to_json()
        assert "logo" not in plain["m"] and "text_style" not in plain["m"]  # the draft itself is untouched
        await client.reply(sid, "export")
        started = [g for g in (await client.state(sid)).generated_media if g.get("id")]
        assert len(started) == 1  # the agent started it
        jobs = [await client.wait_render(str(started[0]["id"])), await client.export(sid, plain, quality="preview")]
        for n, job in enumerate(jobs):
            out = await client.save_render(job, tmp_path / f"export{n}.mp4")
            (frame,) = decoded_frames(Path(out), [1.0])
            h, w = frame.shape[:2]
            score, (cx, cy) = _find(frame, _template(logo, round(min(w, h) * 0.2)))
            assert score > 0.8 and cx > w / 2 and cy < h / 2, (n, score, cx, cy)  # the logo, top right
            green = (np.abs(frame.astype(int) - np.array(color_rgb("#16a34a"))).max(axis=2) < 50)
            assert green.sum() > 200 * (w * h) / (640 * 360), n  # the title in the brand colour
        logos = [m for m in (await client.state(sid)).video_infos if "logo" in str(m.get("name"))]
        assert len(logos) == 1  # added to the session once, found again by its bytes
    assert not EngineSettings(host="0.0.0.0").applies_brand_kit  # serving others: never its operator's kit
