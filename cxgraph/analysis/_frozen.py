"""Read-only containers for result attributes."""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["FrozenDict"]


class FrozenDict(dict):  # type: ignore[type-arg]  # a dict of any key and value types
    """A ``dict`` that refuses changes: results hand these out without copying.

    Examples
    --------
    >>> from cxgraph.analysis._frozen import FrozenDict
    >>> d = FrozenDict({"a": 1.0})
    >>> d["a"], isinstance(d, dict)
    (1.0, True)
    >>> d["b"] = 2.0
    Traceback (most recent call last):
    ...
    TypeError: results are read-only
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("results are read-only")

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def copy(self) -> dict[Any, Any]:  # type: ignore[override]
        """Return an ordinary (changeable) dict with the same items."""
        return dict(self)
