"""Scenario checks: unknown elements, selectors matching nothing, missing recovery times, bad hours."""

from __future__ import annotations

import pytest

import cxgraph as cx

from ..conftest import DATA

HEAD = """cxgraph: 1
journeys: [{id: j, name: J, customers: 10, touchpoints: [{id: t, name: T, depends_on: [a]}]}]
elements:
  - {id: a, name: A, kind: system, recovery_hours: 2, tags: [site:north]}
  - {id: b, name: B, kind: system}
"""


def problems(scenarios: str) -> list[str]:
    with pytest.raises(cx.ModelError) as err:
        cx.loads(HEAD + "scenarios:\n" + scenarios)
    return [f"{p.path}: {p.message}" for p in err.value.problems]


def test_the_worked_file_is_valid() -> None:
    assert cx.load(DATA / "resilience.yaml").scenarios[0].id == "north"


def test_unknown_element() -> None:
    assert problems("  - {id: s, name: S, fail: [aa]}\n") == ["scenarios[0].fail[0]: unknown element 'aa' "
                                                               "(did you mean 'a'?)"]


def test_a_touchpoint_is_not_failed() -> None:
    assert problems("  - {id: s, name: S, fail: [t]}\n") == [
        "scenarios[0].fail[0]: 't' is a touchpoint: a scenario fails elements"]


def test_selector_matching_nothing_is_named() -> None:
    assert problems("  - {id: s, name: S, fail_where: {tag: 'site:south', kind: system}}\n") == [
        "scenarios[0].fail_where.tag: fail_where (tag site:south, kind system) matches no element"]


def test_element_without_recovery_time() -> None:
    assert problems("  - {id: s, name: S, fail: [a, b]}\n") == [
        "scenarios[0].fail[1]: element 'b' fails in this scenario but has no recovery_hours (give the element "
        "recovery_hours, or the scenario hours: {b: ...})"]


def test_scenario_hours_stand_in_for_a_missing_recovery_time() -> None:
    m = cx.loads(HEAD + "scenarios:\n  - {id: s, name: S, fail: [b], hours: {b: 4}}\n")
    assert m.scenarios[0].hours == {"b": 4}


def test_hours_for_an_element_not_failed() -> None:
    assert problems("  - {id: s, name: S, fail: [a], hours: {b: 4}}\n") == [
        "scenarios[0].hours.b: hours given for 'b', which this scenario does not fail"]


@pytest.mark.parametrize("value", ["-1", ".inf", ".nan"])
def test_bad_hours(value: str) -> None:
    found = problems(f"  - {{id: s, name: S, fail: [a], hours: {{a: {value}}}}}\n")
    assert len(found) == 1 and found[0].startswith("scenarios[0].hours.a")
