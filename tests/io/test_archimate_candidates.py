"""Journeys derived the way real models are drawn: journeys="auto", its candidates, and the rules behind them."""

from __future__ import annotations

from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.io.archimate.candidates import choose_journeys, journey_candidates
from cxgraph.io.archimate.concepts import ArchiModel, Concept, View, ViewNode
from cxgraph.io.archimate.map import to_model


def E(identifier: str, type_: str, name: str | None = None) -> Concept:
    return Concept(identifier, type_, name or identifier.upper())


def R(identifier: str, type_: str, source: str, target: str) -> Concept:
    return Concept(identifier, type_, source=source, target=target)


def _claims() -> ArchiModel:
    """A customer role served by two services, and a view drawing a process around two steps."""
    elements = [E("cust", "BusinessRole", "Customer"), E("svc", "BusinessService", "Claims service"),
                E("web", "ApplicationService", "Claims portal"), E("crm", "ApplicationComponent", "CRM"),
                E("hc", "BusinessProcess", "Handle claim"), E("reg", "BusinessProcess", "Register"),
                E("pay", "BusinessProcess", "Pay"), E("fin", "ApplicationComponent", "Finance")]
    rels = [R("r1", "Serving", "svc", "cust"), R("r2", "Serving", "web", "cust"), R("r3", "Realization", "crm", "web"),
            R("r4", "Serving", "fin", "hc"), R("r5", "Triggering", "reg", "pay")]
    view = View("v1", "Claims", [ViewNode("hc", 0, 0, [ViewNode("pay", 200, 10), ViewNode("reg", 20, 10)])])
    return ArchiModel(name="Claims", elements=elements, relationships=rels, views=[view])


def test_candidates_are_counted_and_ranked_by_touchpoints_with_it_behind_them() -> None:
    found = journey_candidates(_claims())
    # The view: Register and Pay both depend on Finance (the link to Handle claim passes down): 2 with IT.
    # The role: Claims service (nothing behind it) and Claims portal (realised by CRM): 1 with IT.
    assert [(c.spec, c.journeys, c.touchpoints, c.with_it, c.links) for c in found] == [
        ("view:Claims", 1, 2, 2, 2), ("role:Customer", 1, 2, 1, 1)]


def test_auto_takes_the_best_candidate_and_says_so() -> None:
    model, log = to_model(_claims(), customers=100)
    journey = model.journeys[0]
    assert (journey.name, [t.name for t in journey.touchpoints]) == ("Handle claim", ["Register", "Pay"])
    assert log.notes[:2] == (
        "journeys: chose view:Claims: 1 journey, 2 touchpoints (2 with IT behind them), 2 dependency links (the "
        "most touchpoints with IT behind them among 2 candidates); choose another with journeys= (--journeys)",
        "other candidate role:Customer: 1 journey, 2 touchpoints (1 with IT behind them), 1 dependency link")
    assert cx.impact(model).impact["fin"] == 200.0  # both steps, 100 customers each


def test_a_journeys_serving_link_passes_down_to_its_steps() -> None:
    model, log = to_model(_claims(), journeys="view:Claims")
    assert {t.id: [d.element for d in t.depends_on] for t in model.journeys[0].touchpoints} == {
        "reg": ["fin"], "pay": ["fin"]}
    entry = next(e for e in log.relationships if e.id == "r4")
    assert (entry.status, entry.outcome, entry.item) == ("mapped", "dependency of each of the journey's touchpoints",
                                                         "hc")


def test_customer_facing_follows_assignments_and_application_services() -> None:
    archi = _claims()
    archi.elements += [E("client", "BusinessActor", "Client"), E("submit", "BusinessProcess", "Submit claim")]
    archi.relationships += [R("r6", "Assignment", "client", "cust"), R("r7", "Assignment", "cust", "submit")]
    model, log = to_model(archi, journeys="role:Client")
    journey = model.journeys[0]
    # Client is assigned to the Customer role: what serves the role, and what it is assigned to, count.
    assert (journey.name, [t.name for t in journey.touchpoints]) == (
        "Client", ["Claims service", "Claims portal", "Submit claim"])
    assert next(e for e in log.relationships if e.id == "r7").outcome == (
        "a team assigned to a touchpoint: touchpoints have no owner")


def test_a_name_shared_by_a_role_and_an_actor_names_both() -> None:
    archi = ArchiModel(elements=[E("a", "BusinessActor", "Customer"), E("r", "BusinessRole", "Customer"),
                                 E("s1", "BusinessService", "Shop"), E("s2", "ApplicationInterface", "App")],
                       relationships=[R("x", "Serving", "s1", "a"), R("y", "Serving", "s2", "r")])
    model, _ = to_model(archi, journeys="customer-facing")
    assert [t.name for t in model.journeys[0].touchpoints] == ["Shop", "App"]


def test_an_unknown_customer_role_lists_the_roles_in_the_file() -> None:
    with pytest.raises(cx.UnknownIdError) as info:
        to_model(_claims(), journeys="role:Custmer")
    assert str(info.value) == ("unknown customer role 'Custmer' (did you mean 'Customer'?); the roles and actors in "
                               "the file are: 'Customer'")


def test_business_functions_count_in_views() -> None:
    archi = ArchiModel(elements=[E("f1", "BusinessFunction", "Sales"), E("f2", "BusinessFunction", "Billing"),
                                 E("app", "ApplicationComponent", "ERP")],
                       relationships=[R("r", "Serving", "app", "f2")],
                       views=[View("v", "Functions", [ViewNode("f2", 100, 0), ViewNode("f1", 0, 0)])])
    model, _ = to_model(archi, journeys="view:Functions")
    assert [t.name for t in model.journeys[0].touchpoints] == ["Sales", "Billing"]  # left to right


def test_products_are_services_that_depend_on_what_they_aggregate() -> None:
    archi = ArchiModel(elements=[E("p", "Product", "Travel insurance"), E("s", "BusinessService", "Claims"),
                                 E("c", "Contract", "Policy")],
                       relationships=[R("a1", "Aggregation", "p", "s"), R("a2", "Composition", "p", "c")])
    model, _ = to_model(archi, journeys="none")
    product = model.get("p")
    assert (product.kind, [d.element for d in product.depends_on]) == ("service", ["s", "c"])
    assert product.properties["archimate:type"] == "Product"


def test_a_file_without_candidates_says_how_to_name_journeys() -> None:
    journeys, notes = choose_journeys(ArchiModel(elements=[E("n", "Node", "Server")]))
    assert journeys == "none" and notes[0].startswith("no journeys found: the file has no view showing business")


def test_a_file_with_cxgraph_properties_is_taken_as_it_says(tmp_path: Path) -> None:
    bank = cx.examples.load("retail-bank")
    path = tmp_path / "bank.xml"
    cx.io.write_archimate(bank, path)
    again, log = cx.io.read_archimate(path)  # journeys="auto" by default
    assert again == bank and not any(n.startswith("journeys:") for n in log.notes)
    empty = cx.Model(name="Estate only")
    empty.add_element("n", "Server", kind="infrastructure")
    cx.io.write_archimate(empty, path)
    assert cx.io.read_archimate(path)[0] == empty  # cxgraph:auto-journeys = off: nothing derived


@pytest.mark.parametrize("name", ["archisurance-exchange.xml", "Archisurance.archimate", "OpenDay.archimate"])
def test_public_models_give_non_zero_rankings_with_no_options(name: str, data_dir: Path) -> None:
    model = cx.load(data_dir / "archi" / name)
    result = cx.impact(model)
    top = result.elements().iloc[0]
    assert model.journeys and top["impact"] > 0 and result.notes == ()


def test_the_documented_archisurance_examples(data_dir: Path) -> None:
    native = data_dir / "archi" / "Archisurance.archimate"
    model, _ = cx.io.read_archi(native, journeys="view:Business Function View")
    assert [(j.name, len(j.touchpoints)) for j in model.journeys] == [("Business Function View", 6)]
    model, _ = cx.io.read_archi(native, journeys="customer-facing", customer_roles=["Client"])
    assert [(j.name, [t.name for t in j.touchpoints]) for j in model.journeys] == [
        ("Client", ["Claim Registration Service", "Customer Information Service", "Claims Payment Service"])]
    assert [c.spec for c in cx.io.journey_candidates(native)][:3] == [
        "view:Business Process View", "view:Business Cooperation View", "role:Customer"]


def test_a_step_drawn_in_two_journeys_belongs_to_the_first() -> None:
    view = View("v", "V", [ViewNode("a", 0, 0, [ViewNode("s", 1, 1)]), ViewNode("b", 50, 0, [ViewNode("s", 51, 1),
                                                                                      ViewNode("t", 60, 1)])])
    archi = ArchiModel(elements=[E("a", "BusinessProcess", "Apply"), E("b", "BusinessProcess", "Buy"),
                                 E("s", "BusinessProcess", "Sign"), E("t", "BusinessProcess", "Track")], views=[view])
    model, log = to_model(archi, journeys="view:V")
    assert [(j.name, [t.id for t in j.touchpoints]) for j in model.journeys] == [("Apply", ["s"]), ("Buy", ["t"])]
    assert ("BusinessProcess 'Sign' (s) is a step of both 'Apply' and 'Buy': it is a touchpoint of 'Apply' only (a "
            "touchpoint belongs to one journey)") in log.notes
