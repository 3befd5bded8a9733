"""The bounds that rule structural choices out hold: against exact enumeration and exact plans."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.analysis._plan_bounds import PainBound, shape_bound
from cxgraph.analysis._plan_milp import PlanSolver
from cxgraph.analysis._plan_structure import Structures
from tests.analysis.plan_reference import expected_loss
from tests.strategies import portfolios, structural_portfolios


def test_the_expected_loss_range_by_hand() -> None:
    # Three providers each down 10 % of the time, one touchpoint (1000 interactions) on each.
    # Failure sets of at most two: P(one given set of two) = 0.01 x 0.9 = 0.009, loss 2000; of one: 0.081, loss 1000.
    # lo = 3 x 0.081 x 1000 + 3 x 0.009 x 2000 = 243 + 54 = 297; the tail P(all three) = 0.001, loss 3000: hi = 300.
    m = cx.Model(name="Three")
    j = m.add_journey("j", "J", customers=1000)
    for k in range(3):
        j.add_touchpoint(f"t{k}", f"T{k}", depends_on=[f"p{k}"])
        m.add_element(f"p{k}", f"P{k}", kind="vendor", availability=0.9)
    b = shape_bound(m, cx.engine.compile_model(m), Structures(m).base, set())
    lo, hi = b.expected_loss_range(b.q({}))
    assert lo == pytest.approx(297.0) and hi == pytest.approx(300.0)
    assert lo <= cx.risk(m).expected_loss <= hi * (1 + 1e-12)  # 3 x 0.1 x 1000 = 300, up to rounding


@settings(max_examples=40, deadline=None)
@given(structural_portfolios(max_initiatives=6))
def test_every_architecture_and_setting_has_its_expected_loss_in_range(model: cx.Model) -> None:
    s = Structures(model)
    settable = {x.element for i in model.initiatives for x in i.sets}
    by_id = {i.id: i for i in model.initiatives}
    for r in range(len(s.structural) + 1):
        for combo in itertools.combinations(s.structural, r):
            ids = [s.base.ids[k] for k in combo]
            changed = s._apply(frozenset(combo)) or model
            shaped = s._apply(frozenset(k for k in combo if by_id[s.base.ids[k]].adds or
                                        by_id[s.base.ids[k]].removes)) or model
            b = shape_bound(shaped, cx.engine.compile_model(shaped), s.base, settable)
            settings_by: dict[str, list] = {}
            for i in ids:
                for x in by_id[i].sets:
                    settings_by.setdefault(x.element, []).append(x)
            lo, hi = b.expected_loss_range(b.q(settings_by))
            exact = expected_loss(changed)
            assert lo - 1e-9 * max(1.0, exact) <= exact <= hi + 1e-9 * max(1.0, exact)


@settings(max_examples=40, deadline=None)
@given(portfolios(element_metrics=True, max_initiatives=6), st.integers(0, 30))
def test_the_pain_bound_is_below_the_least_total_pain(model: cx.Model, budget: int) -> None:
    s = Structures(model)
    chosen = PlanSolver(s.base).solve(budget)
    assert chosen is not None
    assert PainBound(s.base, s.base.holder_coef).at(budget) <= s.base.total_pain(chosen) + 1e-9
