import numpy as np
import pytest

import cxgraph as cx
from cxgraph.draw._style import colormap, format_number
from tests import reference as ref
from tests.draw import _geometry as G

EXAMPLES = ["retail-bank", "telecom", "online-retailer"]


def _extent(patch) -> tuple[float, float, float, float]:
    return patch.get_x(), patch.get_y(), patch.get_x() + patch.get_width(), patch.get_y() + patch.get_height()


@pytest.mark.parametrize("name", EXAMPLES)
def test_nested_boxes_with_values_and_no_overlapping_text(name: str) -> None:
    model = cx.examples.load(name)
    fig = cx.draw.capability_map(model)
    boxes = G.by_gid(fig, "cap")
    assert set(boxes) == {c.id for c in model.capabilities}
    for cap in model.capabilities:
        if cap.parent:  # a child sits inside its parent
            x0, y0, x1, y1 = _extent(boxes[cap.id])
            p0, q0, p1, q1 = _extent(boxes[cap.parent])
            assert p0 < x0 and x1 < p1 and q0 < y0 and y1 < q1, cap.id
    roots = [c.id for c in model.capabilities if c.parent is None]
    xs = [boxes[r].get_x() for r in roots]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)  # level 1 as columns, in the model's order
    heights = {round(boxes[r].get_height(), 9) for r in roots}
    assert len(heights) == 1  # one row of columns of one height
    assert G.overlapping_texts(fig) == []
    assert G.texts_outside(fig) == []


def test_values_and_colours_are_the_capability_impacts() -> None:
    model = cx.examples.load("telecom")
    impact = {c.id: ref.impact(model, ref.capability_elements(model, c.id))[0] for c in model.capabilities}
    fig = cx.draw.capability_map(model)
    boxes, values = G.by_gid(fig, "cap"), G.by_gid(fig, "capvalue")
    top = max(impact.values())
    for cid, value in impact.items():
        assert values[cid].get_text() == format_number(value)
        assert np.allclose(boxes[cid].get_facecolor(), colormap()(value / top), atol=1e-6)


def test_priority_colours_by_score() -> None:
    model = cx.examples.load("retail-bank")
    result = cx.priorities(model, level="all")
    frame = result.to_frame()
    scores = dict(zip(frame.loc[frame["type"] == "capability", "id"], frame.loc[frame["type"] == "capability",
                                                                                 "score"], strict=True))
    fig = cx.draw.capability_map(model, result, by="priority")
    values = G.by_gid(fig, "capvalue")
    assert {k: v.get_text() for k, v in values.items()} == {k: f"{v:.2f}" for k, v in scores.items()}
    assert any(t.get_text() == "Priority score" for t, _ in G.rendered_texts(fig))


def test_many_level_one_capabilities_wrap_into_rows() -> None:
    model = cx.Model(name="Wide")
    for i in range(8):
        model.add_capability(f"c{i}", f"Capability number {i}")
    fig = cx.draw.capability_map(model, {f"c{i}": float(i) for i in range(8)}, columns=3)
    boxes = G.by_gid(fig, "cap")
    assert len({round(b.get_y(), 6) for b in boxes.values()}) == 3  # 3 + 3 + 2
    assert G.overlapping_texts(fig) == []


def test_bad_input_is_reported() -> None:
    with pytest.raises(cx.AnalysisInputError, match="no capabilities"):
        cx.draw.capability_map(cx.Model(name="Empty"), {})
    model = cx.examples.load("telecom")
    with pytest.raises(cx.AnalysisInputError, match="by must be"):
        cx.draw.capability_map(model, by="cost")
    with pytest.raises(cx.AnalysisInputError, match="PrioritiesResult"):
        cx.draw.capability_map(model, cx.impact(model), by="priority")
