"""The mapping of ArchiMate relationships, junctions and cxgraph: properties, one rule at a time."""

from __future__ import annotations

import pytest

import cxgraph as cx
from cxgraph.io.archimate.concepts import ArchiModel, Concept
from cxgraph.io.archimate.map import to_model


def E(identifier: str, type_: str, name: str | None = None, **props: str) -> Concept:
    return Concept(identifier, type_, name or identifier.upper(),
                   properties=[(f"cxgraph:{k}", v) for k, v in props.items()])


def R(identifier: str, type_: str, source: str, target: str, **props: str) -> Concept:
    return Concept(identifier, type_, source=source, target=target,
                   properties=[(f"cxgraph:{k}", v) for k, v in props.items()])


def _map(elements: list[Concept], relationships: list[Concept],
         **options: object) -> tuple[cx.Model, cx.io.ImportLog]:
    archi = ArchiModel(name="T", elements=elements, relationships=relationships)
    options.setdefault("journeys", "none")  # each rule on its own, not the journeys "auto" would derive
    return to_model(archi, **options)  # type: ignore[arg-type]


def test_serving_realization_access_assignment_directions() -> None:
    model, report = _map(
        [E("app", "ApplicationComponent"), E("svc", "ApplicationService"), E("proc", "BusinessProcess"),
         E("data", "DataObject"), E("team", "BusinessRole"), E("node", "Node"), E("fn", "ApplicationFunction")],
        [R("r1", "Realization", "app", "svc"),   # svc exists through app: svc depends on app
         R("r2", "Serving", "svc", "proc"),      # svc serves proc: proc depends on svc
         R("r3", "Access", "proc", "data"),      # proc accesses data: proc depends on data
         R("r4", "Assignment", "team", "proc"),  # team assigned to proc: team owns proc
         R("r5", "Assignment", "node", "fn")])   # node performs fn: fn depends on node
    deps = {e.id: [d.element for d in e.depends_on] for e in model.elements}
    assert deps == {"app": [], "svc": ["app"], "proc": ["svc", "data"], "data": [], "team": [], "node": [],
                    "fn": ["node"]}
    assert model.get("proc").owner == "team"
    assert [e.outcome for e in report.relationships] == ["dependency", "dependency", "dependency", "owner",
                                                         "dependency"]


def test_capabilities_are_realised_and_nested() -> None:
    model, report = _map(
        [E("top", "Capability"), E("sub", "Capability"), E("app", "ApplicationComponent"), E("ev", "BusinessEvent")],
        [R("r1", "Composition", "top", "sub"), R("r2", "Realization", "app", "sub"),
         R("r3", "Aggregation", "top", "app")])
    assert [(c.id, c.parent, c.realized_by) for c in model.capabilities] == [("top", None, []),
                                                                             ("sub", "top", ["app"])]
    assert [e.status for e in report.relationships] == ["mapped", "mapped", "kept"]
    assert report.relationships[2].outcome == ("Aggregation from a capability (Capability) to a system element "
                                               "(ApplicationComponent): no counterpart in cxgraph")


def test_or_junction_makes_a_redundancy_group_and_junction_means_all() -> None:
    elements = [E("a", "Node"), E("b", "Node"), E("c", "Node"), E("d", "ApplicationComponent"),
                E("or1", "OrJunction"), E("and1", "AndJunction")]
    rels = [R("r1", "Serving", "a", "or1"), R("r2", "Serving", "b", "or1"), R("r3", "Serving", "or1", "d"),
            R("r4", "Serving", "c", "and1"), R("r5", "Serving", "and1", "d")]
    model, report = _map(elements, rels)
    d = model.get("d")
    assert [(x.element, x.group) for x in d.depends_on] == [("a", "or1"), ("b", "or1"), ("c", None)]
    assert report.elements_read == 6 and report.outcomes() == {"infrastructure": 3, "junction": 2, "system": 1}
    assert report.outcomes("relationships") == {"dependency (via junction)": 5}


def test_junction_with_nothing_to_combine_is_kept() -> None:
    _, report = _map([E("a", "Node"), E("j", "OrJunction"), E("p", "BusinessProcess")],
                     [R("r1", "Flow", "a", "j"), R("r2", "Serving", "j", "p")])
    assert [e.status for e in report.relationships] == ["kept", "kept"]


def test_triggering_orders_touchpoints_and_cycles_fall_back_to_file_order() -> None:
    steps = [E("s1", "BusinessProcess"), E("s2", "BusinessProcess"), E("s3", "BusinessProcess")]
    model, _ = _map(steps, [R("t1", "Triggering", "s3", "s1"), R("t2", "Flow", "s1", "s2")],
                    journeys={"J": ["s1", "s2", "s3"]})
    assert [t.id for t in model.journeys[0].touchpoints] == ["s1", "s2", "s3"]  # an explicit list keeps its order
    for s in steps:
        s.properties = [("cxgraph:journey", "J")]
    model, _ = _map(steps, [R("t1", "Triggering", "s3", "s1"), R("t2", "Flow", "s1", "s2")])
    assert [t.id for t in model.journeys[0].touchpoints] == ["s3", "s1", "s2"]
    model, _ = _map(steps, [R("t1", "Triggering", "s2", "s1"), R("t2", "Triggering", "s1", "s2")])
    # s3 has no predecessor, so it comes first; s1 and s2 wait for each other: the earlier in the file goes first.
    assert [t.id for t in model.journeys[0].touchpoints] == ["s3", "s1", "s2"]
    steps[2].properties.append(("cxgraph:order", "0"))
    model, _ = _map(steps, [R("t1", "Triggering", "s1", "s2")])
    assert [t.id for t in model.journeys[0].touchpoints] == ["s3", "s1", "s2"]  # cxgraph:order comes first


def test_association_means_nothing_unless_linked() -> None:
    model, report = _map(
        [E("a", "ApplicationComponent"), E("b", "ApplicationComponent"), E("t", "BusinessActor")],
        [R("r1", "Association", "a", "b"), R("r2", "Association", "a", "b", link="dependency", strength="0.5"),
         R("r3", "Association", "t", "a", link="owner")])
    assert [(d.element, d.strength) for d in model.get("b").depends_on] == [("a", 0.5)]
    assert model.get("a").owner == "t"
    assert report.relationships[0].outcome.startswith("an association has no meaning in cxgraph")


def test_repeated_links_and_second_owners_are_reported() -> None:
    model, report = _map(
        [E("a", "ApplicationComponent"), E("b", "BusinessProcess"), E("t1", "BusinessActor"),
         E("t2", "BusinessRole")],
        [R("r1", "Serving", "a", "b"), R("r2", "Realization", "a", "b"), R("r3", "Assignment", "t1", "b"),
         R("r4", "Assignment", "t2", "b")])
    assert [d.element for d in model.get("b").depends_on] == ["a"]
    assert [(e.status, e.outcome) for e in report.relationships] == [
        ("mapped", "dependency"), ("mapped", "dependency (same link as r1)"), ("mapped", "owner"),
        ("kept", "'B' is already owned by 'T1' (an element has one owner)")]


def test_strength_and_group_properties_on_relationships() -> None:
    model, _ = _map([E("a", "Node"), E("b", "Node"), E("c", "ApplicationComponent", needs='{"g": 2}')],
                    [R("r1", "Serving", "a", "c", group="g", strength='{"low": 0.2, "high": 0.4}'),
                     R("r2", "Serving", "b", "c", group="g")])
    c = model.get("c")
    assert c.needs == {"g": 2}
    assert c.depends_on[0].strength == cx.Uncertain(low=0.2, high=0.4)
    assert [d.group for d in c.depends_on] == ["g", "g"]


def test_metrics_and_initiatives_from_properties() -> None:
    model, report = _map(
        [E("app", "ApplicationComponent"),
         E("kpi", "Outcome", "Uptime", kind="metric", of="APP", actual="98", target="99.9", ideal="100", unit="%"),
         E("wp", "WorkPackage", "Upgrade", kind="initiative", cost="5000",
           improves='[{"metric": "Uptime", "to": 99.5}]'),
         E("wp2", "WorkPackage", "Later", kind="initiative", cost="1", requires='["wp"]'),
         E("goal", "Goal", "Be great")], [])
    assert model.metrics[0].of == "app" and model.metrics[0].unit == "%"
    assert model.initiatives[0].improves[0].metric == "kpi"
    assert model.initiatives[1].requires == ["wp"]
    assert report.kept_elements[0].name == "Be great"


def test_touchpoints_without_a_journey_and_conflicting_customers_are_problems() -> None:
    with pytest.raises(cx.ModelError) as info:
        _map([E("a", "BusinessProcess", kind="touchpoint"),
              E("b", "BusinessProcess", journey="J", customers="10"),
              E("c", "BusinessProcess", journey="J", customers="20")], [])
    messages = [f"{p.path}: {p.message}" for p in info.value.problems]
    assert messages == [
        "BusinessProcess 'a': a touchpoint needs cxgraph:journey (the identifier or name of its journey)",
        "BusinessProcess 'c': cxgraph:customers: journey 'J' is given '10' on 'b' and '20' here"]


def test_a_journey_named_by_its_element() -> None:
    model, _ = _map([E("p", "BusinessProcess", "Handle claim", customers="40"),
                     E("s1", "BusinessProcess", journey="Handle claim"),
                     E("d", "DataObject", "Claims"), E("s2", "BusinessProcess", journey="Claims")], [])
    assert [(j.id, j.name, j.customers) for j in model.journeys] == [("p", "Handle claim", 40),
                                                                     ("claims", "Claims", 1)]
    assert [e.id for e in model.elements] == ["d"]  # a data object is never made a journey by its name


def test_stages_from_properties_and_structure() -> None:
    model, report = _map(
        [E("j", "BusinessProcess", "Journey", customers="5"),
         E("s2", "Grouping", "Use", kind="stage", journey="j", order="2"),
         E("s1", "Grouping", "Apply", kind="stage", journey="j", order="1"),
         E("t1", "BusinessProcess", journey="j", stage="Apply"), E("t2", "BusinessProcess", journey="j")],
        [R("r1", "Aggregation", "s2", "t2"), R("r2", "Composition", "j", "t1")])
    journey = model.journeys[0]
    assert [s.id for s in journey.stages] == ["s1", "s2"]
    assert [(t.id, t.stage) for t in journey.touchpoints] == [("t1", "s1"), ("t2", "s2")]
    assert [e.outcome for e in report.relationships] == ["stage", "journey"]
