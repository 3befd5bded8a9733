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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import AnalysisInputError, ModelError, UnknownIdError
from ..model import Model, point, unavailability
from .assemble import add_links, assemble
from .measures import Measure, measure_of
from .snapshot import fingerprint

if TYPE_CHECKING:
    from ..model.estate import Estate
    from .scenarios import BatchOutput

PERIOD_HOURS = {"hour": 1.0, "day": 24.0, "week": 168.0, "month": 730.5, "quarter": 2191.5, "year": 8766.0}
"""Hours in each period DESIGN §3 knows (a year being 8,766 hours)."""

__all__ = ["NO_SEGMENT", "PERIOD_HOURS", "CompiledModel", "compile_model", "fingerprint"]

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
    # reliability, funnels, tolerances
    currency: str | None = None
    q: np.ndarray = field(default_factory=lambda: np.zeros(0))
    reliability_known: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    recovery_hours: np.ndarray = field(default_factory=lambda: np.zeros(0))
    tp_required: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    journey_importance: np.ndarray = field(default_factory=lambda: np.zeros(0))
    journey_tolerance_hours: np.ndarray = field(default_factory=lambda: np.zeros(0))
    journey_tolerance_loss: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def hours_per_period(self) -> float:
        """Hours in the model's period (``month``: 730.5); NaN for a period DESIGN §3 does not know."""
        return PERIOD_HOURS.get(self.period, float("nan"))

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

    # ------------------------------------------------------------------ measures
    def measure(self, measure: str | Mapping[str, float] | Measure = "interactions") -> Measure:
        """Return the :class:`~cxgraph.engine.Measure` ``measure`` (see DESIGN §3) on this model.

        ``"interactions"``: customers x journey importance x reach x importance per touchpoint;
        ``"customers"`` and ``"revenue"``: the journey funnel (revenue needs a revenue on every
        journey); a mapping: touchpoint id -> weight, touchpoints not in it weigh 0.

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> m = c.measure()
        >>> m.unit, len(m.tp_weight) == c.n_touchpoints
        ('interactions / month', True)
        """
        return measure_of(self, measure)

    def weights(self, weight: str | Mapping[str, float] = "customers") -> tuple[np.ndarray, str]:
        """Return per-touchpoint weights and their unit (``"customers"`` meaning the interactions measure).

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> c.weights()[1]
        'interactions / month'
        """
        if isinstance(weight, str) and weight == "customers":
            weight = "interactions"
        if isinstance(weight, str) and weight == "revenue":
            m = self.measure("revenue")
            w = m.journey_weight[self.tp_journey] * self.tp_reach * self.tp_importance
            return np.ascontiguousarray(w, dtype=np.float64), m.unit
        m = self.measure(weight)
        return m.tp_weight, m.unit

    def journey_loss(self, scenarios: list[dict[int, float]], *, backend: str | None = None,
                     executor: Any = None) -> np.ndarray:
        """Return ``jloss(j)`` (DESIGN §3) of every journey under every scenario: shape (scenarios, journeys).

        ``executor``: where to run them (see :func:`~cxgraph.engine.run_packed`).

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> jl = c.journey_loss([{c.node("core-banking"): 1.0}, {}])
        >>> jl.shape == (2, len(c.journey_ids)), float(jl[1].max())
        (True, 0.0)
        """
        out = self.run(scenarios, self._jloss_unit(), journeys=True, backend=backend, executor=executor)
        jl = np.zeros((len(scenarios), len(self.journey_ids)))
        jl[out.journey_s, out.journey_j] = out.journey_v
        return jl

    def _jloss_unit(self) -> Measure:
        return Measure("jloss", "share of customers", True, np.zeros(self.n_touchpoints),
                       np.ascontiguousarray(np.where(self.tp_required, self.tp_reach, 0.0)),
                       np.ones(len(self.journey_ids)))

    def degradation_and_journey_loss(self, initial: Mapping[int, float], *, backend: str | None = None
                                     ) -> tuple[np.ndarray, np.ndarray]:
        """Return ``d`` of every node and ``jloss`` of every journey under one scenario, in one propagation.

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> d, jl = c.degradation_and_journey_loss({c.node("core-banking"): 1.0})
        >>> bool((d == c.degradation({c.node("core-banking"): 1.0})).all())
        True
        >>> bool((jl == c.journey_loss([{c.node("core-banking"): 1.0}])[0]).all())
        True
        """
        out = self.run([dict(initial)], self._jloss_unit(), journeys=True, degradation=True, backend=backend)
        jl = np.zeros(len(self.journey_ids))
        jl[out.journey_j] = out.journey_v
        return out.degradation(0), jl

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
        if ids is None or isinstance(ids, Mapping) or not isinstance(ids, Iterable):
            raise AnalysisInputError(f"expected an id or a list of ids, got {type(ids).__name__}")
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
    def run(self, scenarios: list[dict[int, float]], weight: Measure | np.ndarray | None = None, *,
            journeys: bool = False, lost: bool = False, degradation: bool = False,
            backend: str | None = None, executor: Any = None) -> BatchOutput:
        """Propagate scenarios (each ``{node index: initial degradation}``); see :mod:`.scenarios`.

        ``executor``: ``None`` (this machine), a Dask ``Client`` or the ``ray`` module (see
        :func:`~cxgraph.engine.run_packed`).

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> out = c.run([{c.node("core-banking"): 1.0}], c.measure("customers"), degradation=True)
        >>> float(out.degradation(0)[c.node("core-banking")])
        1.0
        """
        from .scenarios import run_scenarios

        return run_scenarios(self, scenarios, weight, journeys=journeys, lost=lost, degradation=degradation,
                             backend=backend, executor=executor)

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

def _build(model: Model, *, check: bool = True) -> CompiledModel:
    if check:
        model.check()
    touchpoints = [tp for j in model.journeys for tp in j.touchpoints]
    dependents = [*touchpoints, *model.elements]
    ids = [x.id for x in dependents]
    index = {x: i for i, x in enumerate(ids)}
    group_code: dict[str, int] = {}
    src: list[int] = []
    dst: list[int] = []
    strength: list[float] = []
    group: list[int] = []
    needs: list[int] = []
    for node, item in enumerate(dependents):
        add_links(item, node, index, group_code, src, dst, strength, group, needs)
    elements = model.elements
    return assemble(
        model, ids=ids, index=index, names=[x.name for x in dependents],
        kinds=["touchpoint"] * len(touchpoints) + [e.kind for e in elements],
        owners=[None] * len(touchpoints) + [e.owner for e in elements],
        src=np.asarray(src, np.int64), dst=np.asarray(dst, np.int64), strength=np.asarray(strength, np.float64),
        group=np.asarray(group, np.int64), group_labels=list(group_code), needs=np.asarray(needs, np.int64),
        q=np.asarray([unavailability(e) for e in elements], np.float64),
        reliability_known=np.asarray([e.availability is not None or e.failures_per_year is not None
                                      for e in elements], bool),
        recovery_hours=np.asarray([np.nan if e.recovery_hours is None else point(e.recovery_hours)
                                   for e in elements], np.float64),
    )


def compile_model(model: Model | Estate | CompiledModel) -> CompiledModel:
    """Return the compiled form of ``model``, compiling it only when its content changed.

    An :class:`~cxgraph.Estate` compiles straight from its tables (checked when it was
    built); its model part (journeys, touchpoints, capabilities) is compared with a snapshot
    as a model is, and checked again with the tables when it changed.

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
        from ..model.estate import Estate

        if isinstance(model, Estate):
            return _compile_estate(model)
        raise AnalysisInputError(f"expected a cxgraph Model, got {type(model).__name__} (an Estate or a compiled "
                                 "model also do)")
    key = fingerprint(model)
    cached = model._cache.get(_CACHE_KEY)
    if cached is not None and len(cached[0]) == len(key) and cached[0] == key:
        return cached[1]
    compiled = _build(model)
    model._cache[_CACHE_KEY] = (key, compiled)
    return compiled


def _compile_estate(estate: Estate) -> CompiledModel:
    """Compile an estate: its tables were checked when it was built, its model part again when it changed."""
    from ..model.estate_checks import check_tables
    from .estate import compile_estate

    key = fingerprint(estate.model)
    cached = estate._cache.get(_CACHE_KEY)
    if cached is not None and len(cached[0]) == len(key) and cached[0] == key:
        return cached[1]
    if cached is not None:  # the model part was edited since: check it against the tables again
        problems = check_tables(estate.elements, estate.links, estate.model, file=estate.source)
        if problems:
            raise ModelError(problems)
    compiled = compile_estate(estate)
    estate._cache[_CACHE_KEY] = (key, compiled)
    return compiled
