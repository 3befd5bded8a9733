"""cxgraph: which IT systems, processes and teams customer journeys rest on, and what to fix first.

``import cxgraph as cx`` is the canonical import. Importing it is quick: each name below is
loaded from its module when first used, so ``cxgraph --version`` or a script that only
loads a model never waits for pandas, matplotlib, scipy or numba.

Examples
--------
>>> model = cx.examples.load("retail-bank")
>>> model.name
'Retail bank'
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what a type checker and an editor see; at run time each name loads on first use
    from . import analysis, draw, engine, errors, examples, io, model
    from .analysis.compare import CompareResult, compare
    from .analysis.explain import ExplainResult, explain
    from .analysis.gaps import GapsResult, gaps, total_pain
    from .analysis.impact import ImpactResult, impact
    from .analysis.pain import PainResult, pain
    from .analysis.plan import FrontierResult, PlanResult, plan, plan_frontier
    from .analysis.priorities import PrioritiesResult, priorities
    from .analysis.scorecard import ScorecardResult, scorecard
    from .analysis.sensitivity import SensitivityResult, sensitivity
    from .analysis.spof import SpofResult, single_points_of_failure
    from .analysis.whatif import WhatIfResult, what_if
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
    from .model import (
        Capability,
        Dependency,
        Element,
        Improvement,
        Initiative,
        Journey,
        Metric,
        Model,
        Stage,
        Touchpoint,
        Uncertain,
    )
    from .report import report
    from .schema import json_schema
    from .summary import ModelSummary, summarize

#: Where each public name lives: a module (relative to this package), and the attribute in it
#: (None: the name is the module itself).
_LAZY: dict[str, tuple[str, str | None]] = {
    **{name: (f".{name}", None) for name in ("analysis", "draw", "engine", "errors", "examples", "io", "model")},
    **{name: (".analysis.compare", name) for name in ("CompareResult", "compare")},
    **{name: (".analysis.explain", name) for name in ("ExplainResult", "explain")},
    **{name: (".analysis.gaps", name) for name in ("GapsResult", "gaps", "total_pain")},
    **{name: (".analysis.impact", name) for name in ("ImpactResult", "impact")},
    **{name: (".analysis.pain", name) for name in ("PainResult", "pain")},
    **{name: (".analysis.plan", name) for name in ("FrontierResult", "PlanResult", "plan", "plan_frontier")},
    **{name: (".analysis.priorities", name) for name in ("PrioritiesResult", "priorities")},
    **{name: (".analysis.scorecard", name) for name in ("ScorecardResult", "scorecard")},
    **{name: (".analysis.sensitivity", name) for name in ("SensitivityResult", "sensitivity")},
    **{name: (".analysis.spof", name) for name in ("SpofResult", "single_points_of_failure")},
    **{name: (".analysis.whatif", name) for name in ("WhatIfResult", "what_if")},
    **{name: (".errors", name) for name in ("AnalysisInputError", "CxGraphError", "FormatError",
                                            "MissingDependencyError", "ModelError", "Problem", "UnknownIdError",
                                            "UnsafeInputError")},
    **{name: (".io", name) for name in ("dumps", "load", "loads", "save")},
    "export": (".io.exporters", "export"),
    **{name: (".model", name) for name in ("Capability", "Dependency", "Element", "Improvement", "Initiative",
                                           "Journey", "Metric", "Model", "Stage", "Touchpoint", "Uncertain")},
    "report": (".report", "report"),
    "json_schema": (".schema", "json_schema"),
    **{name: (".summary", name) for name in ("ModelSummary", "summarize")},
}

__all__ = [
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
    "Metric",
    "MissingDependencyError",
    "Model",
    "ModelError",
    "ModelSummary",
    "PainResult",
    "PlanResult",
    "PrioritiesResult",
    "Problem",
    "ScorecardResult",
    "SensitivityResult",
    "SpofResult",
    "Stage",
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
    "save",
    "scorecard",
    "sensitivity",
    "single_points_of_failure",
    "summarize",
    "total_pain",
    "what_if",
]


def __getattr__(name: str) -> Any:
    # Load a public name from its module on first use, then keep it here (PEP 562).
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package's module type: a subpackage loading never hides the function of the same name.

    Python sets ``cxgraph.report`` to the subpackage when it is first imported; the public
    name ``cx.report`` is the function inside it, so that is what is kept.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == (f".{name}", name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
