"""Decoding helpers for tests that compare two MP4s frame by frame (luma SSIM)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import av
import cv2
import numpy as np


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of two same-size 8-bit planes (Gaussian window 11, sigma 1.5)."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    ma, mb = cv2.GaussianBlur(a, (11, 11), 1.5), cv2.GaussianBlur(b, (11, 11), 1.5)
    va = cv2.GaussianBlur(a * a, (11, 11), 1.5) - ma**2
    vb = cv2.GaussianBlur(b * b, (11, 11), 1.5) - mb**2
    cov = cv2.GaussianBlur(a * b, (11, 11), 1.5) - ma * mb
    return float((((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma**2 + mb**2 + c1) * (va + vb + c2))).mean())


def luma_frames(path: str | Path, wanted: Iterable[int] | None = None) -> dict[int, np.ndarray]:
    """Frame index → luma plane, for the ``wanted`` frames (all when None)."""
    keep = None if wanted is None else set(wanted)
    out: dict[int, np.ndarray] = {}
    with av.open(str(path)) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if keep is None or i in keep:
                plane = frame.planes[0]
                out[i] = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[: frame.height, : frame.width].copy()
    return out


def frame_count(path: str | Path) -> int:
    with av.open(str(path)) as c:
        return sum(1 for _ in c.decode(video=0))
