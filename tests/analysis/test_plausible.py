"""cx.plausible_scenarios: sites, vendors, shared platforms and single points of failure, each with its reason."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import cxgraph as cx

from .. import resilience_reference as ref
from ..conftest import DATA
from ..strategies import resilience_models


@pytest.fixture
def worked() -> cx.Model:
    return cx.load(DATA / "resilience.yaml")


def test_families_in_order_with_reasons(worked: cx.Model) -> None:
    found = cx.plausible_scenarios(worked)
    assert [(s.id, s.fail) for s in found] == [
        ("site-north", []),
        ("vendor-psp-a", ["psp-a"]),
        ("vendor-psp-b", ["psp-b"]),
        ("platform-idp", ["idp"]),
        ("spof-gateway", ["gateway"]),
    ]
    assert found[0].fail_where.tag == "site:north"
    assert found[0].description == "site: every element at site north fails (tag site:north; 2 elements)"
    assert found[1].description == "vendor: the third party Card processor A fails"
    assert found[4].description == "single point of failure: its failure alone stops 1 touchpoint"

def test_shared_platform_and_spof_merge_into_one_scenario(worked: cx.Model) -> None:
    by_id = {s.id: s for s in cx.plausible_scenarios(worked)}
    assert "platform-idp" in by_id
    assert by_id["platform-idp"].description == (
        "shared platform: its failure alone disrupts 2 journeys (Pay a bill, Check the balance); "
        "single point of failure: its failure alone stops 2 touchpoints")
    assert "spof-idp" not in by_id


def test_sites_by_property(worked: cx.Model) -> None:
    worked.elements[1].properties = {"site": "east"}
    found = cx.plausible_scenarios(worked, by="property:site")
    assert found[0].id == "site-east" and found[0].fail_where.property == {"site": "east"}
    assert not any(s.id == "site-north" for s in found)


def test_bad_by_is_refused(worked: cx.Model) -> None:
    with pytest.raises(cx.AnalysisInputError, match="tag:PREFIX"):
        cx.plausible_scenarios(worked, by="site")


def test_resilience_runs_the_plausible_scenarios(worked: cx.Model) -> None:
    r = cx.resilience(worked, scenarios="plausible")
    assert r.scenarios["id"].tolist() == [s.id for s in cx.plausible_scenarios(worked)]
    assert r.scenarios["reason"].iloc[0].startswith("site:")
    assert any("plausible" in n for n in r.notes)


@settings(max_examples=30)
@given(resilience_models())
def test_platforms_sites_and_vendors_match_the_reference(model: cx.Model) -> None:
    found = cx.plausible_scenarios(model)
    sets = [(frozenset(ref.failed_elements(model, s)), s.description) for s in found]
    assert len({s for s, _ in sets}) == len(sets)  # one scenario per set of failed elements
    reasons = {s: r for s, r in sets}
    for element in model.elements:
        hit = sum(v > 0 for v in ref.journey_losses(model, {element.id}).values())
        platform = element.kind in ("system", "service", "infrastructure", "data") and hit >= 2
        assert ("shared platform" in reasons.get(frozenset([element.id]), "")) == platform, element.id
        if element.kind == "vendor":
            owned = {e.id for e in model.elements if e.owner == element.id}
            assert "vendor:" in reasons[frozenset({element.id} | owned)]
    for tag in {t for e in model.elements for t in e.tags if t.startswith("site:")}:
        assert "site:" in reasons[frozenset(e.id for e in model.elements if tag in e.tags)]
