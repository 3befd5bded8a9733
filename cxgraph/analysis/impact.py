"""Customer impact of every element, touchpoint and capability (DESIGN.md section 3).

``impact(x)`` is the loss, in the chosen measure, when ``x`` alone fails: in interactions,
``sum over touchpoints t of weight(t) * d_x(t)``; in customers or revenue, the journey funnel
(``sum over journeys j of customers(j) * importance(j) * jloss(j)``, or ``revenue(j) * jloss(j)``).
For a capability, every element realising it or one of its descendants fails at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..engine import Measure, all_failures, compile_model
from ..engine.executors import resolve_executor
from ..model import Model
from ._frozen import FrozenDict
from ._result import Result
from .coverage import coverage_notes

__all__ = ["ImpactResult", "impact"]

MeasureSpec = str | Mapping[str, float] | Measure

_COLUMNS = ["id", "name", "type", "kind", "impact", "rank", "journeys", "touchpoints"]


def _ranks(values: np.ndarray, ids: list[str]) -> np.ndarray:
    """1 = highest value; ties broken by id."""
    order = np.lexsort((np.asarray(ids, dtype=str), -values)) if ids else np.zeros(0, np.int64)
    ranks = np.empty(len(ids), np.int64)
    ranks[order] = np.arange(1, len(ids) + 1)
    return ranks


class ImpactResult(Result):
    """The customer impact of every element, touchpoint and capability; see :func:`impact`.

    Attributes
    ----------
    model_name : str
        Name of the model analysed.
    measure : str
        ``"interactions"``, ``"customers"``, ``"revenue"`` or ``"weight"`` (a mapping was given).
    unit : str
        Unit of every impact, e.g. ``"interactions / month"``.
    impact : dict[str, float]
        Every element, touchpoint and capability id -> impact (read-only).
    rank : dict[str, int]
        1 = highest impact; elements, touchpoints and capabilities are ranked separately
        (ties by id).

    Examples
    --------
    >>> result = cx.impact(cx.examples.load("retail-bank"))
    >>> result.unit
    'interactions / month'
    >>> top = result.top(3)
    >>> list(top.columns)
    ['id', 'name', 'type', 'kind', 'impact', 'rank', 'journeys', 'touchpoints']
    >>> list(top["rank"])
    [1, 2, 3]
    """

    def __init__(self, *, model_name: str, measure: str, unit: str, ids: list[str], names: list[str],
                 types: list[str], kinds: list[str], values: np.ndarray, journeys: np.ndarray,
                 touchpoints: np.ndarray, parents: dict[str, str | None], journey_ids: list[str],
                 journey_segments: list[str], journey_cells: tuple[np.ndarray, np.ndarray, np.ndarray],
                 touchpoint_weight: dict[str, float], notes: tuple[str, ...] = ()) -> None:
        ranks = np.zeros(len(ids), np.int64)
        types_arr = np.asarray(types, dtype=object)
        for t in ("element", "touchpoint", "capability"):
            sel = np.flatnonzero(types_arr == t)
            ranks[sel] = _ranks(values[sel], [ids[i] for i in sel])
        state = {
            "model_name": model_name, "measure": measure, "unit": unit,
            "_ids": ids, "_names": names, "_types": types, "_kinds": kinds, "_values": values,
            "_ranks": ranks, "_journeys": journeys, "_touchpoints": touchpoints, "_parents": parents,
            "_journey_ids": journey_ids, "_journey_segments": journey_segments, "_cells": journey_cells,
            "touchpoint_weight": FrozenDict(touchpoint_weight),
            "impact": FrozenDict(zip(ids, values.tolist(), strict=True)),
            "rank": FrozenDict(zip(ids, ranks.tolist(), strict=True)),
            "title": f"Customer impact ({unit})", "notes": tuple(notes),
        }
        for key, value in state.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only")

    # ------------------------------------------------------------------ tables
    @cached_property
    def _frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({
            "id": self._ids, "name": self._names, "type": self._types, "kind": self._kinds,
            "impact": self._values, "rank": self._ranks, "journeys": self._journeys,
            "touchpoints": self._touchpoints,
        }, columns=_COLUMNS)
        frame = frame.sort_values(["impact", "id"], ascending=[False, True], kind="stable")
        return frame.reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per element, touchpoint and capability, highest impact first (ties by id).

        Columns: id, name, type ("element", "touchpoint", "capability"), kind (element kind,
        "touchpoint" or "capability"), impact, rank, journeys and touchpoints (how many it
        touches, d > 0).

        Examples
        --------
        >>> frame = cx.impact(cx.examples.load("retail-bank")).to_frame()
        >>> sorted(set(frame["type"]))
        ['capability', 'element', 'touchpoint']
        """
        return self._frame.copy()

    def _of_type(self, type: str) -> pd.DataFrame:
        frame = self._frame[self._frame["type"] == type]
        return frame.reset_index(drop=True)

    def top(self, n: int = 10, type: str = "element") -> pd.DataFrame:
        """Return the ``n`` highest-impact rows of one type ("element", "touchpoint" or "capability").

        Examples
        --------
        >>> cx.impact(cx.examples.load("retail-bank")).top(2, type="capability")["rank"].tolist()
        [1, 2]
        """
        if type not in ("element", "touchpoint", "capability"):
            from ..errors import AnalysisInputError

            raise AnalysisInputError(f"type must be 'element', 'touchpoint' or 'capability', got {type!r}")
        return self._of_type(type).head(n)

    def elements(self, kind: str | list[str] | None = None) -> pd.DataFrame:
        """Return the element rows (optionally only of one kind or kinds), highest impact first.

        Examples
        --------
        >>> teams = cx.impact(cx.examples.load("retail-bank")).elements(kind="team")
        >>> set(teams["kind"])
        {'team'}
        """
        frame = self._of_type("element")
        if kind is not None:
            kinds = [kind] if isinstance(kind, str) else list(kind)
            frame = frame[frame["kind"].isin(kinds)].reset_index(drop=True)
        return frame

    def touchpoints(self) -> pd.DataFrame:
        """Return the touchpoint rows (a touchpoint's impact is its own weight).

        Examples
        --------
        >>> len(cx.impact(cx.examples.load("retail-bank")).touchpoints()) > 0
        True
        """
        return self._of_type("touchpoint")

    def capabilities(self) -> pd.DataFrame:
        """Return the capability rows, highest impact first.

        Examples
        --------
        >>> caps = cx.impact(cx.examples.load("retail-bank")).capabilities()
        >>> set(caps["type"])
        {'capability'}
        """
        return self._of_type("capability")

    @cached_property
    def by_journey(self) -> pd.DataFrame:
        """Impact split by journey: one row per item id, one column per journey id (rows sum to the impact).

        Examples
        --------
        >>> r = cx.impact(cx.examples.load("retail-bank"))
        >>> bool(abs(r.by_journey.loc["core-banking"].sum() - r.impact["core-banking"]) < 1e-6)
        True
        """
        rows, cols, vals = self._cells
        dense = np.zeros((len(self._ids), len(self._journey_ids)))
        np.add.at(dense, (rows, cols), vals)
        return pd.DataFrame(dense, index=pd.Index(self._ids, name="id"), columns=list(self._journey_ids))

    @cached_property
    def by_segment(self) -> pd.DataFrame:
        """Impact split by customer segment: one row per item id, one column per segment.

        Journeys without a segment count under ``"(no segment)"``.

        Examples
        --------
        >>> r = cx.impact(cx.examples.load("retail-bank"))
        >>> bool(abs(r.by_segment.loc["core-banking"].sum() - r.impact["core-banking"]) < 1e-6)
        True
        """
        journeys = self.by_journey
        segments = list(dict.fromkeys(self._journey_segments))
        data = {s: journeys.loc[:, [s == seg for seg in self._journey_segments]].sum(axis=1) for s in segments}
        return pd.DataFrame(data, index=journeys.index, columns=segments)

    # ------------------------------------------------------------------ plain data
    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain data: elements (touchpoints included) and capabilities.

        Examples
        --------
        >>> d = cx.impact(cx.examples.load("retail-bank")).to_dict()
        >>> sorted(d)
        ['analysis', 'capability_items', 'cxgraph_result', 'items', 'measure', 'model', 'notes', 'unit']
        >>> sorted(d["items"][0])
        ['id', 'impact', 'kind', 'n_journeys', 'n_touchpoints', 'name', 'rank', 'type']
        """
        frame = self._frame
        records = frame.to_dict(orient="records")
        elements = [{k: r[k] for k in ("id", "name", "kind", "impact", "rank", "journeys", "touchpoints")}
                    for r in records if r["type"] != "capability"]
        capabilities = [{"id": r["id"], "name": r["name"], "parent": self._parents.get(r["id"]),
                         "impact": r["impact"], "rank": r["rank"], "journeys": r["journeys"],
                         "touchpoints": r["touchpoints"]} for r in records if r["type"] == "capability"]
        return {"model": self.model_name, "measure": self.measure, "unit": self.unit,
                "elements": elements, "capabilities": capabilities, "notes": list(self.notes)}


def impact(model: Model, *, measure: MeasureSpec = "interactions", progress: bool | None = None,
           executor: Any = None) -> ImpactResult:
    """Return the customer impact of every element, touchpoint and capability of ``model``.

    Parameters
    ----------
    model
        The model (checked first; :class:`~cxgraph.ModelError` if invalid), or its
        :func:`~cxgraph.engine.compile_model` form.
    measure
        ``"interactions"`` (customers x journey importance x reach x importance per touchpoint:
        interactions per period), ``"customers"`` (customers x journey importance who cannot
        complete their journey, the journey being a funnel of its required touchpoints),
        ``"revenue"`` (revenue that cannot be completed; every journey must have a revenue,
        otherwise :class:`~cxgraph.AnalysisInputError` names those without), or a mapping
        touchpoint id -> weight (touchpoints left out weigh 0; an unknown id raises
        :class:`~cxgraph.UnknownIdError`).
    progress
        Show a progress bar on standard error: ``None`` (default) shows one for a model of
        10,000 touchpoints and elements or more when standard error is a terminal. Every element
        fails in turn and each failure reaches everything above it, so the work grows with the
        square of the size of a deep model; the bar says so.
    executor
        Where the failures are propagated: ``None`` (default, this machine's cores), a
        ``dask.distributed.Client`` or the ``ray`` module after ``ray.init()`` (see the page
        "Distributed runs"). The result is the same, bit for bit.

    Returns
    -------
    ImpactResult
        ``.impact`` and ``.rank`` per id, ``.to_frame()``, ``.by_journey``, ``.by_segment``,
        ``.top(n)``, ``.elements(kind=...)``, ``.capabilities()``.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... journeys:
    ...   - id: buy
    ...     name: Buy
    ...     customers: 1000
    ...     touchpoints:
    ...       - {id: checkout, name: Checkout, depends_on: [shop, {element: reviews, strength: 0.2}]}
    ... elements:
    ...   - {id: shop, name: Shop, kind: system, depends_on: [db]}
    ...   - {id: reviews, name: Reviews, kind: service}
    ...   - {id: db, name: Database, kind: data}
    ... ''')
    >>> r = cx.impact(m)
    >>> r.impact["db"], r.impact["reviews"]
    (1000.0, 200.0)
    >>> r.rank["shop"], r.rank["reviews"]
    (2, 3)
    >>> cx.impact(m, measure="customers").impact["reviews"]   # 1000 x (1 - (1 - 0.2))
    200.0
    >>> cx.impact(m, executor=None).impact == r.impact  # or a Dask Client, or ray after ray.init()
    True
    """
    ex = resolve_executor(executor)
    compiled = compile_model(model)
    m = compiled.measure(measure)
    total = compiled.n_nodes + len(compiled.capability_ids)
    from ._montecarlo import Progress

    bar = Progress(total, enabled=(None if compiled.n_nodes >= 10_000 else False) if progress is None else progress,
                   unit="failures", name="impact",
                   note="each element fails in turn and reaches all that depends on it: the work grows with "
                        "the square of a deep model's size")
    try:
        out = all_failures(compiled, m, journeys=True, progress=bar.advance, executor=ex)
    finally:
        bar.close()
    ids = [*compiled.ids, *compiled.capability_ids]
    types = ["touchpoint"] * compiled.n_touchpoints + ["element"] * compiled.n_elements
    types += ["capability"] * len(compiled.capability_ids)
    kinds = [*compiled.kinds, *(["capability"] * len(compiled.capability_ids))]
    tp_ids = compiled.ids[: compiled.n_touchpoints]
    return ImpactResult(
        model_name=compiled.model_name,
        measure=m.name,
        unit=m.unit, ids=ids, names=[*compiled.names, *compiled.capability_names], types=types, kinds=kinds,
        values=out.impact, journeys=out.journeys, touchpoints=out.touchpoints,
        parents=dict(zip(compiled.capability_ids, compiled.capability_parent, strict=True)),
        journey_ids=list(compiled.journey_ids),
        journey_segments=[compiled.segment_names[s] for s in compiled.journey_segment],
        journey_cells=(out.journey_s, out.journey_j, out.journey_v),
        touchpoint_weight=dict(zip(tp_ids, compiled.measure("interactions" if m.funnel else m).tp_weight.tolist(),
                                   strict=True)),
        notes=tuple(coverage_notes(compiled, impacts=out.impact[: compiled.n_touchpoints + compiled.n_elements])),
    )
