"""A snapshot of a model's content, to tell cheaply whether a cached compile is still valid."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..model import Dependency, Improvement, Model

__all__ = ["fingerprint"]

_SCALARS = frozenset({str, int, float, bool, type(None)})


def _snapshot_into(value: Any, out: list[Any]) -> None:
    """Append ``value``'s content to ``out`` depth first, unpacking lists, dicts and (mutable) items."""
    kind = type(value)
    if kind is list:
        out.append(len(value))
        for x in value:
            if type(x) is Dependency or type(x) is Improvement:  # flat: text and (frozen) numbers only
                out.extend(x.__dict__.values())
            else:
                _snapshot_into(x, out)
    elif kind is dict:
        out.append(len(value))
        for key, x in value.items():
            out.append(key)
            _snapshot_into(x, out)
    elif isinstance(value, BaseModel) and not value.model_config.get("frozen"):
        out.append(kind)
        for x in value.__dict__.values():
            if type(x) in _SCALARS:
                out.append(x)
            else:
                _snapshot_into(x, out)
    else:
        out.append(value)  # text, numbers, None, frozen values (Uncertain)


def fingerprint(model: Model) -> list[Any]:
    """Return a snapshot of the model's whole content: equal (``==``) exactly when the content is equal.

    It holds the model's text and numbers (immutable values only), not its lists or items,
    so a later edit anywhere in the model makes a new snapshot differ from an old one.

    Examples
    --------
    >>> m = cx.examples.load("retail-bank")
    >>> before = cx.engine.fingerprint(m)
    >>> cx.engine.fingerprint(m) == before
    True
    >>> m.elements[0].depends_on[0].strength = 0.5
    >>> cx.engine.fingerprint(m) == before
    False
    """
    out: list[Any] = []
    _snapshot_into(model, out)
    return out
