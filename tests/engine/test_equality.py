"""The engine equals the literal reference implementation (tests/reference.py) on random models."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.engine import all_failures, compile_model
from tests import reference
from tests.strategies import models

BACKENDS = ["python", "numba"]


def close(engine: float, ref: float, scale: float) -> bool:
    # relative 1e-9; the absolute floor (1e-12 of the total weight) only matters for values near 0
    return math.isclose(engine, ref, rel_tol=1e-9, abs_tol=1e-12 * max(scale, 1.0))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=40, deadline=None)
@given(model=models())
def test_every_element_and_capability_equals_the_reference(backend: str, model: cx.Model) -> None:
    compiled = compile_model(model)
    weights = compiled.measure("interactions")
    out = all_failures(compiled, weights, backend=backend)
    scale = weights.total
    ids = [*compiled.ids, *compiled.capability_ids]
    for i, item in enumerate(ids):
        failed = reference.capability_elements(model, item) if i >= compiled.n_nodes else {item}
        ref_impact, ref_tps, ref_journeys, _ = reference.impact(model, failed)
        assert close(out.impact[i], ref_impact, scale), (item, out.impact[i], ref_impact)
        assert out.touchpoints[i] == ref_tps, item
        assert out.journeys[i] == ref_journeys, item


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=40, deadline=None)
@given(model=models(), data=st.data())
def test_partial_degradation_scenarios_equal_the_reference(backend: str, model: cx.Model,
                                                           data: st.DataObject) -> None:
    compiled = compile_model(model)
    chosen = data.draw(st.lists(st.sampled_from(compiled.ids), unique=True, max_size=3))
    # levels far below 1e-16 are lost by the reference's literal 1 - (1 - a); keep to what it can represent
    levels = [data.draw(st.sampled_from([1.0, 0.5, 0.1]) | st.floats(0.05, 1)) for _ in chosen]
    initial = dict(zip(chosen, levels, strict=True))
    engine_d = compiled.degradation({compiled.node(k): v for k, v in initial.items()}, backend=backend)
    ref_d = reference.degradation(model, initial)
    for node_id, value in ref_d.items():
        assert math.isclose(engine_d[compiled.node(node_id)], value, rel_tol=1e-9, abs_tol=1e-13), node_id


@settings(max_examples=25, deadline=None)
@given(model=models(revenue=True), data=st.data())
def test_every_measure_equals_the_reference(model: cx.Model, data: st.DataObject) -> None:
    tp_ids = [t.id for t in model.touchpoints]
    custom = {t: data.draw(st.floats(0, 100)) for t in data.draw(st.lists(st.sampled_from(tp_ids), unique=True))
              } if tp_ids else {}
    for measure in ("customers", "revenue", custom):
        result = cx.impact(model, measure=measure)
        scale = compile_model(model).measure(measure).total
        for item in [*model.elements, *model.capabilities]:
            failed = reference.capability_elements(model, item.id) if isinstance(item, cx.Capability) else {item.id}
            ref_impact, *_ = reference.impact(model, failed, measure)
            assert close(result.impact[item.id], ref_impact, scale), (measure, item.id)
            # a funnel never loses more than the model has: revenue and customers are counted once
            assert result.impact[item.id] <= scale * (1 + 1e-12)


def test_both_backends_give_identical_numbers_on_the_examples() -> None:
    for name in cx.examples.names():
        compiled = compile_model(cx.examples.load(name))
        for measure in ("interactions", "customers", "revenue"):
            w = compiled.measure(measure)
            a = all_failures(compiled, w, backend="python", journeys=True)
            b = all_failures(compiled, w, backend="numba", journeys=True)
            np.testing.assert_array_equal(a.impact, b.impact)
            np.testing.assert_array_equal(a.journey_v, b.journey_v)
