"""The journeys a file could give, and the choice ``journeys="auto"`` makes among them.

Real models are drawn in views and around roles, not marked for cxgraph. Every view that
shows business behaviour (``"view:NAME"``) and every business role or actor that is served
or assigned to behaviour (``"role:NAME"``) is a *candidate*. Each is mapped as the reader
would map it, and counted: journeys, touchpoints, touchpoints with IT behind them (an
application or technology element among what they depend on, directly or through other
elements), and the dependency links of the touchpoints. ``"auto"`` takes the candidate with
the most touchpoints with IT behind them (then the most touchpoints, then the most links,
then the first in the file), says which in the import log's notes and lists the others.

A file that marks anything with ``cxgraph:`` properties (as every file cxgraph writes does)
is taken as it says: ``"auto"`` adds nothing to it.

Examples
--------
>>> from cxgraph.io.archimate.candidates import journey_candidates
>>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
>>> archi = ArchiModel(elements=[
...     Concept("c", "BusinessRole", "Customer"), Concept("s", "BusinessService", "Ordering"),
...     Concept("app", "ApplicationComponent", "Shop")], relationships=[
...     Concept("r1", "Serving", source="s", target="c"), Concept("r2", "Realization", source="app", target="s")])
>>> [(c.spec, c.touchpoints, c.with_it) for c in journey_candidates(archi)]
[('role:Customer', 1, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import CxGraphError
from .concepts import APPLICATION, TECHNOLOGY, ArchiModel, Concept
from .map import Indexes
from .props import split_properties
from .select import CUSTOMER_TYPES, FACING_TYPES, STEP_TYPES

__all__ = ["Candidate", "choose_journeys", "journey_candidates", "marks_journeys", "other_candidates"]

_IT_TYPES = frozenset(APPLICATION) | frozenset(TECHNOLOGY)
SHOWN = 8
"""How many other candidates the notes list."""


@dataclass(frozen=True)
class Candidate:
    """One way to take journeys from a file, and what it would give.

    Examples
    --------
    >>> from cxgraph.io.archimate.candidates import Candidate
    >>> print(Candidate("view:Claims", "view", "Claims", 1, 4, 3, 9))
    view:Claims: 1 journey, 4 touchpoints (3 with IT behind them), 9 dependency links
    """

    spec: str
    """What to give as ``journeys=`` (``--journeys``) to get it."""
    kind: str
    """``"view"`` or ``"role"``."""
    name: str
    journeys: int
    touchpoints: int
    with_it: int
    """Touchpoints that depend, directly or through other elements, on an application or technology element."""
    links: int
    """Dependency links of the touchpoints."""

    def __str__(self) -> str:
        def n(count: int, what: str) -> str:
            return f"{count} {what}{'' if count == 1 else 's'}"

        return (f"{self.spec}: {n(self.journeys, 'journey')}, {n(self.touchpoints, 'touchpoint')} ({self.with_it} "
                f"with IT behind them), {n(self.links, 'dependency link')}")

    @property
    def key(self) -> tuple[int, int, int]:
        """What ``"auto"`` maximises, in order."""
        return self.with_it, self.touchpoints, self.links


def marks_journeys(archi: ArchiModel) -> bool:
    """Return whether the file says anything with ``cxgraph:`` properties (then ``"auto"`` adds nothing).

    Examples
    --------
    >>> from cxgraph.io.archimate.candidates import marks_journeys
    >>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
    >>> marks_journeys(ArchiModel(elements=[Concept("p", "BusinessProcess", "Pay", properties=[("Owner", "x")])]))
    False
    """
    if split_properties(archi.properties)[0]:
        return True
    return any(split_properties(c.properties)[0] for c in (*archi.elements, *archi.relationships))


def _specs(archi: ArchiModel) -> list[tuple[str, str, str]]:
    types = {c.id: c.type for c in archi.elements}
    specs: list[tuple[str, str, str]] = []
    names = [v.name for v in archi.views]
    for view in archi.views:
        stack, shows = list(view.nodes), False
        while stack and not shows:
            node = stack.pop()
            shows = types.get(node.element or "") in STEP_TYPES
            stack.extend(node.children)
        if shows:
            ref = view.name if names.count(view.name) == 1 and view.name else view.id
            specs.append((f"view:{ref}", "view", view.name))
    roles: dict[str, None] = {}
    for rel in archi.relationships:
        s, t = types.get(rel.source or ""), types.get(rel.target or "")
        if rel.type == "Serving" and t in CUSTOMER_TYPES and s in FACING_TYPES:
            roles.setdefault(rel.target or "")
        elif rel.type == "Assignment" and s in CUSTOMER_TYPES and t in STEP_TYPES:
            roles.setdefault(rel.source or "")
    by_id = {c.id: c for c in archi.elements}
    seen: set[str] = set()
    for rid in roles:
        name = by_id[rid].name
        if name in seen:
            continue
        seen.add(name)
        specs.append((f"role:{name or rid}", "role", name))
    return specs


class _Identity(dict[str, str]):
    """Item ids for counting: every concept is known by its own identifier."""

    def __missing__(self, key: str) -> str:
        return key


class _Base:
    """The file mapped without journeys, once: what every candidate's count looks up."""

    def __init__(self, archi: ArchiModel, indexes: Indexes) -> None:
        from .links import map_relationships
        from .map import Mapper

        self.archi, self.indexes = archi, indexes
        m = Mapper(archi, journeys="none", customers=None, customer_roles=None, ids="archimate", indexes=indexes)
        m.assign_roles()
        m.assign_ids()
        map_relationships(m)
        concept_of = {item: cid for cid, item in m.item_id.items()}
        self.deps = {cid: [concept_of[k["element"]] for k in links if k["element"] in concept_of]
                     for cid, links in m.deps.items()}
        self.incident: dict[str, list[Concept]] = {}
        for rel in archi.relationships:
            for end in {rel.source or "", rel.target or ""}:
                self.incident.setdefault(end, []).append(rel)
        self.reaches: dict[str, bool] = {}

    def has_it(self, cid: str) -> bool:
        """Whether ``cid`` is an application or technology element, or depends on one (directly or not)."""
        by_id = self.indexes.by_id
        if cid in self.reaches:
            return self.reaches[cid]
        stack, seen = [cid], {cid}
        while stack:
            node = stack.pop()
            if by_id[node].type in _IT_TYPES or self.reaches.get(node):
                self.reaches[cid] = True
                return True
            for other in self.deps.get(node, []):
                if other not in seen and self.reaches.get(other) is not False:
                    seen.add(other)
                    stack.append(other)
        for node in seen:  # nothing reachable from any of them is IT
            self.reaches[node] = False
        return False

    def count(self, spec: str, kind: str, name: str) -> Candidate | None:
        """Map the candidate's touchpoints and the relationships that touch them; count what it gives."""
        from .links import _apply
        from .map import Mapper

        try:
            m = Mapper(self.archi, journeys=spec, customers=None, customer_roles=("Customer",), ids="archimate",
                       indexes=self.indexes)
        except (CxGraphError, ValueError, KeyError):
            return None
        m.assign_roles()
        m.item_id = _Identity()
        tps = [t for plan in m.plans for t in plan.touchpoints if m.role.get(t) == "touchpoint"]
        ends = [*tps, *(p.concept.id for p in m.plans if p.concept is not None)]
        rels = {r.id: r for end in ends for r in self.incident.get(end, [])}
        for rel in rels.values():
            s, t = m.by_id[rel.source or ""], m.by_id[rel.target or ""]
            if s.is_relationship or t.is_relationship or "junction" in (m.role.get(s.id), m.role.get(t.id)):
                continue
            _apply(m, rel.type, s, t, rel)
        with_it = sum(1 for t in tps if any(self.has_it(k["element"]) for k in m.deps.get(t, [])))
        journeys = sum(1 for plan in m.plans if plan.touchpoints)
        return Candidate(spec, kind, name, journeys, len(tps), with_it, sum(len(m.deps.get(t, [])) for t in tps))


def journey_candidates(archi: ArchiModel, *, indexes: Indexes | None = None) -> list[Candidate]:
    """Return every candidate of the file, the best first (the order ``"auto"`` ranks them in).

    Candidates that give no touchpoint are left out.

    Examples
    --------
    >>> from cxgraph.io.archimate.candidates import journey_candidates
    >>> from cxgraph.io.archimate.concepts import ArchiModel
    >>> journey_candidates(ArchiModel())
    []
    """
    specs = _specs(archi)
    if not specs:
        return []
    base = _Base(archi, indexes or Indexes(archi))
    found = [c for spec in specs if (c := base.count(*spec)) is not None and c.touchpoints]
    order = {c.spec: i for i, c in enumerate(found)}
    return sorted(found, key=lambda c: (-c.with_it, -c.touchpoints, -c.links, order[c.spec]))


def other_candidates(archi: ArchiModel, touchpoints: bool, *, indexes: Indexes | None = None) -> list[str]:
    """Return the notes that list the file's candidates, for a choice that gave nothing to analyse.

    Examples
    --------
    >>> from cxgraph.io.archimate.candidates import other_candidates
    >>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
    >>> archi = ArchiModel(
    ...     elements=[Concept("c", "BusinessRole", "Customer"), Concept("s", "BusinessService", "Shop"),
    ...               Concept("a", "ApplicationComponent", "Web")],
    ...     relationships=[Concept("r", "Serving", source="s", target="c"),
    ...                    Concept("q", "Realization", source="a", target="s")])
    >>> for note in other_candidates(archi, False):
    ...     print(note)
    the journeys chosen give no touchpoint; the candidates in the file are (choose one with journeys= or --journeys):
    candidate role:Customer: 1 journey, 1 touchpoint (1 with IT behind them), 1 dependency link
    """
    found = journey_candidates(archi, indexes=indexes)
    what = "no touchpoint that depends on anything" if touchpoints else "no touchpoint"
    if not found:
        return [f"the journeys chosen give {what}, and the file has no other candidate: no view shows business "
                "behaviour and no customer role is served by a service or interface or assigned to business behaviour"]
    notes = [f"the journeys chosen give {what}; the candidates in the file are (choose one with journeys= or "
             "--journeys):"]
    notes += [f"candidate {c}" for c in found[:SHOWN]]
    if len(found) > SHOWN:
        notes.append(f"... and {len(found) - SHOWN} more candidates (cxgraph.io.journey_candidates lists them all)")
    return notes


def choose_journeys(archi: ArchiModel, *, customer_roles: Sequence[str] | None = None,
                    indexes: Indexes | None = None) -> tuple[str, list[str]]:
    """Resolve ``journeys="auto"``: return the choice to map with and the notes that explain it.

    With ``customer_roles`` given, the choice is ``"customer-facing"``; in a file that marks
    anything with ``cxgraph:`` properties, ``"none"`` (the file says what its journeys are).

    Examples
    --------
    >>> from cxgraph.io.archimate.candidates import choose_journeys
    >>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
    >>> choose_journeys(ArchiModel(elements=[Concept("n", "Node", "Server")]))
    ('none', ['no journeys found: the file has no view showing business behaviour and no customer role served by a
    service or interface or assigned to business behaviour; name the touchpoints with journeys= (--journeys "Step one;
    Step two") or mark them with cxgraph:journey properties'])
    """
    if customer_roles is not None:
        return "customer-facing", []
    if marks_journeys(archi):
        return "none", []
    found = journey_candidates(archi, indexes=indexes)
    if not found:
        return "none", [
            "no journeys found: the file has no view showing business behaviour and no customer role served by a "
            "service or interface or assigned to business behaviour; name the touchpoints with journeys= "
            '(--journeys "Step one; Step two") or mark them with cxgraph:journey properties']
    best, others = found[0], found[1:]
    notes = [f"journeys: chose {best} (the most touchpoints with IT behind them among {len(found)} "
             f"candidate{'s' if len(found) > 1 else ''}); choose another with journeys= (--journeys)"]
    notes += [f"other candidate {c}" for c in others[:SHOWN]]
    if len(others) > SHOWN:
        notes.append(f"... and {len(others) - SHOWN} more candidates (cxgraph.io.journey_candidates lists them all)")
    return best.spec, notes
