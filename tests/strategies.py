"""Hypothesis strategies for random, valid cxgraph models.

``models()`` draws models with everything the engine must cope with: dependency cycles
(self-loops included), strengths from 0 to 1 (some uncertain), redundancy groups with
``needs`` from 1 to the group's size, capability hierarchies, zero-customer journeys,
elements nothing depends on, uncertain customers and reach, and metrics. Every model it
draws passes ``model.check()``.

Other test modules may add strategies at the END of this file.
"""

from __future__ import annotations

from hypothesis import strategies as st

import cxgraph as cx

__all__ = ["models", "strengths"]

KINDS = ("system", "service", "infrastructure", "data", "process", "team", "vendor")


def uncertain(low: float, high: float) -> st.SearchStrategy[cx.Uncertain]:
    """An uncertain number within [low, high], with or without a mode."""

    @st.composite
    def draw_it(draw: st.DrawFn) -> cx.Uncertain:
        values = sorted(draw(st.lists(st.floats(low, high, allow_nan=False), min_size=3, max_size=3)))
        if draw(st.booleans()):
            return cx.Uncertain(low=values[0], mode=values[1], high=values[2])
        return cx.Uncertain(low=values[0], high=values[2])

    return draw_it()


def strengths() -> st.SearchStrategy[float | cx.Uncertain]:
    """Link strengths: mostly round values (1 most of all), some free floats, some uncertain ranges.

    Free floats stay at 0.2 or above so that no cycle is fed a vanishing degradation (the
    reference iteration would need millions of steps); 0 is drawn on its own.
    """
    return st.one_of(
        st.sampled_from([1.0, 1.0, 1.0, 0.5, 0.25, 0.75, 0.0]),
        st.floats(0.2, 1.0, allow_nan=False),
        uncertain(0.2, 1.0),
    )


@st.composite
def _dependencies(draw: st.DrawFn, targets: list[str], max_links: int) -> tuple[list[cx.Dependency], dict[str, int]]:
    chosen = draw(st.lists(st.sampled_from(targets), unique=True, max_size=min(max_links, len(targets))))
    deps = []
    sizes: dict[str, int] = {}
    for target in chosen:
        group = draw(st.sampled_from([None, None, "g1", "g2"]))
        deps.append(cx.Dependency(element=target, strength=draw(strengths()), group=group))
        if group is not None:
            sizes[group] = sizes.get(group, 0) + 1
    needs = {}
    for group, size in sizes.items():
        k = draw(st.integers(1, size))
        if k > 1 or draw(st.booleans()):
            needs[group] = k
    return deps, needs


@st.composite
def models(
    draw: st.DrawFn,
    *,
    max_elements: int = 8,
    max_journeys: int = 3,
    max_touchpoints: int = 4,
    max_capabilities: int = 5,
    max_links: int = 4,
    revenue: bool | None = None,
    metrics: bool = True,
) -> cx.Model:
    """A random valid model.

    ``revenue``: True gives every journey a revenue, False none, None some.
    """
    model = cx.Model(name=draw(st.sampled_from(["Random", "Test model"])))
    n_elements = draw(st.integers(1, max_elements))
    element_ids = [f"e{i}" for i in range(n_elements)]
    kinds = [draw(st.sampled_from(KINDS)) for _ in element_ids]
    owners = [eid for eid, kind in zip(element_ids, kinds, strict=True) if kind in ("team", "vendor")]
    for eid, kind in zip(element_ids, kinds, strict=True):
        deps, needs = draw(_dependencies(element_ids, max_links))
        owner = draw(st.sampled_from([None, *owners])) if owners else None
        model.add_element(eid, f"Element {eid}", kind=kind, depends_on=deps, needs=needs, owner=owner)
    for j in range(draw(st.integers(0, max_journeys))):
        customers = draw(st.one_of(st.sampled_from([0, 100, 1000]), st.integers(0, 5000), uncertain(0, 5000)))
        has_revenue = draw(st.booleans()) if revenue is None else revenue
        journey = model.add_journey(
            f"j{j}", f"Journey {j}", customers=customers,
            segment=draw(st.sampled_from([None, "retail", "business"])),
            revenue=draw(st.one_of(st.integers(0, 10_000), uncertain(0, 10_000))) if has_revenue else None,
            importance=draw(st.sampled_from([1, 1, 2, 0.5])),
        )
        stage = journey.add_stage(f"j{j}-s", "Stage") if draw(st.booleans()) else None
        for t in range(draw(st.integers(0, max_touchpoints))):
            deps, needs = draw(_dependencies(element_ids, max_links))
            journey.add_touchpoint(
                f"t{j}.{t}", f"Touchpoint {j}.{t}", depends_on=deps, needs=needs,
                stage=stage.id if stage is not None and draw(st.booleans()) else None,
                reach=draw(st.one_of(st.sampled_from([1.0, 0.5, 0.0]), st.floats(0, 1), uncertain(0, 1))),
                importance=draw(st.one_of(st.sampled_from([1.0, 2.0]), st.floats(0, 3))),
                required=draw(st.sampled_from([True, True, False])),
            )
    for c in range(draw(st.integers(0, max_capabilities))):
        parent = draw(st.sampled_from([None, *(f"c{p}" for p in range(c))]))
        realized = draw(st.lists(st.sampled_from(element_ids), unique=True, max_size=3))
        model.add_capability(f"c{c}", f"Capability {c}", parent=parent, realized_by=realized)
    if metrics:
        measured = [*element_ids, *(tp.id for tp in model.touchpoints)]
        for i in range(draw(st.integers(0, 3))):
            better = draw(st.sampled_from(["higher", "lower"]))
            model.add_metric(f"m{i}", f"Metric {i}", of=draw(st.sampled_from(measured)),
                             actual=draw(st.floats(0, 10)), target=draw(st.floats(0, 10)),
                             better=better, ideal=10 if better == "higher" else 0)
    model.check()
    return model


# ---------------------------------------------------------------------------- portfolios (plans)
@st.composite
def portfolios(draw: st.DrawFn, *, element_metrics: bool = False, max_initiatives: int = 7) -> cx.Model:
    """A small model: touchpoints with metrics, and up to ``max_initiatives`` initiatives over them.

    Values are small integers and halves so that equal benefits are exactly equal and unequal ones
    differ clearly; costs include 0 and repeats so that every tie-break is exercised.
    """
    m = cx.Model(name="Random portfolio")
    n_tp = draw(st.integers(1, 4))
    journey = m.add_journey("j", "J", customers=draw(st.sampled_from([10, 100, 1000])))
    for t in range(n_tp):
        journey.add_touchpoint(f"t{t}", f"T{t}", reach=draw(st.sampled_from([0.5, 1])),
                               importance=draw(st.sampled_from([0.5, 1, 2])),
                               depends_on=["e0"] if element_metrics else [])
    holders = [f"t{t}" for t in range(n_tp)]
    if element_metrics:
        m.add_element("e0", "E0", kind="system", depends_on=[{"element": "e1", "strength": 0.5}])
        m.add_element("e1", "E1", kind="service")
        holders += ["e0", "e1"]
    n_metrics = draw(st.integers(0, 5))
    small = st.sampled_from([-4, -2, -1, 0, 0.5, 1, 2, 3, 4, 5])
    for k in range(n_metrics):
        better = draw(st.sampled_from(["higher", "lower"]))
        m.add_metric(f"m{k}", f"M{k}", of=draw(st.sampled_from(holders)), actual=draw(small), target=draw(small),
                     better=better, ideal=5 if better == "higher" else -4)
    n_init = draw(st.integers(0, max_initiatives))
    for k in range(n_init):
        improves = []
        if n_metrics:
            for mk in draw(st.lists(st.integers(0, n_metrics - 1), max_size=3, unique=True)):
                improves.append({"metric": f"m{mk}", "to": draw(small)})
        requires = draw(st.lists(st.sampled_from([f"i{r}" for r in range(k)]), max_size=2, unique=True)) if k else []
        m.add_initiative(f"i{k}", f"I{k}", cost=draw(st.sampled_from([0, 1, 2, 3, 5, 8, 10])), improves=improves,
                         requires=requires)
    return m


# ---------------------------------------------------------------------------- structural portfolios (plans)
@st.composite
def structural_portfolios(draw: st.DrawFn, *, max_initiatives: int = 5) -> cx.Model:
    """A small model whose initiatives mix every kind: metric values, reliability, added and removed links.

    Touchpoints depend on two providers that fail now and then; initiatives raise a provider's
    availability (``sets``), add a standby provider as an alternative (``removes`` + ``adds``),
    drop a dependency, or improve a metric.
    """
    m = cx.Model(name="Random structural portfolio")
    journey = m.add_journey("j", "J", customers=draw(st.sampled_from([100, 1000])))
    n_tp = draw(st.integers(1, 3))
    for t in range(n_tp):
        deps = draw(st.lists(st.sampled_from(["p0", "p1"]), min_size=1, max_size=2, unique=True))
        journey.add_touchpoint(f"t{t}", f"T{t}", reach=draw(st.sampled_from([0.5, 1])), depends_on=deps)
    for p in ("p0", "p1"):
        m.add_element(p, p.upper(), kind="vendor", availability=draw(st.sampled_from([0.9, 0.95, 0.99])))
    for k in range(draw(st.integers(0, 2))):
        better = draw(st.sampled_from(["higher", "lower"]))
        m.add_metric(f"m{k}", f"M{k}", of=draw(st.sampled_from([f"t{t}" for t in range(n_tp)] + ["p0"])),
                     actual=2, target=draw(st.sampled_from([1, 3, 4])) if better == "higher" else 1,
                     better=better, ideal=5 if better == "higher" else 0)
    users = {p: [f"t{t}" for t in range(n_tp) if any(d.element == p for d in journey.touchpoints[t].depends_on)]
             for p in ("p0", "p1")}
    for k in range(draw(st.integers(0, max_initiatives))):
        kind = draw(st.sampled_from(["sets", "standby", "remove", "improve"]))
        p = draw(st.sampled_from(["p0", "p1"]))
        fields: dict = {}
        if kind == "sets":
            fields["sets"] = [{"element": p, "availability": draw(st.sampled_from([0.99, 0.999]))}]
        elif kind == "standby" and users[p]:
            t = draw(st.sampled_from(users[p]))
            fields["removes"] = [{"from": t, "element": p}]
            fields["adds"] = {"elements": [{"id": f"s{k}", "name": f"Standby {k}", "kind": "vendor",
                                            "availability": 0.9}],
                              "links": [{"from": t, "element": p, "group": f"g-{t}-{p}"},
                                        {"from": t, "element": f"s{k}", "group": f"g-{t}-{p}"}]}
        elif kind == "remove" and users[p]:
            fields["removes"] = [{"from": draw(st.sampled_from(users[p])), "element": p}]
        elif m.metrics:
            metric = draw(st.sampled_from(m.metrics))
            fields["improves"] = [{"metric": metric.id, "to": metric.target}]
        requires = draw(st.lists(st.sampled_from([f"i{r}" for r in range(k)]), max_size=1)) if k else []
        m.add_initiative(f"i{k}", f"I{k}", cost=draw(st.sampled_from([0, 1, 2, 3, 5])), requires=requires, **fields)
    m.check()
    return m


@st.composite
def tiny_feed_cycles(draw: st.DrawFn, *, max_elements: int = 6) -> tuple[cx.Model, dict[str, float]]:
    """A model whose elements depend on each other in cycles, strengths from 1e-12 to 1, and a scenario.

    Strengths mix 1 (strength-1 loops), round values and tiny ones (down to 1e-12); links may share a
    redundancy group. The scenario degrades one or two elements, possibly by as little as 1e-12.
    """
    n = draw(st.integers(2, max_elements))
    ids = [f"e{i}" for i in range(n)]
    tiny = st.floats(-12, -1).map(lambda e: 10.0 ** e)
    strength = st.one_of(st.sampled_from([1.0, 1.0, 0.9, 0.5]), tiny)
    model = cx.Model(name="Cycles")
    for i, eid in enumerate(ids):
        targets = draw(st.lists(st.sampled_from(ids), unique=True, min_size=1 if i < n - 1 else 0, max_size=3))
        deps = [cx.Dependency(element=t, strength=draw(strength), group=draw(st.sampled_from([None, None, "g"])))
                for t in targets]
        size = sum(d.group == "g" for d in deps)
        needs = {"g": draw(st.integers(1, size))} if size else {}
        model.add_element(eid, f"Element {eid}", kind="system", depends_on=deps, needs=needs)
    journey = model.add_journey("j", "J", customers=1000)
    journey.add_touchpoint("t", "T", depends_on=[{"element": "e0", "strength": draw(strength)}])
    seeds = draw(st.lists(st.sampled_from(ids), unique=True, min_size=1, max_size=2))
    scenario = {s: draw(st.one_of(st.just(1.0), tiny)) for s in seeds}
    model.check()
    return model, scenario
