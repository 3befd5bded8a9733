"""Analyses: one module per question; each is a pure function returning a :class:`Result`.

Examples
--------
>>> issubclass(cx.analysis.Result, object)
True
"""

from ._result import Result, jsonable
from .compare import CompareResult, compare
from .coverage import coverage_notes
from .explain import ExplainResult, explain
from .gaps import GapsResult, TotalPain, gaps, total_pain
from .impact import ImpactResult, impact
from .pain import PainResult, pain
from .plan import FrontierResult, PlanResult, plan, plan_frontier
from .priorities import PrioritiesResult, priorities
from .resilience import ResilienceResult, resilience
from .resilience_map import ResilienceMapResult, resilience_map
from .risk import RiskResult, risk
from .scorecard import ScorecardResult, scorecard
from .sensitivity import SensitivityResult, sensitivity
from .spof import SpofResult, single_points_of_failure
from .whatif import WhatIfResult, what_if

__all__ = [
    "CompareResult",
    "ExplainResult",
    "FrontierResult",
    "GapsResult",
    "ImpactResult",
    "PainResult",
    "PlanResult",
    "PrioritiesResult",
    "ResilienceMapResult",
    "ResilienceResult",
    "Result",
    "RiskResult",
    "ScorecardResult",
    "SensitivityResult",
    "SpofResult",
    "TotalPain",
    "WhatIfResult",
    "compare",
    "coverage_notes",
    "explain",
    "gaps",
    "impact",
    "jsonable",
    "pain",
    "plan",
    "plan_frontier",
    "priorities",
    "resilience",
    "resilience_map",
    "risk",
    "scorecard",
    "sensitivity",
    "single_points_of_failure",
    "total_pain",
    "what_if",
]
