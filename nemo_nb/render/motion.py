"""Ken Burns motion: an eased move of a crop window over the photo, aimed at its subject.

A *window* is (centre x, centre y, zoom) in source pixels; zoom 1 is the largest window of the output's
aspect that fits the photo ("cover"). A move interpolates two windows with an eased curve (never at
rest, so a crossfade between two moving photos never stalls) and zoom interpolated geometrically (a
steady perceived speed). Every window stays inside the photo, and when the subject's box is known
(faces, with forehead and chin) every window of the move holds it with a margin of :data:`MARGIN` of
the window on each side: each end is moved (and zoomed out, down to zoom 1) until it holds the box,
then the eased move is checked on many points and, while one loses the box, its ends are drawn
towards each other. A box too big for even the largest cover window is the compositor's to handle (it
shows the whole photo over a blurred fill instead). :func:`affine` turns a window into the sub-pixel matrix ``cv2.warpAffine`` wants,
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
    #: (x0, y0, x1, y1) in 0..1: what every frame of the move must show (faces with forehead and chin).
    box: tuple[float, float, float, float] | None = None


def face_box(faces: list[tuple[int, int, int, int]], w: int, h: int) -> tuple[float, float, float, float]:
    """The union of the detected faces, grown from the detector's eyes-to-mouth box to the whole face
    (forehead and chin), in 0..1 of a ``w`` x ``h`` image."""
    x0 = min(x - 0.1 * fw for x, _, fw, _ in faces)
    y0 = min(y - 0.15 * fh for _, y, _, fh in faces)
    x1 = max(x + 1.1 * fw for x, _, fw, _ in faces)
    y1 = max(y + 1.2 * fh for _, y, _, fh in faces)
    return max(0.0, x0 / w), max(0.0, y0 / h), min(1.0, x1 / w), min(1.0, y1 / h)


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
                       "face", face_box(faces, sw, sh))
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
        return _keep(Move(w, w), subject, src_w, src_h, out_w, out_h)
    # A small drift, different per clip, keeps push-ins alive without losing the subject.
    ang = (index * 2.399963) % (2 * math.pi)
    if motion in ("zoom_in", "zoom_out"):
        z0, z1 = 1.0, 1.0 + amount
        hw, hh = _half(src_w, src_h, out_w, out_h, z1)
        far = win(sx + math.cos(ang) * hw * 0.3, sy + math.sin(ang) * hh * 0.3, z0)
        near = win(sx, sy, z1)
        return _keep(Move(far, near) if motion == "zoom_in" else Move(near, far), subject, src_w, src_h, out_w, out_h)
    z = 1.0 + min(amount, 0.08)
    hw, hh = _half(src_w, src_h, out_w, out_h, z)
    # Pan: the camera travels in the named direction across the subject, which stays in frame
    # (it is never more than half a window from the centre).
    sign = 1 if motion in ("pan_right", "pan_down") else -1
    if motion in ("pan_left", "pan_right"):
        d = min(0.5 * hw, src_w / 2 - hw + 0.5 * hw)
        return _keep(Move(win(sx - sign * d, sy, z), win(sx + sign * d, sy, z)), subject, src_w, src_h, out_w, out_h)
    d = min(0.5 * hh, src_h / 2 - hh + 0.5 * hh)
    return _keep(Move(win(sx, sy - sign * d, z), win(sx, sy + sign * d, z)), subject, src_w, src_h, out_w, out_h)


def _keep(move: Move, subject: Subject, src_w: int, src_h: int, out_w: int, out_h: int) -> Move:
    """The move, changed so that the subject's box (when known) stays in every frame."""
    if subject.box is None:
        return move
    x0, y0, x1, y1 = subject.box
    return keep_subject(move, (x0 * src_w, y0 * src_h, x1 * src_w, y1 * src_h), src_w, src_h, out_w, out_h)


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


# --- framing that keeps the subject: every window of the move holds the subject's box ---------------

#: The subject's box keeps this fraction of the window's width/height free on each side.
MARGIN = 0.04
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in source pixels


def _needed(box: Box, win_w: float, win_h: float, src_w: int, src_h: int, margin: float) -> Box:
    """The box plus the margin, clipped to the photo (a face at the photo's edge can have no more)."""
    mx, my = win_w * margin, win_h * margin
    return max(0.0, box[0] - mx), max(0.0, box[1] - my), min(float(src_w), box[2] + mx), min(float(src_h), box[3] + my)


def box_fits(box: Box, src_w: int, src_h: int, out_w: int, out_h: int, zoom: float = 1.0,
             margin: float = MARGIN) -> bool:
    """Whether a window of ``zoom`` can hold ``box`` with its margin."""
    hw, hh = _half(src_w, src_h, out_w, out_h, zoom)
    x0, y0, x1, y1 = _needed(box, 2 * hw, 2 * hh, src_w, src_h, margin)
    return x1 - x0 <= 2 * hw + 1e-6 and y1 - y0 <= 2 * hh + 1e-6


def holds(win: Window, box: Box, src_w: int, src_h: int, out_w: int, out_h: int, margin: float = MARGIN) -> bool:
    """Whether ``win`` shows ``box`` with its margin (half a pixel of slack)."""
    hw, hh = _half(src_w, src_h, out_w, out_h, win.zoom)
    x0, y0, x1, y1 = _needed(box, 2 * hw, 2 * hh, src_w, src_h, margin)
    return (win.cx - hw <= x0 + 0.5 and win.cx + hw >= x1 - 0.5
            and win.cy - hh <= y0 + 0.5 and win.cy + hh >= y1 - 0.5)


def _hold(win: Window, box: Box, src_w: int, src_h: int, out_w: int, out_h: int) -> Window:
    """The nearest window to ``win`` that holds the box: zoomed out as needed, then moved."""
    zoom = win.zoom
    while zoom > 1.0 and not box_fits(box, src_w, src_h, out_w, out_h, zoom):
        zoom = max(1.0, zoom / 1.01)
    hw, hh = _half(src_w, src_h, out_w, out_h, zoom)
    x0, y0, x1, y1 = _needed(box, 2 * hw, 2 * hh, src_w, src_h, MARGIN)
    cx = (x0 + x1) / 2 if x1 - x0 > 2 * hw else min(max(win.cx, x1 - hw), x0 + hw)
    cy = (y0 + y1) / 2 if y1 - y0 > 2 * hh else min(max(win.cy, y1 - hh), y0 + hh)
    return clamp_window(Window(cx, cy, zoom), src_w, src_h, out_w, out_h)


def _toward(a: Window, b: Window, k: float) -> Window:
    return Window(a.cx + (b.cx - a.cx) * k, a.cy + (b.cy - a.cy) * k, a.zoom * (b.zoom / a.zoom) ** k)


def keep_subject(move: Move, box: Box, src_w: int, src_h: int, out_w: int, out_h: int, steps: int = 64) -> Move:
    """``move`` changed as little as needed so that every window of it holds ``box``."""
    size = (src_w, src_h, out_w, out_h)
    a, b = _hold(move.start, box, *size), _hold(move.end, box, *size)
    for _ in range(12):
        trial = Move(a, b)
        if all(holds(trial.at(i / steps), box, *size) for i in range(steps + 1)):
            return trial
        a, b = _hold(_toward(a, b, 0.25), box, *size), _hold(_toward(b, a, 0.25), box, *size)
    return Move(a, a)
