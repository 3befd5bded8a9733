"""Figures: the service blueprint, the capability map, rankings and journey risk.

Every function takes ``ax=`` (or creates its own figure, sized to its content), returns the
matplotlib Figure or Axes, and never calls ``plt.show()``.
"""

from .blueprint import blueprint

__all__ = ["blueprint"]
