"""Expected loss and risk (DESIGN §3 "Reliability and expected loss"), by exact enumeration.

Every element ``x`` is down independently with probability ``q(x)``; the expected loss is
``E[loss(F)]`` over the random set ``F`` of elements down, and ``risk(x)`` what would no longer
be lost if ``x`` never failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..engine import compile_model, run_packed
from ..errors import AnalysisInputError
from ..model import Model
from ._frozen import FrozenDict
from ._result import Result

__all__ = ["MAX_EXACT", "RiskResult", "expected_loss", "risk"]

MAX_EXACT = 16
"""Elements with ``q > 0`` up to which every failure set is enumerated."""


class RiskResult(Result):
    """The expected loss of a model and the risk of every element and capability; see :func:`risk`.

    Examples
    --------
    >>> r = cx.risk(cx.examples.load("retail-bank"))
    >>> r.method
    'exact'
    >>> r.expected_loss > 0
    True
    """

    def __init__(self, **state: Any) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "title", f"Expected loss and risk ({state['unit']})")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only")

    def to_frame(self) -> pd.DataFrame:
        """Return one row per element and capability: id, name, type, q, risk; highest risk first.

        Examples
        --------
        >>> list(cx.risk(cx.examples.load("retail-bank")).to_frame().columns)
        ['id', 'name', 'type', 'q', 'risk']
        """
        frame = pd.DataFrame(self._rows, columns=["id", "name", "type", "q", "risk"])
        return frame.sort_values(["risk", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain data: ``expected_loss`` and rows in ``items``.

        Examples
        --------
        >>> sorted(cx.risk(cx.examples.load("retail-bank")).to_dict())[:3]
        ['expected_loss', 'interval', 'items']
        """
        return {"model": self.model_name, "measure": self.measure, "unit": self.unit, "notes": list(self.notes),
                "expected_loss": self.expected_loss, "interval": self.interval, "method": self.method,
                "lacking_ids": list(self.lacking), "items": self.to_frame()}


def _enumerate(c: Any, m: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every failure set of the elements with ``q > 0``: their loss and the factors of their probability."""
    n_tp = c.n_touchpoints
    q = c.q[n_tp:]
    unreliable = np.flatnonzero(q > 0)
    k = len(unreliable)
    if k > MAX_EXACT:
        raise AnalysisInputError(f"{k} elements have a failure probability; exact enumeration handles at most "
                                 f"{MAX_EXACT}")
    sets = np.arange(2 ** k, dtype=np.int64)
    bits = ((sets[:, None] >> np.arange(k)) & 1).astype(bool)
    ptr = np.zeros(len(sets) + 1, np.int64)
    ptr[1:] = np.cumsum(bits.sum(axis=1))
    nodes = np.concatenate([unreliable[row] + n_tp for row in bits]) if k else np.zeros(0, np.int64)
    loss = run_packed(c, ptr, nodes, np.ones(len(nodes)), m).impact
    qs = q[unreliable]
    return unreliable, bits, qs, np.where(bits, qs, 1.0 - qs), loss


def expected_loss(model: Any, measure: str | Mapping[str, float] = "interactions") -> float:
    """Return the expected loss of ``model`` (or its compiled form) in ``measure``.

    Examples
    --------
    >>> from cxgraph.analysis.risk import expected_loss
    >>> expected_loss(cx.examples.load("retail-bank")) == cx.risk(cx.examples.load("retail-bank")).expected_loss
    True
    """
    c = compile_model(model)
    _, _, _, factors, loss = _enumerate(c, c.measure(measure))
    return float((np.prod(factors, axis=1) * loss).sum())


def risk(model: Model, *, measure: str | Mapping[str, float] = "interactions") -> RiskResult:
    """Return the expected loss and the risk of every element and capability of ``model``.

    Examples
    --------
    >>> m = cx.Model()
    >>> j = m.add_journey("buy", "Buy", customers=1000)
    >>> _ = j.add_touchpoint("pay", "Pay", depends_on=[{"element": "a", "group": "g"}, {"element": "b", "group": "g"}])
    >>> _ = m.add_element("a", "A", kind="vendor", availability=0.9)
    >>> _ = m.add_element("b", "B", kind="vendor", availability=0.8)
    >>> r = cx.risk(m)
    >>> round(r.expected_loss, 9), round(r.risk["a"], 9)    # 1000 x 0.1 x 0.2; with a never down: 0
    (20.0, 20.0)
    """
    c = compile_model(model)
    m = c.measure(measure)
    n_tp = c.n_touchpoints
    q = c.q[n_tp:]
    unreliable, bits, qs, factors, loss = _enumerate(c, m)
    k = len(unreliable)
    weighted = np.prod(factors, axis=1) * loss

    def expected(zero: np.ndarray) -> float:
        """E[loss] with the elements ``zero`` never down."""
        if not zero.any():
            return float(weighted.sum())
        keep = 1.0 - qs[zero]
        if (keep > 0).all():  # P(F) with their factors taken out: / (1 - q) where none of them is in F
            rows = ~bits[:, zero].any(axis=1)
            return float(weighted[rows].sum() / np.prod(keep))
        f = np.where(zero[None, :], np.where(bits, 0.0, 1.0), factors)
        return float(np.prod(f, axis=1) @ loss)

    def difference(zero: np.ndarray) -> float:
        value = el - expected(zero)
        return 0.0 if abs(value) <= 1e-12 * max(el, 1e-300) else value

    none = np.zeros(k, bool)
    el = expected(none)
    values: dict[str, float] = {}
    rows = []
    position = {int(x): i for i, x in enumerate(unreliable)}
    for e in range(c.n_elements):
        zero = none.copy()
        if e in position:
            zero[position[e]] = True
        values[c.ids[n_tp + e]] = difference(zero) if e in position else 0.0
        rows.append((c.ids[n_tp + e], c.names[n_tp + e], "element", float(q[e]), values[c.ids[n_tp + e]]))
    for ci, cid in enumerate(c.capability_ids):
        zero = none.copy()
        for node in c.members(cid):
            if int(node) - n_tp in position:
                zero[position[int(node) - n_tp]] = True
        values[cid] = difference(zero) if zero.any() else 0.0
        rows.append((cid, c.capability_names[ci], "capability", float("nan"), values[cid]))
    lacking = [c.ids[n_tp + e] for e in range(c.n_elements) if not c.reliability_known[n_tp + e]]
    notes = []
    if lacking:
        notes.append(f"{len(lacking)} element(s) lack reliability data (availability or failures_per_year) and "
                     "count as never down")
    return RiskResult(model_name=c.model_name, measure=m.name, unit=m.unit, expected_loss=el, interval=0.0,
                      method="exact", risk=FrozenDict(values), q=FrozenDict((r[0], r[3]) for r in rows),
                      lacking=tuple(lacking), notes=tuple(notes), _rows=rows)
