"""The base every analysis result shares: tables, JSON, notebook display and plotting."""

from __future__ import annotations

import functools
import html
import importlib
import json
import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ANALYSES", "Result", "jsonable"]

#: The name of each analysis in the result format, by result class.
ANALYSES = {"ImpactResult": "impact", "WhatIfResult": "what_if", "SpofResult": "single_points_of_failure",
            "ExplainResult": "explain", "PainResult": "pain", "GapsResult": "gaps", "PrioritiesResult": "priorities",
            "ScorecardResult": "scorecard", "CompareResult": "compare", "PlanResult": "plan",
            "FrontierResult": "plan_frontier", "SensitivityResult": "sensitivity", "RiskResult": "risk",
            "ResilienceResult": "resilience", "ResilienceMapResult": "resilience_map"}


def jsonable(value: Any) -> Any:
    """Turn numpy and pandas values into plain Python for JSON (NaN becomes ``None``).

    Examples
    --------
    >>> import numpy as np
    >>> cx.analysis.jsonable({"a": np.float64(1.5), "b": [np.int64(2), float("nan")]})
    {'a': 1.5, 'b': [2, None]}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class Result:
    """Base of every analysis result.

    A subclass provides :meth:`to_frame` (its main table) and :meth:`to_dict`
    (everything, as plain data); it gets :meth:`to_json`, notebook display and
    :meth:`plot` from here. Results are read-only snapshots: analyses never
    change them after returning.

    Every subclass's :meth:`to_dict` comes out in the one result format of DESIGN §5
    (:func:`cxgraph.analysis._envelope.envelope`): the envelope ``cxgraph_result``,
    ``analysis``, ``model``, ``measure``, ``unit``, ``notes``, then ``items`` rows with
    ``id``, ``name`` and ``type``. Its JSON Schema is :func:`cxgraph.analysis.result_schema`.

    Examples
    --------
    >>> class TinyResult(cx.analysis.Result):
    ...     unit = "interactions / month"
    ...     def to_frame(self):
    ...         import pandas as pd
    ...         return pd.DataFrame({"element": ["a"], "name": ["A"], "impact": [2.0]})
    ...     def to_dict(self):
    ...         return {"rows": self.to_frame()}
    >>> TinyResult().to_json()  # doctest: +NORMALIZE_WHITESPACE
    '{"cxgraph_result": 1, "analysis": "tiny", "model": null, "measure": null, "unit": "interactions / month",
      "notes": [], "items": [{"id": "a", "name": "A", "type": "element", "impact": 2.0}]}'
    """

    #: Heading shown above the table in a notebook.
    title: str = "Result"
    #: The analysis's name in the result format (``"impact"``); by default from the class name.
    analysis: str = ""
    #: Rows shown in a notebook before "... and N more".
    html_rows: int = 15

    def to_frame(self) -> pd.DataFrame:
        """Return the main table as a pandas DataFrame."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """Return everything in the result as plain data (lists, dicts, numbers, text)."""
        raise NotImplementedError

    if TYPE_CHECKING:
        # Results keep their state in attributes set at construction (``object.__setattr__``);
        # type checkers read each result's attributes from its docstring, not from declarations.
        def __getattr__(self, name: str) -> Any: ...

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("analysis"):
            cls.analysis = ANALYSES.get(cls.__name__) or re.sub(
                r"(?<!^)(?=[A-Z])", "_", cls.__name__.removesuffix("Result")).lower()
        content = cls.__dict__.get("to_dict")
        if content is not None and not getattr(content, "_enveloped", False):
            @functools.wraps(content)
            def to_dict(self: Result) -> dict[str, Any]:
                return self._envelope(jsonable(content(self)))

            to_dict._enveloped = True  # type: ignore[attr-defined]
            cls.to_dict = to_dict  # type: ignore[method-assign]

    def _envelope(self, content: dict[str, Any]) -> dict[str, Any]:
        from ._envelope import envelope

        if "cxgraph_result" in content:  # written in the result format already
            return content

        measure = getattr(self, "measure", None)
        return envelope(self.analysis, content, model=getattr(self, "model_name", None),
                        measure=measure if isinstance(measure, str) else None, unit=getattr(self, "unit", None),
                        notes=getattr(self, "notes", ()) or ())

    def to_json(self, *, indent: int | None = None) -> str:
        """Return :meth:`to_dict` as JSON text, floats at full precision."""
        return json.dumps(jsonable(self.to_dict()), indent=indent, ensure_ascii=False, allow_nan=False)

    def plot(self, ax: Axes | None = None, **options: Any) -> Any:
        """Draw the figure that suits this result (see :mod:`cxgraph.draw`) and return it."""
        draw = importlib.import_module("cxgraph.draw")
        return draw.plot_result(self, ax=ax, **options)

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        shown = frame.head(self.html_rows)
        more = len(frame) - len(shown)
        tail = f"<p>… and {more} more rows (use <code>.to_frame()</code>)</p>" if more > 0 else ""
        table = shown.to_html(index=False, float_format=lambda x: f"{x:,.4g}", border=0)
        return f"<div><strong>{html.escape(self.title)}</strong>{table}{tail}</div>"

    def __repr__(self) -> str:
        frame = self.to_frame()
        with pd.option_context("display.width", 120, "display.max_rows", 12):
            return f"{self.title}\n{frame.head(10).to_string(index=False)}" + (
                f"\n... {len(frame) - 10} more rows" if len(frame) > 10 else "")
