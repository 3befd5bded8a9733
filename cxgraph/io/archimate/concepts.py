"""ArchiMate vocabulary shared by the ArchiMate and Archi readers and writers.

Every reader (exchange XML, Archi's native ``.archimate``, Archi CSV) turns its
file into an :class:`ArchiModel`: plain concepts with their ArchiMate 3.1 type
names, properties and views. One mapping turns that into a cxgraph model, and
one unmapping turns a model back into concepts for the writers.

Examples
--------
>>> from cxgraph.io.archimate.concepts import KIND_OF_TYPE, canonical_type
>>> KIND_OF_TYPE["ApplicationComponent"], KIND_OF_TYPE["Capability"]
('system', 'capability')
>>> canonical_type("UsedByRelationship"), canonical_type("archimate:InfrastructureService")
('Serving', 'TechnologyService')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "ACTIVE_BEHAVIOUR",
    "DEFAULT_TYPE",
    "KIND_OF_TYPE",
    "PASSIVE",
    "RELATIONSHIP_TYPES",
    "ArchiModel",
    "Concept",
    "View",
    "ViewNode",
    "canonical_type",
    "default_identifier",
    "is_ncname",
    "kept_reason",
    "slug",
]

BUSINESS = ("BusinessActor", "BusinessRole", "BusinessCollaboration", "BusinessInterface", "BusinessProcess",
            "BusinessFunction", "BusinessInteraction", "BusinessEvent", "BusinessService", "BusinessObject",
            "Contract", "Representation", "Product")
APPLICATION = ("ApplicationComponent", "ApplicationCollaboration", "ApplicationInterface", "ApplicationFunction",
               "ApplicationInteraction", "ApplicationProcess", "ApplicationEvent", "ApplicationService", "DataObject")
TECHNOLOGY = ("Node", "Device", "SystemSoftware", "TechnologyCollaboration", "TechnologyInterface", "Path",
              "CommunicationNetwork", "TechnologyFunction", "TechnologyProcess", "TechnologyInteraction",
              "TechnologyEvent", "TechnologyService", "Artifact", "Equipment", "Facility", "DistributionNetwork",
              "Material")
MOTIVATION = ("Stakeholder", "Driver", "Assessment", "Goal", "Outcome", "Principle", "Requirement", "Constraint",
              "Meaning", "Value")
STRATEGY = ("Resource", "Capability", "CourseOfAction", "ValueStream")
IMPLEMENTATION = ("WorkPackage", "Deliverable", "ImplementationEvent", "Plateau", "Gap")
OTHER = ("Grouping", "Location", "AndJunction", "OrJunction")

RELATIONSHIP_TYPES = ("Composition", "Aggregation", "Assignment", "Realization", "Serving", "Access", "Influence",
                      "Triggering", "Flow", "Specialization", "Association")
"""The eleven ArchiMate 3.1 relationship types, as the exchange format names them."""

PASSIVE = frozenset({"BusinessObject", "Contract", "Representation", "DataObject", "Artifact", "Material"})
"""Passive structure: accessed, never serving."""

ACTIVE_BEHAVIOUR = frozenset(t for t in (*BUSINESS, *APPLICATION, *TECHNOLOGY) if t not in PASSIVE and t != "Product")
"""Core active structure and behaviour: any of them may serve, trigger or flow to any other."""

KIND_OF_TYPE: dict[str, str] = {
    # business layer
    "BusinessActor": "team", "BusinessRole": "team", "BusinessCollaboration": "team",
    "BusinessInterface": "service", "BusinessService": "service",
    "BusinessProcess": "process", "BusinessFunction": "process", "BusinessInteraction": "process",
    "BusinessEvent": "process",
    "BusinessObject": "data", "Contract": "data", "Representation": "data",
    "Product": "service",
    # application layer
    "ApplicationComponent": "system", "ApplicationCollaboration": "system",
    "ApplicationService": "service", "ApplicationInterface": "service",
    "ApplicationFunction": "process", "ApplicationProcess": "process", "ApplicationInteraction": "process",
    "ApplicationEvent": "process",
    "DataObject": "data",
    # technology and physical layers
    **{t: "infrastructure" for t in TECHNOLOGY if t not in ("Artifact", "Material")},
    "Artifact": "data",
    # strategy
    "Capability": "capability",
    # relationship connectors
    "AndJunction": "junction", "OrJunction": "junction",
}
"""How each ArchiMate element type maps to a cxgraph element kind (or to a capability, or a junction).

Types not listed (motivation, implementation and migration, Material, Resource,
CourseOfAction, ValueStream, Grouping, Location) have no counterpart: they are kept in the
import log with their documentation and properties.
"""

DEFAULT_TYPE: dict[str, str] = {
    "system": "ApplicationComponent", "service": "ApplicationService", "infrastructure": "Node",
    "data": "DataObject", "process": "BusinessProcess", "team": "BusinessActor", "vendor": "BusinessActor",
    "journey": "BusinessProcess", "stage": "Grouping", "touchpoint": "BusinessInteraction",
    "capability": "Capability", "metric": "Outcome", "initiative": "WorkPackage",
}
"""The ArchiMate type each kind of cxgraph item is written as, unless it was read with another type."""

_ALIASES = {
    # ArchiMate 2.x names (exchange format 2.1, Archi 3.x files)
    "UsedBy": "Serving", "Realisation": "Realization", "Specialisation": "Specialization",
    "InfrastructureService": "TechnologyService", "InfrastructureInterface": "TechnologyInterface",
    "InfrastructureFunction": "TechnologyFunction", "CommunicationPath": "Path", "Network": "CommunicationNetwork",
    "Junction": "AndJunction",
}

_GROUPS = (("motivation element", MOTIVATION), ("implementation and migration element", IMPLEMENTATION),
           ("strategy element", STRATEGY), ("business element", BUSINESS), ("technology element", TECHNOLOGY))


def canonical_type(name: str) -> str:
    """Return the ArchiMate 3.1 exchange-format name of a type written by any supported format.

    Drops Archi's ``archimate:`` prefix and ``Relationship`` suffix and renames ArchiMate 2 types.

    Examples
    --------
    >>> from cxgraph.io.archimate.concepts import canonical_type
    >>> canonical_type("archimate:ServingRelationship"), canonical_type("RealisationRelationship")
    ('Serving', 'Realization')
    """
    name = name.rsplit(":", 1)[-1]
    if name.endswith("Relationship") and name != "Relationship":
        name = name.removesuffix("Relationship")
    return _ALIASES.get(name, name)


def kept_reason(type_name: str) -> str:
    """Return why an element of this type has no counterpart in a cxgraph model.

    Examples
    --------
    >>> from cxgraph.io.archimate.concepts import kept_reason
    >>> kept_reason("Principle")
    'Principle is a motivation element: no counterpart in cxgraph'
    """
    for label, types in _GROUPS:
        if type_name in types:
            return f"{type_name} is a {label}: no counterpart in cxgraph"
    return f"{type_name}: no counterpart in cxgraph"


_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_CX_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")


def is_ncname(text: str) -> bool:
    """Return whether ``text`` can be an XML identifier (an NCName: a letter or ``_`` first, no colon).

    Examples
    --------
    >>> from cxgraph.io.archimate.concepts import is_ncname
    >>> is_ncname("id-1544"), is_ncname("1544")
    (True, False)
    """
    return bool(_NCNAME.match(text))


def default_identifier(item_id: str) -> str:
    """Return the XML identifier a cxgraph id is written with: the id itself, or ``id-`` + id.

    Examples
    --------
    >>> from cxgraph.io.archimate.concepts import default_identifier
    >>> default_identifier("web-portal"), default_identifier("42"), default_identifier(".x")
    ('web-portal', 'id-42', 'id-.x')
    """
    return item_id if is_ncname(item_id) else f"id-{item_id}"


def slug(text: str) -> str:
    """Return a cxgraph id made from a name: lower case, words joined by ``-``.

    Examples
    --------
    >>> from cxgraph.io.archimate.concepts import slug
    >>> slug("Home  &  Away Policy Administration"), slug("§")
    ('home-away-policy-administration', 'item')
    """
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words) or "item"


def as_item_id(identifier: str) -> str:
    """Return a valid cxgraph id for an identifier read from a file (unchanged where already valid).

    Examples
    --------
    >>> from cxgraph.io.archimate.concepts import as_item_id
    >>> as_item_id("id-12"), as_item_id("é:1")
    ('id-12', '__1')
    """
    return identifier if _CX_ID.match(identifier) else re.sub(r"[^A-Za-z0-9_.\-]", "_", identifier) or "_"


@dataclass
class Concept:
    """An element or relationship as read from (or about to be written to) a file.

    ``type`` is the ArchiMate 3.1 exchange-format name (``BusinessProcess``, ``Serving``,
    ``OrJunction``); ``attrs`` holds the extra relationship attributes (``accessType``,
    ``isDirected``, ``modifier``) in exchange-format spelling.

    Examples
    --------
    >>> from cxgraph.io.archimate.concepts import Concept
    >>> c = Concept("id-1", "Serving", source="id-2", target="id-3")
    >>> c.is_relationship, c.property("cxgraph:strength")
    (True, None)
    """

    id: str
    type: str
    name: str = ""
    documentation: str | None = None
    properties: list[tuple[str, str]] = field(default_factory=list)
    source: str | None = None
    target: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    line: int | None = None

    @property
    def is_relationship(self) -> bool:
        """Whether this concept is a relationship (it links a source to a target)."""
        return self.source is not None

    def describe(self, by_id: Mapping[str, Concept] | None = None) -> str:
        """Say which concept this is; a relationship with its type, identifier, source and target.

        Examples
        --------
        >>> from cxgraph.io.archimate.concepts import Concept
        >>> crm, pay = Concept("a", "ApplicationComponent", "CRM"), Concept("b", "BusinessProcess", "Pay")
        >>> Concept("r1", "Serving", source="a", target="b").describe({"a": crm, "b": pay})
        "Serving relationship 'r1' from ApplicationComponent 'CRM' (a) to BusinessProcess 'Pay' (b)"
        """
        if not self.is_relationship:
            return f"{self.type} {self.name!r} ({self.id})" if self.name else f"{self.type} {self.id!r}"
        ends = []
        for end in (self.source or "", self.target or ""):
            other = (by_id or {}).get(end)
            ends.append(other.describe() if other is not None else repr(end))
        return f"{self.type} relationship {self.id!r} from {ends[0]} to {ends[1]}"

    def property(self, key: str) -> str | None:
        """Return the first value of property ``key``, or ``None``."""
        for k, v in self.properties:
            if k == key:
                return v
        return None


@dataclass
class ViewNode:
    """A box in a view: the element it shows (``None`` for notes and groups), its bounds and nested boxes."""

    element: str | None
    x: float = 0.0
    y: float = 0.0
    children: list[ViewNode] = field(default_factory=list)


@dataclass
class View:
    """A named view (diagram) and its top-level boxes."""

    id: str
    name: str
    nodes: list[ViewNode] = field(default_factory=list)


@dataclass
class ArchiModel:
    """A whole ArchiMate model as read from a file, before mapping to cxgraph.

    Examples
    --------
    >>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
    >>> m = ArchiModel(name="Tiny", elements=[Concept("a", "Node", "Server")])
    >>> m.concept("a").name
    'Server'
    """

    name: str = ""
    id: str | None = None
    documentation: str | None = None
    properties: list[tuple[str, str]] = field(default_factory=list)
    elements: list[Concept] = field(default_factory=list)
    relationships: list[Concept] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    format: str = "ArchiMate"
    file: str | None = None
    property_types: dict[str, str] = field(default_factory=dict)
    """The data type (``string``, ``number``, ``boolean``, ...) of each property key, where the format says."""

    def concept(self, identifier: str) -> Concept | None:
        """Return the element or relationship with this identifier, or ``None``."""
        for c in (*self.elements, *self.relationships):
            if c.id == identifier:
                return c
        return None
