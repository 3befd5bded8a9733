r"""CSV cells that a spreadsheet would run as formulas are written neutralised, and read back as written.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets when the CSV file is opened ("CSV injection"). Every CSV
file cxgraph writes - spreadsheet tables, Archi CSV, ``--format csv`` - puts an apostrophe
before such a cell (a number such as ``-5`` is left alone), which spreadsheets show as text.
cxgraph's CSV readers remove exactly that apostrophe, so a model reads back as it was:
a text that already begins with apostrophes before such a character gets one more.

Examples
--------
>>> from cxgraph.io.csvsafe import neutralise, restore
>>> neutralise("=HYPERLINK(\"http://x\")"), neutralise("-5"), neutralise("'=1")
('\'=HYPERLINK("http://x")', '-5', "''=1")
>>> all(restore(neutralise(t)) == t for t in ["=1", "'=1", "''+2", "-5", "-2+3", "@x", "plain", "'quoted"])
True
"""

from __future__ import annotations

import math
import re

__all__ = ["neutralise", "restore"]

_RISKY = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def _number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def neutralise(text: str) -> str:
    """Return ``text`` with an apostrophe before it if a spreadsheet would read it as a formula."""
    if _RISKY.match(text) and not _number(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo :func:`neutralise`: remove the one apostrophe it put before a formula character."""
    if _NEUTRALISED.match(text) and not _number(text):
        return text[1:]
    return text
