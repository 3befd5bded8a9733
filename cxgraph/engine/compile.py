"""Compiling a :class:`~cxgraph.Model` once into the indexed arrays every analysis reuses.

Node numbering: the touchpoints first (journey by journey, in customer order), then the
elements (in model order). Dependencies are stored per node as redundancy groups, each
with its ``needs`` k and its links (target node, point strength); a link without a group
is a group of its own with k = 1. The reverse links, the strongly connected components
and an evaluation order (dependencies first, each component contiguous) come with it, as do
touchpoint weights, journeys, segments and the element set of every capability (its own
realisers and those of all its descendants).

Compiling checks the model first (:meth:`Model.check`) and is cached on the model together
with a snapshot of its content (:func:`fingerprint`); the next call compares a fresh snapshot
with it (a walk over the model, far cheaper than serialising it), so an edited model is
compiled again. The model's own data is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import AnalysisInputError, UnknownIdError
from ..model import Model, point
from .layout import components, kernel_arrays
from .snapshot import fingerprint

if TYPE_CHECKING:
    from .scenarios import BatchOutput

__all__ = ["NO_SEGMENT", "CompiledModel", "compile_model", "fingerprint"]

NO_SEGMENT = "(no segment)"
"""The segment name used for journeys that have none."""

_CACHE_KEY = "cxgraph.engine.compiled"


@dataclass(frozen=True, eq=False, repr=False)
class CompiledModel:
    """A model compiled into index arrays; build it with :func:`compile_model`.

    Attributes hold numpy arrays (``int64`` indices, ``float64`` numbers) and lists of ids.
    The compiled form is read-only: analyses share it.

    Examples
    --------
    >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
    >>> c.ids[: c.n_touchpoints] == [t.id for t in cx.examples.load("retail-bank").touchpoints]
    True
    """

    model_name: str
    period: str
    ids: list[str]
    names: list[str]
    kinds: list[str]
    n_touchpoints: int
    index: dict[str, int]
    # dependencies, grouped
    node_groups: np.ndarray
    group_links: np.ndarray
    group_needs: np.ndarray
    group_names: list[str | None]
    link_target: np.ndarray
    link_strength: np.ndarray
    # reverse links (who depends on v), with the link index of each
    rev_ptr: np.ndarray
    rev_src: np.ndarray
    rev_link: np.ndarray
    # strongly connected components and evaluation order
    order: np.ndarray
    position: np.ndarray
    component: np.ndarray
    cyclic: np.ndarray
    # touchpoints, journeys, segments
    tp_journey: np.ndarray
    tp_reach: np.ndarray
    tp_importance: np.ndarray
    journey_ids: list[str]
    journey_names: list[str]
    journey_segment: np.ndarray
    journey_customers: np.ndarray
    journey_revenue: np.ndarray
    segment_names: list[str]
    # capabilities
    capability_ids: list[str]
    capability_names: list[str]
    capability_parent: list[str | None]
    cap_ptr: np.ndarray
    cap_members: np.ndarray
    capability_index: dict[str, int]
    owners: list[str | None] = field(default_factory=list)
    kernel_arrays: tuple[np.ndarray, ...] = ()

    # ------------------------------------------------------------------ sizes
    @property
    def n_nodes(self) -> int:
        """Touchpoints plus elements."""
        return len(self.ids)

    @property
    def n_elements(self) -> int:
        """Number of elements."""
        return len(self.ids) - self.n_touchpoints

    @property
    def n_links(self) -> int:
        """Number of dependency links."""
        return int(self.link_target.shape[0])

    def __repr__(self) -> str:
        return (f"CompiledModel({self.model_name!r}: {self.n_touchpoints} touchpoints, {self.n_elements} elements, "
                f"{self.n_links} links, {len(self.capability_ids)} capabilities)")

    # ------------------------------------------------------------------ weights
    def weights(self, weight: str | Mapping[str, float] = "customers") -> tuple[np.ndarray, str]:
        """Return the weight of every touchpoint and its unit for ``weight``.

        ``"customers"``: customers x reach x importance; ``"revenue"``: revenue x reach x
        importance (every journey needs a revenue); a mapping: touchpoint id -> weight,
        touchpoints not in it weigh 0.

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> w, unit = c.weights("customers")
        >>> unit, len(w) == c.n_touchpoints
        ('interactions / month', True)
        """
        if isinstance(weight, str):
            base: np.ndarray
            if weight == "customers":
                base, unit = self.journey_customers, f"interactions / {self.period}"
            elif weight == "revenue":
                missing = [j for j, r in zip(self.journey_ids, self.journey_revenue, strict=True) if np.isnan(r)]
                if missing:
                    raise AnalysisInputError(
                        "weight='revenue' needs a revenue on every journey; no revenue on: " + ", ".join(missing)
                        + " (give those journeys `revenue: 0` if no revenue depends on them)")
                base, unit = self.journey_revenue, f"revenue / {self.period}"
            else:
                raise AnalysisInputError(
                    f"unknown weight {weight!r}: use 'customers', 'revenue' or a mapping touchpoint id -> weight")
            w = base[self.tp_journey] * self.tp_reach * self.tp_importance if self.n_touchpoints else np.zeros(0)
            return np.ascontiguousarray(w, dtype=np.float64), unit
        if not isinstance(weight, Mapping):
            raise AnalysisInputError("weight must be 'customers', 'revenue' or a mapping touchpoint id -> weight, "
                                     f"got {type(weight).__name__}")
        w = np.zeros(self.n_touchpoints)
        tp_ids = self.ids[: self.n_touchpoints]
        for tid, value in weight.items():
            i = self.index.get(tid, -1) if isinstance(tid, str) else -1
            if not 0 <= i < self.n_touchpoints:
                raise UnknownIdError(str(tid), tp_ids, what="touchpoint")
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise AnalysisInputError(f"weight of touchpoint {tid!r} must be a number, got {value!r}") from None
            if not np.isfinite(number) or number < 0:
                raise AnalysisInputError(f"weight of touchpoint {tid!r} must be a finite number >= 0, got {value!r}")
            w[i] = number
        return w, f"weight / {self.period}"

    # ------------------------------------------------------------------ ids
    def node(self, id: str) -> int:
        """Return the node index of a touchpoint or element id; raise :class:`UnknownIdError` otherwise.

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> c.ids[c.node("core-banking")]
        'core-banking'
        """
        i = self.index.get(id)
        if i is None:
            raise UnknownIdError(id, [*self.ids, *self.capability_ids], what="element or touchpoint")
        return i

    def members(self, capability: str) -> np.ndarray:
        """Return the node indices of the elements realising ``capability`` or any of its descendants.

        Examples
        --------
        >>> m = cx.examples.load("retail-bank")
        >>> c = cx.engine.compile_model(m)
        >>> cap = next(cap for cap in m.capabilities if cap.realized_by)
        >>> set(cap.realized_by) <= {c.ids[i] for i in c.members(cap.id)}
        True
        """
        ci = self.capability_index.get(capability)
        if ci is None:
            raise UnknownIdError(capability, self.capability_ids, what="capability")
        return self.cap_members[self.cap_ptr[ci]: self.cap_ptr[ci + 1]]

    def resolve(self, ids: Any) -> list[int]:
        """Return the node indices that failing ``ids`` fails.

        An element or touchpoint is itself; a capability stands for its realising elements
        (its descendants' included).

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> c.resolve(["core-banking"]) == [c.node("core-banking")]
        True
        """
        if isinstance(ids, str):
            ids = [ids]
        out: list[int] = []
        for item in ids:
            if not isinstance(item, str):
                raise AnalysisInputError(f"expected an id (text), got {item!r}")
            if item in self.index:
                out.append(self.index[item])
            elif item in self.capability_index:
                out.extend(int(i) for i in self.members(item))
            else:
                raise UnknownIdError(item, [*self.ids, *self.capability_ids], what="element, touchpoint or capability")
        return out

    # ------------------------------------------------------------------ propagation
    def run(self, scenarios: list[dict[int, float]], weight: np.ndarray | None = None, *,
            journeys: bool = False, lost: bool = False, degradation: bool = False,
            backend: str | None = None) -> BatchOutput:
        """Propagate scenarios (each ``{node index: initial degradation}``); see :mod:`.scenarios`.

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> out = c.run([{c.node("core-banking"): 1.0}], degradation=True)
        >>> float(out.degradation(0)[c.node("core-banking")])
        1.0
        """
        from .scenarios import run_scenarios

        return run_scenarios(self, scenarios, weight, journeys=journeys, lost=lost, degradation=degradation,
                             backend=backend)

    def degradation(self, initial: Mapping[int, float], *, backend: str | None = None) -> np.ndarray:
        """Return ``d`` for every node (touchpoints then elements) under one scenario.

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> d = c.degradation({c.node("core-banking"): 1.0})
        >>> float(d[c.node("core-banking")]), len(d) == c.n_nodes
        (1.0, True)
        """
        return self.run([dict(initial)], degradation=True, backend=backend).degradation(0)

    def single_failure_degradation(self, element: str, *, backend: str | None = None) -> np.ndarray:
        """Return ``d`` for every node when ``element`` (or every realiser of a capability) fails alone.

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> float(c.single_failure_degradation("core-banking").max())
        1.0
        """
        return self.degradation(dict.fromkeys(self.resolve([element]), 1.0), backend=backend)

def _build(model: Model) -> CompiledModel:
    model.check()
    touchpoints = [(ji, tp) for ji, j in enumerate(model.journeys) for tp in j.touchpoints]
    dependents = [tp for _, tp in touchpoints] + list(model.elements)
    ids = [x.id for x in dependents]
    index = {x: i for i, x in enumerate(ids)}
    node_groups = [0]
    group_links = [0]
    group_needs: list[int] = []
    group_names: list[str | None] = []
    link_target: list[int] = []
    link_strength: list[float] = []
    for item in dependents:
        named: dict[str, list[tuple[int, float]]] = {}
        for dep in item.depends_on:
            target, strength = index[dep.element], point(dep.strength)
            if dep.group is None:
                link_target.append(target)
                link_strength.append(strength)
                group_links.append(len(link_target))
                group_needs.append(1)
                group_names.append(None)
            else:
                named.setdefault(dep.group, []).append((target, strength))
        for name, links in named.items():
            for target, strength in links:
                link_target.append(target)
                link_strength.append(strength)
            group_links.append(len(link_target))
            group_needs.append(int(item.needs.get(name, 1)))
            group_names.append(name)
        node_groups.append(len(group_needs))
    n = len(ids)
    ng = np.asarray(node_groups, np.int64)
    gl = np.asarray(group_links, np.int64)
    lt = np.asarray(link_target, np.int64)
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(gl[ng])) if n else np.zeros(0, np.int64)
    by_target = np.argsort(lt, kind="stable")
    rev_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(lt, minlength=n), out=rev_ptr[1:])
    order, position, component, cyclic, level = components(n, ng, gl, lt)
    needs = np.asarray(group_needs, np.int64)
    ls = np.asarray(link_strength, np.float64)
    rev_src = np.ascontiguousarray(src[by_target])

    journeys = model.journeys
    segments: list[str] = []
    seg_index: dict[str, int] = {}
    journey_segment = []
    for j in journeys:
        name = j.segment if j.segment is not None else NO_SEGMENT
        if name not in seg_index:
            seg_index[name] = len(segments)
            segments.append(name)
        journey_segment.append(seg_index[name])

    caps = model.capabilities
    children: dict[str, list[str]] = {}
    for cap in caps:
        if cap.parent is not None:
            children.setdefault(cap.parent, []).append(cap.id)
    realized = {cap.id: cap.realized_by for cap in caps}
    cap_ptr = [0]
    cap_members: list[int] = []
    for cap in caps:
        members: set[int] = set()
        todo = [cap.id]
        while todo:
            cid = todo.pop()
            members.update(index[e] for e in realized[cid])
            todo.extend(children.get(cid, []))
        cap_members.extend(sorted(members))
        cap_ptr.append(len(cap_members))

    return CompiledModel(
        model_name=model.name, period=model.period, ids=ids, names=[x.name for x in dependents],
        kinds=["touchpoint"] * len(touchpoints) + [e.kind for e in model.elements],
        n_touchpoints=len(touchpoints), index=index,
        node_groups=ng, group_links=gl, group_needs=needs, group_names=group_names,
        link_target=lt, link_strength=ls, rev_ptr=rev_ptr, rev_src=rev_src, rev_link=by_target.astype(np.int64),
        order=order, position=position, component=component, cyclic=cyclic,
        tp_journey=np.asarray([ji for ji, _ in touchpoints], np.int64),
        tp_reach=np.asarray([point(tp.reach) for _, tp in touchpoints], np.float64),
        tp_importance=np.asarray([point(tp.importance) for _, tp in touchpoints], np.float64),
        journey_ids=[j.id for j in journeys], journey_names=[j.name for j in journeys],
        journey_segment=np.asarray(journey_segment, np.int64),
        journey_customers=np.asarray([point(j.customers) for j in journeys], np.float64),
        journey_revenue=np.asarray([point(j.revenue) for j in journeys], np.float64),
        segment_names=segments,
        capability_ids=[c.id for c in caps], capability_names=[c.name for c in caps],
        capability_parent=[c.parent for c in caps],
        cap_ptr=np.asarray(cap_ptr, np.int64), cap_members=np.asarray(cap_members, np.int64),
        capability_index={c.id: i for i, c in enumerate(caps)},
        owners=[None] * len(touchpoints) + [e.owner for e in model.elements],
        kernel_arrays=kernel_arrays(ng, gl, needs, lt, ls, rev_ptr, rev_src, by_target, order, component, cyclic,
                                    level),
    )


def compile_model(model: Model | CompiledModel) -> CompiledModel:
    """Return the compiled form of ``model``, compiling it only when its content changed.

    The model is checked first (:class:`~cxgraph.ModelError` lists every problem). The
    result is cached on the model with a snapshot of its content (:func:`fingerprint`) and
    reused while the content is equal; the model's own data is never changed. A
    :class:`CompiledModel` passed in is returned as it is (the way to skip the content
    comparison when running many analyses on a large model).

    Examples
    --------
    >>> m = cx.examples.load("retail-bank")
    >>> c = cx.engine.compile_model(m)
    >>> cx.engine.compile_model(m) is c
    True
    >>> _ = m.add_element("new-system", "New system", kind="system")
    >>> cx.engine.compile_model(m) is c
    False
    """
    if isinstance(model, CompiledModel):
        return model
    if not isinstance(model, Model):
        raise AnalysisInputError(f"expected a cxgraph Model, got {type(model).__name__}")
    key = fingerprint(model)
    cached = model._cache.get(_CACHE_KEY)
    if cached is not None and len(cached[0]) == len(key) and cached[0] == key:
        return cached[1]
    compiled = _build(model)
    model._cache[_CACHE_KEY] = (key, compiled)
    return compiled
