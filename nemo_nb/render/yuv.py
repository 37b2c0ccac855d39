"""YUV 4:2:0 (I420) helpers: the compositor's working format, BT.601 limited range like OpenCV's.

An I420 buffer is one contiguous (H*3/2, W) uint8 array holding Y, then U, then V; the planes are
taken by flat offsets (U and V are (H/2, W/2), which is not a whole number of W-wide rows when H/2 is
odd).
"""

from __future__ import annotations

import cv2
import numpy as np


def split_planes(buf: np.ndarray, width: int, height: int) -> list[np.ndarray]:
    """Views of the Y, U, V planes inside an I420 buffer (each contiguous)."""
    q = height // 2 * (width // 2)
    flat = buf.reshape(-1)
    y = flat[: width * height].reshape(height, width)
    u = flat[width * height: width * height + q].reshape(height // 2, width // 2)
    v = flat[width * height + q: width * height + 2 * q].reshape(height // 2, width // 2)
    return [y, u, v]


def rgb_to_i420(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """RGB (even size) → contiguous Y, U, V planes."""
    h, w = rgb.shape[:2]
    buf = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YUV_I420)
    y, u, v = split_planes(buf, w, h)
    return np.ascontiguousarray(y), np.ascontiguousarray(u), np.ascontiguousarray(v)


def i420_to_rgb(buf: np.ndarray) -> np.ndarray:
    """An I420 buffer → RGB (H, W, 3)."""
    return cv2.cvtColor(buf, cv2.COLOR_YUV2RGB_I420)


def yuv_planes_to_rgb(y: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Separate planes (e.g. decoded from an MP4) → RGB with the same matrix as the compositor."""
    h, w = y.shape
    buf = np.concatenate([y.reshape(-1), u.reshape(-1), v.reshape(-1)]).reshape(h * 3 // 2, w)
    return i420_to_rgb(buf)
