"""Calibrating a model from evidence."""

from .matching import Match, Matcher

__all__ = ["Match", "Matcher"]
