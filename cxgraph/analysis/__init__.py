"""Analyses: one module per question; each is a pure function returning a :class:`Result`.

Examples
--------
>>> issubclass(cx.analysis.Result, object)
True
"""

from ._result import Result, jsonable
from .gaps import GapsResult, TotalPain, gaps, total_pain
from .impact import ImpactResult, impact
from .pain import PainResult, pain
from .plan import FrontierResult, PlanResult, plan, plan_frontier
from .sensitivity import SensitivityResult, sensitivity

__all__ = [
    "FrontierResult",
    "GapsResult",
    "ImpactResult",
    "PainResult",
    "PlanResult",
    "Result",
    "SensitivityResult",
    "TotalPain",
    "gaps",
    "impact",
    "jsonable",
    "pain",
    "plan",
    "plan_frontier",
    "sensitivity",
    "total_pain",
]
