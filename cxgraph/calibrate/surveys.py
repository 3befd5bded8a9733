"""Survey scores to experience metrics: NPS, CSAT (mean) and CSAT top-two-box, with sampling intervals.

With ``n`` responses for one touchpoint or journey, and ``z = 1.6449`` (a 90 % two-sided
interval, so the range runs from the 5th to the 95th percentile of the sampling
distribution):

- **NPS** (scores 0–10): ``% promoters (9–10) − % detractors (0–6)``, ideal 100. Each
  response is +1, 0 or −1; with shares ``p`` and ``d``, the standard error is
  ``100 · sqrt((p + d − (p − d)²) / n)`` and the range ``NPS ± z · se``, kept within
  [−100, 100].
- **CSAT** (scores 1–5): the mean, ideal 5; the range is the mean ± Student's ``t`` (90 %,
  ``n − 1`` degrees of freedom) times ``sd / sqrt(n)``, kept within [1, 5] (one response:
  no range).
- **top-two-box** (scores 1–5): the share of 4s and 5s in %, ideal 100; the range is the
  Wilson score interval.

Scores outside the scale (or not whole numbers for NPS) are counted and left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import stdtrit

__all__ = ["SCALES", "Scale", "guess_scale", "score_surveys"]

Z90 = 1.6448536269514722


@dataclass(frozen=True)
class Scale:
    """How one kind of survey score becomes a metric: its name, unit, range of scores and ideal.

    Examples
    --------
    >>> from cxgraph.calibrate.surveys import SCALES
    >>> SCALES["nps"].ideal, SCALES["csat"].unit
    (100, '1-5')
    """

    name: str
    unit: str
    low: float
    high: float
    ideal: float
    integer: bool


SCALES: dict[str, Scale] = {
    "nps": Scale("NPS", "NPS", 0, 10, 100, True),
    "csat": Scale("CSAT", "1-5", 1, 5, 5, False),
    "top2": Scale("CSAT top-two-box", "%", 1, 5, 100, False),
}


def guess_scale(column: str, scores: np.ndarray) -> str:
    """Guess the scale from the score column's name, then its values (above 5: NPS).

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.calibrate.surveys import guess_scale
    >>> guess_scale("Q3_NPS", np.array([7.0])), guess_scale("score", np.array([2., 9.])), guess_scale("q", np.ones(2))
    ('nps', 'nps', 'csat')
    """
    name = column.lower()
    if "nps" in name or "recommend" in name:
        return "nps"
    if "csat" in name or "satisf" in name:
        return "csat"
    return "nps" if len(scores) and (np.nanmax(scores) > 5 or np.nanmin(scores) < 1) else "csat"


def _nps(scores: np.ndarray) -> tuple[float, float, float]:
    n = len(scores)
    p, d = float(np.mean(scores >= 9)), float(np.mean(scores <= 6))
    value = 100 * (p - d)
    se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    return value, max(-100.0, value - Z90 * se), min(100.0, value + Z90 * se)


def _csat(scores: np.ndarray) -> tuple[float, float, float]:
    n = len(scores)
    mean = float(np.mean(scores))
    if n < 2:
        return mean, mean, mean
    half = float(stdtrit(n - 1, 0.95)) * float(np.std(scores, ddof=1)) / math.sqrt(n)
    return mean, max(1.0, mean - half), min(5.0, mean + half)


def _top2(scores: np.ndarray) -> tuple[float, float, float]:
    n = len(scores)
    p = float(np.mean(scores >= 4))
    z2 = Z90 * Z90
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z90 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return 100 * p, 100 * max(0.0, min(centre - half, p)), 100 * min(1.0, max(centre + half, p))


def score_surveys(subject: np.ndarray, score: np.ndarray, scale: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Score every subject's responses; return the scores and the mask of responses off the scale.

    Returns a frame with ``id``, ``n``, ``value``, ``low``, ``high`` (sorted by id) and a
    boolean array marking the responses left out.

    Examples
    --------
    Ten NPS responses: five promoters, three passives, two detractors:

    >>> import numpy as np
    >>> from cxgraph.calibrate.surveys import score_surveys
    >>> scores = np.array([10, 10, 9, 9, 9, 8, 8, 7, 3, 0], dtype=float)
    >>> table, off = score_surveys(np.array(["t"] * 10, dtype=object), scores, "nps")
    >>> table.round(2).values.tolist(), int(off.sum())
    ([['t', 10, 30.0, -10.62, 70.62]], 0)
    """
    spec = SCALES[scale]
    off = (score < spec.low) | (score > spec.high)
    if spec.integer:
        off |= score != np.round(score)
    fn = {"nps": _nps, "csat": _csat, "top2": _top2}[scale]
    rows = []
    frame = pd.DataFrame({"id": subject[~off], "score": score[~off]})
    for key, group in frame.groupby("id", sort=True)["score"]:
        value, low, high = fn(group.to_numpy())
        rows.append((key, len(group), value, low, high))
    return pd.DataFrame(rows, columns=["id", "n", "value", "low", "high"]), off
