"""Limits on what cxgraph reads and computes, so that a request beyond the machine is refused up front.

An input or a request over a limit is refused before anything is allocated, with the limit and
how to change it in the message. Each limit is a module attribute, read when it is needed:
set it to read a larger file you trust, or to draw more samples on a large machine.

=================  ==============  ===========================================================
limit              default         what it bounds
=================  ==============  ===========================================================
MAX_MODEL_BYTES    50,000,000      size of a YAML or JSON model file, or of one CSV table
MAX_ROWS           200,000         rows of one spreadsheet table (CSV file or workbook sheet)
MAX_CELL_VALUES    100,000,000     samples x scenarios that a sensitivity run holds at once
MAX_PIXELS         100,000,000     pixels of a PNG figure (width x height x dpi squared)
MAX_XML_ELEMENTS   2,000,000       elements of one XML document (ArchiMate, Archi), counted as
                                   it is parsed: refused before a model object is built
=================  ==============  ===========================================================

ArchiMate and Archi inputs, and zip members inflated from them, are bounded by
:data:`cxgraph.io.xmlsafe.MAX_BYTES` (200 MB), or each reader's ``max_bytes=``.

Examples
--------
>>> import cxgraph.limits
>>> cxgraph.limits.MAX_ROWS
200000
>>> cxgraph.limits.check("rows of elements.csv", 10, "MAX_ROWS")
>>> cxgraph.limits.check("rows of elements.csv", 300_000, "MAX_ROWS")
Traceback (most recent call last):
...
cxgraph.errors.UnsafeInputError: refused: rows of elements.csv is 300,000, over the limit of 200,000 (set ...)
"""

from __future__ import annotations

import sys

from .errors import UnsafeInputError

__all__ = ["MAX_CELL_VALUES", "MAX_MODEL_BYTES", "MAX_PIXELS", "MAX_ROWS", "MAX_XML_ELEMENTS", "check"]

MAX_MODEL_BYTES: int = 50_000_000
"""The largest YAML or JSON model file, or CSV table, read (bytes)."""

MAX_ROWS: int = 200_000
"""The most rows read from one spreadsheet table."""

MAX_CELL_VALUES: int = 100_000_000
"""The most values (samples x scenarios) a sensitivity run holds at once."""

MAX_PIXELS: int = 100_000_000
"""The most pixels of a raster figure."""

MAX_XML_ELEMENTS: int = 2_000_000
"""The most elements of one XML document: a small zipped file can inflate to gigabytes of objects."""


def check(what: str, amount: float, limit: str, *, file: str | None = None) -> None:
    """Raise :class:`~cxgraph.UnsafeInputError` when ``amount`` is over the limit named ``limit``.

    Examples
    --------
    >>> import cxgraph.limits
    >>> cxgraph.limits.check("bytes", 5, "MAX_MODEL_BYTES")
    """
    value = getattr(sys.modules[__name__], limit)
    if amount > value:
        raise UnsafeInputError(f"refused: {what} is {amount:,.0f}, over the limit of {value:,} "
                               f"(set cxgraph.limits.{limit} to change it)", file=file)
