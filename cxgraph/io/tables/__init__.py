"""Spreadsheets: a model as one table per sheet of an Excel workbook, or one CSV file per table.

=================  ==========================================================================
module             what it does
=================  ==========================================================================
:mod:`.api`        :func:`read_tables`, :func:`write_tables`, :func:`write_template`
:mod:`.layout`     the sheets and their columns
:mod:`.cells`      reading and writing one cell (numbers, lists, uncertain values)
:mod:`.files`      the raw cells of a CSV folder or an ``.xlsx`` workbook
:mod:`.read`       cells to a model document, every problem at its sheet, row and column
:mod:`.estate`     :func:`read_tables_estate`: the elements and their links as an estate's tables
=================  ==========================================================================

Examples
--------
>>> from cxgraph.io.tables import SHEETS
>>> [s.name for s in SHEETS][:3]
['model', 'journeys', 'stages']
"""

from .api import read_tables, write_tables, write_template
from .estate import read_tables_estate
from .layout import SHEETS

__all__ = ["SHEETS", "read_tables", "read_tables_estate", "write_tables", "write_template"]
