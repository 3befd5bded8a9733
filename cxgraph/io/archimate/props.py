"""The ``cxgraph:`` properties: how an ArchiMate file says what cxgraph cannot infer.

Any element or relationship may carry properties whose key starts with
``cxgraph:``. The reader takes the ones below as instructions and keeps every
other property (``cxgraph:impact`` written by an export included) in the item's
``properties``. Structured values (lists, mappings, ranges) are JSON text.

=====================  ==========================================================
key                    meaning
=====================  ==========================================================
``cxgraph:id``         the item's id in cxgraph (default: the ArchiMate identifier)
``cxgraph:kind``       what the element becomes: an element kind (``system`` ...
                       ``vendor``), ``journey``, ``stage``, ``touchpoint``,
                       ``capability``, ``metric``, ``initiative`` or ``ignore``
``cxgraph:journey``    on a touchpoint (or stage): its journey, by identifier, id
                       or name; an element named so becomes the journey
``cxgraph:customers``  customers per period of a journey (on the journey element
                       or on any one of its touchpoints); also ``cxgraph:segment``
                       and ``cxgraph:revenue``
``cxgraph:order``      position of a touchpoint or stage in its journey
``cxgraph:stage``      a touchpoint's stage (identifier, id or name)
``cxgraph:reach``      ``cxgraph:importance``, ``cxgraph:channel`` of a touchpoint;
                       ``cxgraph:required`` (``true`` or ``false``, default true)
``cxgraph:importance`` on a journey's element: the weight of the whole journey;
                       ``cxgraph:tolerance``: JSON ``{"hours": 4, "loss": 0.2}``
``cxgraph:availability``  of an element, or ``cxgraph:failures_per_year`` with
                       ``cxgraph:recovery_hours`` (mean time to restore)
``cxgraph:needs``      JSON mapping ``{"group": k}`` of an element or touchpoint
``cxgraph:effort``     a capability's effort
``cxgraph:of``         a metric's touchpoint or element; ``cxgraph:actual``,
                       ``cxgraph:target``, ``cxgraph:better``, ``cxgraph:ideal``,
                       ``cxgraph:unit``
``cxgraph:cost``       an initiative's cost; ``cxgraph:improves`` (JSON list of
                       ``{"metric": ..., "to": ...}``), ``cxgraph:requires`` (JSON list),
                       ``cxgraph:sets``, ``cxgraph:adds``, ``cxgraph:removes`` (JSON, as
                       in the model file)
``cxgraph:tags``       JSON list of tags of any item
``cxgraph:period``     on the model: the unit of ``customers`` (default ``month``);
                       ``cxgraph:currency``; ``cxgraph:scenarios`` (JSON list, as in
                       the model file)
``cxgraph:auto-journeys``  on the model: ``off`` says the model has no journeys, so
                       ``journeys="auto"`` derives none (written with such a model)
``cxgraph:strength``   on a relationship that becomes a dependency: its strength
``cxgraph:group``      on such a relationship: its redundancy group
``cxgraph:link``       on an association: ``dependency`` (the target depends on the
                       source), ``owner``, ``realization`` or ``parent``
=====================  ==========================================================

Examples
--------
>>> from cxgraph.io.archimate.props import split_properties
>>> split_properties([("cxgraph:reach", "0.5"), ("Owner", "Ann"), ("cxgraph:impact", "12")])
({'reach': '0.5'}, [('Owner', 'Ann'), ('cxgraph:impact', '12')])
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

__all__ = ["PREFIX", "RESERVED", "ROLES", "parse_json", "parse_number", "split_properties", "typed", "user_properties"]

PREFIX = "cxgraph:"

RESERVED = frozenset({
    "id", "kind", "journey", "customers", "segment", "revenue", "order", "stage", "channel", "reach", "importance",
    "needs", "tags", "effort", "of", "actual", "target", "better", "ideal", "unit", "cost", "improves", "requires",
    "period", "strength", "group", "link", "auto-journeys", "tolerance", "required", "availability",
    "failures_per_year", "recovery_hours", "sets", "adds", "removes", "scenarios", "currency",
})
"""The ``cxgraph:`` keys read as instructions (without the prefix)."""

ROLES = ("system", "service", "infrastructure", "data", "process", "team", "vendor", "journey", "stage",
         "touchpoint", "capability", "metric", "initiative", "ignore")
"""The values ``cxgraph:kind`` accepts."""


def split_properties(properties: list[tuple[str, str]]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Split properties into the ``cxgraph:`` instructions (prefix removed) and every other property.

    Where an instruction is repeated, the first value counts.

    Examples
    --------
    >>> from cxgraph.io.archimate.props import split_properties
    >>> split_properties([("cxgraph:kind", "vendor"), ("cxgraph:kind", "team")])
    ({'kind': 'vendor'}, [])
    """
    instructions: dict[str, str] = {}
    others: list[tuple[str, str]] = []
    for key, value in properties:
        short = key.removeprefix(PREFIX)
        if key.startswith(PREFIX) and short in RESERVED:
            instructions.setdefault(short, value.strip())
        else:
            others.append((key, value))
    return instructions, others


def user_properties(pairs: list[tuple[str, str]]) -> tuple[dict[str, Any], list[str]]:
    """Turn ``(key, value)`` pairs into an item's ``properties``; a repeated key gets ``#2``, ``#3``, ...

    Returns the properties and the keys renamed (so the import log can say so).

    Examples
    --------
    >>> from cxgraph.io.archimate.props import user_properties
    >>> user_properties([("P", "a"), ("P", "b"), ("Q", "")])
    ({'P': 'a', 'P#2': 'b', 'Q': ''}, ['P#2'])
    """
    out: dict[str, Any] = {}
    renamed: list[str] = []
    for key, value in pairs:
        name, n = key, 1
        while name in out:
            n += 1
            name = f"{key}#{n}"
        if name != key:
            renamed.append(name)
        out[name] = value
    return out, renamed


def parse_number(text: str) -> Any:
    """Read a number, or a JSON range such as ``{"low": 1, "high": 2}``; raise ``ValueError`` otherwise.

    Examples
    --------
    >>> from cxgraph.io.archimate.props import parse_number
    >>> parse_number("12000"), parse_number("0.5"), parse_number('{"low": 1, "high": 3}')
    (12000, 0.5, {'low': 1, 'high': 3})
    """
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if not math.isfinite(number):
            raise ValueError(f"expected a finite number, got {text!r}")
        return number
    if text.startswith("{"):
        value = parse_json(text, dict)
        return value
    raise ValueError(f"expected a number or a JSON range like {{\"low\": 1, \"high\": 2}}, got {text!r}")


def parse_json(text: str, kind: type) -> Any:
    """Read JSON text that must be a ``list`` or a ``dict``; raise ``ValueError`` with what was wrong.

    Examples
    --------
    >>> from cxgraph.io.archimate.props import parse_json
    >>> parse_json('["a", "b"]', list)
    ['a', 'b']
    >>> parse_json("a, b", list)
    Traceback (most recent call last):
    ...
    ValueError: expected JSON text for a list (e.g. ["a", "b"]), got 'a, b'
    """
    example = '["a", "b"]' if kind is list else '{"key": 1}'
    what = "list" if kind is list else "mapping"
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ValueError(f"expected JSON text for a {what} (e.g. {example}), got {text!r}") from None
    if not isinstance(value, kind):
        raise ValueError(f"expected JSON text for a {what} (e.g. {example}), got {text!r}")
    return value


def typed(props: dict[str, Any], types: Mapping[str, str]) -> None:
    """Turn the values of properties declared ``number`` or ``boolean`` into numbers and booleans, in place.

    A value that does not read as its declared type stays text.

    Examples
    --------
    >>> from cxgraph.io.archimate.props import typed
    >>> props = {"cxgraph:impact": "12.5", "rank": "3", "ok": "true", "note": "12"}
    >>> typed(props, {"cxgraph:impact": "number", "rank": "number", "ok": "boolean"})
    >>> props
    {'cxgraph:impact': 12.5, 'rank': 3, 'ok': True, 'note': '12'}
    """
    for key, value in props.items():
        kind = types.get(key.split("#")[0])
        if kind == "number" and isinstance(value, str):
            try:
                number = parse_number(value)
            except ValueError:
                continue
            if isinstance(number, int | float):
                props[key] = number
        elif kind == "boolean" and isinstance(value, str) and value.strip().lower() in ("true", "false"):
            props[key] = value.strip().lower() == "true"
