"""cxgraph: which IT systems, processes and teams customer journeys rest on, and what to fix first.

``import cxgraph as cx`` is the canonical import. Importing it is quick: each public name is
loaded from its module when first used (the imports below are what a type checker reads), so
``cxgraph --version`` or a script that only loads a model never waits for pandas, matplotlib,
scipy or numba.

Examples
--------
>>> model = cx.examples.load("retail-bank")
>>> model.name
'Retail bank'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import install

if TYPE_CHECKING:  # at run time each name is imported on first use (see cxgraph._lazy)
    from . import analysis, draw, engine, errors, examples, io, model
    from .analysis._plausible import plausible_scenarios
    from .analysis.compare import CompareResult, compare
    from .analysis.explain import ExplainResult, explain
    from .analysis.gaps import GapsResult, gaps, total_pain
    from .analysis.impact import ImpactResult, impact
    from .analysis.pain import PainResult, pain
    from .analysis.plan import FrontierResult, PlanResult, plan, plan_frontier
    from .analysis.priorities import PrioritiesResult, priorities
    from .analysis.resilience import ResilienceResult, resilience
    from .analysis.resilience_map import ResilienceMapResult, resilience_map
    from .analysis.risk import RiskResult, risk
    from .analysis.scorecard import ScorecardResult, scorecard
    from .analysis.sensitivity import SensitivityResult, sensitivity
    from .analysis.spof import SpofResult, single_points_of_failure
    from .analysis.whatif import WhatIfResult, what_if
    from .calibrate import CalibrationReport, calibrate
    from .errors import (
        AnalysisInputError,
        CxGraphError,
        FormatError,
        MissingDependencyError,
        ModelError,
        Problem,
        UnknownIdError,
        UnsafeInputError,
    )
    from .io import dumps, load, loads, save
    from .io.exporters import export
    from .merge import MergeResult, merge
    from .model import (
        Additions,
        Capability,
        Dependency,
        Element,
        Improvement,
        Initiative,
        Journey,
        Link,
        LinkRef,
        Metric,
        Model,
        Scenario,
        Selector,
        Setting,
        Stage,
        Tolerance,
        Touchpoint,
        Uncertain,
    )
    from .model.estate import Estate
    from .report import report
    from .schema import json_schema
    from .summary import ModelSummary, summarize

__version__ = "0.1.0"

__all__ = [
    "Additions",
    "AnalysisInputError",
    "CalibrationReport",
    "Capability",
    "CompareResult",
    "CxGraphError",
    "Dependency",
    "Element",
    "Estate",
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
    "MergeResult",
    "Metric",
    "MissingDependencyError",
    "Model",
    "ModelError",
    "ModelSummary",
    "PainResult",
    "PlanResult",
    "PrioritiesResult",
    "Problem",
    "ResilienceMapResult",
    "ResilienceResult",
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
    "calibrate",
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
    "merge",
    "model",
    "pain",
    "plan",
    "plan_frontier",
    "plausible_scenarios",
    "priorities",
    "report",
    "resilience",
    "resilience_map",
    "risk",
    "save",
    "scorecard",
    "sensitivity",
    "single_points_of_failure",
    "summarize",
    "total_pain",
    "what_if",
]

install(globals())
