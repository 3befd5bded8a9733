"""Calibrating a model from evidence: incident history, SLOs, journey event logs and surveys.

:func:`calibrate` reads the evidence (see :mod:`cxgraph.io.evidence`), matches the names in
it to the model's items (:mod:`~cxgraph.calibrate.matching`), estimates reliability
(:mod:`~cxgraph.calibrate.reliability`), turnarounds (:mod:`~cxgraph.calibrate.turnaround`)
and survey scores (:mod:`~cxgraph.calibrate.surveys`), and writes them into a copy of the
model with a :class:`CalibrationReport` of everything it did.

Examples
--------
>>> from cxgraph.calibrate import CalibrationReport
>>> CalibrationReport("Bank").written
True
"""

from .matching import Match, Matcher
from .report import CalibrationReport, Change, Source
from .run import calibrate

__all__ = ["CalibrationReport", "Change", "Match", "Matcher", "Source", "calibrate"]
