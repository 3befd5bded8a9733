"""Analysis results written as ArchiMate properties.

Every numeric column of a result's table (or of a DataFrame), or every ``{id: value}``
mapping, is written on the items it names as ``cxgraph:<column>``, declared as numbers. A
result's ``rank`` column is named after the result (``cxgraph:impact-rank``,
``cxgraph:pain-rank``, ``cxgraph:priorities-rank``), so several results can be written
together: ``result=[impact, pain, priorities]``. Columns that repeat an input (``effort``)
are not written again.

Examples
--------
>>> from cxgraph.io.archimate.results import result_properties
>>> result_properties({"impact": {"pay": 120.0}})
{'cxgraph:impact': {'pay': 120.0}}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ...errors import FormatError
from .props import PREFIX, RESERVED

__all__ = ["Results", "result_properties"]

_ID_COLUMNS = ("id", "element", "capability", "touchpoint")

Results = Any
"""A result (anything with ``to_frame()``), a DataFrame, a mapping ``{name: {id: value}}``, or a list of them."""


def result_properties(result: Results) -> dict[str, dict[str, float]]:
    """Return ``{property key: {item id: value}}`` for results to write as properties.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxgraph.io.archimate.results import result_properties
    >>> frame = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "impact": [3.0, 1.0], "rank": [1, 2]})
    >>> result_properties([frame, {"pain": {"a": 0.5}}])
    {'cxgraph:impact': {'a': 3.0, 'b': 1.0}, 'cxgraph:rank': {'a': 1, 'b': 2}, 'cxgraph:pain': {'a': 0.5}}
    """
    out: dict[str, dict[str, float]] = {}
    parts = list(result) if isinstance(result, list | tuple) else [result]
    for part in parts:
        rank = "rank"
        if hasattr(part, "to_frame") and not isinstance(part, pd.DataFrame | Mapping):
            rank = type(part).__name__.removesuffix("Result").lower() + "-rank"  # impact-rank, pain-rank, ...
            part = part.to_frame()
        if isinstance(part, pd.DataFrame):
            id_column = next((c for c in _ID_COLUMNS if c in part.columns), None)
            if id_column is None:
                raise FormatError(f"a result table needs an id column (one of {', '.join(_ID_COLUMNS)}); "
                                  f"it has {', '.join(map(str, part.columns))}")
            for column in part.columns:
                series = part[column]
                if column == id_column or series.dtype == bool or not pd.api.types.is_numeric_dtype(series) \
                        or str(column) in RESERVED:  # an input such as effort: the model already holds it
                    continue
                values = {str(i): v.item() if hasattr(v, "item") else v for i, v in zip(part[id_column], series,
                                                                                       strict=True)}
                out[_key(rank if column == "rank" else str(column))] = values
        elif isinstance(part, Mapping):
            for name, values in part.items():
                if not isinstance(values, Mapping):
                    raise FormatError(f"result {name!r}: expected a mapping of ids to numbers")
                out[_key(str(name))] = dict(values)
        else:
            raise FormatError(f"cannot write {type(part).__name__} as properties: give a result, a DataFrame or a "
                              "mapping {name: {id: value}}")
    return out


def _key(name: str) -> str:
    key = name if ":" in name else PREFIX + name
    if key.startswith(PREFIX) and key.removeprefix(PREFIX) in RESERVED:
        raise FormatError(f"a result named {name!r} would be written as {key!r}, which cxgraph reads as an "
                          "instruction: rename it")
    return key
