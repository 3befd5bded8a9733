r"""Reading and writing models: YAML, JSON, ArchiMate and Archi files, spreadsheets, and the networkx graph view.

Examples
--------
>>> m = cx.io.loads("cxgraph: 1\nname: Bank")
>>> m.name
'Bank'
"""

from . import formats, xmlsafe
from .archimate import (
    is_archimate_file,
    journey_candidates,
    read_archi,
    read_archi_csv,
    read_archimate,
    read_coarchi,
    write_archi_csv,
    write_archimate,
)
from .backstage import read_backstage, read_backstage_estate
from .cmdb import read_servicenow, read_servicenow_estate
from .estate import read_estate, write_estate
from .formats import input_format, read_any
from .graph import to_networkx
from .importlog import ImportEntry, ImportLog
from .structurizr import read_structurizr
from .tables import read_tables, read_tables_estate, write_tables, write_template
from .traces import read_traces, read_traces_estate
from .validate import model_from_document
from .yamljson import dumps, load, loads, read_document, save

__all__ = [
    "ImportEntry",
    "ImportLog",
    "dumps",
    "formats",
    "input_format",
    "is_archimate_file",
    "journey_candidates",
    "load",
    "loads",
    "model_from_document",
    "read_any",
    "read_archi",
    "read_archi_csv",
    "read_archimate",
    "read_backstage",
    "read_backstage_estate",
    "read_coarchi",
    "read_document",
    "read_estate",
    "read_servicenow",
    "read_servicenow_estate",
    "read_structurizr",
    "read_tables",
    "read_tables_estate",
    "read_traces",
    "read_traces_estate",
    "save",
    "to_networkx",
    "write_archi_csv",
    "write_archimate",
    "write_estate",
    "write_tables",
    "write_template",
    "xmlsafe",
]
