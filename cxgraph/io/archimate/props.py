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
``cxgraph:types``      JSON mapping of the item's property keys to the type of their
                       values, for those that are not text: ``number``, ``boolean``
                       or ``null`` (the value is then empty); see :func:`apply_types`
``cxgraph:empty``      JSON list of the item's fields that are empty text rather than
                       absent: ``description`` (and ``name`` on the model)
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

__all__ = ["PREFIX", "RESERVED", "ROLES", "VERBATIM", "apply_types", "parse_json", "parse_number", "split_properties",
           "user_properties"]

PREFIX = "cxgraph:"

RESERVED = frozenset({
    "id", "kind", "journey", "customers", "segment", "revenue", "order", "stage", "channel", "reach", "importance",
    "needs", "tags", "effort", "of", "actual", "target", "better", "ideal", "unit", "cost", "improves", "requires",
    "period", "strength", "group", "link", "auto-journeys", "tolerance", "required", "availability",
    "failures_per_year", "recovery_hours", "sets", "adds", "removes", "scenarios", "currency", "types", "empty",
})
"""The ``cxgraph:`` keys read as instructions (without the prefix)."""

ROLES = ("system", "service", "infrastructure", "data", "process", "team", "vendor", "journey", "stage",
         "touchpoint", "capability", "metric", "initiative", "ignore")
"""The values ``cxgraph:kind`` accepts."""

VERBATIM = frozenset({"segment", "channel", "unit", "period", "currency", "group"})
"""Instructions whose value is free text, read exactly as written (spaces at either end kept)."""


def split_properties(properties: list[tuple[str, str]]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Split properties into the ``cxgraph:`` instructions (prefix removed) and every other property.

    Where an instruction is repeated, the first value counts. Values are trimmed of spaces at
    either end, except free text (:data:`VERBATIM`: segment, channel, unit, period, currency, group).

    Examples
    --------
    >>> from cxgraph.io.archimate.props import split_properties
    >>> split_properties([("cxgraph:kind", " vendor"), ("cxgraph:kind", "team"), ("cxgraph:segment", " retail ")])
    ({'kind': 'vendor', 'segment': ' retail '}, [])
    """
    instructions: dict[str, str] = {}
    others: list[tuple[str, str]] = []
    for key, value in properties:
        short = key.removeprefix(PREFIX)
        if key.startswith(PREFIX) and short in RESERVED:
            instructions.setdefault(short, value if short in VERBATIM else value.strip())
        else:
            others.append((key, value))
    return instructions, others


def user_properties(pairs: list[tuple[str, str]], types: Mapping[str, str] | None = None,
                    ) -> tuple[dict[str, Any], list[str]]:
    """Turn ``(key, value)`` pairs into an item's ``properties``; a repeated key gets ``#2``, ``#3``, ...

    ``types`` gives the data type the file declares for each key (``number``, ``boolean``,
    ...): such values become numbers and booleans; a value that does not read as its declared
    type stays text. Returns the properties and the keys renamed (so the import log can say so).

    Examples
    --------
    >>> from cxgraph.io.archimate.props import user_properties
    >>> user_properties([("P", "a"), ("P", "b"), ("Q", "")])
    ({'P': 'a', 'P#2': 'b', 'Q': ''}, ['P#2'])
    >>> user_properties([("rank", "3"), ("ok", "true"), ("rank", "x"), ("note", "12")],
    ...                 {"rank": "number", "ok": "boolean"})[0]
    {'rank': 3, 'ok': True, 'rank#2': 'x', 'note': '12'}
    """
    out: dict[str, Any] = {}
    renamed: list[str] = []
    for key, text in pairs:
        value = _typed(text, (types or {}).get(key))
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


def _typed(value: str, kind: str | None) -> Any:
    """Return ``value`` as its declared type (``number`` or ``boolean``), or as it is where it does not read so."""
    if kind == "number":
        try:
            number = parse_number(value)
        except ValueError:
            return value
        return number if isinstance(number, int | float) else value
    if kind == "boolean" and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


TYPES = ("number", "boolean", "null")
"""The types ``cxgraph:types`` gives a property value."""


def apply_types(props: dict[str, Any], spec: str) -> None:
    """Give property values the types that the ``cxgraph:types`` instruction ``spec`` names, in place.

    ``spec`` is a JSON mapping of property keys (as the item holds them, ``P#2`` for a repeated
    ``P``) to ``number`` (an integer where the text has no decimal point or exponent, else a
    float), ``boolean`` (``true`` or ``false``) or ``null`` (the value is empty). cxgraph's
    writers list every value that is not text: Archi's CSV and native files have no types, and
    Archi drops an exchange file's typed property definitions when it imports one. A value the
    file's own definition typed already must agree. Raises ``ValueError`` saying what does not match.

    Examples
    --------
    >>> from cxgraph.io.archimate.props import apply_types
    >>> props = {"rank": "3", "share": "0.5", "ok": "false", "gone": "", "note": "12"}
    >>> apply_types(props, '{"rank": "number", "share": "number", "ok": "boolean", "gone": "null"}')
    >>> props
    {'rank': 3, 'share': 0.5, 'ok': False, 'gone': None, 'note': '12'}
    >>> apply_types(props, '{"note": "date"}')
    Traceback (most recent call last):
    ...
    ValueError: property 'note': unknown type 'date' (expected number, boolean or null)
    """
    for key, kind in parse_json(spec, dict).items():
        if key not in props:
            raise ValueError(f"names property {key!r}, which the item does not have")
        if kind not in TYPES:
            raise ValueError(f"property {key!r}: unknown type {kind!r} (expected number, boolean or null)")
        value = props[key]
        if kind == "null" and value == "":
            props[key] = None
        elif kind != "null" and isinstance(value, str) and not isinstance(_typed(value, kind), str):
            props[key] = _typed(value, kind)
        elif kind == "null" or _type_of(value) != kind:
            raise ValueError(f"property {key!r}: expected a {kind} value, got {value!r}")


def _type_of(value: Any) -> str:
    return "boolean" if isinstance(value, bool) else "number" if isinstance(value, int | float) else "string"
