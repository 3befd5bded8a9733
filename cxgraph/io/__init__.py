"""Reading and writing models: YAML and JSON files, and the networkx graph view.

Examples
--------
>>> m = cx.io.loads("cxgraph: 1\\nname: Bank")
>>> m.name
'Bank'
"""

from . import xmlsafe
from .graph import to_networkx
from .report import ImportReport, ReportEntry
from .tables import read_tables, write_tables, write_template
from .validate import model_from_document
from .yamljson import dumps, load, loads, read_document, save

__all__ = [
    "ImportReport",
    "ReportEntry",
    "dumps",
    "load",
    "loads",
    "model_from_document",
    "read_document",
    "read_tables",
    "save",
    "to_networkx",
    "write_tables",
    "write_template",
    "xmlsafe",
]
