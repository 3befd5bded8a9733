"""Scenarios as sets of failed elements with recovery times, and the step functions of loss over time.

DESIGN.md section 3, "Disruption over time and impact tolerance": a scenario fails a set
``F`` of elements at time 0; each comes back after its recovery time. The elements down at
``tau`` are ``F(tau) = {x in F : recovery(x) > tau}``, so the journey loss is a step
function that changes only at the distinct recovery times ``t_1 < ... < t_k``: on
``[t_(i-1), t_i)`` (``t_0 = 0``) it is the loss with ``{x : recovery(x) > t_(i-1)}`` failed,
and from ``t_k`` on nothing is down. Each step is one propagation; every step of every
scenario goes through the engine in one batch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import AnalysisInputError, UnknownIdError
from ..model import Model, point
from ..model.selectors import selector_matches

__all__ = ["ResolvedScenario", "StepBatch", "pick_scenarios", "resolve_scenarios", "steps"]


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario reduced to what the computation needs: node indices and their recovery hours."""

    id: str
    name: str
    reason: str
    nodes: np.ndarray  # node indices of the failed elements, ascending
    recovery: np.ndarray  # recovery hours of each, same order


@dataclass(frozen=True)
class StepBatch:
    """Every step of every scenario, laid out for one engine batch.

    Scenario ``s`` has steps ``step_ptr[s]:step_ptr[s+1]``; step ``i`` of it starts at
    ``times[s][i]`` (``times[s][0] = 0``) and ends at ``times[s][i + 1]``; from
    ``times[s][-1]`` on nothing is down.
    """

    batch: list[dict[int, float]]
    step_ptr: np.ndarray
    times: list[np.ndarray]


def _as_scenarios(value: Any) -> list[Any]:
    from ..model import Scenario  # the class arrives with the model; imported where it is used

    if isinstance(value, Scenario | dict):
        value = [value]
    out = []
    for item in value:
        if isinstance(item, Scenario):
            out.append(item)
        elif isinstance(item, dict):
            out.append(Scenario.model_validate(item))
        else:
            raise AnalysisInputError(f"expected a scenario (a Scenario, a mapping or a scenario id), got {item!r}")
    return out


def pick_scenarios(model: Model, scenarios: Any) -> list[Any]:
    """Return the scenarios asked for: the model's (``None``), some of them by id, or the ones given."""
    if scenarios is None:
        return list(model.scenarios)
    if isinstance(scenarios, str):
        scenarios = [scenarios]
    if not isinstance(scenarios, Iterable):
        raise AnalysisInputError(f"scenarios must be None, 'plausible', ids or scenarios, got {scenarios!r}")
    items = list(scenarios)
    by_id = {s.id: s for s in model.scenarios}
    out = []
    for item in items:
        if isinstance(item, str):
            if item not in by_id:
                raise UnknownIdError(item, by_id, what="scenario")
            out.append(by_id[item])
        else:
            out.extend(_as_scenarios(item))
    return out


def resolve_scenarios(model: Model, index: dict[str, int], scenarios: Sequence[Any]) -> list[ResolvedScenario]:
    """Return each scenario's failed elements (``fail`` plus ``fail_where``) with their recovery hours.

    Raises :class:`AnalysisInputError` naming every unknown element, selector that matches
    nothing and failed element without a recovery time (the model checks report the same
    for scenarios written in a model file).
    """
    elements = {e.id: e for e in model.elements}
    problems: list[str] = []
    missing: dict[str, list[str]] = {}
    out = []
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.id in seen:
            problems.append(f"scenario id {scenario.id!r} is given twice")
        seen.add(scenario.id)
        failed: list[str] = []
        for eid in scenario.fail:
            if eid not in elements:
                raise UnknownIdError(eid, elements, what=f"element in scenario {scenario.id!r}")
            failed.append(eid)
        where = scenario.fail_where
        if where is not None:
            selector = where.model_dump(exclude_none=True)
            picked = [e.id for e in model.elements if selector_matches(
                selector, tags=e.tags, kind=e.kind, owner=e.owner, properties=e.properties)]
            if not picked:
                problems.append(f"scenario {scenario.id!r}: fail_where ({where.describe()}) "
                                "matches no element")
            failed.extend(picked)
        hours = dict(scenario.hours)
        ids = sorted(set(failed), key=index.__getitem__)
        recovery = []
        for eid in ids:
            value = hours.get(eid, elements[eid].recovery_hours)
            if value is None:
                missing.setdefault(eid, []).append(scenario.id)
                recovery.append(math.nan)
                continue
            number = float(point(value))
            if not math.isfinite(number) or number < 0:
                problems.append(f"scenario {scenario.id!r}: hours of {eid!r} must be a finite number >= 0, "
                                f"got {value!r}")
            recovery.append(number)
        failing = set(ids)
        for eid in hours:
            if eid not in failing:
                problems.append(f"scenario {scenario.id!r}: hours names {eid!r}, which the scenario does not fail")
        out.append(ResolvedScenario(id=scenario.id, name=scenario.name, reason=scenario.description or "",
                                    nodes=np.asarray([index[e] for e in ids], np.int64),
                                    recovery=np.asarray(recovery, np.float64)))
    if missing:
        listed = ", ".join(f"{eid!r} (in {', '.join(map(repr, sids[:3]))}{' ...' if len(sids) > 3 else ''})"
                           for eid, sids in missing.items())
        problems.append(f"{len(missing)} failed element{'s' * (len(missing) != 1)} without a recovery time: "
                        f"{listed}; give each `recovery_hours`, or the scenario `hours: {{ID: ...}}`")
    if problems:
        raise AnalysisInputError("; ".join(problems))
    return out


def steps(scenarios: Sequence[ResolvedScenario]) -> StepBatch:
    """Return the batch of propagations that gives every scenario's loss over time.

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.analysis._disruption import ResolvedScenario, steps
    >>> s = ResolvedScenario("s", "S", "", np.array([7, 9]), np.array([4.0, 12.0]))
    >>> plan = steps([s])
    >>> plan.batch, plan.times[0].tolist()
    ([{7: 1.0, 9: 1.0}, {9: 1.0}], [0.0, 4.0, 12.0])
    """
    batch: list[dict[int, float]] = []
    ptr = [0]
    times = []
    for s in scenarios:
        ends = np.unique(s.recovery[s.recovery > 0])
        starts = np.concatenate([[0.0], ends])
        for start in starts[:-1]:
            batch.append(dict.fromkeys(s.nodes[s.recovery > start].tolist(), 1.0))
        ptr.append(len(batch))
        times.append(starts)
    return StepBatch(batch=batch, step_ptr=np.asarray(ptr, np.int64), times=times)
