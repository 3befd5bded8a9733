"""Analyses: one module per question; each is a pure function returning a :class:`Result`.

Examples
--------
>>> issubclass(cx.analysis.Result, object)
True
"""

from ._result import Result, jsonable

__all__ = ["Result", "jsonable"]
