"""The rows of every result's JSON, as typed classes (see :mod:`cxgraph.analysis.schemas`)."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict

__all__ = [
    "CompareItem",
    "ExplainItem",
    "ExplainJourneyItem",
    "ExplainPathItem",
    "FrontierItem",
    "FrontierMarginalItem",
    "GapsItem",
    "GapsMetricItem",
    "ImpactCapabilityItem",
    "ImpactItem",
    "PainItem",
    "PlanItem",
    "PlanMetricItem",
    "PrioritiesItem",
    "ResilienceItem",
    "ResilienceMapItem",
    "ResilienceMapVendorItem",
    "ResilienceScenarioItem",
    "ResilienceTimelineItem",
    "RiskItem",
    "ScorecardItem",
    "ScorecardMetricItem",
    "ScorecardRiskItem",
    "SensitivityInfluenceItem",
    "SensitivityInitiativeItem",
    "SensitivityInputItem",
    "SensitivityItem",
    "SpofItem",
    "SpofPairItem",
    "WhatIfItem",
    "WhatIfSegmentItem",
]


class CompareItem(TypedDict):
    """One row of a result: ``CompareItem``."""

    id: str
    name: str
    type: str
    status: NotRequired[str | None]
    impact_before: NotRequired[float | None]
    impact_after: NotRequired[float | None]
    impact_change: NotRequired[float | None]
    pain_before: NotRequired[float | None]
    pain_after: NotRequired[float | None]
    pain_change: NotRequired[float | None]
    rank_before: NotRequired[int | None]
    rank_after: NotRequired[int | None]
    rank_change: NotRequired[int | None]
    spofs_before: NotRequired[int | None]
    spofs_after: NotRequired[int | None]
    spofs_change: NotRequired[int | None]


class ExplainItem(TypedDict):
    """One row of a result: ``ExplainItem``."""

    id: str
    name: str
    type: str
    journey_id: NotRequired[str | None]
    weight: NotRequired[float | None]
    degradation: NotRequired[float | None]
    share: NotRequired[float | None]
    fraction: NotRequired[float | None]


class ExplainJourneyItem(TypedDict):
    """One row of a result: ``ExplainJourneyItem``."""

    id: str
    name: str
    type: str
    segment_id: NotRequired[str | None]
    share: NotRequired[float | None]
    fraction: NotRequired[float | None]
    n_touchpoints: NotRequired[int | None]


class ExplainPathItem(TypedDict):
    """One row of a result: ``ExplainPathItem``."""

    id: str
    name: str
    type: str
    strength: NotRequired[float | None]
    hops: NotRequired[int | None]
    path_ids: NotRequired[list[str]]


class FrontierItem(TypedDict):
    """One row of a result: ``FrontierItem``."""

    id: str
    name: str
    type: str
    budget: NotRequired[float | None]
    chosen_ids: NotRequired[list[str]]
    cost: NotRequired[float | None]
    benefit: NotRequired[float | None]
    exact: NotRequired[bool]
    burden_bound: NotRequired[float | None]
    burden_after: NotRequired[float | None]


class FrontierMarginalItem(TypedDict):
    """One row of a result: ``FrontierMarginalItem``."""

    id: str
    name: str
    type: str
    budget: NotRequired[float | None]
    cost: NotRequired[float | None]
    marginal_benefit: NotRequired[float | None]
    benefit_per_cost: NotRequired[float | None]
    drops: NotRequired[str | None]


class GapsItem(TypedDict):
    """One row of a result: ``GapsItem``."""

    id: str
    name: str
    type: str
    kind: NotRequired[str | None]
    gap: NotRequired[float | None]
    metric_id: NotRequired[str | None]
    metric: NotRequired[Any]


class GapsMetricItem(TypedDict):
    """One row of a result: ``GapsMetricItem``."""

    id: str
    name: str
    type: str
    of: NotRequired[str | None]
    of_type: NotRequired[str | None]
    actual: NotRequired[float | None]
    target: NotRequired[float | None]
    ideal: NotRequired[float | None]
    better: NotRequired[str | None]
    unit: NotRequired[str | None]
    gap: NotRequired[float | None]


class ImpactCapabilityItem(TypedDict):
    """One row of a result: ``ImpactCapabilityItem``."""

    id: str
    name: str
    type: str
    parent: NotRequired[str | None]
    impact: NotRequired[float | None]
    rank: NotRequired[int | None]
    n_journeys: NotRequired[int | None]
    n_touchpoints: NotRequired[int | None]


class ImpactItem(TypedDict):
    """One row of a result: ``ImpactItem``."""

    id: str
    name: str
    type: str
    kind: NotRequired[str | None]
    impact: NotRequired[float | None]
    rank: NotRequired[int | None]
    n_journeys: NotRequired[int | None]
    n_touchpoints: NotRequired[int | None]


class PainItem(TypedDict):
    """One row of a result: ``PainItem``."""

    id: str
    name: str
    type: str
    kind: NotRequired[str | None]
    pain: NotRequired[float | None]
    rank: NotRequired[int | None]
    impact: NotRequired[float | None]
    gap: NotRequired[float | None]


class PlanItem(TypedDict):
    """One row of a result: ``PlanItem``."""

    id: str
    name: str
    type: str
    cost: NotRequired[float | None]
    chosen: NotRequired[bool]
    requires: NotRequired[str | None]
    changes: NotRequired[str | None]
    benefit_alone: NotRequired[float | None]
    cost_alone: NotRequired[float | None]


class PlanMetricItem(TypedDict):
    """One row of a result: ``PlanMetricItem``."""

    id: str
    name: str
    type: str
    of: NotRequired[str | None]
    better: NotRequired[str | None]
    actual: NotRequired[float | None]
    target: NotRequired[float | None]
    after: NotRequired[float | None]
    gap_before: NotRequired[float | None]
    gap_after: NotRequired[float | None]
    set_by: NotRequired[str | None]


class PrioritiesItem(TypedDict):
    """One row of a result: ``PrioritiesItem``."""

    id: str
    name: str
    type: str
    kind: NotRequired[str | None]
    level: NotRequired[int | None]
    rank: NotRequired[int | None]
    score: NotRequired[float | None]
    impact: NotRequired[float | None]
    impact_share: NotRequired[float | None]
    risk: NotRequired[float | None]
    risk_share: NotRequired[float | None]
    pain: NotRequired[float | None]
    pain_share: NotRequired[float | None]
    own_gap: NotRequired[float | None]
    effort: NotRequired[float | None]
    n_journeys: NotRequired[int | None]
    n_touchpoints: NotRequired[int | None]
    reached: NotRequired[bool]
    why: NotRequired[str | None]


class RiskItem(TypedDict):
    """One row of a result: ``RiskItem``."""

    id: str
    name: str
    type: str
    q: NotRequired[float | None]
    risk: NotRequired[float | None]


class ScorecardItem(TypedDict):
    """One row of a result: ``ScorecardItem``."""

    id: str
    name: str
    type: str
    n_elements: NotRequired[int | None]
    impact: NotRequired[float | None]
    pain: NotRequired[float | None]
    it_pain: NotRequired[float | None]
    n_metrics: NotRequired[int | None]
    n_metrics_with_gap: NotRequired[int | None]
    worst_metric: NotRequired[str | None]
    worst_gap: NotRequired[float | None]
    n_spofs: NotRequired[int | None]
    top_risk_ids: NotRequired[list[str]]


class ScorecardMetricItem(TypedDict):
    """One row of a result: ``ScorecardMetricItem``."""

    id: str
    name: str
    type: str
    group: NotRequired[str | None]
    of: NotRequired[str | None]
    actual: NotRequired[float | None]
    target: NotRequired[float | None]
    better: NotRequired[str | None]
    unit: NotRequired[str | None]
    gap: NotRequired[float | None]


class ScorecardRiskItem(TypedDict):
    """One row of a result: ``ScorecardRiskItem``."""

    id: str
    name: str
    type: str
    group: NotRequired[str | None]
    kind: NotRequired[str | None]
    loss: NotRequired[float | None]
    touchpoint_ids: NotRequired[list[str]]


class SensitivityInfluenceItem(TypedDict):
    """One row of a result: ``SensitivityInfluenceItem``."""

    id: str
    name: str
    type: str
    item: NotRequired[str | None]
    rho_impact: NotRequired[float | None]
    rho_rank: NotRequired[float | None]


class SensitivityInitiativeItem(TypedDict):
    """One row of a result: ``SensitivityInitiativeItem``."""

    id: str
    name: str
    type: str
    cost_mean: NotRequired[float | None]
    cost_p05: NotRequired[float | None]
    cost_p95: NotRequired[float | None]
    benefit_mean: NotRequired[float | None]
    benefit_p05: NotRequired[float | None]
    benefit_p95: NotRequired[float | None]
    benefit_per_cost_mean: NotRequired[float | None]
    share_of_total_pain: NotRequired[float | None]


class SensitivityInputItem(TypedDict):
    """One row of a result: ``SensitivityInputItem``."""

    id: str
    name: str
    type: str
    item: NotRequired[str | None]
    field: NotRequired[str | None]
    distribution: NotRequired[str | None]
    low: NotRequired[float | None]
    mode: NotRequired[float | None]
    high: NotRequired[float | None]
    influence: NotRequired[float | None]
    most_on: NotRequired[str | None]
    influence_impact: NotRequired[float | None]


class SensitivityItem(TypedDict):
    """One row of a result: ``SensitivityItem``."""

    id: str
    name: str
    type: str
    kind: NotRequired[str | None]
    impact: NotRequired[float | None]
    pain: NotRequired[float | None]
    rank: NotRequired[int | None]
    impact_mean: NotRequired[float | None]
    impact_p05: NotRequired[float | None]
    impact_p95: NotRequired[float | None]
    pain_mean: NotRequired[float | None]
    pain_p05: NotRequired[float | None]
    pain_p95: NotRequired[float | None]
    rank_median: NotRequired[float | None]
    rank_p05: NotRequired[int | None]
    rank_p95: NotRequired[int | None]
    p_top_k: NotRequired[float | None]


class SpofItem(TypedDict):
    """One row of a result: ``SpofItem``."""

    id: str
    name: str
    type: str
    kind: NotRequired[str | None]
    owner_id: NotRequired[str | None]
    touchpoint_ids: NotRequired[list[str]]
    loss: NotRequired[float | None]
    owner: NotRequired[Any]


class SpofPairItem(TypedDict):
    """One row of a result: ``SpofPairItem``."""

    id: str
    name: str
    type: str
    element_ids: NotRequired[list[str]]
    touchpoint_ids: NotRequired[list[str]]
    loss: NotRequired[float | None]


class WhatIfItem(TypedDict):
    """One row of a result: ``WhatIfItem``."""

    id: str
    name: str
    type: str
    segment_id: NotRequired[str | None]
    loss: NotRequired[float | None]
    share_lost: NotRequired[float | None]
    interactions_lost: NotRequired[float | None]
    customers_lost: NotRequired[float | None]
    revenue_at_risk: NotRequired[float | None]
    interactions: NotRequired[float | None]


class WhatIfSegmentItem(TypedDict):
    """One row of a result: ``WhatIfSegmentItem``."""

    id: str
    name: str
    type: str
    loss: NotRequired[float | None]
    interactions_lost: NotRequired[float | None]
    customers_lost: NotRequired[float | None]
    revenue_at_risk: NotRequired[float | None]
    interactions: NotRequired[float | None]


class ResilienceItem(TypedDict):
    """One row of a result: ``ResilienceItem``."""

    id: str
    name: str
    type: str
    scenario: NotRequired[str | None]
    scenario_name: NotRequired[str | None]
    tolerance_hours: NotRequired[float | None]
    tolerance_loss: NotRequired[float | None]
    disruption_hours: NotRequired[float | None]
    breach: NotRequired[bool]
    max_loss: NotRequired[float | None]
    customers_harmed: NotRequired[float | None]
    peak_loss: NotRequired[float | None]
    lost: NotRequired[float | None]
    ended_by_ids: NotRequired[list[str]]
    message: NotRequired[str | None]
    timeline: NotRequired[list[ResilienceTimelineItem]]


class ResilienceMapItem(TypedDict):
    """One row of a result: ``ResilienceMapItem``."""

    id: str
    name: str
    type: str
    journey_id: NotRequired[str | None]
    journey_name: NotRequired[str | None]
    tolerance_hours: NotRequired[float | None]
    group: NotRequired[str | None]
    kind: NotRequired[str | None]
    owner_id: NotRequired[str | None]
    recovery_hours: NotRequired[float | None]
    exceeds_tolerance: NotRequired[bool]
    jloss: NotRequired[float | None]
    breach_alone: NotRequired[bool]
    owner: NotRequired[Any]


class ResilienceMapVendorItem(TypedDict):
    """One row of a result: ``ResilienceMapVendorItem``."""

    id: str
    name: str
    type: str
    owned_ids: NotRequired[list[str]]
    journey_ids: NotRequired[list[str]]
    n_journeys: NotRequired[int | None]
    customers: NotRequired[float | None]
    customers_lost: NotRequired[float | None]


class ResilienceScenarioItem(TypedDict):
    """One row of a result: ``ResilienceScenarioItem``."""

    id: str
    name: str
    type: str
    reason: NotRequired[str | None]
    element_ids: NotRequired[list[str]]
    n_breaches: NotRequired[int | None]


class ResilienceTimelineItem(TypedDict):
    """One row of a result: ``ResilienceTimelineItem``."""

    from_hours: NotRequired[float | None]
    to_hours: NotRequired[float | None]
    jloss: NotRequired[float | None]
    loss: NotRequired[float | None]
    restored_ids: NotRequired[list[str]]
