"""Analyses: one module per question; each is a pure function returning a :class:`Result`.

Each name below is loaded from its module when first used, so running one analysis imports
only what that analysis needs.

Examples
--------
>>> issubclass(cx.analysis.Result, object)
True
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what a type checker sees; at run time each name loads on first use
    from ._result import Result, jsonable
    from .compare import CompareResult, compare
    from .explain import ExplainResult, explain
    from .gaps import GapsResult, TotalPain, gaps, total_pain
    from .impact import ImpactResult, impact
    from .pain import PainResult, pain
    from .plan import FrontierResult, PlanResult, plan, plan_frontier
    from .priorities import PrioritiesResult, priorities
    from .scorecard import ScorecardResult, scorecard
    from .sensitivity import SensitivityResult, sensitivity
    from .spof import SpofResult, single_points_of_failure
    from .whatif import WhatIfResult, what_if

#: The module (relative to this package) that defines each public name.
_LAZY: dict[str, str] = {
    "Result": "._result", "jsonable": "._result",
    "CompareResult": ".compare", "compare": ".compare",
    "ExplainResult": ".explain", "explain": ".explain",
    "GapsResult": ".gaps", "TotalPain": ".gaps", "gaps": ".gaps", "total_pain": ".gaps",
    "ImpactResult": ".impact", "impact": ".impact",
    "PainResult": ".pain", "pain": ".pain",
    "FrontierResult": ".plan", "PlanResult": ".plan", "plan": ".plan", "plan_frontier": ".plan",
    "PrioritiesResult": ".priorities", "priorities": ".priorities",
    "ScorecardResult": ".scorecard", "scorecard": ".scorecard",
    "SensitivityResult": ".sensitivity", "sensitivity": ".sensitivity",
    "SpofResult": ".spof", "single_points_of_failure": ".spof",
    "WhatIfResult": ".whatif", "what_if": ".whatif",
}

__all__ = [
    "CompareResult",
    "ExplainResult",
    "FrontierResult",
    "GapsResult",
    "ImpactResult",
    "PainResult",
    "PlanResult",
    "PrioritiesResult",
    "Result",
    "ScorecardResult",
    "SensitivityResult",
    "SpofResult",
    "TotalPain",
    "WhatIfResult",
    "compare",
    "explain",
    "gaps",
    "impact",
    "jsonable",
    "pain",
    "plan",
    "plan_frontier",
    "priorities",
    "scorecard",
    "sensitivity",
    "single_points_of_failure",
    "total_pain",
    "what_if",
]


def __getattr__(name: str) -> Any:
    # Load a public name from its module on first use, then keep it here (PEP 562).
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package's module type: loading the module ``impact`` never hides the function ``impact``."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == f".{name}":
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
