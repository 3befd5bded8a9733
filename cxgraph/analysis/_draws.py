"""Every uncertain input of a model, and reproducible random draws of them.

An input is any number written as a range, ``{low, high}`` (uniform) or ``{low, mode, high}``
(triangular): a journey's customers, a touchpoint's reach or importance, a dependency's
strength, a metric's actual or target value, an initiative's cost or the value it sets a metric
``to``. Each input draws from its own stream, ``numpy.random.default_rng([seed, crc32(label)])``,
so a run is reproducible with its seed and making one more number uncertain leaves the draws of
the others unchanged.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from ..model import Model, Uncertain

__all__ = ["Input", "draw", "uncertain_inputs"]


@dataclass(frozen=True)
class Input:
    """One uncertain number: where it is (``field`` of ``item``), a readable label, its range.

    ``target`` is what it belongs to in the arrays: the journey, touchpoint, (dependent,
    dependency) pair, metric or initiative id, and for ``to`` the (initiative, metric) pair.

    Examples
    --------
    >>> from cxgraph.analysis._draws import uncertain_inputs
    >>> inputs = uncertain_inputs(cx.examples.load("retail-bank"))
    >>> inputs[0].label, inputs[0].distribution
    ('open-account.customers', 'triangular')
    """

    label: str
    item: str
    field: str
    target: tuple[str, ...]
    low: float
    mode: float | None
    high: float

    @property
    def point(self) -> float:
        """The value deterministic analyses use: the mode, or the midpoint without one."""
        return self.mode if self.mode is not None else (self.low + self.high) / 2.0

    @property
    def distribution(self) -> str:
        """``"uniform"`` (no mode) or ``"triangular"``."""
        return "uniform" if self.mode is None else "triangular"


def _input(label: str, item: str, field: str, target: tuple[str, ...], value: object) -> Input | None:
    if not isinstance(value, Uncertain):
        return None
    return Input(label, item, field, target, float(value.low), None if value.mode is None else float(value.mode),
                 float(value.high))


def uncertain_inputs(model: Model) -> list[Input]:
    """Return every uncertain number in the model, in document order.

    Examples
    --------
    >>> from cxgraph.analysis._draws import uncertain_inputs
    >>> m = cx.Model()
    >>> j = m.add_journey("j", "J", customers={"low": 10, "high": 20})
    >>> _ = j.add_touchpoint("t", "T", depends_on=[{"element": "e", "strength": {"low": 0.2, "high": 0.6}}])
    >>> [i.label for i in uncertain_inputs(m)]
    ['j.customers', 't->e.strength']
    """
    found: list[Input | None] = []
    for journey in model.journeys:
        found.append(_input(f"{journey.id}.customers", journey.id, "customers", (journey.id,), journey.customers))
        found.append(_input(f"{journey.id}.importance", journey.id, "journey_importance", (journey.id,),
                            journey.importance))
        for tp in journey.touchpoints:
            found.append(_input(f"{tp.id}.reach", tp.id, "reach", (tp.id,), tp.reach))
            found.append(_input(f"{tp.id}.importance", tp.id, "importance", (tp.id,), tp.importance))
            for dep in tp.depends_on:
                found.append(_input(f"{tp.id}->{dep.element}.strength", tp.id, "strength", (tp.id, dep.element),
                                    dep.strength))
    for element in model.elements:
        for dep in element.depends_on:
            found.append(_input(f"{element.id}->{dep.element}.strength", element.id, "strength",
                                (element.id, dep.element), dep.strength))
        for name in ("availability", "failures_per_year", "recovery_hours"):
            found.append(_input(f"{element.id}.{name}", element.id, name, (element.id,), getattr(element, name)))
    for metric in model.metrics:
        found.append(_input(f"{metric.id}.actual", metric.id, "actual", (metric.id,), metric.actual))
        found.append(_input(f"{metric.id}.target", metric.id, "target", (metric.id,), metric.target))
        found.append(_input(f"{metric.id}.ideal", metric.id, "ideal", (metric.id,), metric.ideal))
    for ini in model.initiatives:
        found.append(_input(f"{ini.id}.cost", ini.id, "cost", (ini.id,), ini.cost))
        for imp in ini.improves:
            found.append(_input(f"{ini.id}.improves.{imp.metric}.to", ini.id, "to", (ini.id, imp.metric), imp.to))
    return [i for i in found if i is not None]


def draw(inputs: list[Input], samples: int, seed: int) -> np.ndarray:
    """Return a ``samples x len(inputs)`` array of draws: uniform without a mode, triangular with one.

    Examples
    --------
    >>> from cxgraph.analysis._draws import Input, draw
    >>> x = draw([Input("a", "a", "reach", ("a",), 0.2, None, 0.4)], 1000, seed=1)
    >>> bool(x.min() >= 0.2 and x.max() <= 0.4), x.shape
    (True, (1000, 1))
    >>> bool((draw([Input("a", "a", "reach", ("a",), 0.2, None, 0.4)], 1000, seed=1) == x).all())
    True
    """
    out = np.empty((samples, len(inputs)))
    for k, spec in enumerate(inputs):
        rng = np.random.default_rng([seed, zlib.crc32(spec.label.encode("utf-8"))])
        if spec.low == spec.high:
            out[:, k] = spec.low
        elif spec.mode is None:
            out[:, k] = rng.uniform(spec.low, spec.high, samples)
        else:
            out[:, k] = rng.triangular(spec.low, spec.mode, spec.high, samples)
    return out
