"""Analyses: one module per question; each is a pure function returning a :class:`Result`.

Examples
--------
>>> issubclass(cx.analysis.Result, object)
True
"""

from ._result import Result, jsonable
from .compare import CompareResult, compare
from .gaps import GapsResult, TotalPain, gaps, total_pain
from .impact import ImpactResult, impact
from .pain import PainResult, pain
from .plan import FrontierResult, PlanResult, plan, plan_frontier
from .priorities import PrioritiesResult, priorities
from .scorecard import ScorecardResult, scorecard
from .sensitivity import SensitivityResult, sensitivity

__all__ = [
    "CompareResult",
    "FrontierResult",
    "GapsResult",
    "ImpactResult",
    "PainResult",
    "PlanResult",
    "PrioritiesResult",
    "Result",
    "ScorecardResult",
    "SensitivityResult",
    "TotalPain",
    "compare",
    "gaps",
    "impact",
    "jsonable",
    "pain",
    "plan",
    "plan_frontier",
    "priorities",
    "scorecard",
    "sensitivity",
    "total_pain",
]
