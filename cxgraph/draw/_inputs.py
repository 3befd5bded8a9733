"""Reading the numbers a figure shows from analysis results (or plain mappings)."""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import AnalysisInputError
from ..model import Model

__all__ = ["Values", "impact_values", "kind_of"]


@dataclass(frozen=True)
class Values:
    """Numbers to colour by: ``values[id]``, in ``unit``, described by ``label``."""

    values: dict[str, float]
    unit: str
    label: str


def _clean(mapping: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in mapping.items():
        number = float(value)
        if math.isnan(number):
            continue
        out[str(key)] = number
    return out


def impact_values(model: Model, result: Any = None, *, journey: str | None = None) -> Values:
    """Return the customer impact of every item to colour a figure by.

    ``result`` is an ``ImpactResult`` (``.impact`` and ``.unit``), a mapping of id to number,
    or ``None`` (the impact is computed with ``cx.impact(model)``). With ``journey``, the
    impact on that journey alone is used where the result has ``.by_journey``.

    Examples
    --------
    >>> from cxgraph.draw._inputs import impact_values
    >>> v = impact_values(cx.Model(), {"a": 3, "b": 1.5})
    >>> v.values, v.label
    ({'a': 3.0, 'b': 1.5}, 'impact')
    """
    if result is None:
        result = importlib.import_module("cxgraph").impact(model)
    if isinstance(result, Mapping):
        return Values(_clean(result), "", "impact")
    values = getattr(result, "impact", None)
    if not isinstance(values, Mapping):
        raise AnalysisInputError(
            f"expected an impact result (from cx.impact) or a mapping of id to number, got {type(result).__name__}")
    unit = str(getattr(result, "unit", "") or "")
    label = f"customer impact ({unit})" if unit else "customer impact"
    by_journey = getattr(result, "by_journey", None)
    if journey is not None and by_journey is not None and journey in getattr(by_journey, "columns", ()):
        column = by_journey[journey]
        name = next((j.name for j in model.journeys if j.id == journey), journey)
        return Values(_clean(column.fillna(0.0).to_dict()), unit,
                      f"impact on “{name}” ({unit})" if unit else f"impact on “{name}”")
    return Values(_clean(values), unit, label)


def kind_of(model: Model) -> dict[str, str]:
    """Return the kind of every touchpoint ("touchpoint"), element (its kind) and capability ("capability").

    Examples
    --------
    >>> from cxgraph.draw._inputs import kind_of
    >>> kind_of(cx.examples.load("retail-bank"))["core-banking"]
    'system'
    """
    kinds = {tp.id: "touchpoint" for tp in model.touchpoints}
    kinds.update({el.id: el.kind for el in model.elements})
    kinds.update({cap.id: "capability" for cap in model.capabilities})
    return kinds
