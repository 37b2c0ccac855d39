"""Single frames: purity, smooth sub-pixel motion, transitions, subject framing, text (CJK too)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from nemo_nb.render import build_plan, frame_at
from nemo_nb.render.motion import Subject, Window, affine, plan_move
from nemo_nb.render.text import FONT_PATH, safe_area, wrap
from nemo_nb.render.transitions import TRANSITIONS, ease


def _draft(n: int, size: tuple[int, int] = (640, 360), **seg: object) -> dict:
    meta = {"type": "photo", **seg}
    return {"m": {"w": size[0], "h": size[1], "fps": 30},
            "t": [{"tt": 0, "sg": [{"d": 2000, "m": {**meta, "src": f"p{i}"}} for i in range(n)]}]}


@pytest.fixture
def media(samples: Path) -> dict[str, str]:
    names = ["coffee_cup_dark_1800.jpg", "navy_t45a_goshawk_in_flight.jpg", "grace_hopper_portrait.jpg",
             "chelsea_cat_phone.jpg"]
    return {f"p{i}": str(samples / "photos" / n) for i, n in enumerate(names)}


def test_frame_at_is_pure(media: dict[str, str]) -> None:
    plan = build_plan(_draft(3, transition={"type": "dissolve", "d": 800}), media)
    first = frame_at(plan, 1.93)
    for t in (3.1, 0.0, 5.9, 1.0):
        frame_at(plan, t)
    again = frame_at(plan, 1.93)
    assert first.shape == (360, 640, 3) and first.dtype == np.uint8
    assert np.array_equal(first, again)
    other = build_plan(_draft(3, transition={"type": "dissolve", "d": 800}), media)
    assert np.array_equal(first, frame_at(other, 1.93))


def test_slow_zoom_moves_smoothly_without_integer_jitter(media: dict[str, str]) -> None:
    draft = _draft(1, motion="zoom_in")
    draft["t"][0]["sg"][0]["d"] = 4000
    plan = build_plan(draft, media)
    frames = [frame_at(plan, i / 30).astype(np.float32) for i in range(30, 60)]
    diffs = np.array([np.abs(b - a).mean() for a, b in itertools.pairwise(frames)])
    assert diffs.min() > 0.05  # it moves every frame
    # Successive differences vary smoothly: no frame pair moves much more or less than its neighbours.
    ratios = diffs[1:] / diffs[:-1]
    assert ratios.max() < 1.35 and ratios.min() > 0.74, diffs


def test_motion_keeps_subject_in_frame_when_reframing_to_vertical() -> None:
    src_w, src_h, out_w, out_h = 3000, 2000, 1080, 1920
    for sx in (0.08, 0.5, 0.92):
        subject = Subject(sx, 0.4, "face")
        move = plan_move("auto", src_w, src_h, out_w, out_h, subject, 3.0, 0)
        for u in np.linspace(0, 1, 11):
            win = move.at(float(u))
            m = affine(win, src_w, src_h, out_w, out_h)
            # Output pixel of the subject: invert x_src = a*x_out + b.
            x_out = (sx * src_w - 0.5 - m[0, 2]) / m[0, 0]
            y_out = (0.4 * src_h - 0.5 - m[1, 2]) / m[1, 1]
            assert 0 <= x_out < out_w and 0 <= y_out < out_h, (sx, u)
            # The window never leaves the photo.
            assert m[0, 2] >= -1 and m[0, 0] * out_w + m[0, 2] <= src_w + 1


def test_still_window_is_centred_on_photo() -> None:
    m = affine(Window(50, 50, 1.0), 100, 100, 100, 100)
    assert np.allclose(m, [[1, 0, 0], [0, 1, 0]])


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_transition_endpoints_and_midpoint(name: str) -> None:
    rng = np.random.default_rng(1)
    a = rng.integers(0, 120, (90, 160, 3), dtype=np.uint8)
    b = rng.integers(130, 255, (90, 160, 3), dtype=np.uint8)
    fn = TRANSITIONS[name]
    assert np.array_equal(fn(a, b, 0.0), a) or name == "fade_black"
    assert np.array_equal(fn(a, b, 1.0), b)
    mid = fn(a, b, 0.5)
    assert mid.shape == a.shape and mid.dtype == np.uint8
    if name == "fade_black":
        assert np.array_equal(fn(a, b, 0.0), a) and mid.max() <= 1
    elif name.startswith("slide"):
        assert (mid == a).mean() < 0.6 and (mid < 125).mean() > 0.3 and (mid > 125).mean() > 0.3
    else:
        assert not np.array_equal(mid, a) and not np.array_equal(mid, b)
    # Works on a single plane too (the compositor calls it per Y/U/V plane).
    assert fn(a[:, :, 0].copy(), b[:, :, 0].copy(), 0.5, black=16).shape == (90, 160)
    assert ease(0) == 0 and ease(1) == 1 and abs(ease(0.5) - 0.5) < 1e-9


def test_transition_in_the_render_is_centred_on_the_cut(media: dict[str, str]) -> None:
    plan = build_plan(_draft(2, transition={"type": "crossfade", "d": 1000}), media)
    assert plan.duration_s == 4.0
    a, b = plan.clips
    assert (a.vis_out, b.vis_in) == (2.5, 1.5)
    before, mid, after = frame_at(plan, 1.4), frame_at(plan, 2.0), frame_at(plan, 2.6)
    assert np.abs(mid.astype(int) - before.astype(int)).mean() > 5
    assert np.abs(mid.astype(int) - after.astype(int)).mean() > 5


def test_blur_fit_keeps_whole_photo(media: dict[str, str]) -> None:
    plan = build_plan(_draft(1, size=(360, 640), fit="blur", motion="still"), media)
    frame = frame_at(plan, 1.0)
    assert frame.shape == (640, 360, 3)
    import cv2

    from nemo_nb.render.media import decode_photo

    photo = decode_photo(media["p0"], 400, 300)
    w = round(360 * 0.92)
    h = round(w * photo.shape[0] / photo.shape[1])
    whole = cv2.resize(photo, (w, h), interpolation=cv2.INTER_AREA).astype(float)
    x0, y0 = (360 - w) // 2, (640 - h) // 2
    shown = frame[y0: y0 + h, x0: x0 + w].astype(float)
    assert np.abs(shown - whole).mean() < 12  # the whole photo, uncropped, in the middle
    assert np.abs(frame[:y0 - 4].astype(float).mean() - whole.mean()) < 60  # a fill, not black bars
    assert frame[:y0 - 4].std() > 1


def _text_plan(media: dict[str, str], text: str, **extra: object) -> object:
    draft = _draft(1, size=(1280, 720), motion="still")
    draft["t"].append({"tt": 7, "sg": [{"d": 2000, "s": 0, "m": {"type": "text", "role": "title", "text": text,
                                                                 "anim": "none", **extra}}]})
    return build_plan(draft, media)


def test_text_is_drawn_latin_and_cjk(media: dict[str, str]) -> None:
    plain = frame_at(build_plan(_draft(1, size=(1280, 720), motion="still"), media), 1.0).astype(int)
    for words in ("Summer Sale", "夏季特卖 新品上市"):
        frame = frame_at(_text_plan(media, words), 1.0).astype(int)
        changed = np.abs(frame - plain).max(axis=2) > 40
        ys, xs = np.nonzero(changed)
        assert changed.sum() > 2000, words
        assert 200 < ys.mean() < 520 and 300 < xs.mean() < 980  # centred
        assert (frame[changed] < 40).all(axis=1).sum() > 500  # dark glyphs on the light title card
    assert FONT_PATH.is_file() and (FONT_PATH.parent / "LICENSE-OFL.txt").is_file()


def test_cjk_glyphs_are_real_not_tofu() -> None:
    from nemo_nb.render.text import font

    f = font(64)
    masks = [np.asarray(f.getmask(ch)) for ch in ("夏", "季", "特", "卖", "\uffff")]
    assert all(m.size and m.max() > 0 for m in masks[:4])
    assert not np.array_equal(masks[0], masks[1])
    assert not any(m.shape == masks[4].shape and np.array_equal(m, masks[4]) for m in masks[:4])


def test_wrap_and_safe_area() -> None:
    from nemo_nb.render.text import font

    f = font(60)
    lines = wrap("Turn these photos into a thirty second video for the summer launch", f, 600)
    assert len(lines) > 1 and all(f.getlength(line) <= 600 for line in lines)
    cjk = wrap("把这些照片做成一个三十秒的视频并加上背景音乐", f, 400)
    assert len(cjk) > 1 and all(f.getlength(line) <= 400 for line in cjk)
    left, top, right, bottom = safe_area(1080, 1920)
    assert bottom > top and bottom >= 1920 * 0.2 and right > left  # the buttons' column is on the right
    left, _top, right, _bottom = safe_area(1920, 1080)
    assert left == right


@pytest.mark.ocr
@pytest.mark.parametrize("role", ["title", "caption"])
def test_text_is_readable_by_ocr(media: dict[str, str], role: str) -> None:
    import pytesseract
    from PIL import Image

    from nemo_nb.render.compose import cache_of

    words = "Summer Sale" if role == "title" else "Shop the new collection today"
    plan = _text_plan(media, words, role=role, position="center" if role == "title" else "lower_third")
    frame = frame_at(plan, 1.0)
    box = cache_of(plan).text(plan, 0)  # OCR the text's neighbourhood (the photo has signs of its own)
    crop = frame[max(0, box.y - 20): box.y + box.h + 20, max(0, box.x - 20): box.x + box.w + 20]
    text = pytesseract.image_to_string(Image.fromarray(crop).convert("L"))
    assert words in text.replace("\n", " "), text


def test_beat_sync_moves_cuts_onto_beats(media: dict[str, str]) -> None:
    from nemo_nb.render.music import beat_period

    draft = _draft(4)
    draft["m"]["beat_sync"] = True
    draft["t"].append({"tt": 1, "sg": [{"d": 8000, "s": 0, "m": {"type": "music", "mood": "upbeat"}}]})
    plan = build_plan(draft, media)
    period = beat_period("upbeat")
    inner = [c.cut_in for c in plan.clips[1:]]
    assert all(abs(c / period - round(c / period)) < 1e-6 for c in inner), inner
    assert plan.clips[-1].cut_out == plan.duration_s == 8.0


def _title_plan(samples: Path, text: str) -> object:
    draft = {"t": [{"tt": 0, "sg": [{"d": 3000, "m": {"src": "m1", "motion": "still"}}]},
                   {"tt": 7, "sg": [{"d": 3000, "m": {"text": text, "role": "title", "anim": "none"}}]}]}
    return build_plan(draft, {"m1": str(samples / "photos" / "rocket_launch.jpg")}, quality="preview")


def test_emoji_in_title_is_dropped_not_drawn_as_a_box(samples: Path) -> None:
    from nemo_nb.render.compose import cache_of
    from nemo_nb.render.text import drawable, has_glyph

    assert not has_glyph("🚀") and has_glyph("L") and has_glyph("夏")
    assert drawable("🚀 Launch day — 50% off!!!") == "Launch day — 50% off!!!"
    assert drawable("Hi 👍🏽 there 👨‍👩‍👧 ok") == "Hi there ok"
    with_emoji = _title_plan(samples, "🚀 Launch day — 50% off!!!")
    without = _title_plan(samples, "Launch day — 50% off!!!")
    assert np.array_equal(frame_at(with_emoji, 1.5), frame_at(without, 1.5))
    # A title of emoji only draws nothing at all (no empty card).
    only = _title_plan(samples, "🚀🚀")
    assert np.array_equal(frame_at(only, 1.5), frame_at(_title_plan(samples, " "), 1.5))
    assert cache_of(only).text(only, 0).rgba.max() == 0


@pytest.mark.parametrize("text", [("Big summer sale on everything in the store, " * 8)[:300], "x" * 300,
                                  "夏季特卖" * 75])
def test_long_title_wraps_inside_the_safe_area(samples: Path, text: str) -> None:
    from nemo_nb.render.compose import cache_of
    from nemo_nb.render.text import safe_area

    plan = _title_plan(samples, text)
    plain = frame_at(_title_plan(samples, " "), 1.5).astype(int)
    frame = frame_at(plan, 1.5).astype(int)
    left, top, right, bottom = safe_area(plan.width, plan.height)
    sprite = cache_of(plan).text(plan, 0)
    assert left <= sprite.x and sprite.x + sprite.w <= plan.width - right
    assert top <= sprite.y and sprite.y + sprite.h <= plan.height - bottom
    ys, xs = np.nonzero(np.abs(frame - plain).max(axis=2) > 40)
    assert len(xs) > 2000  # drawn, and legible-sized: glyphs cover many pixels
    assert left <= xs.min() and xs.max() < plan.width - right
    assert top <= ys.min() and ys.max() < plan.height - bottom


def test_a_photo_shown_twice_is_decoded_once(media: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from nemo_nb.render import compose

    calls: list[str] = []
    real = compose.decode_photo
    monkeypatch.setattr(compose, "decode_photo", lambda path, *a, **k: calls.append(path) or real(path, *a, **k))
    draft = _draft(3)
    draft["t"][0]["sg"][2]["m"]["src"] = "p0"  # p0, p1, p0
    plan = build_plan(draft, media)
    frames = [frame_at(plan, t) for t in (0.5, 2.5, 5.0)]
    assert sorted(calls) == sorted([media["p0"], media["p1"]])
    # The reused pixels give the same frame as a fresh decode, and the later clip has its own motion.
    fresh = build_plan(draft, media)
    assert np.array_equal(frame_at(fresh, 5.0), frames[2])
    assert compose.cache_of(plan).source(plan.clips[2]).move != compose.cache_of(plan).source(plan.clips[0]).move


def test_still_clip_is_warped_once_and_identical_after(media: dict[str, str]) -> None:
    from nemo_nb.render.compose import cache_of

    plan = build_plan(_draft(1, motion="still"), media)
    first = frame_at(plan, 0.2)
    assert cache_of(plan).source(plan.clips[0]).still is not None
    assert np.array_equal(frame_at(plan, 1.7), first)
    assert np.array_equal(frame_at(build_plan(_draft(1, motion="still"), media), 1.7), first)
