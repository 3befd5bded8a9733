"""Figures: the service blueprint, the capability map, rankings, journey risk, and every result's plot.

Every function takes ``ax=`` (or creates its own figure, sized to its content), returns the
matplotlib Figure (or the Axes it was given), and never calls ``plt.show()``: a notebook shows
the returned figure once. Figures are deterministic: the same input saves to the same SVG bytes.
Colour is customer impact on one colour-blind-safe scale (viridis, fading to white near zero).

Examples
--------
>>> model = cx.examples.load("retail-bank")
>>> fig = cx.draw.blueprint(model, journey="card-help")
>>> fig = cx.draw.capability_map(model)
>>> fig = cx.draw.ranking(cx.impact(model), top=10)
"""

from .blueprint import blueprint
from .capability_map import capability_map
from .journey import journey_risk
from .ranking import ranking
from .resilience import disruption_heatmap, disruption_timeline
from .results import plot_result

__all__ = ["blueprint", "capability_map", "disruption_heatmap", "disruption_timeline", "journey_risk", "plot_result",
           "ranking"]
