"""The bundled example models are realistic: sizes, every kind, hierarchy, metrics, groups."""

from __future__ import annotations

import pytest

import cxgraph as cx


@pytest.mark.parametrize("name", ["retail-bank", "telecom", "online-retailer"])
def test_example_is_rich_enough(name: str) -> None:
    m = cx.examples.load(name)
    m.check()
    assert len(m.journeys) >= 3
    assert len(m.touchpoints) >= 25
    assert len(m.elements) >= 40
    assert {e.kind for e in m.elements} == set(cx.model.ELEMENT_KINDS)
    caps = {c.id: c for c in m.capabilities}
    assert len(caps) >= 8 and any(c.parent for c in caps.values())
    measured = {metric.of for metric in m.metrics}
    assert measured & {t.id for t in m.touchpoints} and measured & {e.id for e in m.elements}
    links = [d for i in [*m.touchpoints, *m.elements] for d in i.depends_on]
    assert any(d.group for d in links)
    assert any(cx.model.point(d.strength) < 1 for d in links)
    assert m.initiatives


def test_telecom_has_the_technical_problem_journey() -> None:
    m = cx.examples.load("telecom")
    names = [j.name.lower() for j in m.journeys]
    assert any("technical problem" in n for n in names)
    kinds = {e.id: e.kind for e in m.elements}
    assert kinds["incident-mgmt"] == kinds["problem-mgmt"] == "process"


def test_unknown_example_suggests_names() -> None:
    with pytest.raises(cx.UnknownIdError, match="did you mean 'telecom'"):
        cx.examples.load("telecomm")
