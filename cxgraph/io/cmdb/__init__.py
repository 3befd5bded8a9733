"""ServiceNow CMDB exports: ``cmdb_ci`` and ``cmdb_rel_ci`` as CSV or JSON, read into elements and links.

Examples
--------
>>> sorted(cx.io.cmdb.CLASS_KINDS)[:2]
['cmdb_ci_app_server', 'cmdb_ci_appl']
"""

from .classes import CLASS_KINDS, CLASS_RULES, RELATION_RULES
from .read import find_exports, read_servicenow, read_servicenow_estate

__all__ = ["CLASS_KINDS", "CLASS_RULES", "RELATION_RULES", "find_exports", "read_servicenow", "read_servicenow_estate"]
