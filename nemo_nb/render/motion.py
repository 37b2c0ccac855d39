"""Ken Burns motion: an eased move of a crop window over the photo, aimed at its subject.

A *window* is (centre x, centre y, zoom) in source pixels; zoom 1 is the largest window of the output's
aspect that fits the photo ("cover"). A move interpolates two windows with an eased curve (never at
rest, so a crossfade between two moving photos never stalls) and zoom interpolated geometrically (a
steady perceived speed). Both windows keep the subject inside, and every window in between stays
inside the photo. :func:`affine` turns a window into the sub-pixel matrix ``cv2.warpAffine`` wants,
for luma or for 4:2:0 chroma (whose samples sit between luma samples).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .faces import detect_faces

MOTIONS = ("auto", "zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up", "pan_down", "still")


@dataclass(frozen=True)
class Window:
    cx: float
    cy: float
    zoom: float


@dataclass(frozen=True)
class Move:
    start: Window
    end: Window

    def at(self, u: float) -> Window:
        """The window at fraction ``u`` (0..1) of the clip's visible time."""
        e = motion_ease(u)
        a, b = self.start, self.end
        z = a.zoom * (b.zoom / a.zoom) ** e
        return Window(a.cx + (b.cx - a.cx) * e, a.cy + (b.cy - a.cy) * e, z)


def motion_ease(u: float) -> float:
    """Half linear, half smoothstep: soft start and end, but never standing still."""
    u = min(1.0, max(0.0, u))
    return 0.5 * u + 0.5 * (u * u * (3 - 2 * u))


@dataclass(frozen=True)
class Subject:
    x: float  # 0..1 of the width
    y: float  # 0..1 of the height
    kind: str  # face | saliency | center | given


def find_subject(rgb: np.ndarray) -> Subject:
    """Where the photo's subject is: faces first (OpenCV's Haar cascade), else spectral saliency."""
    h, w = rgb.shape[:2]
    scale = 400.0 / max(h, w)
    small = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA) \
        if scale < 1 else rgb
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    sh, sw = gray.shape
    faces = detect_faces(gray)
    if faces:
        weights = np.array([fw * fh for _, _, fw, fh in faces], np.float64)
        xs = np.array([x + fw / 2 for x, _, fw, _ in faces])
        ys = np.array([y + fh * 0.4 for _, y, _, fh in faces])
        return Subject(float(np.average(xs, weights=weights) / sw), float(np.average(ys, weights=weights) / sh),
                       "face")
    sal = spectral_saliency(gray)
    if sal is None:
        return Subject(0.5, 0.5, "center")
    thr = float(np.quantile(sal, 0.9))
    mask = sal >= thr
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return Subject(0.5, 0.5, "center")
    mh, mw = sal.shape
    x = float(xs.mean() + 0.5) / mw
    y = float(ys.mean() + 0.5) / mh
    # Saliency is a hint, not a certainty: lean towards the centre.
    return Subject(0.5 + (x - 0.5) * 0.7, 0.5 + (y - 0.5) * 0.7, "saliency")


def spectral_saliency(gray: np.ndarray) -> np.ndarray | None:
    """Hou & Zhang's spectral residual saliency on a 64x64 thumbnail (fast, no extra models)."""
    if gray.size == 0:
        return None
    img = cv2.resize(gray, (64, 64), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    spec = np.fft.fft2(img)
    amp = np.log(np.abs(spec) + 1e-6)
    phase = np.angle(spec)
    residual = amp - cv2.blur(amp, (3, 3))
    sal = np.abs(np.fft.ifft2(np.exp(residual + 1j * phase))) ** 2
    sal = cv2.GaussianBlur(sal.astype(np.float32), (0, 0), 3)
    if not np.isfinite(sal).all() or float(sal.max()) <= 0:
        return None
    return sal / float(sal.max())


def _clamp(v: float, lo: float, hi: float) -> float:
    return lo if hi < lo else min(hi, max(lo, v))


def cover_scale(src_w: int, src_h: int, out_w: int, out_h: int) -> float:
    """Scale at which the photo just covers the output (zoom 1)."""
    return max(out_w / src_w, out_h / src_h)


def _half(src_w: int, src_h: int, out_w: int, out_h: int, zoom: float) -> tuple[float, float]:
    s = cover_scale(src_w, src_h, out_w, out_h) * zoom
    return out_w / (2 * s), out_h / (2 * s)


def clamp_window(win: Window, src_w: int, src_h: int, out_w: int, out_h: int) -> Window:
    hw, hh = _half(src_w, src_h, out_w, out_h, win.zoom)
    return Window(_clamp(win.cx, hw, src_w - hw), _clamp(win.cy, hh, src_h - hh), win.zoom)


def plan_move(motion: str, src_w: int, src_h: int, out_w: int, out_h: int, subject: Subject,
              duration_s: float, index: int = 0) -> Move:
    """The Ken Burns move for one clip. ``auto`` alternates push-in / pull-out, or pans when the crop
    leaves room (a landscape photo in a vertical frame); the subject stays in frame throughout."""
    motion = motion if motion in MOTIONS else "auto"
    sx, sy = subject.x * src_w, subject.y * src_h
    amount = _clamp(0.045 * duration_s, 0.05, 0.16)

    def win(cx: float, cy: float, z: float) -> Window:
        return clamp_window(Window(cx, cy, z), src_w, src_h, out_w, out_h)

    hw1, hh1 = _half(src_w, src_h, out_w, out_h, 1.0)
    room_x, room_y = src_w / 2 - hw1, src_h / 2 - hh1
    if motion == "auto":
        if room_x > 0.25 * hw1:
            motion = ("pan_right", "pan_left")[index % 2]
        elif room_y > 0.25 * hh1:
            motion = ("pan_down", "pan_up")[index % 2]
        else:
            motion = ("zoom_in", "zoom_out")[index % 2]
    if motion == "still":
        w = win(sx, sy, 1.0)
        return Move(w, w)
    # A small drift, different per clip, keeps push-ins alive without losing the subject.
    ang = (index * 2.399963) % (2 * math.pi)
    if motion in ("zoom_in", "zoom_out"):
        z0, z1 = 1.0, 1.0 + amount
        hw, hh = _half(src_w, src_h, out_w, out_h, z1)
        far = win(sx + math.cos(ang) * hw * 0.3, sy + math.sin(ang) * hh * 0.3, z0)
        near = win(sx, sy, z1)
        return Move(far, near) if motion == "zoom_in" else Move(near, far)
    z = 1.0 + min(amount, 0.08)
    hw, hh = _half(src_w, src_h, out_w, out_h, z)
    # Pan: the camera travels in the named direction across the subject, which stays in frame
    # (it is never more than half a window from the centre).
    sign = 1 if motion in ("pan_right", "pan_down") else -1
    if motion in ("pan_left", "pan_right"):
        d = min(0.5 * hw, src_w / 2 - hw + 0.5 * hw)
        return Move(win(sx - sign * d, sy, z), win(sx + sign * d, sy, z))
    d = min(0.5 * hh, src_h / 2 - hh + 0.5 * hh)
    return Move(win(sx, sy - sign * d, z), win(sx, sy + sign * d, z))


def affine(win: Window, src_w: int, src_h: int, out_w: int, out_h: int, *, chroma: bool = False) -> np.ndarray:
    """2x3 destination→source matrix (for ``WARP_INVERSE_MAP``) showing ``win`` in the output.

    Pixel centres are honoured: a luma index i covers [i, i+1); a 4:2:0 chroma index j covers luma
    [2j, 2j+2). So the chroma planes line up with luma to a fraction of a pixel.
    """
    s = cover_scale(src_w, src_h, out_w, out_h) * win.zoom
    a = 1.0 / s
    bx = win.cx - out_w / 2 * a
    by = win.cy - out_h / 2 * a
    if chroma:
        return np.array([[a, 0.0, (a + bx - 1) / 2], [0.0, a, (a + by - 1) / 2]], np.float64)
    return np.array([[a, 0.0, a * 0.5 + bx - 0.5], [0.0, a, a * 0.5 + by - 0.5]], np.float64)
