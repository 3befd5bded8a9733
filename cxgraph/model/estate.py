"""A large estate kept as columns: one row per element and per link, beside a small :class:`Model`.

An :class:`Estate` holds the IT side of a model as two tables (pandas DataFrames, which
Parquet files read into without one Python object per row) and keeps an ordinary
:class:`Model` for what people edit: journeys and touchpoints (with their dependencies),
capabilities, metrics, initiatives and scenarios. It compiles straight from the columns
(:func:`cxgraph.engine.compile_model`), so :func:`cxgraph.impact` and :func:`cxgraph.what_if`
run on estates of millions of elements.

The elements table: ``id`` and ``kind`` (required), ``name`` (the id where missing),
``owner``, ``availability``, ``failures_per_year``, ``recovery_hours``, ``description``,
``tags`` (lists of texts) and ``properties`` (JSON object text). The links table, one row per
dependency of an element on an element: ``source``, ``target`` (required), ``strength``
(default 1), ``group`` and ``needs`` (the ``k`` of the group, on its links).

A number may be uncertain (a range, DESIGN section 2): ``availability``, ``failures_per_year`` and
``recovery_hours`` of an element and ``strength`` of a link then have three more columns,
``<field>_low``, ``<field>_mode`` (optional) and ``<field>_high``, while the point column holds the
point value the deterministic analyses use (the mode, or the midpoint where no mode is given).
A range column is in a table only where some row holds a range.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisInputError, ModelError
from .estate_checks import (
    ELEMENT_COLUMNS,
    ELEMENT_RANGES,
    LINK_COLUMNS,
    LINK_RANGES,
    RANGE_PARTS,
    _Found,
    check_tables,
    normalise,
    range_columns,
    range_point,
)
from .model import Model
from .numbers import Uncertain, point

__all__ = ["Estate", "needs_model"]

class Estate:
    """A model whose elements and links are tables; build one with :meth:`from_tables` or :meth:`read`.

    Attributes
    ----------
    elements : pandas.DataFrame
        One row per element (read-only by convention: build a new estate to change it).
    links : pandas.DataFrame
        One row per dependency link between elements.
    model : Model
        Journeys, touchpoints, capabilities, metrics, initiatives and scenarios (no elements).

    Examples
    --------
    >>> import pandas as pd
    >>> model = cx.Model()
    >>> _ = model.add_journey("buy", "Buy", customers=1000).add_touchpoint("pay", "Pay", depends_on=["shop"])
    >>> estate = cx.Estate.from_tables(
    ...     pd.DataFrame({"id": ["shop", "db"], "kind": ["system", "data"]}),
    ...     pd.DataFrame({"source": ["shop"], "target": ["db"], "strength": [0.5]}), model)
    >>> estate
    Estate('Model': 2 elements, 1 links, 1 touchpoints)
    >>> cx.impact(estate).impact["db"]
    500.0
    """

    def __init__(self, elements: pd.DataFrame, links: pd.DataFrame, model: Model, *, source: str | None = None
                 ) -> None:
        self.elements = elements
        self.links = links
        self.model = model
        self.source = source
        self._cache: dict[str, Any] = {}

    # ------------------------------------------------------------------ building
    @classmethod
    def from_tables(cls, elements: Any, links: Any = None, model: Model | str | os.PathLike[str] | None = None, *,
                    source: str | None = None) -> Estate:
        """Return the estate of these tables, checked: :class:`~cxgraph.ModelError` lists every problem.

        ``elements`` and ``links`` are pandas DataFrames (or pyarrow Tables, or anything
        ``pandas.DataFrame`` takes); ``model`` holds the journeys and the rest (none: an empty
        model), or is the path of a model file whose dependencies name the tables' elements
        (:func:`cxgraph.load` would refuse it alone). Each problem names its table, row
        (0-based) and column:
        ``links[40].strength: expected a number between 0 and 1, got 1.5``.

        Examples
        --------
        >>> import pandas as pd
        >>> cx.Estate.from_tables(pd.DataFrame({"id": ["a"], "kind": ["sytem"]}))
        Traceback (most recent call last):
        ...
        cxgraph.errors.ModelError: 1 problem in the model:
          <model>: elements[0].kind: unknown kind 'sytem' (expected one of system, ...); did you mean 'system'?
        """
        model = Model() if model is None else model
        if isinstance(model, str | os.PathLike) and not isinstance(model, Model):
            from ..io.estate import read_model_part

            model = read_model_part(model, pd.DataFrame(elements), pd.DataFrame({"source": [], "target": []})
                                    if links is None else pd.DataFrame(links))
        if not isinstance(model, Model):
            raise AnalysisInputError(f"expected a cxgraph Model for the estate's journeys, got {type(model).__name__}")
        found = _Found(source)
        els = normalise(elements, "elements", ELEMENT_COLUMNS, ("id", "kind"), found, ELEMENT_RANGES)
        lnk = normalise(pd.DataFrame({"source": [], "target": []}) if links is None else links, "links",
                        LINK_COLUMNS, ("source", "target"), found, LINK_RANGES)
        if found.problems:
            raise ModelError(found.problems)
        problems = check_tables(els, lnk, model, found=found)
        if problems:
            raise ModelError(problems)
        return cls(_tidy_elements(els), _tidy_links(lnk), model, source=source)

    @classmethod
    def from_model(cls, model: Model) -> Estate:
        """Return ``model`` as an estate: its elements and their links become the tables.

        Ranges (uncertain numbers) on elements and their links keep their low, mode and high in
        the range columns (``availability_low``, ...), beside their point values.

        Examples
        --------
        >>> estate = cx.Estate.from_model(cx.examples.load("retail-bank"))
        >>> len(estate.elements) == len(cx.examples.load("retail-bank").elements)
        True
        >>> estate.elements.loc[estate.elements["id"] == "credit-bureau",
        ...                     ["availability", "availability_low", "availability_mode"]].values.tolist()
        [[0.995, 0.99, 0.995]]
        >>> estate.to_model() == cx.examples.load("retail-bank")
        True
        """
        model.check()
        rows: dict[str, list[Any]] = {c: [] for c in (*ELEMENT_COLUMNS, *range_columns(ELEMENT_RANGES))}
        links: dict[str, list[Any]] = {c: [] for c in (*LINK_COLUMNS, *range_columns(LINK_RANGES))}
        for e in model.elements:
            for col in ("id", "name", "kind", "owner", "description"):
                rows[col].append(getattr(e, col))
            for col in ELEMENT_RANGES:
                _number_cells(rows, col, getattr(e, col))
            rows["tags"].append(list(e.tags) if e.tags else None)
            rows["properties"].append(json.dumps(e.properties) if e.properties else None)
            for dep in e.depends_on:
                links["source"].append(e.id)
                links["target"].append(dep.element)
                _number_cells(links, "strength", dep.strength)
                links["group"].append(dep.group)
                links["needs"].append(float(e.needs[dep.group]) if dep.group in e.needs else math.nan)
        els = pd.DataFrame(rows, columns=list(rows))
        for col in (*ELEMENT_RANGES, *range_columns(ELEMENT_RANGES)):
            els[col] = els[col].astype(np.float64)
        lnk = pd.DataFrame(links, columns=list(links))
        for col in ("strength", "needs", *range_columns(LINK_RANGES)):
            lnk[col] = lnk[col].astype(np.float64)
        small = model.model_copy(update={"elements": []}, deep=True)
        small._source = model._source
        return cls(_tidy_elements(els), _tidy_links(lnk), small, source=model._source)

    @classmethod
    def read(cls, path: str | os.PathLike[str], links: str | os.PathLike[str] | None = None, *,
             model: Model | str | os.PathLike[str] | None = None) -> Estate:
        """Read an estate from Parquet: a folder with ``elements.parquet``, ``links.parquet`` and ``model.json``.

        ``path`` is the folder or the elements file (then ``links`` and ``model`` name the
        others, or they are looked for beside it). The model file is optional (none: no
        journeys) and may be YAML. Needs pyarrow (``pip install 'cxgraph[large]'``).

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> cx.Estate.from_model(cx.examples.load("retail-bank")).write(folder)
        >>> cx.Estate.read(folder).model.name
        'Retail bank'
        """
        from ..io.estate import read_estate

        return read_estate(path, links, model=model)

    def write(self, folder: str | os.PathLike[str]) -> None:
        """Write ``elements.parquet``, ``links.parquet`` and ``model.json`` into ``folder`` (made if needed).

        Examples
        --------
        >>> import tempfile, os
        >>> folder = tempfile.mkdtemp()
        >>> cx.Estate.from_model(cx.examples.load("retail-bank")).write(folder)
        >>> sorted(os.listdir(folder))
        ['elements.parquet', 'links.parquet', 'model.json']
        """
        from ..io.estate import write_estate

        write_estate(self, folder)

    # ------------------------------------------------------------------ converting
    def tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return copies of the ``(elements, links)`` tables.

        Examples
        --------
        >>> els, links = cx.Estate.from_model(cx.examples.load("retail-bank")).tables()
        >>> list(links.columns)  # a strength of the bank is a range: its columns are there
        ['source', 'target', 'strength', 'group', 'needs', 'strength_low', 'strength_mode', 'strength_high']
        """
        return self.elements.copy(), self.links.copy()

    def to_model(self) -> Model:
        """Return the whole estate as one pydantic :class:`Model` (every analysis takes it; for small estates).

        Examples
        --------
        >>> m = cx.examples.load("online-retailer")
        >>> cx.Estate.from_model(m).to_model() == m
        True
        """
        deps: dict[str, list[dict[str, Any]]] = {}
        needs: dict[str, dict[str, int]] = {}
        for rec in self.links.to_dict(orient="records"):
            dep: dict[str, Any] = {"element": str(rec["target"])}
            ranged = _range(rec, "strength")
            if ranged is not None:
                dep["strength"] = ranged
            elif rec["strength"] != 1.0:
                dep["strength"] = float(rec["strength"])
            if _given(rec["group"]):
                dep["group"] = str(rec["group"])
                if _given(rec["needs"]):
                    needs.setdefault(str(rec["source"]), {})[dep["group"]] = int(rec["needs"])
            deps.setdefault(str(rec["source"]), []).append(dep)
        elements = []
        for rec in self.elements.to_dict(orient="records"):
            item: dict[str, Any] = {"id": str(rec["id"]), "name": str(rec["name"]), "kind": str(rec["kind"])}
            for col in ("owner", "description"):
                if _given(rec.get(col)):
                    item[col] = str(rec[col])
            for col in ELEMENT_RANGES:
                ranged = _range(rec, col)
                if ranged is not None:
                    item[col] = ranged
                elif _given(rec.get(col)):
                    item[col] = float(rec[col])
            if isinstance(rec.get("tags"), list | np.ndarray) and len(rec["tags"]):
                item["tags"] = [str(t) for t in rec["tags"]]
            if _given(rec.get("properties")):
                item["properties"] = json.loads(rec["properties"])
            if item["id"] in deps:
                item["depends_on"] = deps[item["id"]]
            if item["id"] in needs:
                item["needs"] = needs[item["id"]]
            elements.append(item)
        doc = self.model.to_dict()
        doc["elements"] = elements
        model = Model.model_validate(doc)
        model._source = self.model._source
        return model

    # ------------------------------------------------------------------ sizes
    @property
    def n_elements(self) -> int:
        """Number of elements (rows of the elements table)."""
        return len(self.elements)

    @property
    def n_links(self) -> int:
        """Number of links between elements (rows of the links table)."""
        return len(self.links)

    def __repr__(self) -> str:
        return (f"Estate({self.model.name!r}: {self.n_elements} elements, {self.n_links} links, "
                f"{sum(len(j.touchpoints) for j in self.model.journeys)} touchpoints)")


def _given(value: Any) -> bool:
    if value is None or value is pd.NA:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def _number_cells(rows: dict[str, list[Any]], field: str, value: float | Uncertain | None) -> None:
    """Append a number to its point column and, where it is a range, its low, mode and high to theirs."""
    rows[field].append(math.nan if value is None else point(value))
    parts = value.model_dump() if isinstance(value, Uncertain) else {}
    for part in RANGE_PARTS:
        cell = parts.get(part)
        rows[f"{field}_{part}"].append(math.nan if cell is None else float(cell))


def _range(rec: dict[str, Any], field: str) -> dict[str, float] | None:
    """Return the range of ``field`` in one row, as a model document writes it (``None``: no range)."""
    if not _given(rec.get(f"{field}_low")):
        return None
    parts = {p: float(rec[f"{field}_{p}"]) for p in RANGE_PARTS if _given(rec.get(f"{field}_{p}"))}
    return parts


def _ranges(frame: pd.DataFrame, out: pd.DataFrame, fields: tuple[str, ...]) -> None:
    """Copy the range columns that hold a range into ``out``, filling each point column in from its range."""
    for field in fields:
        cols = [f"{field}_{p}" for p in RANGE_PARTS]
        parts = [pd.to_numeric(frame[c]).astype(np.float64).to_numpy() if c in frame.columns
                 else np.full(len(frame), np.nan) for c in cols]
        if np.isnan(parts[0]).all():
            continue
        value = range_point(*parts)
        out[field] = np.where(np.isnan(value), out[field].to_numpy(np.float64), value)
        for c, values in zip(cols, parts, strict=True):
            out[c] = values


def _tidy_elements(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in their order, names filled in with ids, kinds and owners as categories, numbers as floats."""
    out = pd.DataFrame(index=frame.index)
    out["id"] = frame["id"]
    name = frame["name"] if "name" in frame.columns else pd.Series(pd.NA, index=frame.index, dtype=object)
    out["name"] = name.where(name.notna(), frame["id"])
    out["kind"] = frame["kind"].astype("category")
    out["owner"] = frame["owner"].astype("category") if "owner" in frame.columns else \
        pd.Categorical([None] * len(frame))
    for col in ELEMENT_RANGES:
        out[col] = pd.to_numeric(frame[col]).astype(np.float64) if col in frame.columns else np.nan
    for col in ("description", "tags", "properties"):
        if col in frame.columns and frame[col].notna().any():
            out[col] = frame[col]
    _ranges(frame, out, ELEMENT_RANGES)
    return out


def _tidy_links(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in their order, a strength of 1 where none is given, groups as text, needs as floats (NaN: none)."""
    out = pd.DataFrame(index=frame.index)
    out["source"] = frame["source"]
    out["target"] = frame["target"]
    strength = pd.to_numeric(frame["strength"]).astype(np.float64) if "strength" in frame.columns else None
    out["strength"] = np.full(len(frame), np.nan) if strength is None else strength.to_numpy()
    _ranges(frame, out, LINK_RANGES)
    out["strength"] = out["strength"].fillna(1.0)
    out["group"] = frame["group"] if "group" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    out["needs"] = pd.to_numeric(frame["needs"]).astype(np.float64) if "needs" in frame.columns else np.nan
    cols = ["source", "target", "strength", "group", "needs"]
    return out[cols + [c for c in out.columns if c not in cols]]


def needs_model(model: Any, analysis: str) -> None:
    """Raise :class:`~cxgraph.AnalysisInputError` when ``model`` is an :class:`Estate`: ``analysis`` needs a Model.

    Examples
    --------
    >>> from cxgraph.model.estate import needs_model
    >>> needs_model(cx.Estate.from_model(cx.examples.load("retail-bank")), "gaps")
    Traceback (most recent call last):
    ...
    cxgraph.errors.AnalysisInputError: gaps needs the whole model, not an estate of tables: call estate.to_model() ...
    """
    if isinstance(model, Estate):
        raise AnalysisInputError(f"{analysis} needs the whole model, not an estate of tables: call "
                                 "estate.to_model() first (fine for estates of up to about 100,000 elements)")
