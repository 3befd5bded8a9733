"""Building a model in Python, checking it, and reading it back."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import cxgraph as cx


def build() -> cx.Model:
    m = cx.Model(name="Shop")
    buy = m.add_journey("buy", "Buy a product", segment="retail", customers=1000, revenue=5e4)
    buy.add_stage("pay", "Pay")
    buy.add_touchpoint("checkout", "Checkout", stage="pay", channel="web", depends_on=["payments"])
    m.add_element("payments", "Payments", kind="system", owner="pay-team").depends("psp-a", group="psp").depends(
        "psp-b", group="psp", strength=0.9)
    m.add_element("psp-a", "PSP A", kind="vendor")
    m.add_element("psp-b", "PSP B", kind="vendor")
    m.add_element("pay-team", "Payments team", kind="team")
    m.add_capability("payments-cap", "Payments", realized_by=["payments"])
    m.add_metric("csat", "CSAT", of="checkout", actual=3.1, target=4.5, ideal=5)
    m.add_initiative("fix", "Fix checkout", cost=1e4, improves=[{"metric": "csat", "to": 4.0}])
    return m


def test_built_model_is_sound_and_equals_its_file_form() -> None:
    m = build()
    m.check()
    assert cx.loads(m.dumps()) == m
    assert m.get("psp-b").kind == "vendor"
    assert m.journey_of("checkout").id == "buy"


def test_check_lists_every_problem() -> None:
    m = build()
    m.add_element("payments", "Twin", kind="system", depends_on=["nowhere"])
    with pytest.raises(cx.ModelError) as info:
        m.check()
    assert [str(p) for p in info.value.problems] == [
        "<model>: elements[4].id: duplicate id 'payments' (first defined at elements[0])",
        "<model>: elements[4].depends_on[0]: unknown element 'nowhere'",
    ]


def test_field_errors_are_immediate() -> None:
    with pytest.raises(cx.ModelError, match="must be between 0 and 1"):
        cx.Touchpoint(id="t", name="T", reach=1.5)
    with pytest.raises(cx.ModelError, match="unknown kind 'sytem'") as info:
        cx.Element(id="a", name="A", kind="sytem")
    assert not isinstance(info.value, ValidationError) and isinstance(info.value, ValueError)
    assert str(info.value.problems[0]).startswith("Element: kind: unknown kind 'sytem'")
    with pytest.raises(cx.ModelError, match="invalid id"):
        cx.Element(id="a b", name="A", kind="system")
    with pytest.raises(cx.ModelError, match="expected low <= high"):
        cx.Uncertain(low=2, high=1)


def test_get_unknown_id_suggests_close_ids() -> None:
    with pytest.raises(KeyError) as info:
        build().get("payment")
    assert isinstance(info.value, cx.UnknownIdError)
    assert info.value.suggestions[0] == "payments"


def test_equality_ignores_where_a_model_came_from() -> None:
    a = cx.loads(build().dumps(), source="a.yaml")
    b = cx.loads(build().dumps(), source="b.yaml")
    assert a == b
    b.name = "Other"
    assert a != b


def test_uncertain_point_values() -> None:
    assert cx.Uncertain(low=8000, high=15000).value == 11500
    assert cx.Uncertain(low=8000, mode=12000, high=15000).value == 12000
    assert cx.model.point(cx.Uncertain(low=0.2, high=0.4)) == pytest.approx(0.3)


def test_summary_reports_modelling_gaps() -> None:
    m = build()
    m.journeys[0].add_touchpoint("lonely", "Lonely")
    m.add_element("orphan-db", "Orphan", kind="data")
    m.add_capability("nothing", "Nothing yet")
    s = cx.summarize(m)
    assert s.orphan_touchpoints == ["lonely"]
    assert s.elements_without_owner == ["orphan-db"]
    assert s.unrealised_capabilities == ["nothing"]
    assert s.kinds["vendor"] == 2 and s.counts["touchpoints"] == 2


def test_schema_is_generated_and_documents_fields() -> None:
    schema = cx.json_schema()
    defs = schema["$defs"]
    assert set(defs["Element"]["properties"]["kind"]["enum"]) == set(cx.model.ELEMENT_KINDS)
    for name, definition in defs.items():
        for field, spec in definition.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"
