"""Reading evidence: incident and outage records, SLOs, journey event logs and surveys.

One module per source. Every reader returns an :class:`EvidenceTable`: the records as a
pandas frame (read columnar, no Python loop per row for CSV), what file and format they
came from, and the rows it left out, counted by reason. Bad input is a located
:class:`~cxgraph.FormatError`: a file that is not the format it claims, a missing column
(named, with the columns found), an unreadable timestamp (row and column named), an end
before its start.

| source | reader |
| --- | --- |
| ServiceNow incidents (CSV), any incident CSV | :func:`read_servicenow_incidents` |
| ServiceNow outage records (CSV) | :func:`read_servicenow_outages` |
| PagerDuty incidents (JSON) | :func:`read_pagerduty` |
| OpenSLO v1 (YAML) | :func:`read_openslo` |
| event log (CSV or XES) | :func:`read_event_log`, :func:`read_event_log_csv`, :func:`read_xes` |
| survey responses (CSV, Qualtrics) | :func:`read_survey` |

Examples
--------
>>> from cxgraph.io import evidence
>>> sorted(evidence.__all__)[:3]
['EvidenceTable', 'RowProblem', 'read_event_log']
"""

from ._common import EvidenceTable, RowProblem
from .eventlog import read_event_log, read_event_log_csv, read_xes
from .openslo import read_openslo
from .pagerduty import read_pagerduty
from .servicenow import read_servicenow_incidents, read_servicenow_outages
from .surveys import read_survey

__all__ = [
    "EvidenceTable",
    "RowProblem",
    "read_event_log",
    "read_event_log_csv",
    "read_openslo",
    "read_pagerduty",
    "read_servicenow_incidents",
    "read_servicenow_outages",
    "read_survey",
    "read_xes",
]
