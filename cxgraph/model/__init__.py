"""The validated model: pydantic classes for every item, and the :class:`Model` container.

Examples
--------
>>> cx.model.ELEMENT_KINDS[:3]
('system', 'service', 'infrastructure')
"""

from .apply import HOURS_PER_YEAR, apply_initiatives, unavailability
from .changes import Additions, Improvement, Initiative, Link, LinkRef, Setting
from .checks import check_document, format_path
from .items import (
    ELEMENT_KINDS,
    Capability,
    Dependency,
    Element,
    Item,
    Journey,
    Metric,
    Stage,
    Tolerance,
    Touchpoint,
)
from .model import FORMAT_VERSION, Model
from .numbers import Uncertain, point
from .scenarios import Scenario, Selector

__all__ = [
    "ELEMENT_KINDS",
    "FORMAT_VERSION",
    "HOURS_PER_YEAR",
    "Additions",
    "Capability",
    "Dependency",
    "Element",
    "Improvement",
    "Initiative",
    "Item",
    "Journey",
    "Link",
    "LinkRef",
    "Metric",
    "Model",
    "Scenario",
    "Selector",
    "Setting",
    "Stage",
    "Tolerance",
    "Touchpoint",
    "Uncertain",
    "apply_initiatives",
    "check_document",
    "format_path",
    "point",
    "unavailability",
]
