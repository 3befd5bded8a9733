"""Structurizr workspaces (JSON): people become journeys, the C4 model and its deployment become elements.

Examples
--------
>>> cx.io.read_structurizr is cx.io.structurizr.read_structurizr
True
"""

from .read import read_structurizr

__all__ = ["read_structurizr"]
