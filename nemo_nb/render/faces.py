"""Frontal face detection with OpenCV's shipped Haar cascade, evaluated in numpy.

OpenCV 5's Python wheels dropped ``cv2.CascadeClassifier``; the trained cascade (Intel licence, text
kept in ``data/haarcascade_frontalface_default.xml``) is plain data, so this module evaluates it the
way OpenCV does: an image pyramid, 24x24 windows, variance-normalised Haar features, stage
thresholds, then neighbour grouping. With OpenCV 4 installed, its native classifier is used instead.
Vectorised over all windows of a scale at once; ~0.1 s on a 320-px thumbnail.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

CASCADE = Path(__file__).with_name("data") / "haarcascade_frontalface_default.xml"
_DETECT_SIDE = 200


class _Stage:
    """One boosted stage: K stumps, each a feature of up to 3 weighted rectangles."""

    __slots__ = ("_corners", "leaf_base", "leaf_delta", "leaves", "rects", "thresh", "threshold", "weights")

    def __init__(self, rects: np.ndarray, weights: np.ndarray, thresh: np.ndarray, leaves: np.ndarray,
                 threshold: float) -> None:
        self.rects, self.weights, self.thresh, self.leaves, self.threshold = rects, weights, thresh, leaves, threshold
        self._corners: tuple[int, list] = (-1, [])
        self.leaf_delta = (leaves[:, 0] - leaves[:, 1]).astype(np.float32)
        self.leaf_base = float(leaves[:, 1].sum())

    def corners(self, stride: int) -> list[tuple[np.ndarray, tuple[np.ndarray, ...]]]:
        """Per rectangle slot: its weights (1, K) and the offsets (1, K) of its four integral-image
        corners from a window's top-left, for rows ``stride`` apart. Slots no stump uses (most
        features have two rectangles, not three) are left out."""
        if self._corners[0] != stride:
            out = []
            for r in range(3):
                weight = self.weights[:, r]
                if not weight.any():
                    continue
                x, y, w, h = (self.rects[:, r, c] for c in range(4))
                a = y * stride + x
                out.append((weight[None, :].astype(np.float32), ((a + h * stride + w)[None, :], (a + w)[None, :], (a + h * stride)[None, :],
                                              a[None, :])))
            self._corners = (stride, out)
        return self._corners[1]


@lru_cache(maxsize=1)
def _cascade() -> tuple[list[_Stage], int, int]:
    root = ET.parse(CASCADE).getroot().find("cascade")
    assert root is not None
    win_w, win_h = int(root.findtext("width") or 24), int(root.findtext("height") or 24)
    features = []
    for ft in root.find("features") or []:
        rects = []
        for r in ft.find("rects") or []:
            x, y, w, h, wt = (r.text or "").split()
            rects.append((int(x), int(y), int(w), int(h), float(wt)))
        rects += [(0, 0, 0, 0, 0.0)] * (3 - len(rects))
        features.append(rects)
    stages = []
    for st in root.find("stages") or []:
        idx, threshs, leaves = [], [], []
        for wc in st.find("weakClassifiers") or []:
            nodes = (wc.findtext("internalNodes") or "").split()
            vals = (wc.findtext("leafValues") or "").split()
            idx.append(int(nodes[2]))
            threshs.append(float(nodes[3]))
            leaves.append((float(vals[0]), float(vals[1])))
        feats = np.array([features[i] for i in idx], np.float64)  # (K, 3, 5)
        stages.append(_Stage(feats[:, :, :4].astype(np.int64), feats[:, :, 4], np.array(threshs),
                             np.array(leaves), float(st.findtext("stageThreshold") or 0)))
    return stages, win_w, win_h


def _native() -> object | None:
    cls = getattr(cv2, "CascadeClassifier", None)
    if cls is None:
        return None
    clf = cls(str(CASCADE))
    return None if clf.empty() else clf


def detect_faces(gray: np.ndarray, min_neighbors: int = 3) -> list[tuple[int, int, int, int]]:
    """Face boxes (x, y, w, h) in ``gray``'s pixels, biggest first."""
    h, w = gray.shape[:2]
    # The short side gets _DETECT_SIDE pixels (a wide group photo's faces stay big enough to find),
    # the long side at most twice that.
    scale = min(1.0, min(_DETECT_SIDE / min(h, w), 2 * _DETECT_SIDE / max(h, w)))
    img = cv2.resize(gray, (max(1, round(w * scale)), max(1, round(h * scale))),
                     interpolation=cv2.INTER_AREA) if scale < 1 else gray
    native = _native()
    if native is not None:  # OpenCV 4.x
        found = native.detectMultiScale(img, 1.1, min_neighbors + 2, minSize=(24, 24))  # type: ignore[attr-defined]
        boxes = [tuple(int(v) for v in b) for b in (found if len(found) else [])]
    else:
        boxes = _detect(img, min_neighbors)
    boxes = [(round(x / scale), round(y / scale), round(bw / scale), round(bh / scale)) for x, y, bw, bh in boxes]
    return sorted(boxes, key=lambda b: -b[2] * b[3])


def _detect(img: np.ndarray, min_neighbors: int) -> list[tuple[int, int, int, int]]:
    stages, ww, wh = _cascade()
    raw: list[tuple[int, int, int, int]] = []
    h, w = img.shape
    factor = 1.0
    while w / factor >= ww and h / factor >= wh:
        sw, sh = round(w / factor), round(h / factor)
        small = img if factor == 1.0 else cv2.resize(img, (sw, sh), interpolation=cv2.INTER_LINEAR)
        step = 1 if factor > 2 else 2
        for x, y in _scan(small, stages, ww, wh, step):
            raw.append((round(x * factor), round(y * factor), round(ww * factor), round(wh * factor)))
        factor *= 1.15
    return _group(raw, min_neighbors)


def _scan(img: np.ndarray, stages: list[_Stage], ww: int, wh: int, step: int) -> np.ndarray:
    """Top-left corners of the windows that pass every stage (all windows of a stage at once)."""
    ii, sq = cv2.integral2(img, sdepth=cv2.CV_64F, sqdepth=cv2.CV_64F)
    stride = ii.shape[1]
    ys, xs = np.mgrid[0: img.shape[0] - wh + 1: step, 0: img.shape[1] - ww + 1: step]
    idx = (ys * stride + xs).ravel()
    iif, sqf = ii.ravel(), sq.ravel()

    area = (ww - 2) * (wh - 2)
    inner = np.array([stride + 1 + (wh - 2) * stride + ww - 2, stride + 1 + ww - 2, stride + 1 + (wh - 2) * stride,
                      stride + 1])
    s1 = iif[idx + inner[0]] - iif[idx + inner[1]] - iif[idx + inner[2]] + iif[idx + inner[3]]
    s2 = sqf[idx + inner[0]] - sqf[idx + inner[1]] - sqf[idx + inner[2]] + sqf[idx + inner[3]]
    nf = area * s2 - s1 * s1
    nf = np.where(nf > 0, np.sqrt(np.maximum(nf, 1e-9)), 1.0)
    # float32 from here: integral sums of a <=200-px thumbnail stay below 2**24, so they are exact.
    iif = iif.astype(np.float32)
    for st in stages:
        at = idx[:, None]
        val = np.zeros((len(idx), len(st.thresh)), np.float32)
        for weight, (d, b, c, a) in st.corners(stride):
            # A rectangle's sum from its four integral-image corners, for every window and stump.
            val += weight * (iif[at + d] - iif[at + b] - iif[at + c] + iif[at + a])
        # Each stump votes leaves[0] below its threshold, else leaves[1]: as one matrix product.
        below = (val < (st.thresh[None, :] * nf[:, None]).astype(np.float32)).astype(np.float32)
        total = below @ st.leaf_delta + st.leaf_base
        keep = total >= st.threshold
        idx, nf = idx[keep], nf[keep]
        if len(idx) == 0:
            return np.empty((0, 2), int)
    return np.stack([idx % stride, idx // stride], axis=1)


def _group(boxes: list[tuple[int, int, int, int]], min_neighbors: int) -> list[tuple[int, int, int, int]]:
    """OpenCV-style grouping: boxes of similar position and size vote; keep clusters with enough votes."""
    clusters: list[list[tuple[int, int, int, int]]] = []
    for b in boxes:
        for c in clusters:
            r = c[0]
            delta = 0.2 * (min(r[2], b[2]) + min(r[3], b[3])) * 0.5
            if (abs(r[0] - b[0]) <= delta and abs(r[1] - b[1]) <= delta
                    and abs(r[0] + r[2] - b[0] - b[2]) <= delta and abs(r[1] + r[3] - b[1] - b[3]) <= delta):
                c.append(b)
                break
        else:
            clusters.append([b])
    out = []
    for c in clusters:
        if len(c) >= min_neighbors:
            arr = np.array(c, np.float64).mean(axis=0)
            out.append(tuple(round(v) for v in arr))
    return out  # type: ignore[return-value]
