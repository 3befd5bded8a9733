"""The Resilience section of the HTML report."""

from __future__ import annotations

import cxgraph as cx
from cxgraph.report import render

from ..conftest import DATA


def test_section_with_figures_mapping_and_vendors() -> None:
    html = render(cx.load(DATA / "resilience.yaml"))
    assert '<a href="#resilience">Resilience</a>' in html
    section = html[html.index('<section id="resilience">'):]
    section = section[: section.index("</section>")]
    assert "breaches of an impact tolerance" in section
    assert section.count("<svg") == 2  # the heat map and the worst breach's timeline
    assert "breach: Pay a bill is disrupted for 3 h against a tolerance of 2 h" in section
    assert 'id="table-resilience-map"' in section and 'id="table-vendors"' in section
    assert "Card processor B" in section


def test_no_section_without_scenarios_or_tolerances() -> None:
    m = cx.loads("cxgraph: 1\njourneys: [{id: j, name: J, customers: 1}]\n")
    assert 'id="resilience"' not in render(m)


def test_scenarios_that_cannot_be_timed_are_named_not_fatal() -> None:
    model = cx.load(DATA / "resilience.yaml")
    model.period = "fortnight"
    html = render(model)
    assert "The scenarios cannot be timed: the model&#x27;s period &#x27;fortnight&#x27;" in html
    assert 'id="table-resilience-map"' in html
