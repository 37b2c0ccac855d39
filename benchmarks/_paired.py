"""Paired A/B timing on a machine whose speed drifts: ratios per pair, their median and a bootstrap
interval of it, and whether a ``≤ target`` claim is shown, not shown or refuted.

Each pair runs A and B back to back, alternating which goes first (ABBA...), so a slow drift of the
machine's speed hits both sides alike; the ratio B/A is formed inside a pair, never across pairs.
"""

from __future__ import annotations

import numpy as np

#: Bootstrap resamples (seeded: the same runs always give the same interval).
RESAMPLES = 20000


def order(k: int, a: str, b: str) -> tuple[str, str]:
    """The k-th pair's running order: A B, then B A, and so on."""
    return (a, b) if k % 2 == 0 else (b, a)


def median_ci(ratios: list[float], level: float = 0.95, seed: int = 0) -> tuple[float, float, float]:
    """(median, low, high): the median of ``ratios`` and a percentile-bootstrap ``level`` interval of it."""
    values = np.asarray(ratios, float)
    if values.size == 0:
        return float("nan"), float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    medians = np.median(rng.choice(values, size=(RESAMPLES, values.size), replace=True), axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(medians, [tail, 100 - tail])
    return float(np.median(values)), float(low), float(high)


def verdict(low: float, high: float, target: float) -> str:
    """``shown`` (the whole interval is ≤ target), ``refuted`` (all of it is above) or ``not shown``."""
    if high <= target:
        return "shown"
    if low > target:
        return "refuted"
    return "not shown"
