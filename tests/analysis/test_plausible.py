"""cx.plausible_scenarios: sites, vendors, shared platforms and single points of failure, each with its reason."""

from __future__ import annotations

import pytest

import cxgraph as cx

from ..conftest import DATA


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
