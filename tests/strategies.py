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
            # the ideal is sometimes a range, lying beyond every actual and target
            ideal = draw(st.sampled_from([10, {"low": 10, "high": 12}] if better == "higher"
                                         else [0, {"low": -2, "mode": -1, "high": 0}]))
            model.add_metric(f"m{i}", f"Metric {i}", of=draw(st.sampled_from(measured)),
                             actual=draw(st.floats(0, 10)), target=draw(st.floats(0, 10)),
                             better=better, ideal=ideal)
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


@st.composite
def outage_records(draw: st.DrawFn) -> tuple[list[str], list[float], list[float], list[float]]:
    """Outage records of up to three elements: whole-hour intervals that often overlap or touch, weights 0.5 or 1."""
    n = draw(st.integers(0, 12))
    ids = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n))
    starts = draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))
    lengths = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    weights = draw(st.lists(st.sampled_from([0.5, 1.0]), min_size=n, max_size=n))
    return ids, [float(s) for s in starts], [float(s + d) for s, d in zip(starts, lengths, strict=True)], weights


# ---------------------------------------------------------------------------------------- estate exports
_CELLS = st.sampled_from(["", "a1", "b2", "c3", "A, B", "x\ny", '"q"', "cmdb_ci_appl", "sys_user_group", "6",
                          "Retired", "Depends on::Used by", "Members::Member of", "Managed by::Manages", "ü"])


@st.composite
def cmdb_exports(draw: st.DrawFn) -> tuple[list[list[str]], list[list[str]]]:
    """A ``cmdb_ci`` and a ``cmdb_rel_ci`` table (header first) with awkward cells: quotes, commas, line breaks,
    empty values, dangling references, retired items, headers that may lack a column."""
    ci_header = draw(st.permutations(["sys_id", "name", "sys_class_name", "operational_status"]))
    ci_header = ci_header[: draw(st.integers(2, 4))]
    rel_header = ["parent", "child", "type"]
    cis = draw(st.lists(st.lists(_CELLS, min_size=len(ci_header), max_size=len(ci_header)), max_size=8))
    rels = draw(st.lists(st.lists(_CELLS, min_size=3, max_size=3), max_size=10))
    return [list(ci_header), *cis], [rel_header, *rels]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "1", "a", "Internal", "Database"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "name", "model", "people", "softwareSystems", "containers", "relationships",
                         "destinationId", "sourceId", "parent", "child", "callCount", "data", "location", "tags",
                         "deploymentNodes", "children", "containerInstances", "containerId", "environment"]),
        inner, max_size=4),
    max_leaves=25)
"""Arbitrary JSON built from the keys the estate readers look at."""


# ---------------------------------------------------------------------------- resilience (disruption over time)
RECOVERY_HOURS = (0, 0.5, 1, 2, 2, 4, 8, 12.5)
"""Recovery times drawn for elements and scenario overrides: repeats give equal times, 0 an element never down."""


@st.composite
def resilience_models(draw: st.DrawFn, *, max_scenarios: int = 3) -> cx.Model:
    """A random model with recovery times, tolerances, optional touchpoints, site tags and scenarios.

    Every element has a recovery time, so every scenario drawn is valid; scenarios fail elements
    by id, by a site tag, or both, and override some recovery times.
    """
    model = draw(models(max_elements=6, max_journeys=3, max_touchpoints=3, max_capabilities=0, metrics=False))
    model.period = draw(st.sampled_from(["hour", "day", "week", "month", "quarter", "year"]))
    sites = ["site:a", "site:b"]
    for element in model.elements:
        element.recovery_hours = draw(st.sampled_from(RECOVERY_HOURS))
        element.tags = draw(st.lists(st.sampled_from(sites), unique=True, max_size=1))
    for journey in model.journeys:
        journey.importance = draw(st.sampled_from([1, 1, 2, 0.5]))
        if draw(st.booleans()):
            journey.tolerance = {"hours": draw(st.sampled_from([0, 1, 2, 3, 4, 10])),
                                 "loss": draw(st.sampled_from([0, 0, 0.1, 0.5]))}
        for tp in journey.touchpoints:
            tp.required = draw(st.booleans()) or draw(st.booleans())
    ids = [e.id for e in model.elements]
    used_tags = sorted({t for e in model.elements for t in e.tags})
    scenarios = []
    for s in range(draw(st.integers(1, max_scenarios))):
        fail = draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
        where = {"tag": draw(st.sampled_from(used_tags))} if used_tags and (not fail or draw(st.booleans())) else None
        if not fail and where is None:
            fail = [ids[0]]
        failed = set(fail) | {e.id for e in model.elements if where and where["tag"] in e.tags}
        hours = {x: draw(st.sampled_from(RECOVERY_HOURS)) for x in sorted(failed) if draw(st.booleans())}
        scenario = {"id": f"s{s}", "name": f"Scenario {s}", "fail": fail, "hours": hours}
        if where is not None:
            scenario["fail_where"] = where
        scenarios.append(scenario)
    model.scenarios = scenarios
    model.check()
    return model


@st.composite
def resilience_portfolios(draw: st.DrawFn, *, max_initiatives: int = 4) -> cx.Model:
    """A :func:`resilience_models` model with initiatives that shorten recovery, remove links or add them.

    Costs repeat (ties are exercised) and initiatives may require earlier ones; an added link can
    make things worse, so no initiative is assumed to help.
    """
    model = draw(resilience_models(max_scenarios=2))
    for journey in model.journeys:  # tight tolerances, so that most models have breaches to remove
        journey.tolerance = {"hours": draw(st.sampled_from([1, 2])), "loss": draw(st.sampled_from([0, 0.2]))}
    failed = set()
    for scenario in model.scenarios:
        if draw(st.integers(0, 3)):  # mostly none: the scenario's hours would override what initiatives set
            scenario.hours = {}
        failed |= set(scenario.fail)
        if scenario.fail_where is not None:
            failed |= {e.id for e in model.elements if scenario.fail_where.tag in e.tags}
    ids = [e.id for e in model.elements]
    links = [(x.id, d.element) for x in [*model.touchpoints, *model.elements] for d in x.depends_on
             if d.group is None]  # removing a grouped link could leave fewer links than the group needs
    for k in range(draw(st.integers(0, max_initiatives))):
        what = draw(st.sampled_from(["sets", "sets", "removes", "adds"]))
        spec: dict = {"id": f"i{k}", "name": f"I{k}", "cost": draw(st.sampled_from([0, 1, 2, 3, 5]))}
        if what == "removes" and links:
            source, target = draw(st.sampled_from(links))
            spec["removes"] = [{"from": source, "element": target}]
        elif what == "adds" and model.touchpoints:
            tp = draw(st.sampled_from(model.touchpoints))
            free = [e for e in ids if e not in {d.element for d in tp.depends_on}]
            if free:
                spec["adds"] = {"links": [{"from": tp.id, "element": draw(st.sampled_from(free))}]}
        if len(spec) == 3:
            spec["sets"] = [{"element": draw(st.sampled_from(sorted(failed))),  # an element worth shortening
                             "recovery_hours": draw(st.sampled_from([0, 0.5, 1, 3]))}]
        if k and draw(st.booleans()):
            spec["requires"] = [f"i{draw(st.integers(0, k - 1))}"]
        model.initiatives.append(cx.Initiative.model_validate(spec))
    model.check()
    return model


# ---------------------------------------------------------------------------- reliability (risk)
@st.composite
def reliable_models(draw: st.DrawFn, *, max_elements: int = 6, revenue: bool | None = True) -> cx.Model:
    """A random model whose elements carry reliability data, some none; some touchpoints not required.

    Availabilities include 0 and 1 (an element always or never down); some elements use
    ``failures_per_year`` with ``recovery_hours`` instead.
    """
    model = draw(models(max_elements=max_elements, revenue=revenue, metrics=False))
    for element in model.elements:
        form = draw(st.sampled_from(["none", "availability", "availability", "failures"]))
        if form == "availability":
            element.availability = draw(st.one_of(st.sampled_from([0.0, 0.5, 0.9, 0.99, 1.0]), st.floats(0, 1)))
        elif form == "failures":
            element.recovery_hours = draw(st.sampled_from([2.0, 24.0, 87.66]))
            element.failures_per_year = draw(st.sampled_from([1.0, 12.0, 100.0]))
    for tp in model.touchpoints:
        tp.required = draw(st.booleans()) or draw(st.booleans())
    model.check()
    return model


# ---------------------------------------------------------------------------- round trips through every format
_ODD_PIECES = (" ", "  lead", "trail  ", "\n", "\r\n", "\t", '"', "'", "=1+1", "+x", "-2", "@SUM(A1)", "e\u0301",
               "\u0301", "\U0001f600", "\u00df", "<&>", "]]>", ";", ",", "a=b", "!!int 3", "#", "P#2", "null",
               "true", "3", "1.10", "")
_PLAIN = st.characters(exclude_categories=["Cs", "Cc"], exclude_characters=["\ufffe", "\uffff"])


def odd_texts(*, long: bool = True) -> st.SearchStrategy[str]:
    """Text a file format may trip on: spaces at either end, line breaks, tabs, quotes, formula-leading
    characters, combining marks, characters beyond the BMP (U+1F600), tags that look typed; sometimes long."""
    pieces = st.lists(st.one_of(st.sampled_from(_ODD_PIECES), st.text(_PLAIN, max_size=4)), max_size=4).map("".join)
    if not long:
        return pieces
    longer = st.tuples(pieces, st.integers(300, 40_000)).map(lambda t: ((t[0] + " \U0001f600e\u0301\n") * t[1])[:t[1]])
    return st.one_of(*[pieces] * 19, longer)


def typed_values() -> st.SearchStrategy[object]:
    """Property values of every type a model holds: text, int, float, bool and null."""
    return st.one_of(odd_texts(long=False), st.integers(-(10**20), 10**20), st.sampled_from([0, 1, -1, 3]),
                     st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.0, 2.0, 0.1, 1e20]),
                     st.booleans(), st.none())


@st.composite
def roundtrip_models(draw: st.DrawFn) -> cx.Model:
    """A model with odd, long and non-BMP text everywhere text goes, typed properties, empty and absent
    descriptions and segments, and duplicate-looking entries (tags repeated, keys ``P`` and ``P#2``,
    names that are another item's id or identifier).

    A few models repeat an element in a capability's ``realized_by``: such a model fails ``check()``; a
    few have a property named like an instruction of ArchiMate files (``cxgraph:types``).
    """
    text = st.one_of(odd_texts(), odd_texts(), odd_texts(), st.sampled_from(["e0", "id-e0", "j0", "t0.0", "c0"]))
    short = odd_texts(long=False)
    keys = st.one_of(short, short, short, st.sampled_from(["P", "P#2", "P#3", "cxgraph:impact", "archimate:note", "#"]))

    def common() -> dict[str, object]:
        tags = draw(st.lists(st.one_of(short, st.sampled_from(["a", "a", "b"])), max_size=3))
        return {"description": draw(st.one_of(st.none(), st.just(""), text)), "tags": tags,
                "properties": draw(st.dictionaries(keys, typed_values(), max_size=4))}

    model = cx.Model(name=draw(text), period=draw(st.sampled_from(["month", "week", " day ", ""])),
                     currency=draw(st.one_of(st.none(), short)), **common())
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))
    elements = [model.add_element(f"e{i}", draw(text), kind=k, **common()) for i, k in enumerate(kinds)]
    ids = [e.id for e in elements]
    for e in elements:
        e.depends_on = [cx.Dependency(element=t, strength=draw(strengths()), group=draw(st.one_of(st.none(), short)))
                        for t in draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)) if t != e.id]
    owners = [e.id for e in elements if e.kind in ("team", "vendor")]
    for e in elements:
        if owners and draw(st.booleans()):
            e.owner = draw(st.sampled_from(owners))
    touchpoints = []
    for j in range(draw(st.integers(0, 2))):
        customers = draw(st.one_of(st.sampled_from([0, 10, 1234.5, 1e-300, 2**53 + 1]), uncertain(0, 1e6)))
        journey = model.add_journey(f"j{j}", draw(text), customers=customers,
                                    segment=draw(st.one_of(st.none(), st.just(""), short)), **common())
        for t in range(draw(st.integers(0, 2))):
            touchpoints.append(journey.add_touchpoint(
                f"t{j}.{t}", draw(text), channel=draw(st.one_of(st.none(), st.just(""), short)),
                reach=draw(st.one_of(st.floats(0, 1), uncertain(0, 1))),
                depends_on=draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)), **common()))
    for c in range(draw(st.integers(0, 2))):
        realized = draw(st.lists(st.sampled_from(ids), unique=draw(st.integers(0, 7)) > 0, max_size=3))
        model.add_capability(f"c{c}", draw(text), realized_by=realized, **common())
    measured = [*ids, *(t.id for t in touchpoints)]
    for k in range(draw(st.integers(0, 2))):
        actual, target = sorted(draw(st.lists(st.floats(-1e6, 5), min_size=2, max_size=2)))
        model.add_metric(f"m{k}", draw(text), of=draw(st.sampled_from(measured)), actual=actual, target=target,
                         better="higher", ideal=5, unit=draw(st.one_of(st.none(), st.just(""), short)), **common())
    if draw(st.integers(0, 9)) == 5:  # a key ArchiMate and Archi files read as an instruction: they refuse it
        item = draw(st.sampled_from([model, *model.items()]))
        item.properties[draw(st.sampled_from(["cxgraph:types", "cxgraph:kind"]))] = draw(typed_values())
    return model


# ---------------------------------------------------------------------------- estates keep ranges
@st.composite
def ranged_models(draw: st.DrawFn, *, max_elements: int = 8) -> cx.Model:
    """A random model whose elements' reliability is sometimes a range (with or without a mode), beside
    element links whose strengths are sometimes ranges (``models()`` draws those)."""
    model = draw(reliable_models(max_elements=max_elements, revenue=None))
    for element in model.elements:
        if element.availability is not None and draw(st.booleans()):
            element.availability = draw(uncertain(0, 1))
        elif element.failures_per_year is not None:
            if draw(st.booleans()):
                element.failures_per_year = draw(uncertain(0, 50))
            if draw(st.booleans()):
                element.recovery_hours = draw(uncertain(0, 100))
        elif draw(st.integers(0, 4)) == 0:
            element.recovery_hours = draw(uncertain(0, 100))  # recovery alone, for disruption scenarios
    model.check()
    return model


@st.composite
def dependency_links(draw: st.DrawFn) -> object:
    """Jaeger's or Zipkin's dependency JSON: services whose names make the same id (``A 2``, ``a-2``), repeated
    links, self-calls, links without calls, counts beyond a float's whole numbers, error counts."""
    names = st.sampled_from(["a", "A", "b", "a-2", "A 2", "c", "\u00a7", "item", " d "])
    row = st.fixed_dictionaries(
        {"parent": names, "child": names},
        optional={"callCount": st.one_of(st.integers(0, 50), st.sampled_from([0, 0, 2**70])),
                  "errorCount": st.integers(0, 5)})
    rows = draw(st.lists(row, max_size=14))
    return {"data": rows} if draw(st.booleans()) else rows
