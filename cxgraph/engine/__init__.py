"""The engine: a model compiled once into index arrays, and the kernel that propagates failures.

Analyses in :mod:`cxgraph.analysis` build on it; use it directly to run many scenarios on
one compiled model (embedding tools, simulations).

Examples
--------
>>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
>>> d = c.degradation({c.node("core-banking"): 1.0})
>>> float(d[c.node("core-banking")])
1.0
"""

from .compile import NO_SEGMENT, PERIOD_HOURS, CompiledModel, compile_model, fingerprint
from .kernels import MAX_SWEEPS, TOLERANCE, backend
from .measures import MEASURES, Measure, as_measure, measure_of
from .scenarios import LOST, BatchOutput, all_failures, run_packed, run_scenarios

__all__ = [
    "LOST",
    "MAX_SWEEPS",
    "MEASURES",
    "NO_SEGMENT",
    "PERIOD_HOURS",
    "TOLERANCE",
    "BatchOutput",
    "CompiledModel",
    "Measure",
    "all_failures",
    "as_measure",
    "backend",
    "compile_model",
    "fingerprint",
    "measure_of",
    "run_packed",
    "run_scenarios",
]
