"""Typed classes of every result's JSON (DESIGN §5), and the JSON Schemas generated from them.

:class:`Envelope` is what every result starts with; each ``<Name>JSON`` class adds an
analysis's content, its rows typed by the ``...Item`` classes. :func:`result_schema` turns one
into a JSON Schema (draft 2020-12) with pydantic; ``cxgraph schema --result NAME`` prints it.
Keys not listed may be added in later versions (a reader should ignore what it does not know);
the envelope and each row's ``id``, ``name`` and ``type`` are always there.

Examples
--------
>>> schema = cx.analysis.result_schema("impact")
>>> schema["title"], sorted(schema["required"])[:3]
('cxgraph impact result', ['analysis', 'cxgraph_result', 'items'])
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from typing_extensions import TypedDict

from ._rows import (
    CompareItem,
    ExplainItem,
    ExplainJourneyItem,
    ExplainPathItem,
    FrontierItem,
    FrontierMarginalItem,
    GapsItem,
    GapsMetricItem,
    ImpactCapabilityItem,
    ImpactItem,
    PainItem,
    PlanItem,
    PlanMetricItem,
    PrioritiesItem,
    ResilienceItem,
    ResilienceMapItem,
    ResilienceMapVendorItem,
    ResilienceScenarioItem,
    RiskItem,
    ScorecardItem,
    ScorecardMetricItem,
    ScorecardRiskItem,
    SensitivityInfluenceItem,
    SensitivityInitiativeItem,
    SensitivityInputItem,
    SensitivityItem,
    SpofItem,
    SpofPairItem,
    WhatIfItem,
    WhatIfSegmentItem,
)

__all__ = ["RESULTS", "Envelope", "result_schema"]


class Envelope(TypedDict):
    """The start of every result: format version, analysis, model, measure, unit and notes."""

    cxgraph_result: Literal[1]
    analysis: str
    model: str | None
    measure: str | None
    unit: str | None
    notes: list[str]


class CompareJSON(Envelope):
    """The JSON of ``cx.compare(...)`` (``analysis`` is ``"compare"``)."""

    before: NotRequired[str | None]
    after: NotRequired[str | None]
    total_pain: NotRequired[dict[str, Any] | None]
    added_ids: NotRequired[dict[str, Any] | None]
    removed_ids: NotRequired[dict[str, Any] | None]
    new_spof_ids: NotRequired[list[str]]
    resolved_spof_ids: NotRequired[list[str]]
    items: list[CompareItem]


class ExplainJSON(Envelope):
    """The JSON of ``cx.explain(...)`` (``analysis`` is ``"explain"``)."""

    id: NotRequired[str | None]
    name: NotRequired[str | None]
    type: NotRequired[str | None]
    impact: NotRequired[float | None]
    items: list[ExplainItem]
    journey_items: NotRequired[list[ExplainJourneyItem]]
    path_items: NotRequired[list[ExplainPathItem]]


class FrontierJSON(Envelope):
    """The JSON of ``cx.plan_frontier(...)`` (``analysis`` is ``"plan_frontier"``)."""

    burden_before: NotRequired[float | None]
    items: list[FrontierItem]
    marginal_items: NotRequired[list[FrontierMarginalItem]]


class GapsJSON(Envelope):
    """The JSON of ``cx.gaps(...)`` (``analysis`` is ``"gaps"``)."""

    metric_items: NotRequired[list[GapsMetricItem]]
    items: list[GapsItem]


class ImpactJSON(Envelope):
    """The JSON of ``cx.impact(...)`` (``analysis`` is ``"impact"``)."""

    items: list[ImpactItem]
    capability_items: NotRequired[list[ImpactCapabilityItem]]


class PainJSON(Envelope):
    """The JSON of ``cx.pain(...)`` (``analysis`` is ``"pain"``)."""

    total_pain: NotRequired[dict[str, Any] | None]
    items: list[PainItem]


class PlanJSON(Envelope):
    """The JSON of ``cx.plan(...)`` (``analysis`` is ``"plan"``)."""

    budget: NotRequired[float | None]
    chosen_ids: NotRequired[list[str]]
    cost: NotRequired[float | None]
    benefit: NotRequired[float | None]
    exact: NotRequired[bool]
    burden_bound: NotRequired[float | None]
    burden_before: NotRequired[float | None]
    burden_after: NotRequired[float | None]
    total_pain_before: NotRequired[float | None]
    total_pain_after: NotRequired[float | None]
    expected_loss_before: NotRequired[float | None]
    expected_loss_after: NotRequired[float | None]
    total_pain_parts: NotRequired[dict[str, Any] | None]
    items: list[PlanItem]
    metric_items: NotRequired[list[PlanMetricItem]]


class PrioritiesJSON(Envelope):
    """The JSON of ``cx.priorities(...)`` (``analysis`` is ``"priorities"``)."""

    level: NotRequired[str | None]
    expected_loss: NotRequired[float | None]
    formula: NotRequired[str | None]
    weights: NotRequired[dict[str, Any] | None]
    items: list[PrioritiesItem]


class RiskJSON(Envelope):
    """The JSON of ``cx.risk(...)`` (``analysis`` is ``"risk"``)."""

    expected_loss: NotRequired[float | None]
    interval: NotRequired[float | None]
    method: NotRequired[str | None]
    lacking_ids: NotRequired[list[str]]
    items: list[RiskItem]


class ScorecardJSON(Envelope):
    """The JSON of ``cx.scorecard(...)`` (``analysis`` is ``"scorecard"``)."""

    by: NotRequired[str | None]
    items: list[ScorecardItem]
    metric_items: NotRequired[list[ScorecardMetricItem]]
    risk_items: NotRequired[list[ScorecardRiskItem]]


class SensitivityJSON(Envelope):
    """The JSON of ``cx.sensitivity(...)`` (``analysis`` is ``"sensitivity"``)."""

    n_samples: NotRequired[int | None]
    seed: NotRequired[int | None]
    top_k: NotRequired[int | None]
    rank_by: NotRequired[str | None]
    total_pain: NotRequired[dict[str, Any] | None]
    expected_loss: NotRequired[dict[str, Any] | None]
    items: list[SensitivityItem]
    input_items: NotRequired[list[SensitivityInputItem]]
    influence_items: NotRequired[list[SensitivityInfluenceItem]]
    initiative_items: NotRequired[list[SensitivityInitiativeItem]]


class SpofJSON(Envelope):
    """The JSON of ``cx.single_points_of_failure(...)`` (``analysis`` is ``"single_points_of_failure"``)."""

    items: list[SpofItem]
    pair_items: NotRequired[list[SpofPairItem]]
    pairs_searched: NotRequired[bool]


class WhatIfJSON(Envelope):
    """The JSON of ``cx.what_if(...)`` (``analysis`` is ``"what_if"``)."""

    scenario: NotRequired[dict[str, Any] | None]
    loss: NotRequired[float | None]
    interactions_lost: NotRequired[float | None]
    customers_lost: NotRequired[float | None]
    revenue_at_risk: NotRequired[float | None]
    lost_touchpoint_ids: NotRequired[list[str]]
    items: list[WhatIfItem]
    segment_items: NotRequired[list[WhatIfSegmentItem]]
    degradation: NotRequired[dict[str, Any] | None]


class ResilienceJSON(Envelope):
    """The JSON of ``cx.resilience(...)`` (``analysis`` is ``"resilience"``)."""

    n_breaches: NotRequired[int | None]
    scenario_items: NotRequired[list[ResilienceScenarioItem]]
    items: list[ResilienceItem]


class ResilienceMapJSON(Envelope):
    """The JSON of ``cx.analysis.resilience_map(...)`` (``analysis`` is ``"resilience_map"``)."""

    items: list[ResilienceMapItem]
    vendor_items: NotRequired[list[ResilienceMapVendorItem]]


#: The typed class of each analysis's result, by the name ``--result`` takes.
RESULTS: dict[str, type] = {
    "impact": ImpactJSON, "what_if": WhatIfJSON, "single_points_of_failure": SpofJSON, "explain": ExplainJSON,
    "pain": PainJSON, "gaps": GapsJSON, "priorities": PrioritiesJSON, "scorecard": ScorecardJSON,
    "compare": CompareJSON, "plan": PlanJSON, "plan_frontier": FrontierJSON, "sensitivity": SensitivityJSON,
    "risk": RiskJSON, "resilience": ResilienceJSON, "resilience_map": ResilienceMapJSON,
}


def result_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema of the result of the analysis ``name`` (``"impact"``, ``"what_if"``, ...).

    Examples
    --------
    >>> schema = cx.analysis.result_schema("what_if")
    >>> schema["properties"]["cxgraph_result"]["const"]
    1
    >>> cx.analysis.result_schema("nothing")
    Traceback (most recent call last):
    ...
    cxgraph.errors.UnknownIdError: unknown result 'nothing'
    """
    from pydantic import TypeAdapter

    from ..errors import UnknownIdError

    if name not in RESULTS:
        raise UnknownIdError(name, sorted(RESULTS), what="result")
    schema = TypeAdapter(RESULTS[name]).json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"cxgraph {name.replace('_', ' ')} result"
    return schema
