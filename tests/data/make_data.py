"""Make every derived file in tests/data from its committed originals, deterministically.

The tests carry their own media (a fresh clone has nothing beside it to read from). Only files whose author and
licence are named per file are committed as originals (see README.md here); everything else the tests
need (a 6000x4000 JPEG, CMYK, 16-bit, HEIC, EXIF orientation, palette PNG with tRNS, animated GIF,
a two-face photo, derived audio, broken files) is made from them by this script. The outputs are
committed too, so the suite needs nothing but the repository; rerun this after changing it:

    python tests/data/make_data.py
"""

from __future__ import annotations

import io
import random
import struct
import wave
import zlib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

HERE = Path(__file__).resolve().parent
PHOTOS, FORMATS, AUDIO, BAD, BRAND = (HERE / d for d in ("photos", "formats", "audio", "bad", "brand"))
#: Committed unmodified; every other file is made from these.
ORIGINAL_PHOTOS = ("astronaut_portrait.png", "chelsea_cat.png", "coffee_cup_food.png", "grace_hopper_portrait.jpg",
                   "navy_t45a_goshawk_in_flight.jpg", "rocket_launch.jpg")
ORIGINAL_AUDIO = ("country_cc0_45s.mp3", "sfx_sound_cc0.wav", "sfx_target_cc0.ogg")


def _open(name: str) -> Image.Image:
    with Image.open(PHOTOS / name) as img:
        return img.convert("RGB")


def _jpeg(img: Image.Image, path: Path, quality: int = 85, **kw: object) -> None:
    img.save(path, "JPEG", quality=quality, optimize=True, **kw)


# --- photos/ --------------------------------------------------------------------------------------------
def astronaut_vertical() -> Image.Image:
    """A 3:4 portrait-orientation photo, 1512x2016 (stand-in for a phone's vertical shot): mirrored."""
    img = ImageOps.mirror(_open("astronaut_portrait.png")).crop((64, 0, 448, 512))
    return img.resize((1512, 2016), Image.Resampling.LANCZOS)


def make_photos() -> None:
    _jpeg(astronaut_vertical(), PHOTOS / "astronaut_vertical.jpg")
    # Two faces side by side, black and white (a "group photo").
    left = _open("astronaut_portrait.png")
    right = _open("grace_hopper_portrait.jpg").crop((0, 20, 512, 532))
    group = Image.new("RGB", (1024, 512))
    group.paste(left, (0, 0))
    group.paste(right, (512, 0))
    _jpeg(ImageOps.grayscale(group).convert("RGB"), PHOTOS / "group_two_faces.jpg")
    # A large 6000x4000 JPEG with no EXIF: the rocket, cropped, mirrored and upscaled.
    big = ImageOps.mirror(_open("rocket_launch.jpg")).crop((0, 0, 600, 400))
    _jpeg(big.resize((6000, 4000), Image.Resampling.BICUBIC), PHOTOS / "rocket_big_6000x4000.jpg", quality=80)
    # A dark, blue-tinted photo (a "night" scene), 1800x1200.
    arr = np.asarray(_open("coffee_cup_food.png").resize((1800, 1200), Image.Resampling.LANCZOS), np.float32)
    arr = 255.0 * (arr / 255.0) ** 1.8 * np.array([0.55, 0.65, 1.0], np.float32)
    _jpeg(Image.fromarray(arr.clip(0, 255).astype(np.uint8)), PHOTOS / "coffee_cup_dark_1800.jpg")
    # A phone-style photo with camera EXIF: the cat's face close up, 2400x1800.
    cat = ImageOps.mirror(_open("chelsea_cat.png")).crop((130, 20, 370, 200))
    exif = Image.Exif()
    exif.update({0x010F: "Example", 0x0110: "Phone 1", 0x0132: "2026:11:22 10:00:00", 0x0112: 1})
    _jpeg(cat.resize((2400, 1800), Image.Resampling.BICUBIC), PHOTOS / "chelsea_cat_phone.jpg", exif=exif.tobytes())


# --- formats/ -------------------------------------------------------------------------------------------
def _rgba_coffee() -> Image.Image:
    coffee = _open("coffee_cup_food.png").resize((300, 200), Image.Resampling.LANCZOS)
    mask = Image.new("L", coffee.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((20, 15, 280, 185), radius=30, fill=255)
    coffee.putalpha(mask.filter(ImageFilter.GaussianBlur(6)))
    return coffee


def _palette_trns() -> Image.Image:
    pal = _open("coffee_cup_food.png").resize((300, 200), Image.Resampling.LANCZOS).quantize(255)
    shifted = Image.eval(pal, lambda i: i + 1)  # index 0 is left free for the transparent colour
    shifted.putpalette([0, 0, 0, *pal.getpalette()[: 255 * 3]])
    ImageDraw.Draw(shifted).rectangle((0, 0, 40, 30), fill=0)
    shifted.info["transparency"] = 0
    return shifted


def _animated_gif(path: Path) -> None:
    frames = []
    for name in ("rocket_launch.jpg", "navy_t45a_goshawk_in_flight.jpg", "coffee_cup_food.png"):
        frames.append(ImageOps.pad(_open(name), (480, 360), color=(0, 0, 0)).convert("P", palette=Image.Palette.ADAPTIVE))
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=700, loop=0)


def _rgb16_png(path: Path) -> None:
    """Bit depth 16, colour type 2 (48 bpp): Pillow cannot write it, OpenCV can (BGR order)."""
    rgb = np.asarray(_open("chelsea_cat.png").resize((400, 266), Image.Resampling.LANCZOS), np.uint16) * 257
    cv2.imwrite(str(path), rgb[:, :, ::-1].copy())


def make_formats() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    vertical = _open("astronaut_vertical.jpg")
    vertical.resize((1200, 1600), Image.Resampling.LANCZOS).save(FORMATS / "astronaut_vertical_1600.heic", quality=50)
    navy = _open("navy_t45a_goshawk_in_flight.jpg")
    navy.resize((1200, 898), Image.Resampling.LANCZOS).save(FORMATS / "navy_t45a_goshawk_1200.heic", quality=50)
    navy.resize((1200, 898), Image.Resampling.LANCZOS).save(FORMATS / "navy_t45a_goshawk_1200.webp", quality=80)
    navy.resize((640, 479), Image.Resampling.LANCZOS).convert("P", palette=Image.Palette.ADAPTIVE).save(
        FORMATS / "navy_t45a_goshawk_640.gif")
    vertical.resize((450, 600), Image.Resampling.LANCZOS).save(FORMATS / "astronaut_vertical_600_lossless.webp",
                                                                lossless=True)
    _jpeg(_open("rocket_big_6000x4000.jpg").resize((1600, 1067), Image.Resampling.LANCZOS).convert("CMYK"),
          FORMATS / "rocket_big_cmyk.jpg")
    _jpeg(ImageOps.grayscale(_open("grace_hopper_portrait.jpg")), FORMATS / "grace_hopper_grayscale.jpg")
    gray16 = np.asarray(ImageOps.grayscale(_open("rocket_launch.jpg")), np.uint16) * 200 + 3000
    Image.fromarray(gray16).save(FORMATS / "rocket_gray16.png")
    _rgb16_png(FORMATS / "chelsea_cat_rgb16.png")
    _rgba_coffee().save(FORMATS / "coffee_rgba_transparent.png", optimize=True)
    _palette_trns().save(FORMATS / "coffee_palette_trns.png", optimize=True)
    _animated_gif(FORMATS / "animated_3_frames.gif")
    # EXIF Orientation 6: pixels stored sideways (2016x1512), shown upright as 1512x2016.
    exif = Image.Exif()
    exif[0x0112] = 6
    _jpeg(astronaut_vertical().transpose(Image.Transpose.ROTATE_90), FORMATS / "exif_orientation_6_rotate90.jpg",
          exif=exif.tobytes())


# --- audio/ ---------------------------------------------------------------------------------------------
def _country(start_s: float, seconds: float, rate: int, layout: str) -> np.ndarray:
    """Samples of the CC0 country track as int16, shape (channels, n)."""
    chunks = []
    with av.open(str(AUDIO / "country_cc0_45s.mp3")) as box:
        resampler = av.AudioResampler(format="s16p", layout=layout, rate=rate)
        for frame in box.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray())
    data = np.concatenate(chunks, axis=1)
    return data[:, int(start_s * rate): int((start_s + seconds) * rate)]


def _encode(path: Path, fmt: str, codec: str, rate: int, samples: np.ndarray) -> None:
    with av.open(str(path), "w", format=fmt) as box:
        stream = box.add_stream(codec, rate=rate, layout="stereo")
        stream.bit_rate = 64_000
        for i in range(0, samples.shape[1], 1024):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples[:, i:i + 1024]), format="s16p",
                                               layout="stereo")
            frame.sample_rate, frame.pts, frame.time_base = rate, i, Fraction(1, rate)
            box.mux(stream.encode(frame))
        box.mux(stream.encode(None))


def make_audio() -> None:
    mono = _country(5.0, 10.0, 22_050, "mono")
    with wave.open(str(AUDIO / "country_cc0_10s_pcm16.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22_050)
        w.writeframes(mono[0].astype("<i2").tobytes())
    _encode(AUDIO / "country_cc0_8s.m4a", "ipod", "aac", 44_100, _country(0.0, 8.0, 44_100, "stereo"))
    _encode(AUDIO / "country_cc0_8s.opus", "ogg", "libopus", 48_000, _country(0.0, 8.0, 48_000, "stereo"))


# --- bad/ -----------------------------------------------------------------------------------------------
def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(w: int, h: int, colour: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0))


def _png_bomb_header_only() -> bytes:
    """Declares 30000x30000 RGB (2.7 GB decoded); the data stops after 64 rows."""
    rows = zlib.compress(b"\x00" * (64 * (1 + 30000 * 3)), 9)
    return _png_header(30000, 30000, 2) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


def _png_bomb_full() -> bytes:
    """A complete, valid 30000x8000 grayscale PNG of zeros: 240 MB decoded from ~230 KB."""
    packer, row, parts = zlib.compressobj(9), b"\x00" * 30001, []
    for _ in range(8000):
        parts.append(packer.compress(row))
    parts.append(packer.flush())
    return _png_header(30000, 8000, 0) + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b"")


def _jpeg_absurd_dims() -> bytes:
    buf = io.BytesIO()
    _open("rocket_launch.jpg").resize((320, 213)).save(buf, "JPEG", quality=75)
    data = bytearray(buf.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5: sof + 9] = struct.pack(">HH", 65500, 65500)  # height, width
    return bytes(data)


def _gif_huge_screen() -> bytes:
    buf = io.BytesIO()
    Image.new("P", (4, 4)).save(buf, "GIF")
    data = bytearray(buf.getvalue())
    data[6:10] = struct.pack("<HH", 65535, 65535)  # the logical screen descriptor
    return bytes(data)


def _exe_like(rng: random.Random) -> bytes:
    body = bytearray(rng.randbytes(4096))
    body[:2] = b"MZ"
    body[0x3C:0x40] = struct.pack("<I", 0x80)
    body[0x40:0x40 + 39] = b"This program cannot be run in DOS mode."
    body[0x80:0x86] = b"PE\x00\x00\x64\x86"  # AMD64
    return bytes(body)


def _first_60_percent(path: Path) -> bytes:
    """The header parses (the size is known) but the picture data stops early."""
    data = path.read_bytes()
    return data[: len(data) * 60 // 100]


def make_bad() -> None:
    rng = random.Random(14)
    makers: dict[str, Callable[[], bytes]] = {
        "elf_binary_named.jpg": lambda: b"\x7fELF\x02\x01\x01" + rng.randbytes(2048 - 7),
        "gif_screen_65535x65535.gif": _gif_huge_screen,
        "jpeg_absurd_dims_65500x65500.jpg": _jpeg_absurd_dims,
        "png_bomb_30000x30000.png": _png_bomb_header_only,
        "png_bomb_full_30000x8000_gray.png": _png_bomb_full,
        "text_file_named.png": lambda: b"This is plain text, not a PNG image.\n",
        "truncated_60pct.jpg": lambda: _first_60_percent(PHOTOS / "rocket_launch.jpg"),
        "windows_exe_named.mp4": lambda: _exe_like(rng),
        "zero_bytes.jpg": lambda: b"",
    }
    for name, make in makers.items():
        (BAD / name).write_bytes(make())


def make_brand() -> None:
    """brand/logo.png: a small textured logo with transparent rounded corners (template-matchable)."""
    img = Image.new("RGBA", (240, 120), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, 239, 119), 20, fill=(255, 200, 0, 255))
    d.ellipse((18, 18, 102, 102), fill=(200, 0, 120, 255))
    d.rectangle((128, 28, 222, 92), fill=(0, 90, 200, 255))
    d.line((128, 28, 222, 92), fill=(255, 255, 255, 255), width=8)
    img.save(BRAND / "logo.png", optimize=True)


def main() -> None:
    missing = [p for p in [*(PHOTOS / n for n in ORIGINAL_PHOTOS), *(AUDIO / n for n in ORIGINAL_AUDIO)]
               if not p.is_file()]
    if missing:
        raise SystemExit(f"missing originals: {', '.join(map(str, missing))}")
    for folder in (FORMATS, BAD, BRAND):
        folder.mkdir(exist_ok=True)
    make_photos()
    make_formats()
    make_audio()
    make_bad()
    make_brand()


if __name__ == "__main__":
    main()
