"""Reliability (the unavailability ``q`` of DESIGN §3) and applying initiatives to a model."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import UnknownIdError
from .changes import Initiative, Setting
from .items import Dependency, Element
from .numbers import point

__all__ = ["HOURS_PER_YEAR", "apply_initiatives", "unavailability"]

HOURS_PER_YEAR = 8766.0
"""Hours in a year (365.25 days), as DESIGN §3 counts them."""

_RELIABILITY = ("availability", "failures_per_year", "recovery_hours")


def unavailability(element: Element) -> float:
    """Return ``q(x)``: the share of the period the element is down (0 without reliability data).

    ``1 - availability``, or ``min(1, failures_per_year * recovery_hours / 8766)``.

    Examples
    --------
    >>> cx.model.unavailability(cx.Element(id="db", name="DB", kind="data", availability=0.995))
    0.005...
    >>> cx.model.unavailability(cx.Element(id="db", name="DB", kind="data", failures_per_year=2, recovery_hours=4.383))
    0.001
    >>> cx.model.unavailability(cx.Element(id="db", name="DB", kind="data"))
    0.0
    """
    if element.availability is not None:
        return 1.0 - point(element.availability)
    if element.failures_per_year is not None and element.recovery_hours is not None:
        return min(1.0, point(element.failures_per_year) * point(element.recovery_hours) / HOURS_PER_YEAR)
    return 0.0


def _q_of(fields: dict[str, Any]) -> float:
    if fields.get("availability") is not None:
        return 1.0 - point(fields["availability"])
    if fields.get("failures_per_year") is not None and fields.get("recovery_hours") is not None:
        return min(1.0, point(fields["failures_per_year"]) * point(fields["recovery_hours"]) / HOURS_PER_YEAR)
    return 1.0 if fields.get("failures_per_year") is not None else 0.0


def _best_setting(element: Element, settings: list[Setting]) -> dict[str, Any]:
    """Return the reliability fields after the settings: the lowest ``q`` wins, then the shortest recovery."""
    current = {name: getattr(element, name) for name in _RELIABILITY}
    candidates = []
    for s in settings:
        fields = dict(current)
        if s.availability is not None:
            fields["availability"], fields["failures_per_year"] = s.availability, None
        if s.failures_per_year is not None:
            fields["failures_per_year"], fields["availability"] = s.failures_per_year, None
        if s.recovery_hours is not None:
            fields["recovery_hours"] = s.recovery_hours
        hours = fields["recovery_hours"]
        candidates.append((_q_of(fields), point(hours) if hours is not None else float("inf"), fields))
    best = min(candidates, key=lambda c: (c[0], c[1]))
    return best[2]


def _better(a: Any, b: Any, lower: bool) -> Any:
    return a if (point(a) < point(b)) == lower and point(a) != point(b) else b


def _copy_touched(model: Any, chosen: list[Initiative]) -> Any:
    """Return a copy of ``model`` whose lists are new and whose items the initiatives change are deep copies.

    Items nothing changes are shared with ``model`` (they are never written to), which keeps applying
    a few initiatives to a large estate cheap.
    """
    touched: set[str] = set()
    for ini in chosen:
        touched.update(ref.source for ref in ini.removes)
        touched.update(link.source for link in (ini.adds.links if ini.adds else []))
        touched.update(s.element for s in ini.sets)
        touched.update(imp.metric for imp in ini.improves)

    def copy(item: Any) -> Any:
        return item.model_copy(deep=True) if item.id in touched else item

    journeys = []
    for j in model.journeys:
        if any(tp.id in touched for tp in j.touchpoints):
            j = j.model_copy(update={"touchpoints": [copy(tp) for tp in j.touchpoints]})
        journeys.append(j)
    new = model.model_copy(update={
        "journeys": journeys, "elements": [copy(e) for e in model.elements],
        "metrics": [copy(m) for m in model.metrics],
        "initiatives": [i.model_copy(deep=True) for i in model.initiatives],
    })
    new._cache = {}
    return new


def apply_initiatives(model: Any, ids: Iterable[str]) -> Any:
    """Return a copy of ``model`` with the initiatives ``ids`` applied (the model itself is untouched).

    As DESIGN §3 orders it: every ``removes``, then every ``adds`` (an element or link added
    twice is added once), then ``sets`` and ``improves``; where several initiatives set one
    value the best counts (the lowest unavailability, the metric value best for its direction).
    The initiatives applied are done: the new model no longer lists them, nor requires them.

    Examples
    --------
    >>> m = cx.Model(name="Tiny")
    >>> buy = m.add_journey("buy", "Buy", customers=100)
    >>> _ = buy.add_touchpoint("pay", "Pay", depends_on=["psp-a"])
    >>> _ = m.add_element("psp-a", "PSP A", kind="vendor", availability=0.99)
    >>> _ = m.add_initiative("second-psp", "Second PSP", cost=10, removes=[{"from": "pay", "element": "psp-a"}],
    ...     adds={"elements": [{"id": "psp-b", "name": "PSP B", "kind": "vendor", "availability": 0.99}],
    ...           "links": [{"from": "pay", "element": "psp-a", "group": "psp"},
    ...                     {"from": "pay", "element": "psp-b", "group": "psp"}]})
    >>> after = cx.model.apply_initiatives(m, ["second-psp"])
    >>> [(d.element, d.group) for d in after.journeys[0].touchpoints[0].depends_on]
    [('psp-a', 'psp'), ('psp-b', 'psp')]
    >>> len(m.elements), len(after.elements)
    (1, 2)
    """
    by_id = {i.id: i for i in model.initiatives}
    chosen: list[Initiative] = []
    for iid in ids:
        if iid not in by_id:
            raise UnknownIdError(str(iid), list(by_id), what="initiative")
        if by_id[iid] not in chosen:
            chosen.append(by_id[iid])
    if not chosen:
        new = model.model_copy(deep=True)
        new._cache = {}
        return new
    new = _copy_touched(model, chosen)
    dependents: dict[str, Any] = {tp.id: tp for tp in new.touchpoints}
    dependents.update({e.id: e for e in new.elements})
    # 1. every removes
    for ini in chosen:
        for ref in ini.removes:
            owner = dependents.get(ref.source)
            if owner is not None:
                owner.depends_on = [d for d in owner.depends_on if d.element != ref.element]
    # 2. every adds: elements, then links (the same link added twice is added once)
    known = {e.id for e in new.elements}
    for ini in chosen:
        for element in ini.adds.elements if ini.adds else []:
            if element.id not in known:
                copy = element.model_copy(deep=True)
                new.elements.append(copy)
                dependents[copy.id] = copy
                known.add(copy.id)
    for ini in chosen:
        for link in ini.adds.links if ini.adds else []:
            owner = dependents.get(link.source)
            if owner is None:
                raise UnknownIdError(link.source, list(dependents), what="touchpoint or element")
            dep = Dependency(element=link.element, strength=link.strength, group=link.group)
            if not any(d.element == dep.element for d in owner.depends_on):
                owner.depends_on.append(dep)
    # 3. sets (the lowest q wins) and improves (the best value wins)
    settings: dict[str, list[Setting]] = {}
    for ini in chosen:
        for s in ini.sets:
            settings.setdefault(s.element, []).append(s)
    for eid, group in settings.items():
        element = dependents.get(eid)
        if not isinstance(element, Element):
            raise UnknownIdError(eid, [e.id for e in new.elements], what="element")
        fields = _best_setting(element, group)
        element.__dict__.update(fields)  # the fields form one valid whole; assigning one by one would not
    metrics = {m.id: m for m in new.metrics}
    best: dict[str, Any] = {}
    for ini in chosen:
        for imp in ini.improves:
            metric = metrics.get(imp.metric)
            if metric is None:
                raise UnknownIdError(imp.metric, list(metrics), what="metric")
            lower = metric.better == "lower"
            best[imp.metric] = imp.to if imp.metric not in best else _better(imp.to, best[imp.metric], lower)
    for mid, value in best.items():
        metrics[mid].actual = value
    # 4. the initiatives applied are done: they leave the list, and no other initiative requires them any more
    done = {ini.id for ini in chosen}
    new.initiatives = [i for i in new.initiatives if i.id not in done]
    for ini in new.initiatives:
        if any(r in done for r in ini.requires):
            ini.requires = [r for r in ini.requires if r not in done]
    return new
