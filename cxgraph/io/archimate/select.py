"""Choosing which ArchiMate elements are journeys and touchpoints (the ``journeys=`` option).

An ArchiMate model has no journeys: the architect says which business behaviour
the customer meets. :func:`plans_from_option` turns the ``journeys=`` option of
the readers into journey plans:

``"auto"`` (the default)
    The candidate (a view, or a customer role) that gives the most touchpoints with IT
    behind them; see :mod:`cxgraph.io.archimate.candidates`. It is resolved before this
    module is called.
``"view:NAME"``
    The business processes, functions, interactions and events drawn in the view named
    NAME (or with that identifier). One drawn around others is the journey and the ones
    inside it are its touchpoints (Archisurance's *Business Process View* draws *Handle
    Claim* around Register, Accept, Valuate and Pay); with no such nesting, the view is
    one journey.
``"customer-facing"``, ``"role:NAME"``
    For each customer role (``customer_roles=``, default ``("Customer",)``; or the role
    NAME), one journey whose touchpoints are the business and application services and
    interfaces serving it, and the business behaviour it is assigned to. Actors and roles
    assigned to the customer role (or it to them) count as the customer too; a name shared
    by a role and an actor names both.
``"none"``
    No journeys but those the file marks with ``cxgraph:`` properties.
a list of names or identifiers
    One journey with these touchpoints, in this order.
a mapping ``{journey: [names or identifiers]}``
    One journey per key; a key naming an element (such as a parent process) makes
    that element the journey.

Touchpoints can also be marked in the file itself with ``cxgraph:`` properties;
those are always read (see :mod:`cxgraph.io.archimate.map`).

Examples
--------
>>> from cxgraph.io.archimate.select import plans_from_option
>>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
>>> m = ArchiModel(elements=[Concept("p1", "BusinessProcess", "Apply"), Concept("p2", "BusinessProcess", "Pay")])
>>> [(p.name, p.touchpoints) for p in plans_from_option(m, {"Buy": ["Apply", "p2"]})]
[('Buy', ['p1', 'p2'])]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ...errors import FormatError, UnknownIdError
from .concepts import ArchiModel, Concept, ViewNode

__all__ = ["CUSTOMER_TYPES", "FACING_TYPES", "STEP_TYPES", "JourneyPlan", "Journeys", "customer_group",
           "plans_from_option", "resolve_name"]

STEP_TYPES = frozenset({"BusinessProcess", "BusinessFunction", "BusinessInteraction", "BusinessEvent"})
"""The business behaviour a view's journeys are made of (and that a customer role may be assigned to)."""

FACING_TYPES = frozenset({"BusinessService", "BusinessInterface", "ApplicationService", "ApplicationInterface"})
"""What serves a customer role in the ``"customer-facing"`` choice."""

CUSTOMER_TYPES = frozenset({"BusinessRole", "BusinessActor"})
"""What a customer role may be."""

Journeys = str | Sequence[str] | Mapping[str, Sequence[str]] | None
"""What the ``journeys=`` option of the readers accepts."""


@dataclass
class JourneyPlan:
    """A journey chosen before mapping: its name, backing element (if any) and touchpoints.

    ``touchpoints`` holds element identifiers in their base order; ``fixed_order`` is true
    where the user gave the order, so triggering and flow do not reorder them.
    """

    name: str
    concept: Concept | None = None
    touchpoints: list[str] = field(default_factory=list)
    fixed_order: bool = False
    segment: str | None = None
    id: str | None = None
    """The journey's cxgraph id, once the mapping has given ids (a backing element's id, else from the name)."""


def resolve_name(model: ArchiModel, ref: str, *, what: str = "element",
                 among: Sequence[Concept] | None = None) -> Concept:
    """Return the element whose identifier, or else whose name, is ``ref``.

    Raises :class:`~cxgraph.UnknownIdError` (naming the closest names) when none matches, and
    :class:`~cxgraph.FormatError` when a name is shared by several elements.

    Examples
    --------
    >>> from cxgraph.io.archimate.select import resolve_name
    >>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
    >>> m = ArchiModel(elements=[Concept(i, "BusinessInterface", "phone") for i in "ab"])
    >>> resolve_name(m, "b").id
    'b'
    >>> resolve_name(m, "phone")
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: 'phone' names 2 elements (a, b): use an identifier instead
    """
    candidates = list(model.elements if among is None else among)
    for concept in candidates:
        if concept.id == ref:
            return concept
    named = [c for c in candidates if c.name == ref]
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(c.id for c in named)
        raise FormatError(f"{ref!r} names {len(named)} {what}s ({ids}): use an identifier instead")
    raise UnknownIdError(ref, sorted({c.name for c in candidates}), what=what)


def _from_view(model: ArchiModel, spec: str) -> list[JourneyPlan]:
    wanted = spec.removeprefix("view:")
    views = [v for v in model.views if wanted in (v.name, v.id)]
    if not views:
        raise UnknownIdError(wanted, [v.name for v in model.views], what="view")
    view = views[0]
    types = {c.id: c.type for c in model.elements}

    def is_step(node: ViewNode) -> bool:
        return node.element is not None and types.get(node.element) in STEP_TYPES

    def steps_below(node: ViewNode) -> list[ViewNode]:
        found, stack = [], list(reversed(node.children))
        while stack:
            child = stack.pop()
            if is_step(child):
                found.append(child)
            stack.extend(reversed(child.children))
        return found

    containers: list[tuple[ViewNode, list[ViewNode]]] = []
    leaves: list[ViewNode] = []
    stack = list(reversed(view.nodes))
    while stack:
        node = stack.pop()
        below = steps_below(node) if is_step(node) else []
        if below:
            containers.append((node, [n for n in below if not steps_below(n)]))
        else:
            if is_step(node):
                leaves.append(node)
            stack.extend(reversed(node.children))
    by_id = {c.id: c for c in model.elements}
    if containers:
        groups = [(by_id[node.element or ""], inner) for node, inner in containers]
    elif leaves:
        groups = [(None, leaves)]
    else:
        raise FormatError(f"view {view.name!r} shows no business process, function, interaction or event to use as "
                          "touchpoints", file=model.file)
    plans = []
    for concept, nodes in groups:
        ordered = sorted(nodes, key=lambda n: (n.x, n.y))
        ids = list(dict.fromkeys(n.element for n in ordered if n.element))
        plans.append(JourneyPlan(concept.name if concept else view.name, concept, ids))
    return plans


def customer_group(model: ArchiModel, ref: str) -> list[Concept]:
    """Return the roles and actors that ``ref`` names, with those linked to them by an assignment.

    ``ref`` is an identifier or a name; a name shared by a role and an actor names both. An
    unknown role raises :class:`~cxgraph.UnknownIdError` listing the roles and actors of the file.

    Examples
    --------
    >>> from cxgraph.io.archimate.select import customer_group
    >>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
    >>> m = ArchiModel(elements=[Concept("a", "BusinessActor", "Client"), Concept("r", "BusinessRole", "Insurant")],
    ...                relationships=[Concept("x", "Assignment", source="a", target="r")])
    >>> [c.name for c in customer_group(m, "Insurant")]
    ['Insurant', 'Client']
    >>> try:
    ...     customer_group(m, "Clint")
    ... except KeyError as err:
    ...     print(err)
    unknown customer role 'Clint' (did you mean 'Client'?); the roles and actors in the file are: 'Client', 'Insurant'
    """
    actors = [c for c in model.elements if c.type in CUSTOMER_TYPES]
    named = [c for c in actors if c.id == ref] or [c for c in actors if c.name == ref]
    if not named:
        names = sorted({c.name for c in actors})
        shown = ", ".join(repr(n) for n in names[:30]) or "none"
        more = f" and {len(names) - 30} more" if len(names) > 30 else ""
        raise UnknownIdError(ref, names, what="customer role",
                             more=f"the roles and actors in the file are: {shown}{more}")
    group = {c.id: c for c in named}
    first = set(group)
    by_id = {c.id: c for c in actors}
    for rel in model.relationships:
        if rel.type == "Assignment":
            for a, b in ((rel.source, rel.target), (rel.target, rel.source)):
                if a in first and b in by_id and b not in group:
                    group[b] = by_id[b]
    return list(group.values())


def _customer_facing(model: ArchiModel, roles: Sequence[str]) -> tuple[list[JourneyPlan], list[str]]:
    by_id = {c.id: c for c in model.elements}
    plans: list[JourneyPlan] = []
    notes: list[str] = []
    claimed: dict[str, str] = {}
    for ref in roles:
        group = customer_group(model, ref)
        role, members = group[0], {c.id for c in group}
        touchpoints: list[str] = []
        shared = False
        for rel in model.relationships:
            if rel.type == "Serving" and rel.target in members:
                other = by_id.get(rel.source or "")
                wanted = other is not None and other.type in FACING_TYPES
            elif rel.type == "Assignment" and rel.source in members:
                other = by_id.get(rel.target or "")
                wanted = other is not None and other.type in STEP_TYPES
            else:
                continue
            if not wanted or other is None or other.id in members or other.id in touchpoints:
                continue
            if other.id in claimed:
                shared = True
                if claimed[other.id] != role.name:
                    notes.append(f"{other.name!r} ({other.id}) also serves {role.name!r}; it is a touchpoint "
                                 f"of {claimed[other.id]!r} only (a touchpoint belongs to one journey)")
                continue
            claimed[other.id] = role.name
            touchpoints.append(other.id)
        if not touchpoints and shared:
            notes.append(f"the customer role {role.name!r} has no touchpoint of its own: what serves it belongs to "
                         "an earlier journey")
        elif not touchpoints:
            notes.append(f"no service or interface serves the customer role {role.name!r}, and it is assigned to no "
                         "business behaviour")
        plans.append(JourneyPlan(role.name, role, touchpoints, segment=role.name))
    return plans, notes


def plans_from_option(model: ArchiModel, journeys: Journeys, *, customer_roles: Sequence[str] = ("Customer",),
                      notes: list[str] | None = None) -> list[JourneyPlan]:
    """Return the journeys chosen by the ``journeys=`` option (see the module docstring for the choices).

    Examples
    --------
    >>> from cxgraph.io.archimate.select import plans_from_option
    >>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
    >>> m = ArchiModel(elements=[Concept("p1", "BusinessProcess", "Apply")])
    >>> plans_from_option(m, "sideways")
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: unknown journeys choice 'sideways': ...
    """
    notes = notes if notes is not None else []
    if journeys is None or journeys == "none":
        return []
    if isinstance(journeys, str):
        if journeys.startswith("view:"):
            return _from_view(model, journeys)
        if journeys == "customer-facing" or journeys.startswith("role:"):
            roles = [journeys.removeprefix("role:")] if journeys.startswith("role:") else customer_roles
            plans, found = _customer_facing(model, roles)
            notes.extend(found)
            return plans
        raise FormatError(f"unknown journeys choice {journeys!r}: use 'auto', 'view:NAME', 'customer-facing', "
                          "'role:NAME', 'none', a list of element names or identifiers, or a mapping "
                          "{journey name: [names or identifiers]}")
    if isinstance(journeys, Mapping):
        plans = []
        for key, refs in journeys.items():
            if isinstance(refs, str):
                raise FormatError(f"journey {key!r}: expected a list of touchpoint names or identifiers, "
                                  f"got the text {refs!r}")
            backing = None
            try:
                backing = resolve_name(model, key)
            except (UnknownIdError, FormatError):
                backing = None
            ids = [resolve_name(model, ref).id for ref in refs]
            plans.append(JourneyPlan(backing.name if backing else key, backing, ids, fixed_order=True))
        return plans
    ids = [resolve_name(model, ref).id for ref in journeys]
    if not ids:
        return []
    names = {c.id: c.name for c in model.elements}
    name = names[ids[0]] if len(ids) == 1 else f"{names[ids[0]]} to {names[ids[-1]]}"
    return [JourneyPlan(name, None, ids, fixed_order=True)]
