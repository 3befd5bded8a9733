"""Cells of the spreadsheet layout: how a value is written to a cell and read back.

A cell holds text as a person types it: numbers (``12000``), ranges (``8000..15000`` or
``8000..12000..15000``), lists (``a; b``) and needs (``pay=1; kyc=2``). Spaces around a cell
are trimmed. A few values cannot be typed that way (a text with spaces at its ends, an empty
text, a property that is a number rather than text, a tag containing ``;``); the writer tags
those the way YAML does, followed by JSON::

    !!str " padded "      !!int 3      !!float 2.5      !!bool true      !!null
    !!seq ["a; b", "c"]   !!map {"pay=card": 1}

A cell starting with ``!!`` is always read as such a tagged value.

Examples
--------
>>> from cxgraph.io.tables.cells import decode, encode_text
>>> encode_text("Web portal"), encode_text(" padded ")
('Web portal', '!!str " padded "')
>>> decode('!!str " padded "')
' padded '
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ...model import Uncertain

__all__ = [
    "CellError",
    "decode",
    "encode_list",
    "encode_needs",
    "encode_number",
    "encode_scalar",
    "encode_text",
    "parse_list",
    "parse_needs",
    "parse_number",
    "plain_text",
]

# Characters a workbook (XML) cannot hold, and a carriage return (XML turns it into a line feed).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TAGS = ("str", "int", "float", "bool", "null", "seq", "map")


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def plain_text(text: str) -> bool:
    """Whether ``text`` reads back as itself when written in a cell as it is."""
    return bool(text) and text == text.strip() and not text.startswith("!!") and not _UNSAFE.search(text)


def encode_text(text: str, *, tag: bool = False) -> str:
    """Return the cell for a text: the text itself, or ``!!str "..."`` where it would not read back (or ``tag``)."""
    return text if plain_text(text) and not tag else f"!!str {_json(text)}"


def encode_scalar(value: str | int | float | bool | None) -> str:
    """Return the cell for a property value: text as it is, other scalars tagged (``!!int 3``)."""
    if isinstance(value, str):
        return encode_text(value)
    if value is None:
        return "!!null"
    if isinstance(value, bool):
        return f"!!bool {json.dumps(value)}"
    if isinstance(value, int):
        return f"!!int {value}"
    return f"!!float {json.dumps(value)}"


def _number_text(x: float | int) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def encode_number(value: int | float | Uncertain) -> int | float | str:
    """Return the cell for a number: the number itself, or the text ``low..high`` / ``low..mode..high``.

    Examples
    --------
    >>> from cxgraph.io.tables.cells import encode_number
    >>> encode_number(cx.Uncertain(low=8000, mode=12000, high=15000))
    '8000..12000..15000'
    """
    if isinstance(value, Uncertain):
        parts = [value.low, value.high] if value.mode is None else [value.low, value.mode, value.high]
        return "..".join(_number_text(p) for p in parts)
    return value


def encode_list(items: Sequence[str]) -> str:
    """Return the cell for a list of texts: ``a; b``, or ``!!seq [...]`` where that would not read back."""
    if all(plain_text(i) and ";" not in i for i in items):
        return "; ".join(items)
    return f"!!seq {_json(list(items))}"


def encode_needs(needs: Mapping[str, int]) -> str:
    """Return the cell for ``needs``: ``pay=1; kyc=2``, or ``!!map {...}`` where that would not read back."""
    if all(plain_text(g) and not set(g) & set(";=") for g in needs):
        return "; ".join(f"{g}={k}" for g, k in needs.items())
    return f"!!map {_json(dict(needs))}"


def decode(cell: Any) -> Any:
    """Return what a cell holds: ``None`` for an empty cell, a tagged value decoded, text trimmed.

    Values a workbook stores as numbers, booleans or dates come back as numbers, booleans or dates;
    :func:`as_text` turns them into text where a column holds text.
    """
    if cell is None:
        return None
    if not isinstance(cell, str):
        return cell
    text = cell.strip()
    if not text:
        return None
    if not text.startswith("!!"):
        return text
    tag, _, rest = text[2:].partition(" ")
    if tag not in _TAGS:
        raise CellError(f"unknown tag '!!{tag}' (a cell starting with '!!' is a tagged value: "
                        f"{', '.join('!!' + t for t in _TAGS)})")
    if tag == "null":
        if rest.strip():
            raise CellError("'!!null' takes no value")
        return None
    try:
        value = json.loads(rest)
    except json.JSONDecodeError as err:
        raise CellError(f"malformed '!!{tag}' value: {err.msg}") from None
    expected = {"str": str, "int": int, "float": (int, float), "bool": bool, "seq": list, "map": dict}[tag]
    if not isinstance(value, expected) or (tag in ("int", "float") and isinstance(value, bool)):
        raise CellError(f"'!!{tag}' needs a {tag} value, got {rest.strip()!r}")
    if tag == "seq" and not all(isinstance(v, str) for v in value):
        raise CellError("'!!seq' needs a list of texts")
    return float(value) if tag == "float" else value


def as_text(value: Any) -> str:
    """Return a cell's value as the text a person sees in it (``3``, ``1.5``, ``TRUE``, ``2024-05-01``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return _number_text(value)
    return str(value)


_RANGE_HELP = "expected a number or a range low..high or low..mode..high"


def parse_number(value: Any) -> Any:
    """Return a cell's value for a number field.

    That is a number, a range as a ``{low, mode, high}`` mapping, or the text unchanged (the model
    then says why it is not a number).

    Examples
    --------
    >>> from cxgraph.io.tables.cells import parse_number
    >>> parse_number("8000..15000"), parse_number("-1.5..-0.5")
    ({'low': 8000.0, 'high': 15000.0}, {'low': -1.5, 'high': -0.5})
    """
    if not isinstance(value, str) or ".." not in value:
        return value
    parts = [p.strip().replace("_", "") for p in value.split("..")]
    if len(parts) not in (2, 3):
        raise CellError(f"{_RANGE_HELP}, got {value!r}")
    numbers = []
    for part in parts:
        try:
            number = float(part)
        except ValueError:
            raise CellError(f"{_RANGE_HELP}, got {value!r}") from None
        if not math.isfinite(number):
            raise CellError(f"expected finite numbers in the range, got {value!r}")
        numbers.append(number)
    keys = ("low", "high") if len(numbers) == 2 else ("low", "mode", "high")
    return dict(zip(keys, numbers, strict=True))


def parse_list(value: Any, *, ids: bool = False) -> list[Any]:
    """Return a list cell as a list: ``a; b`` split on ``;`` (and on ``,`` for ids), empty parts dropped.

    Examples
    --------
    >>> from cxgraph.io.tables.cells import parse_list
    >>> parse_list("a; b;"), parse_list("a, b", ids=True)
    (['a', 'b'], ['a', 'b'])
    """
    if isinstance(value, list):
        return value
    parts = re.split(r"[;,]" if ids else ";", as_text(value))
    return [p.strip() for p in parts if p.strip()]


def parse_needs(value: Any, *, key: str = "group", value_name: str = "k", example: str = "pay=1; kyc=2"
                ) -> dict[str, Any]:
    """Return a needs cell (``pay=1; kyc=2``) as a mapping from group to count.

    The same form holds other mappings (``key=value; key2=value``): ``key``, ``value_name`` and
    ``example`` name its parts in messages.

    Examples
    --------
    >>> from cxgraph.io.tables.cells import parse_needs
    >>> parse_needs("pay=1; kyc = 2")
    {'pay': '1', 'kyc': '2'}
    >>> parse_needs("db", key="id", value_name="hours", example="db=6")
    Traceback (most recent call last):
    ...
    cxgraph.io.tables.cells.CellError: expected id=hours entries separated by ';' (e.g. db=6), got 'db'
    """
    if isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for part in parse_list(value):
        group, eq, k = part.partition("=")
        if not eq or not group.strip() or not k.strip():
            raise CellError(f"expected {key}={value_name} entries separated by ';' (e.g. {example}), got {part!r}")
        if group.strip() in out:
            raise CellError(f"{key} {group.strip()!r} is named twice")
        out[group.strip()] = k.strip()
    return out
