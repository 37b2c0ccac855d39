"""Text styles on exported MP4s, checked on decoded pixels: colour inside the text's box, position
quadrant inside the platform's safe area, animations, fonts and backgrounds."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from nemo_nb.render import build_plan, frame_at, render
from nemo_nb.render.compose import cache_of
from nemo_nb.render.text import safe_area
from nemo_nb.style import color_hex, resolve_style

PHOTO = "rocket_launch.jpg"  # dark blue sky: saturated colours stand out


@pytest.fixture
def media(samples: Path) -> dict[str, str]:
    return {"p": str(samples / "photos" / PHOTO)}


def _draft(texts: list[dict], size: tuple[int, int] = (640, 360), d: int = 2000, **meta: object) -> dict:
    return {"m": {"w": size[0], "h": size[1], "fps": 30, **meta}, "t": [
        {"tt": 0, "sg": [{"d": d, "m": {"type": "photo", "src": "p", "motion": "still"}}]},
        {"tt": 7, "sg": [{"d": d, "s": 0, "m": {"type": "text", "role": "caption", **t}} for t in texts]}]}


def decoded_frames(path: Path, times: list[float], fps: int = 30) -> list[np.ndarray]:
    """RGB frames of an MP4 at the given times (nearest frame)."""
    wanted = {round(t * fps): t for t in times}
    found: dict[float, np.ndarray] = {}
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i in wanted:
                found[wanted[i]] = frame.to_ndarray(format="rgb24")
    return [found[t] for t in times]


def _mask(frame: np.ndarray, rgb: tuple[int, int, int], tol: int = 60) -> np.ndarray:
    return (np.abs(frame.astype(int) - np.array(rgb)).max(axis=2) < tol)


def _rgb(name: str) -> tuple[int, int, int]:
    h = color_hex(name)
    assert h is not None
    return int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16)


def test_colour_names_english_chinese_and_hex() -> None:
    assert color_hex("red") == color_hex("红色") == color_hex("红") == "#e11d2a"
    assert color_hex("#F00") == "#ff0000" and color_hex("00ff00") == "#00ff00"
    assert color_hex("not a colour") is None and color_hex(12) is None
    style = resolve_style({"color": "蓝色", "size": "大", "position": "右下", "bg": "outline", "anim": "typewriter"})
    assert style.color == _rgb("blue") and style.size == 1.4 and style.position == "bottom_right"
    assert style.bg == "outline" and style.anim_in == "typewriter" and style.anim_out == "fade"
    # Unknown values fall back to the defaults instead of failing (cloud drafts carry their own).
    assert resolve_style({"color": "ultraviolet", "font": "Comic", "position": "somewhere"}) == resolve_style({})


CORNERS = {"top_left": "red", "top_right": "green", "bottom_left": "blue", "bottom_right": "yellow"}


@pytest.mark.parametrize("size", [(640, 360), (360, 640)], ids=["16:9", "9:16"])
def test_title_colour_and_corner_on_the_exported_mp4(media: dict[str, str], tmp_path: Path,
                                                     size: tuple[int, int]) -> None:
    texts = [{"text": "SALE", "position": pos, "color": col, "bg": "none", "size": "large", "anim": "none"}
             for pos, col in CORNERS.items()]
    draft = _draft(texts, size)
    out = tmp_path / "corners.mp4"
    render(draft, media, out, quality="preview")
    (frame,) = decoded_frames(out, [1.0])
    plan = build_plan(draft, media, quality="preview")
    w, h = plan.width, plan.height
    left, top, right, bottom = safe_area(w, h)
    for i, (pos, col) in enumerate(CORNERS.items()):
        sprite = cache_of(plan).text(plan, i)
        ys, xs = np.nonzero(_mask(frame, _rgb(col)))
        inside = (xs >= sprite.x) & (xs < sprite.x + sprite.w) & (ys >= sprite.y) & (ys < sprite.y + sprite.h)
        assert inside.sum() > 150, (pos, inside.sum())  # the colour is drawn inside its box
        cx, cy = xs[inside].mean(), ys[inside].mean()
        assert (cx < w / 2) == pos.endswith("left") and (cy < h / 2) == pos.startswith("top"), (pos, cx, cy)
        gx, gy = xs[inside], ys[inside]  # and inside the platform's safe area
        assert gx.min() >= left - 2 and gx.max() <= w - right + 2 and gy.min() >= top - 2 and gy.max() <= h - bottom + 2


@pytest.mark.parametrize("name", ["red", "红色", "#e11d2a"])
def test_red_title_on_its_card(media: dict[str, str], tmp_path: Path, name: str) -> None:
    draft = _draft([{"text": "Summer Sale", "role": "title", "color": name, "position": "top"}])
    out = tmp_path / "red.mp4"
    render(draft, media, out, quality="preview")
    (frame,) = decoded_frames(out, [1.0])
    plan = build_plan(draft, media, quality="preview")
    sprite = cache_of(plan).text(plan, 0)
    box = frame[sprite.y: sprite.y + sprite.h, sprite.x: sprite.x + sprite.w]
    red = _mask(box, _rgb("red"))
    assert red.sum() > 300  # red type ...
    assert _mask(box, (250, 248, 244), 25).sum() > red.sum()  # ... on the light card
    assert sprite.y + sprite.h < plan.height / 2  # at the top
    outside = frame.copy()
    outside[sprite.y: sprite.y + sprite.h, sprite.x: sprite.x + sprite.w] = 0
    assert _mask(outside, _rgb("red")).sum() < 20  # nowhere else


def _glyph_pixels(plan: object, t: float, plain: np.ndarray) -> int:
    return int((np.abs(frame_at(plan, t).astype(int) - plain).max(axis=2) > 60).sum())


def test_typewriter_reveals_characters_in_order(media: dict[str, str]) -> None:
    draft = _draft([{"text": "Order at example.com", "anim": "typewriter", "bg": "none", "size": "large"}], d=3000)
    plan = build_plan(draft, media, quality="preview")
    plain = frame_at(build_plan(_draft([], d=3000), media, quality="preview"), 0.2).astype(int)
    counts = [_glyph_pixels(plan, t, plain) for t in (0.1, 0.5, 0.9, 1.5)]
    assert counts[0] < counts[1] < counts[2] <= counts[3] * 1.02, counts
    sprite = cache_of(plan).text(plan, 0)
    diff = np.abs(frame_at(plan, 0.5).astype(int) - plain).max(axis=2) > 60
    cols = np.nonzero(diff[sprite.y: sprite.y + sprite.h, sprite.x: sprite.x + sprite.w].any(axis=0))[0]
    assert cols.max() < sprite.w * 0.8  # the left part is typed, the right part not yet


@pytest.mark.parametrize("anim", ["fade", "slide_up", "pop", "typewriter"])
def test_every_animation_starts_hidden_and_settles(media: dict[str, str], anim: str) -> None:
    plan = build_plan(_draft([{"text": "Hello", "anim": anim, "anim_out": anim}], d=3000), media, quality="preview")
    plain = frame_at(build_plan(_draft([], d=3000), media, quality="preview"), 0.2).astype(int)
    assert _glyph_pixels(plan, 0.0, plain) < 0.2 * _glyph_pixels(plan, 1.5, plain)
    assert _glyph_pixels(plan, 2.99, plain) < 0.3 * _glyph_pixels(plan, 1.5, plain)


def test_backgrounds_fonts_and_sizes_change_the_pixels(media: dict[str, str]) -> None:
    def sprite(**style: object) -> np.ndarray:
        plan = build_plan(_draft([{"text": "Order 夏季", **style}]), media, quality="preview")  # type: ignore[dict-item]
        return cache_of(plan).text(plan, 0).rgba

    box, none, shadow, outline = (sprite(bg=b) for b in ("box", "none", "shadow", "outline"))
    assert (box[:, :, 3] > 150).mean() > 0.6  # a card
    assert (none[:, :, 3] > 0).mean() < 0.4 and (none[:, :, :3][none[:, :, 3] > 200] > 200).all()  # white type only
    assert ((shadow[:, :, 3] > 0) & (shadow[:, :, :3].max(axis=2) < 40)).sum() > (none[:, :, 3] > 0).sum() * 0.3
    assert (outline[:, :, 3] > 200).sum() > (none[:, :, 3] > 200).sum() * 1.3  # a stroke around the glyphs
    # A Latin face draws Latin text; text it cannot draw (CJK) falls back to the CJK face, never boxes.
    assert sprite(font="serif").tobytes() == sprite().tobytes()
    latin = [sprite(text="Order now", **f).tobytes() for f in ({}, {"font": "serif"}, {"font": "inter"},
                                                                {"weight": "regular"})]
    assert len(set(latin)) == 4
    small, large = sprite(size="small"), sprite(size="large")
    assert small.shape[0] < sprite().shape[0] < large.shape[0]
    # Pixels are in the export's scale: a 640-wide preview of a 1280-wide draft draws 80 px as 40.
    plan = build_plan(_draft([{"text": "Hi", "size": 80}], size=(1280, 720)), media, quality="preview")
    assert plan.texts[0].style.size == 40 * plan.width // 640


def test_the_timeline_panel_shows_each_texts_style() -> None:
    """The widget's timeline lanes carry each text's effective style (colour swatch, position…)."""
    from nemo_nb.notebook._view import timeline_view

    draft = _draft([{"text": "Sale", "color": "红色", "position": "top_left", "size": "large"},
                    {"text": "Shop now", "d": 500}], text_style={"font": "serif", "color": "#16a34a"})
    title, plain = timeline_view(draft)["tracks"][1]["segments"]
    assert title["style"] == {"color": "#e11d2a", "position": "top_left", "size": "large", "font": "serif bold",
                              "bg": "box", "anim": "fade"}
    assert plain["style"]["color"] == "#16a34a" and plain["style"]["position"] is None  # the brand default
    assert timeline_view(draft)["tracks"][0]["segments"][0]["style"] is None  # photos have none
