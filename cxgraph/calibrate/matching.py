"""Matching the names in evidence records to the model's elements, touchpoints and journeys.

A record names a CI, a service, an activity or a touchpoint by text. The text matches an
item when it equals, exactly, the item's id; failing that, its name; failing that, the
value of one of the ``properties`` the caller names (``servicenow_ci``). The first rule
that finds anything decides: one item is a match, several are *ambiguous*. Names that
match nothing are *unmatched*. Neither is dropped silently: each is listed, with its
number of records and the closest candidates ("did you mean").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..model import Model

__all__ = ["Match", "Matcher"]

ItemType = Literal["element", "touchpoint", "journey"]
_SUGGESTED = 100  # unmatched names that get "did you mean" candidates, most records first


@dataclass(frozen=True)
class Match:
    """What one distinct name in a file of evidence matched.

    Examples
    --------
    >>> from cxgraph.calibrate import Match
    >>> Match("CRM", "incidents.csv", 3, "matched", "crm", "element", "name").by
    'name'
    """

    name: str
    source: str
    records: int
    status: Literal["matched", "ambiguous", "unmatched"]
    id: str | None = None
    type: ItemType | None = None
    by: str | None = None
    candidates: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.status == "matched":
            return f"{self.name!r} -> {self.id} (by {self.by}, {self.records} records)"
        hint = f" (did you mean {', '.join(repr(c) for c in self.candidates)}?)" if self.candidates else ""
        return f"{self.name!r}: {self.status}, {self.records} records{hint}"


class Matcher:
    """Finds the model item a name in the evidence means.

    Parameters
    ----------
    model
        The model whose items are matched.
    types
        Which items a name may mean: ``"element"``, ``"touchpoint"``, ``"journey"``.
    properties
        Property keys whose values also name an item (tried after ids and names).

    Examples
    --------
    >>> from cxgraph.calibrate import Matcher
    >>> m = cx.examples.load("retail-bank")
    >>> matcher = Matcher(m, ["element"], properties=["archimate-id"])
    >>> [matcher.resolve(n)[:3] for n in ["crm", "Core banking system", "id-7g8h9i"]]
    [('matched', 'crm', 'id'), ('matched', 'core-banking', 'name'), ('matched', 'payment-hub', 'property archimate-id')]
    >>> matcher.resolve("Core bankng system")
    ('unmatched', None, None, ('Core banking system', 'Core banking database', 'Core banking platform team'))
    """

    def __init__(self, model: Model, types: Sequence[ItemType], properties: Iterable[str] = ()) -> None:
        self.types = tuple(types)
        self.properties = tuple(properties)
        self.type_of: dict[str, ItemType] = {}
        self.by_id: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        self.by_property: dict[str, dict[str, list[str]]] = {key: {} for key in self.properties}
        items: list[tuple[ItemType, object]] = []
        if "journey" in self.types:
            items += [("journey", j) for j in model.journeys]
        if "touchpoint" in self.types:
            items += [("touchpoint", t) for t in model.touchpoints]
        if "element" in self.types:
            items += [("element", e) for e in model.elements]
        for kind, item in items:
            iid, name = item.id, item.name  # type: ignore[attr-defined]
            self.type_of[iid] = kind
            self.by_id[iid] = iid
            self.by_name.setdefault(name.strip(), []).append(iid)
            for key in self.properties:
                value = item.properties.get(key)  # type: ignore[attr-defined]
                if value is not None and str(value).strip():
                    self.by_property[key].setdefault(str(value).strip(), []).append(iid)
        words = sorted({*self.by_id, *self.by_name, *(v for p in self.by_property.values() for v in p)})
        self._lower: dict[str, str] = {}
        for word in words:  # suggestions ignore case: 'CRM' suggests 'crm'
            self._lower.setdefault(word.lower(), word)

    def resolve(self, name: str, *, suggest: bool = True) -> tuple[str, str | None, str | None, tuple[str, ...]]:
        """Return ``(status, id, by, candidates)`` for one name."""
        text = name.strip()
        if text in self.by_id:
            return "matched", text, "id", ()
        levels = [("name", self.by_name), *((f"property {k}", self.by_property[k]) for k in self.properties)]
        for by, table in levels:
            found = table.get(text)
            if found and len(found) == 1:
                return "matched", found[0], by, ()
            if found:
                return "ambiguous", None, by, tuple(sorted(found))
        close = tuple(self._lower[w] for w in difflib.get_close_matches(text.lower(), self._lower, n=3, cutoff=0.6)
                      ) if suggest else ()
        return "unmatched", None, None, close

    def match(self, names: Sequence[str] | np.ndarray | pd.Series, source: str) -> tuple[np.ndarray, list[Match]]:
        """Match every record's name: each record's item id (``None`` where none), one :class:`Match` per name.

        Distinct names are resolved once (a million records naming a thousand CIs cost a
        thousand look-ups). Matches are listed unmatched and ambiguous first, then by
        number of records, most first.

        Examples
        --------
        >>> from cxgraph.calibrate import Matcher
        >>> matcher = Matcher(cx.examples.load("retail-bank"), ["element"])
        >>> ids, matches = matcher.match(["CRM", "crm", "crm"], "x.csv")
        >>> ids.tolist(), [str(m) for m in matches]
        ([None, 'crm', 'crm'], ["'CRM': unmatched, 1 records (did you mean 'crm'?)", "'crm' -> crm (by id, 2 records)"])
        """
        codes, uniques = pd.factorize(pd.Series(names, dtype=object), sort=False)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        order = np.argsort(-counts, kind="stable")
        resolved: list[tuple[str, str | None, str | None, tuple[str, ...]]] = [("", None, None, ())] * len(uniques)
        suggested = 0
        for u in order:
            status, iid, by, cands = self.resolve(str(uniques[u]), suggest=False)
            if status == "unmatched" and suggested < _SUGGESTED:
                suggested += 1
                status, iid, by, cands = self.resolve(str(uniques[u]))
            resolved[u] = (status, iid, by, cands)
        target = np.array([r[1] for r in resolved] + [None], dtype=object)
        ids = target[np.where(codes >= 0, codes, len(uniques))]
        matches = [Match(str(uniques[u]), source, int(counts[u]), resolved[u][0], resolved[u][1],  # type: ignore[arg-type]
                         self.type_of.get(resolved[u][1] or ""), resolved[u][2], resolved[u][3]) for u in order]
        matches.sort(key=lambda m: (m.status == "matched", -m.records, m.name))
        return ids, matches
