"""Single points of failure: elements whose failure alone fully loses a touchpoint, and pairs that do together.

Order-2 cut sets (pairs) are searched exactly, but only where a pair can matter: a pair
loses something neither loses alone only through a redundancy group that needs fewer
links than it has (k < n), one element of the pair losing one link's target and the other
another's (see :mod:`cxgraph.analysis._cutsets` for the argument). Those candidate pairs
are propagated like any scenario. The search runs on models of up to
:data:`MAX_PAIR_ELEMENTS` elements (or any limit passed); above it, it is skipped and the
result says so in :attr:`SpofResult.note`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..engine import LOST, compile_model, run_packed
from ..errors import AnalysisInputError
from ..model import Model
from ._cutsets import order_two
from ._result import Result
from .coverage import coverage_notes

__all__ = ["MAX_PAIR_ELEMENTS", "SpofResult", "single_points_of_failure"]

MAX_PAIR_ELEMENTS = 2_000
"""Largest number of elements for which order-2 cut sets are searched by default."""

_COLUMNS = ["element", "name", "kind", "owner", "touchpoints", "loss"]
_PAIR_COLUMNS = ["first", "second", "touchpoints", "loss"]


class SpofResult(Result):
    """Single points of failure, and pairs of elements that are one together; see :func:`single_points_of_failure`.

    Attributes
    ----------
    pairs : pandas.DataFrame
        Order-2 cut sets: first, second (element ids, first < second), touchpoints (fully
        lost by the pair and by neither alone), loss (in the measure asked for).
    pairs_searched : bool
        Whether the pair search ran (see :attr:`note`).
    note : str
        What was searched, or why pairs were skipped.

    Examples
    --------
    >>> r = cx.single_points_of_failure(cx.examples.load("retail-bank"))
    >>> list(r.to_frame().columns)
    ['element', 'name', 'kind', 'owner', 'touchpoints', 'loss']
    >>> r.pairs_searched
    True
    """

    title = "Single points of failure"

    def __init__(self, *, model_name: str, unit: str, frame: pd.DataFrame, pairs: pd.DataFrame,
                 pairs_searched: bool, note: str, notes: tuple[str, ...] = ()) -> None:
        for key, value in (("model_name", model_name), ("unit", unit), ("_frame", frame), ("_pairs", pairs),
                           ("pairs_searched", pairs_searched), ("note", note), ("notes", tuple(notes))):
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only")

    @property
    def pairs(self) -> pd.DataFrame:
        """Order-2 cut sets: first, second, touchpoints, loss (largest loss first)."""
        return self._pairs.copy()

    def to_frame(self) -> pd.DataFrame:
        """Return one row per single point of failure, largest loss first (ties by id).

        Columns: element, name, kind, owner, touchpoints (ids fully lost, in customer order),
        loss (per period, in the measure asked for).

        Examples
        --------
        >>> frame = cx.single_points_of_failure(cx.examples.load("retail-bank")).to_frame()
        >>> bool((frame["loss"].diff().dropna() <= 0).all())
        True
        """
        return self._frame.copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the single points of failure, the pairs and the note as plain data.

        Examples
        --------
        >>> sorted(cx.single_points_of_failure(cx.examples.load("retail-bank")).to_dict())
        ['model', 'note', 'notes', 'pairs', 'pairs_searched', 'single', 'unit']
        """
        return {"model": self.model_name, "unit": self.unit, "single": self._frame.to_dict(orient="records"),
                "pairs": self._pairs.to_dict(orient="records"),
                "pairs_searched": self.pairs_searched, "note": self.note, "notes": list(self.notes)}


def single_points_of_failure(model: Model, *, measure: str | Mapping[str, float] = "interactions",
                             max_pair_elements: int = MAX_PAIR_ELEMENTS) -> SpofResult:
    """Return the elements whose failure alone fully loses (d = 1) a touchpoint, and order-2 cut sets.

    Redundancy is respected: an element with a working alternative in its group is not a
    single point of failure. ``loss`` is the loss when those touchpoints are fully lost, in the
    ``measure`` of :func:`~cxgraph.impact` ("interactions", "customers", "revenue" or a mapping).
    Pairs are searched when the model has at most ``max_pair_elements`` elements (default
    2,000); otherwise :attr:`SpofResult.note` says they were skipped.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... journeys:
    ...   - id: buy
    ...     name: Buy
    ...     customers: 1000
    ...     touchpoints:
    ...       - {id: pay, name: Pay, depends_on: [gateway]}
    ... elements:
    ...   - {id: gateway, name: Gateway, kind: system, depends_on: [{element: psp-a, group: psp},
    ...                                                            {element: psp-b, group: psp}]}
    ...   - {id: psp-a, name: PSP A, kind: vendor}
    ...   - {id: psp-b, name: PSP B, kind: vendor}
    ... ''')
    >>> r = cx.single_points_of_failure(m)
    >>> r.to_frame()[["element", "touchpoints", "loss"]].values.tolist()
    [['gateway', ['pay'], 1000.0]]
    >>> r.pairs.values.tolist()
    [['psp-a', 'psp-b', ['pay'], 1000.0]]
    """
    if isinstance(max_pair_elements, bool) or not isinstance(max_pair_elements, int) or max_pair_elements < 0:
        raise AnalysisInputError(f"max_pair_elements must be an integer >= 0, got {max_pair_elements!r}")
    c = compile_model(model)
    w = c.measure(measure)
    unit = w.unit
    ids = c.ids
    n_tp = c.n_touchpoints
    search = c.n_elements <= max_pair_elements
    ptr = np.arange(c.n_elements + 1)
    single = run_packed(c, ptr, np.arange(n_tp, c.n_nodes), np.ones(c.n_elements), w, lost=not search,
                        degradation=search)
    if search:  # the degradations of every node are needed for the pairs; the singles come from them
        hit = (single.d_u < n_tp) & (single.d_v >= LOST)
        lost_s, lost_t = single.d_s[hit], single.d_u[hit]
    else:
        lost_s, lost_t = single.lost_s, single.lost_t
    lost_by: dict[int, list[int]] = {}
    for x, t in zip((lost_s + n_tp).tolist(), lost_t.tolist(), strict=True):
        lost_by.setdefault(x, []).append(t)
    rows = []
    for x, tps in sorted(lost_by.items()):
        tps.sort()
        rows.append({"element": ids[x], "name": c.names[x], "kind": c.kinds[x], "owner": c.owners[x],
                     "touchpoints": [ids[t] for t in tps], "loss": w.of_lost(tps, c.tp_journey)})
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    if len(frame):
        frame = frame.sort_values(["loss", "element"], ascending=[False, True], kind="stable")
    frame = frame.reset_index(drop=True)

    pair_rows: list[dict[str, Any]] = []
    if not search:
        note = (f"order-2 cut sets not searched: the model has {c.n_elements:,} elements, above the limit of "
                f"{max_pair_elements:,} (pass max_pair_elements={c.n_elements} to search anyway)")
    else:
        found, tried = order_two(c, w, single)
        for x, y, tps in found:
            pair_rows.append({"first": ids[x], "second": ids[y], "touchpoints": [ids[t] for t in tps],
                              "loss": w.of_lost(tps, c.tp_journey)})
        note = (f"order-2 cut sets searched among {c.n_elements:,} elements ({tried:,} candidate pairs "
                f"through redundancy groups); {len(pair_rows):,} found")
    pairs = pd.DataFrame(pair_rows, columns=_PAIR_COLUMNS)
    if len(pairs):
        pairs = pairs.sort_values(["loss", "first", "second"], ascending=[False, True, True], kind="stable")
    return SpofResult(model_name=c.model_name, unit=unit, frame=frame, pairs=pairs.reset_index(drop=True),
                      pairs_searched=search, note=note, notes=tuple(coverage_notes(c)))
