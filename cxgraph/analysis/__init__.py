"""Analyses: one module per question; each is a pure function returning a :class:`Result`.

Examples
--------
>>> issubclass(cx.analysis.Result, object)
True
"""

from ._result import Result, jsonable
from .gaps import GapsResult, TotalPain, gaps, total_pain

__all__ = ["GapsResult", "Result", "TotalPain", "gaps", "jsonable", "total_pain"]
