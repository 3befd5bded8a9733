"""What an importer did with each thing it read: the :class:`ImportLog`.

Importers of other formats (ArchiMate, Archi, spreadsheets) never drop anything
silently. Every element and relationship read is listed, either as *mapped*
(with what it became in the model) or as *kept* (with the reason it has no
counterpart, and its documentation and properties, so nothing is lost).
``elements_read == elements_mapped + elements_kept`` always holds, and the same
for relationships.

Examples
--------
>>> log = cx.io.ImportLog(
...     source="bank.xml", format="ArchiMate exchange 3.0",
...     elements=(cx.io.ImportEntry("id-1", "ApplicationComponent", "CRM", "mapped", "system", item="crm"),
...               cx.io.ImportEntry("id-2", "Principle", "Reuse", "kept", "motivation element: no counterpart")),
... )
>>> log.elements_read, log.elements_mapped, log.elements_kept
(2, 1, 1)
>>> print(log)
bank.xml (ArchiMate exchange 3.0)
  elements:      2 read, 1 mapped, 1 kept
  relationships: 0 read, 0 mapped, 0 kept
  mapped elements: 1 system
  kept elements: 1 Principle
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

__all__ = ["ImportEntry", "ImportLog"]


@dataclass(frozen=True)
class ImportEntry:
    """One element or relationship read from a file, and what became of it.

    Parameters
    ----------
    id
        Its identifier in the file.
    type
        Its type in the file (an ArchiMate type such as ``BusinessProcess`` or ``Serving``,
        or a sheet name for spreadsheets).
    name
        Its name in the file ("" where it has none).
    status
        ``"mapped"`` (it became part of the model) or ``"kept"`` (no counterpart in the model).
    outcome
        For a mapped entry, what it became (``"system"``, ``"touchpoint"``, ``"dependency"``,
        ``"owner"``, ...); for a kept entry, why it was kept aside.
    item
        The id of the model item it became (mapped elements) or that it changed (mapped
        relationships: the dependent, the owned element, the capability, ...).
    source, target
        The identifiers a relationship links.
    line
        The line in the file where it is defined, where known.
    documentation
        Its documentation text, if any (kept entries keep it here).
    properties
        Its properties as ``(key, value)`` pairs, in file order (kept entries keep them here).

    Examples
    --------
    >>> e = cx.io.ImportEntry("id-7", "Serving", "", "mapped", "dependency", item="pay",
    ...                       source="id-3", target="id-7")
    >>> e.status, e.outcome
    ('mapped', 'dependency')
    """

    id: str
    type: str
    name: str
    status: Literal["mapped", "kept"]
    outcome: str
    item: str | None = None
    source: str | None = None
    target: str | None = None
    line: int | None = None
    documentation: str | None = None
    properties: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as plain data.

        Examples
        --------
        >>> cx.io.ImportEntry("id-1", "Node", "Mainframe", "mapped", "infrastructure", item="id-1").to_dict()["item"]
        'id-1'
        """
        return {
            "id": self.id, "type": self.type, "name": self.name, "status": self.status, "outcome": self.outcome,
            "item": self.item, "source": self.source, "target": self.target, "line": self.line,
            "documentation": self.documentation, "properties": [list(p) for p in self.properties],
        }


@dataclass(frozen=True)
class ImportLog:
    """What an import read, what it mapped into the model and what it kept aside.

    Parameters
    ----------
    source
        The file (or folder) read.
    format
        The format and version read, e.g. ``"ArchiMate exchange 3.0"``.
    elements, relationships
        One :class:`ImportEntry` per element and per relationship read, in file order.
    views
        The names of the views (diagrams) in the file; views are not part of a model.
    notes
        Choices the importer made that the reader should know about (defaults used, ...).

    Examples
    --------
    >>> r = cx.io.ImportLog("x.xml", "ArchiMate exchange 3.1", notes=("journey 'j': no customers given",))
    >>> r.counts()  # doctest: +NORMALIZE_WHITESPACE
    {'elements_read': 0, 'elements_mapped': 0, 'elements_kept': 0,
     'relationships_read': 0, 'relationships_mapped': 0, 'relationships_kept': 0}
    """

    source: str
    format: str
    elements: tuple[ImportEntry, ...] = ()
    relationships: tuple[ImportEntry, ...] = ()
    views: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    # ------------------------------------------------------------------ counts
    @property
    def elements_read(self) -> int:
        """Number of elements read."""
        return len(self.elements)

    @property
    def elements_mapped(self) -> int:
        """Number of elements that became part of the model."""
        return sum(e.status == "mapped" for e in self.elements)

    @property
    def elements_kept(self) -> int:
        """Number of elements kept aside (listed in :attr:`kept_elements`)."""
        return sum(e.status == "kept" for e in self.elements)

    @property
    def relationships_read(self) -> int:
        """Number of relationships read."""
        return len(self.relationships)

    @property
    def relationships_mapped(self) -> int:
        """Number of relationships that became part of the model."""
        return sum(e.status == "mapped" for e in self.relationships)

    @property
    def relationships_kept(self) -> int:
        """Number of relationships kept aside (listed in :attr:`kept_relationships`)."""
        return sum(e.status == "kept" for e in self.relationships)

    @property
    def kept_elements(self) -> list[ImportEntry]:
        """The elements with no counterpart in the model, with their documentation and properties."""
        return [e for e in self.elements if e.status == "kept"]

    @property
    def kept_relationships(self) -> list[ImportEntry]:
        """The relationships with no counterpart in the model, each with the reason."""
        return [e for e in self.relationships if e.status == "kept"]

    def counts(self) -> dict[str, int]:
        """Return the six counts: read, mapped and kept, for elements and for relationships.

        Examples
        --------
        >>> cx.io.ImportLog("x", "y").counts()["relationships_kept"]
        0
        """
        return {
            "elements_read": self.elements_read, "elements_mapped": self.elements_mapped,
            "elements_kept": self.elements_kept, "relationships_read": self.relationships_read,
            "relationships_mapped": self.relationships_mapped, "relationships_kept": self.relationships_kept,
        }

    def outcomes(self, what: Literal["elements", "relationships"] = "elements") -> dict[str, int]:
        """Return how many mapped entries became what (``{"system": 10, "touchpoint": 4, ...}``), largest first.

        Examples
        --------
        >>> r = cx.io.ImportLog("x", "y", elements=(
        ...     cx.io.ImportEntry("a", "Node", "A", "mapped", "infrastructure"),
        ...     cx.io.ImportEntry("b", "Device", "B", "mapped", "infrastructure")))
        >>> r.outcomes()
        {'infrastructure': 2}
        """
        entries = self.elements if what == "elements" else self.relationships
        counted = Counter(e.outcome for e in entries if e.status == "mapped")
        return dict(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))

    # ------------------------------------------------------------------ output
    def to_frame(self) -> pd.DataFrame:
        """Return one row per element and relationship read: what it was and what became of it.

        Examples
        --------
        >>> entry = cx.io.ImportEntry("a", "Node", "A", "mapped", "infrastructure")
        >>> r = cx.io.ImportLog("x", "y", elements=(entry,))
        >>> list(r.to_frame().columns)
        ['what', 'id', 'type', 'name', 'status', 'outcome', 'item', 'source', 'target', 'line']
        """
        rows = [{"what": what, **{k: v for k, v in e.to_dict().items() if k not in ("documentation", "properties")}}
                for what, entries in (("element", self.elements), ("relationship", self.relationships))
                for e in entries]
        columns = ["what", "id", "type", "name", "status", "outcome", "item", "source", "target", "line"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """Return the whole import log as plain data (for JSON).

        Examples
        --------
        >>> sorted(cx.io.ImportLog("x", "y").to_dict())
        ['counts', 'elements', 'format', 'notes', 'relationships', 'source', 'views']
        """
        return {
            "source": self.source, "format": self.format, "counts": self.counts(),
            "elements": [e.to_dict() for e in self.elements],
            "relationships": [e.to_dict() for e in self.relationships],
            "views": list(self.views), "notes": list(self.notes),
        }

    def summary(self) -> str:
        """Return a short text: the counts, what was mapped to what, what was kept and the notes.

        Examples
        --------
        >>> print(cx.io.ImportLog("x.csv", "Archi CSV").summary())
        x.csv (Archi CSV)
          elements:      0 read, 0 mapped, 0 kept
          relationships: 0 read, 0 mapped, 0 kept
        """
        c = self.counts()
        lines = [
            f"{self.source} ({self.format})",
            f"  elements:      {c['elements_read']} read, {c['elements_mapped']} mapped, {c['elements_kept']} kept",
            f"  relationships: {c['relationships_read']} read, {c['relationships_mapped']} mapped, "
            f"{c['relationships_kept']} kept",
        ]
        for what, entries in (("elements", self.elements), ("relationships", self.relationships)):
            mapped: Counter[str] = Counter()
            for outcome, n in self.outcomes(what).items():  # type: ignore[arg-type]
                mapped[re.sub(r"\(same link as [^)]*\)", "(repeated link)", outcome)] += n
            if mapped:
                lines.append(f"  mapped {what}: " + ", ".join(f"{n} {k}" for k, n in mapped.items()))
            kept = Counter(e.type for e in entries if e.status == "kept")
            if kept:
                shown = sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))
                lines.append(f"  kept {what}: " + ", ".join(f"{n} {k}" for k, n in shown))
        if self.views:
            lines.append(f"  views (not imported): {len(self.views)}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)

    __str__ = summary

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(self.summary()) + "</pre>"
