import io
from collections import deque

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

import cxgraph as cx
from cxgraph.draw import _layout as L
from cxgraph.draw._style import colormap, format_number
from tests import reference as ref
from tests.draw import _geometry as G

EXAMPLES = ["retail-bank", "telecom", "online-retailer"]


@pytest.fixture(scope="module")
def models() -> dict[str, cx.Model]:
    return {name: cx.examples.load(name) for name in EXAMPLES}


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t, _ in G.rendered_texts(fig)]


def _dashed(patch) -> bool:
    return patch.get_linestyle() not in ("-", "solid")


def _views(model: cx.Model) -> list[dict]:
    top = max(model.elements, key=lambda e: (ref.impact(model, [e.id])[0], e.id))
    return [{}, {"journey": model.journeys[0].id}, {"focus": top.id}]


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_label_overlaps_or_leaves_the_figure(name: str, models) -> None:
    model = models[name]
    for view in _views(model):
        fig = cx.draw.blueprint(model, **view)
        assert G.overlapping_texts(fig) == [], view
        assert G.texts_outside(fig) == [], view
        assert G.labels_outside_boxes(fig) == [], view
        assert G.links_through_boxes(fig) == [], view


def test_every_element_at_once_still_fits(models) -> None:
    model = models["online-retailer"]
    fig = cx.draw.blueprint(model, top=None)
    assert len([k for k in G.by_gid(fig, "box") if k in {e.id for e in model.elements}]) == len(model.elements)
    assert G.overlapping_texts(fig) == []
    assert G.texts_outside(fig) == []
    assert G.links_through_boxes(fig) == []


def test_boxes_never_overlap_and_lanes_hold_their_kinds(models) -> None:
    model = models["retail-bank"]
    result = cx.impact(model)
    lay = L.layout_blueprint(model, [t.id for t in model.touchpoints], [e.id for e in model.elements],
                             result.impact, title="t", subtitle="s", hidden=0)
    boxes = list(lay.boxes.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = abs(a.x - b.x) >= (a.w + b.w) / 2 or abs(a.y - b.y) >= (a.h + b.h) / 2
            assert apart, (a.id, b.id)
    kinds = {e.id: e.kind for e in model.elements}
    for y0, y1, name in lay.lanes:
        lane_kinds = dict(L.LANES)[name]
        inside = [b for b in boxes if y0 < b.y < y1]
        assert inside and all(kinds[b.id] in lane_kinds for b in inside)
    # touchpoints left to right in the customer's order, every one above the line of visibility
    xs = [lay.boxes[t.id].x for t in model.touchpoints]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(lay.boxes[t.id].bottom > lay.visibility_y for t in model.touchpoints)
    assert all(lay.boxes[e.id].top < lay.visibility_y for e in model.elements)


def test_stage_headers_span_their_touchpoints(models) -> None:
    model = models["telecom"]
    journey = model.journeys[1]  # four stages
    fig = cx.draw.blueprint(model, journey=journey.id)
    lay_stages = [t for t in _texts(fig) if t in {s.name for s in journey.stages}]
    assert lay_stages == [s.name for s in journey.stages]


def test_top_n_hides_the_rest_and_says_how_many(models) -> None:
    model = models["retail-bank"]
    impact = cx.impact(model).impact
    fig = cx.draw.blueprint(model, top=12)
    elements = {e.id for e in model.elements}
    shown = {k for k in G.by_gid(fig, "box") if k in elements}
    # A group ranks by the largest impact of what needs it: the data centres (with the cloud platform)
    # by core banking (615k), the card gateways by the payment hub (377k). By impact, ties by first id:
    # corp-network 759k; [cloud-platform, dc-primary, dc-secondary] 615k; core-banking, core-db 615k;
    # payments-data 393k; [payment-gateway-a, payment-gateway-b] 377k; payment-hub 377k;
    # identity-store, identity-svc 293k: twelve boxes.
    assert shown == {"corp-network", "cloud-platform", "dc-primary", "dc-secondary", "core-banking", "core-db",
                     "payments-data", "payment-gateway-a", "payment-gateway-b", "payment-hub", "identity-store",
                     "identity-svc"}
    assert impact["payment-gateway-a"] == impact["dc-secondary"] == 0
    note = next(t for t in _texts(fig) if t.startswith("Showing")).replace("\n", " ")
    assert "42 more are hidden" in note  # 54 - 12
    assert "=" not in note and "cx." not in note


def test_top_n_keeps_redundancy_groups_whole_and_drops_what_carries_nothing_first(models) -> None:
    model = models["retail-bank"]
    impact = cx.impact(model).impact
    fig = cx.draw.blueprint(model)  # the default top 40
    shown = {k for k in G.by_gid(fig, "box") if k in {e.id for e in model.elements}}
    # both card providers and both data centres are drawn, though each alone carries no impact
    assert {"payment-gateway-a", "payment-gateway-b", "dc-primary", "dc-secondary"} <= shown
    # owners with no impact and no group are left out while anything with impact is hidden
    hidden_with_impact = [e.id for e in model.elements if e.id not in shown and impact[e.id] > 0]
    assert hidden_with_impact
    assert "compliance-team" not in shown and impact["compliance-team"] == 0
    badges = [t.get_text() for t in G.by_gid(fig, "badge").values()]
    assert all(t.startswith("needs") for t in badges)


def test_journey_shows_its_touchpoints_and_what_they_rest_on(models) -> None:
    model = models["retail-bank"]
    journey = model.journeys[2]
    deps = {i.id: [d.element for d in i.depends_on] for i in [*model.touchpoints, *model.elements]}
    seen, todo = set(), deque(t.id for t in journey.touchpoints)
    while todo:
        for nxt in deps[todo.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    owners = {e.owner for e in model.elements if e.id in seen and e.owner}
    fig = cx.draw.blueprint(model, journey=journey.id, top=None)
    boxes = set(G.by_gid(fig, "box"))
    assert {t.id for t in model.touchpoints} & boxes == {t.id for t in journey.touchpoints}
    assert boxes - {t.id for t in journey.touchpoints} == seen | owners


def test_colours_follow_impact_on_the_one_scale(models) -> None:
    model = models["telecom"]
    fig = cx.draw.blueprint(model, top=None)
    impact = {e.id: ref.impact(model, [e.id])[0] for e in model.elements}
    top = max(impact.values())
    boxes = G.by_gid(fig, "box")
    for element, value in impact.items():
        face = boxes[element].get_facecolor()
        expected = colormap()(value / top) if value > 0 else (1.0, 1.0, 1.0, 1.0)
        assert np.allclose(face, expected, atol=1e-6), element
    feet = G.by_gid(fig, "foot")
    assert feet["ip-backbone"].get_text() == f"infrastructure · {format_number(impact['ip-backbone'])}"
    assert any("interactions / month" in t for t in _texts(fig))


def test_line_width_shows_strength_and_groups_are_marked(models) -> None:
    model = models["retail-bank"]
    fig = cx.draw.blueprint(model, top=None)
    links = G.by_gid(fig, "link")
    full, partial = links["oa-compare>web-portal"], links["oa-compare>crm"]  # strengths 1 and 0.2
    assert full.get_linewidth() / partial.get_linewidth() == pytest.approx((0.35 + 1.65) / (0.35 + 1.65 * 0.2))
    assert not _dashed(full)
    badges = {k: v.get_text() for k, v in G.by_gid(fig, "badge").items()}
    assert badges["core-banking"] == "needs 1 of 2"  # two data centres, one is enough
    assert badges["core-db"] == "needs 2 of 3"  # a quorum of three sites
    assert _dashed(links["core-banking>dc-primary"])  # a redundant alternative
    grouped = {(i.id, d.element) for i in model.elements for d in i.depends_on if d.group}
    assert all(_dashed(links[f"{a}>{b}"]) == ((a, b) in grouped) for a, b in
               (k.split(">") for k in links))


def test_focus_shows_the_blast_radius_shaded_by_degradation(models) -> None:
    model = models["retail-bank"]
    d = ref.degradation(model, {"core-db": 1.0})
    fig = cx.draw.blueprint(model, focus="core-db", top=None)
    boxes = G.by_gid(fig, "box")
    elements = {e.id for e in model.elements}
    assert {k for k in boxes if k in elements} == {e for e in elements if d[e] > 0} | {"core-db"}
    lost = [t.id for t in model.touchpoints if d[t.id] > 0]
    assert lost and all(t in boxes for t in lost)
    feet = G.by_gid(fig, "foot")
    for key in boxes:
        if key != "core-db":
            assert feet[key].get_text() == f"{round(100 * d[key])}% lost"
            if d[key] > 0:
                assert np.allclose(boxes[key].get_facecolor(), colormap()(d[key]), atol=1e-6)
    assert feet["core-db"].get_text() == "fails"
    assert boxes["core-db"].get_linewidth() > 2 * boxes["core-banking"].get_linewidth()


def test_draws_into_a_given_axes_scaled_to_fit(models) -> None:
    from tests.draw.test_style import S

    fig = S.new_figure(9, 7)
    ax = fig.add_subplot()
    out = cx.draw.blueprint(models["online-retailer"], journey="return-item", ax=ax)
    assert out is ax
    assert list(fig.get_size_inches()) == [9, 7]
    assert G.overlapping_texts(fig) == []
    assert G.texts_outside(fig) == []


def test_leaves_pyplot_alone_and_never_shows(models, monkeypatch) -> None:
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() called"))
    before = plt.get_fignums()
    fig = cx.draw.blueprint(models["telecom"], journey="pay-bill")
    assert isinstance(fig, matplotlib.figure.Figure)
    assert plt.get_fignums() == before


def test_same_input_same_svg_bytes(models) -> None:
    model = models["retail-bank"]
    outs = []
    for _ in range(2):
        buf = io.BytesIO()
        cx.draw.blueprint(model, journey="open-account").savefig(buf, format="svg")
        outs.append(buf.getvalue())
    assert outs[0] == outs[1]
    assert len(outs[0]) > 10_000


def test_saves_png_svg_and_pdf(tmp_path, models) -> None:
    fig = cx.draw.blueprint(models["telecom"], journey="move-house")
    for ext, head in {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}.items():
        fig.savefig(tmp_path / f"b.{ext}")
        assert (tmp_path / f"b.{ext}").read_bytes()[:5].startswith(head)


def test_a_plain_mapping_colours_the_boxes(models) -> None:
    model = models["telecom"]
    values = {"crm": 10.0, "online-shop": 5.0}
    fig = cx.draw.blueprint(model, values, journey="buy-mobile-plan")
    boxes = G.by_gid(fig, "box")
    assert np.allclose(boxes["crm"].get_facecolor(), colormap()(1.0))
    assert np.allclose(boxes["online-shop"].get_facecolor(), colormap()(0.5))


def test_bad_arguments_are_reported(models) -> None:
    model = models["retail-bank"]
    with pytest.raises(cx.UnknownIdError, match="open-account"):
        cx.draw.blueprint(model, journey="open-acount")
    with pytest.raises(cx.UnknownIdError, match="core-db"):
        cx.draw.blueprint(model, focus="core-bd")
    with pytest.raises(cx.AnalysisInputError, match="top"):
        cx.draw.blueprint(model, top=-1)
    with pytest.raises(cx.AnalysisInputError, match="impact result"):
        cx.draw.blueprint(model, result=42)


def test_weighted_median_keeps_an_element_by_the_heaviest_user() -> None:
    assert L._weighted_median([(0, 1), (10, 1), (20, 5)]) == 20
    assert L._weighted_median([(0, 1), (10, 1)]) == 5  # an exact tie splits the difference
    assert L._weighted_median([(3, 0)]) == 3


def test_box_label_steps_the_size_down_rather_than_cut() -> None:
    text, size = L.box_label("Recommendations")
    assert text == "Recommendations" and size < L.LABEL_SIZE
    assert L.box_label("Core banking") == ("Core banking", L.LABEL_SIZE)
