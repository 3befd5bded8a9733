"""The validated model: pydantic classes for every item, and the :class:`Model` container.

Examples
--------
>>> cx.model.ELEMENT_KINDS[:3]
('system', 'service', 'infrastructure')
"""

from .checks import check_document, format_path
from .items import (
    ELEMENT_KINDS,
    Capability,
    Dependency,
    Element,
    Improvement,
    Initiative,
    Item,
    Journey,
    Metric,
    Stage,
    Touchpoint,
)
from .model import FORMAT_VERSION, Model
from .numbers import Uncertain, point

__all__ = [
    "ELEMENT_KINDS",
    "FORMAT_VERSION",
    "Capability",
    "Dependency",
    "Element",
    "Improvement",
    "Initiative",
    "Item",
    "Journey",
    "Metric",
    "Model",
    "Stage",
    "Touchpoint",
    "Uncertain",
    "check_document",
    "format_path",
    "point",
]
