"""The public namespace is pinned: a change to it is a deliberate change to this list."""

import cxgraph as cx

EXPECTED = [
    "Additions",
    "AnalysisInputError",
    "Capability",
    "CompareResult",
    "CxGraphError",
    "Dependency",
    "Element",
    "ExplainResult",
    "FormatError",
    "FrontierResult",
    "GapsResult",
    "ImpactResult",
    "Improvement",
    "Initiative",
    "Journey",
    "Link",
    "LinkRef",
    "Metric",
    "MissingDependencyError",
    "Model",
    "ModelError",
    "ModelSummary",
    "PainResult",
    "PlanResult",
    "PrioritiesResult",
    "Problem",
    "RiskResult",
    "Scenario",
    "ScorecardResult",
    "Selector",
    "SensitivityResult",
    "Setting",
    "SpofResult",
    "Stage",
    "Tolerance",
    "Touchpoint",
    "Uncertain",
    "UnknownIdError",
    "UnsafeInputError",
    "WhatIfResult",
    "__version__",
    "analysis",
    "compare",
    "draw",
    "dumps",
    "engine",
    "errors",
    "examples",
    "explain",
    "export",
    "gaps",
    "impact",
    "io",
    "json_schema",
    "load",
    "loads",
    "model",
    "pain",
    "plan",
    "plan_frontier",
    "priorities",
    "report",
    "risk",
    "save",
    "scorecard",
    "sensitivity",
    "single_points_of_failure",
    "summarize",
    "total_pain",
    "what_if",
]


def test_all_is_sorted_and_pinned() -> None:
    assert cx.__all__ == sorted(cx.__all__)
    assert sorted(cx.__all__) == sorted(EXPECTED)


def test_every_exported_name_exists_and_is_documented() -> None:
    for name in cx.__all__:
        obj = getattr(cx, name)
        if name != "__version__":
            assert obj.__doc__, f"cx.{name} has no docstring"
