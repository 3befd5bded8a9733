"""One way to write numbers for people: thousands separators, three significant digits, the model's currency.

Tables on the command line, the HTML report and figures' texts all write numbers with
:func:`number` and money with :func:`money`, so the same value reads the same everywhere
(``277,350``, never ``277350.00`` in one place and ``277k`` in another). JSON and CSV keep
full precision.

Examples
--------
>>> from cxgraph.formatting import money, number
>>> number(277350.0), number(12.345), money(430000, "EUR")
('277,350', '12.3', 'EUR 430,000')
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["money", "money_unit", "number", "share", "table_text"]

#: Column names whose values are money (costs and budgets) wherever they appear in a table.
MONEY_COLUMNS = frozenset({"cost", "cost_alone", "budget", "cost_before", "cost_after"})


def number(value: Any) -> str:
    """Write a number: whole with thousands separators from 100 up, three significant digits below.

    Examples
    --------
    >>> from cxgraph.formatting import number
    >>> [number(v) for v in (1234567.8, 277350, 99.5, 12.345, 0.01234, 0, -2500.4, float("nan"))]
    ['1,234,568', '277,350', '99.5', '12.3', '0.0123', '0', '-2,500', '–']
    >>> number(7), number(True), number("n/a")
    ('7', 'True', 'n/a')
    """
    if isinstance(value, bool) or (not isinstance(value, int | float) and not hasattr(value, "__float__")):
        return str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return "–"
    if x == 0:
        return "0"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:.3g}"


def money(value: Any, currency: str | None = None) -> str:
    """Write an amount of money: :func:`number` after the currency code, when the model has one.

    Examples
    --------
    >>> from cxgraph.formatting import money
    >>> money(1500000, "EUR"), money(60000, None)
    ('EUR 1,500,000', '60,000')
    """
    text = number(value)
    return f"{currency} {text}" if currency and text != "–" else text


def money_unit(currency: str | None) -> str:
    """Return the unit of money figures for a column header or an axis: the currency, or "money".

    Examples
    --------
    >>> from cxgraph.formatting import money_unit
    >>> money_unit("EUR"), money_unit(None)
    ('EUR', 'money')
    """
    return currency or "money"


def share(value: Any) -> str:
    """Write a share in [0, 1] as a percentage with three significant digits.

    Examples
    --------
    >>> from cxgraph.formatting import share
    >>> share(0.1234), share(0.0004), share(1), share(0)
    ('12.3%', '0.04%', '100%', '0%')
    """
    x = float(value)
    if not math.isfinite(x):
        return "–"
    if x == 0:
        return "0%"
    pct = 100 * x
    return f"{pct:.0f}%" if abs(pct) >= 99.95 else f"{pct:.3g}%"


def table_text(frame: Any, *, currency: str | None = None) -> Any:
    """Return a copy of a table with every float written by :func:`number` (money columns by :func:`money`).

    Whole-number columns stay as they are; money columns say their currency in the header.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxgraph.formatting import table_text
    >>> table_text(pd.DataFrame({"id": ["a"], "impact": [277350.0], "cost": [60000.0]}), currency="EUR")
      id   impact cost (EUR)
    0  a  277,350     60,000
    """
    out = frame.copy()
    renames = {}
    for col in out.columns:
        kind = getattr(out[col].dtype, "kind", "O")
        if kind == "f" or (kind == "O" and out[col].map(lambda v: isinstance(v, float)).any()):
            out[col] = out[col].map(lambda v: number(v) if isinstance(v, int | float) and not isinstance(v, bool)
                                    else ("–" if v is None else v))
        if kind in "iu" and hasattr(out[col], "isna") and out[col].isna().any():  # nullable integers
            missing = out[col].isna()
            out[col] = [("–" if gone else f"{int(v):,}") for v, gone in zip(out[col], missing, strict=True)]
        if col in MONEY_COLUMNS and currency:
            renames[col] = f"{col} ({currency})"
            if kind in "iu":
                out[col] = out[col].map(number)
    return out.rename(columns=renames)
