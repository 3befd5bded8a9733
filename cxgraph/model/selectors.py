"""Which elements a scenario's ``fail_where`` selector picks: one rule for the model checks and the analyses.

A selector is a mapping with any of ``tag``, ``kind``, ``owner`` and ``property``
(``{key: value}``); an element matches when every key given matches (DESIGN.md section 2).
A property matches when the element's property, written as text, equals the value
(``true``/``false`` for booleans, ``3`` for the number 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["SELECTOR_KEYS", "selector_matches", "text_of"]

SELECTOR_KEYS: tuple[str, ...] = ("tag", "kind", "owner", "property")
"""The keys a selector may have."""


def text_of(value: Any) -> str:
    """Return a property value as the text a selector compares it with.

    Examples
    --------
    >>> from cxgraph.model.selectors import text_of
    >>> text_of(True), text_of(3), text_of(2.5), text_of("dc-1")
    ('true', '3', '2.5', 'dc-1')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def selector_matches(selector: Mapping[str, Any], *, tags: Iterable[str], kind: Any, owner: Any,
                     properties: Mapping[str, Any]) -> bool:
    """Return whether an element with these fields matches every key of ``selector``.

    Keys whose value is ``None`` are not part of the selector.

    Examples
    --------
    >>> from cxgraph.model.selectors import selector_matches
    >>> selector_matches({"tag": "dc-1", "kind": "system"}, tags=["dc-1"], kind="system", owner=None,
    ...                  properties={})
    True
    >>> selector_matches({"property": {"site": "north"}}, tags=[], kind="data", owner=None,
    ...                  properties={"site": "south"})
    False
    """
    tag = selector.get("tag")
    if tag is not None and tag not in list(tags):
        return False
    wanted_kind = selector.get("kind")
    if wanted_kind is not None and wanted_kind != kind:
        return False
    wanted_owner = selector.get("owner")
    if wanted_owner is not None and wanted_owner != owner:
        return False
    props = selector.get("property")
    if props:
        for key, value in props.items():
            if key not in properties or text_of(properties[key]) != text_of(value):
                return False
    return True

