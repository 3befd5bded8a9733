"""Nothing cut on any figure: every text of every figure kind, on every bundled example, is whole and inside it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from matplotlib.figure import Figure

import cxgraph as cx
from cxgraph.examples import names as example_names
from tests.draw import _geometry as G

#: Texts fitted into a box of the diagram (element and touchpoint names, ranking names) may be
#: shortened to their box; everything else (titles, legends, notes, axis and colour-bar labels) may not.
FITTED_GIDS = ("label:", "foot:", "badge:")
PYTHON = re.compile(r"\w+=(None|True|False|\d)|\bcx\.\w|\w\(\)")


def _figures(model: cx.Model) -> dict[str, Callable[[], Figure]]:
    impact = cx.impact(model)
    hub = impact.to_frame().query("type != 'touchpoint' and type != 'capability'")["id"].iloc[0]
    budget = sum(cx.model.point(i.cost) for i in model.initiatives) / 2
    figures: dict[str, Callable[[], Figure]] = {
        "blueprint": lambda: cx.draw.blueprint(model, impact),
        "blueprint, one journey": lambda: cx.draw.blueprint(model, journey=model.journeys[0].id),
        "blueprint, blast radius": lambda: cx.draw.blueprint(model, focus=hub),
        "capability map": lambda: cx.draw.capability_map(model, impact),
        "ranking": lambda: impact.plot(),
        "journey risk": lambda: cx.draw.journey_risk(model),
        "what-if": lambda: cx.what_if(model, fail=[hub]).plot(),
        "what-if, journeys": lambda: cx.what_if(model, fail=[hub]).plot(model=model),
        "single points of failure": lambda: cx.single_points_of_failure(model).plot(),
        "pain": lambda: cx.pain(model).plot(),
        "priorities": lambda: cx.priorities(model).plot(),
        "gaps": lambda: cx.gaps(model).plot(),
        "scorecard": lambda: cx.scorecard(model).plot(),
        "compare": lambda: cx.compare(model, cx.model.apply_initiatives(model, [i.id for i in model.initiatives])
                                      if hasattr(cx.model, "apply_initiatives") else model).plot(),
        "plan": lambda: cx.plan(model, budget=budget).plot(),
        "frontier": lambda: cx.plan_frontier(model, budgets=[0, budget / 2, budget, 2 * budget]).plot(),
        "sensitivity": lambda: cx.sensitivity(model, samples=40, seed=1).plot(),
    }
    return figures


def _problems(fig: Figure) -> list[str]:
    problems = [f"outside the figure: {t!r}" for t in G.texts_outside(fig)]
    for text, _ in G.rendered_texts(fig):
        content = text.get_text()
        if (text.get_gid() or "").startswith(FITTED_GIDS) or _is_tick_name(text):
            continue
        if "…" in content:
            problems.append(f"cut: {content!r}")
        if PYTHON.search(content):
            problems.append(f"Python in a figure: {content!r}")
    return problems


def _is_tick_name(text: object) -> bool:
    """Names left of ranking bars are fitted to their column, like box labels."""
    parent = getattr(text, "axes", None)
    return parent is not None and any(text is tick.label1 for tick in parent.yaxis.get_major_ticks())


@pytest.mark.parametrize("example", example_names())
def test_every_text_of_every_figure_is_whole_and_inside_it(example: str) -> None:
    model = cx.examples.load(example)
    failures = {}
    for kind, make in _figures(model).items():
        fig = make()
        problems = _problems(fig)
        if problems:
            failures[kind] = problems
    assert failures == {}
