"""What every figure shares: the colour scale, fonts, text fitting, number labels and the figure class.

Every figure colours customer impact on one colour-blind-safe sequential scale
(:data:`CMAP`, light = little impact, dark = much); text is DejaVu Sans (bundled with
matplotlib) and is wrapped or shortened to fit the space measured for it, so labels
never run into each other.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Colormap, ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from .._files import atomic_path

__all__ = [
    "CMAP",
    "FONT",
    "CxFigure",
    "colormap",
    "fit_inches",
    "fit_text",
    "format_number",
    "format_tick",
    "impact_norm",
    "ink_for",
    "new_figure",
    "style",
    "text_width",
    "whole_text",
]

CMAP = "viridis_r"
"""The matplotlib colour scale every figure's scale is made from: perceptually uniform and
colour-blind safe (viridis, reversed so that more impact is darker)."""

#: Below this share of the scale, colours fade towards white, so that boxes with little impact
#: stay quiet and the eye goes to the dark ones. Lightness still falls steadily along the scale.
_FADE = 0.35

FONT = "DejaVu Sans"
"""The font of every figure (bundled with matplotlib, so figures look the same everywhere)."""

GREY = "#b8b8b8"
INK = "#222222"
SOFT_INK = "#555555"
PAPER = "#ffffff"
BAND = "#f3f3f1"

#: Width measured for wrapping is multiplied by this: rasterisers hint glyphs and may draw
#: text a few per cent wider than its outline.
_SAFETY = 1.12

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "svg.hashsalt": "cxgraph",
    "axes.edgecolor": SOFT_INK,
    "axes.labelcolor": INK,
    "xtick.color": SOFT_INK,
    "ytick.color": SOFT_INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@contextmanager
def style() -> Iterator[None]:
    """Draw inside this context so that every text uses :data:`FONT`.

    Examples
    --------
    >>> from cxgraph.draw._style import style
    >>> import matplotlib
    >>> with style():
    ...     matplotlib.rcParams["font.sans-serif"][0]
    'DejaVu Sans'
    """
    with mpl.rc_context(_RC):
        yield


class CxFigure(Figure):
    """A matplotlib :class:`~matplotlib.figure.Figure` whose vector files are reproducible.

    ``savefig`` to SVG, PDF or PS leaves out the creation date and uses a fixed id salt, so the
    same figure saved twice gives the same bytes. The figure is not registered with
    ``pyplot``, so a notebook shows it once: as the value the drawing function returns.

    Examples
    --------
    >>> import io
    >>> from cxgraph.draw._style import new_figure
    >>> fig = new_figure(2, 1)
    >>> _ = fig.add_subplot().plot([0, 1], [1, 0])
    >>> a, b = io.BytesIO(), io.BytesIO()
    >>> fig.savefig(a, format="svg"); fig.savefig(b, format="svg")
    >>> a.getvalue() == b.getvalue()
    True
    """

    def _repr_png_(self) -> bytes:
        # Jupyter shows a returned figure through this in any kernel, with or without %matplotlib;
        # where the inline backend is on, its own Figure formatter takes precedence: shown once either way.
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()

    def savefig(self, fname: Any, *, transparent: bool | None = None, **kwargs: Any) -> None:
        """Save like :meth:`matplotlib.figure.Figure.savefig`, reproducibly for vector formats."""
        fmt = kwargs.get("format")
        if fmt is None and isinstance(fname, str | os.PathLike):
            fmt = os.path.splitext(os.fspath(fname))[1].lstrip(".").lower() or None
        fmt = (fmt or mpl.rcParams["savefig.format"]).lower()
        date_key = {"svg": "Date", "pdf": "CreationDate", "ps": "CreationDate", "eps": "CreationDate"}.get(fmt)
        if date_key is not None:
            metadata = dict(kwargs.get("metadata") or {})
            metadata.setdefault(date_key, None)
            kwargs["metadata"] = metadata
        with mpl.rc_context({"svg.hashsalt": "cxgraph"}):
            if isinstance(fname, str | os.PathLike):  # written beside the target, then moved into place
                kwargs.setdefault("format", fmt)
                with atomic_path(fname) as tmp:
                    super().savefig(tmp, transparent=transparent, **kwargs)
            else:
                super().savefig(fname, transparent=transparent, **kwargs)


def new_figure(width: float, height: float, *, dpi: float = 100) -> CxFigure:
    """Return a new :class:`CxFigure` of ``width`` x ``height`` inches, with an Agg canvas.

    Examples
    --------
    >>> from cxgraph.draw._style import new_figure
    >>> [float(v) for v in new_figure(4, 3).get_size_inches()]
    [4.0, 3.0]
    """
    fig = CxFigure(figsize=(width, height), dpi=dpi, facecolor=PAPER)
    FigureCanvasAgg(fig)
    return fig


def figure_and_axes(ax: Axes | None, width: float, height: float) -> tuple[Figure, Axes, bool]:
    """Return ``(figure, axes, created)``: ``ax`` and its figure, or a new figure with one axes."""
    if ax is not None:
        return ax.get_figure(root=True), ax, False  # type: ignore[return-value]
    fig = new_figure(width, height)
    return fig, fig.add_subplot(), True


def fit_inches(ax: Axes, width: float, height: float, created: bool) -> float:
    """Set ``ax`` up for a drawing laid out in inches (``width`` x ``height``); return its scale.

    On an axes of a figure made for the drawing, one data unit is one inch (scale 1). On an
    axes the caller gave, the drawing is centred and shrunk (or grown) to fit it, keeping its
    proportions: fonts and line widths are multiplied by the returned scale.

    Examples
    --------
    >>> from cxgraph.draw._style import fit_inches, new_figure
    >>> fig = new_figure(8, 4)
    >>> ax = fig.add_axes((0, 0, 0.5, 1))  # 4 x 4 inches
    >>> fit_inches(ax, 8, 2, created=False)
    0.5
    >>> [float(v) for v in (*ax.get_xlim(), *ax.get_ylim())]
    [0.0, 8.0, -3.0, 5.0]
    """
    ax.set_axis_off()  # the limits are set here: patches are added as artists, without updating them
    if created:
        ax.set_position((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        return 1.0
    box = ax.get_position()
    fw, fh = ax.get_figure(root=True).get_size_inches()  # type: ignore[union-attr]
    aw, ah = box.width * fw, box.height * fh
    scale = min(aw / width, ah / height)
    extra_x, extra_y = (aw / scale - width) / 2, (ah / scale - height) / 2
    ax.set_xlim(float(-extra_x) + 0.0, float(width + extra_x))
    ax.set_ylim(float(-extra_y) + 0.0, float(height + extra_y))
    return float(scale)


def colormap() -> Colormap:
    """Return the colour scale of every figure (:data:`CMAP`).

    Examples
    --------
    >>> from cxgraph.draw._style import colormap
    >>> cmap = colormap()
    >>> cmap.name
    'cxgraph-impact'
    >>> cmap(0.0)[:3] != cmap(1.0)[:3]
    True
    """
    return _colormap()


@lru_cache(maxsize=1)
def _colormap() -> Colormap:
    v = np.linspace(0.0, 1.0, 256)
    rgba = mpl.colormaps[CMAP](v)
    w = (0.12 + 0.88 * np.minimum(1.0, v / _FADE))[:, None]
    rgba[:, :3] = 1.0 - w + w * rgba[:, :3]
    return ListedColormap(rgba, name="cxgraph-impact")


def impact_norm(values: Mapping[str, float] | list[float]) -> Normalize:
    """Return a linear scale from 0 to the largest value (1 if every value is 0).

    Examples
    --------
    >>> from cxgraph.draw._style import impact_norm
    >>> n = impact_norm([0, 50, 200])
    >>> n.vmin, n.vmax, float(n(50))
    (0.0, 200.0, 0.25)
    """
    vals = list(values.values()) if isinstance(values, Mapping) else list(values)
    top = max((v for v in vals if math.isfinite(v)), default=0.0)
    return Normalize(vmin=0.0, vmax=float(top) if top > 0 else 1.0)


def ink_for(rgba: tuple[float, ...]) -> str:
    """Return the text colour (near-black or white) that reads best on a fill colour.

    Examples
    --------
    >>> from cxgraph.draw._style import ink_for
    >>> ink_for((1, 1, 0.8, 1)), ink_for((0.27, 0.0, 0.33, 1))
    ('#222222', '#ffffff')
    """
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgba[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.2 else PAPER


def format_number(value: float, digits: int = 2) -> str:
    """Return a short label for a number: ``1.2M``, ``45k``, ``950``, ``0.5``.

    ``digits`` is how many significant digits a scaled value below 100 keeps (axis ticks use
    3, so that 1,250,000 reads ``1.25M`` rather than a misleading ``1.2M``).

    Examples
    --------
    >>> from cxgraph.draw._style import format_number
    >>> [format_number(v) for v in (1_234_567, 45_300, 9_860, 950, 0.5, 0, -2000)]
    ['1.2M', '45k', '9.9k', '950', '0.5', '0', '-2k']
    >>> [format_number(v, 3) for v in (1_250_000, 1_500_000, 12_500, 250_000)]
    ['1.25M', '1.5M', '12.5k', '250k']
    """
    if not math.isfinite(value):
        return "–"
    sign = "-" if value < 0 else ""
    v = abs(value)
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if v >= div * 0.9995:
            scaled = v / div
            places = max(digits - (1 if scaled < 9.95 else 2 if scaled < 99.5 else 3), 0)
            text = f"{scaled:.{places}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return sign + text + suffix
    if v == 0:
        return "0"
    if v >= 10:
        return f"{sign}{v:.0f}"
    return sign + f"{v:.{digits}g}"


def format_tick(value: float) -> str:
    """Return an axis tick label: :func:`format_number` with three significant digits.

    Examples
    --------
    >>> from cxgraph.draw._style import format_tick
    >>> format_tick(1_750_000), format_tick(0.25)
    ('1.75M', '0.25')
    """
    return format_number(value, 3)


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Return the width of one line of ``text`` in inches at ``size`` points (with a safety margin).

    Examples
    --------
    >>> from cxgraph.draw._style import text_width
    >>> 0.5 < text_width("Core banking", 9) < 1.0
    True
    """
    prop = FontProperties(family=FONT, size=size, weight=weight)
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width * _SAFETY / 72.0


def _shorten(text: str, width: float, size: float, weight: str) -> str:
    """Cut ``text`` so that ``text + '…'`` fits ``width``."""
    if text_width(text, size, weight) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + "…", size, weight) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


@lru_cache(maxsize=4096)
def fit_text(text: str, width: float, size: float, max_lines: int, weight: str = "normal") -> str:
    """Wrap ``text`` to lines no wider than ``width`` inches; shorten the last line with "…" if needed.

    Long hyphenated words may break after a hyphen; other words longer than a line are cut.
    The result has at most ``max_lines`` lines.

    Examples
    --------
    >>> from cxgraph.draw._style import fit_text
    >>> print(fit_text("Verify identity with ID scan and selfie", 1.0, 7, 3))
    Verify identity with
    ID scan and selfie
    >>> print(fit_text("Verify identity with ID scan and selfie", 1.0, 7, 1))
    Verify identity w…
    >>> print(fit_text("Know-your-customer check", 0.9, 7, 3))
    Know-your-
    customer check
    """
    pieces: list[tuple[str, str]] = []  # (text, joiner before it)
    for word in text.split():
        if "-" in word.strip("-") and text_width(word, size, weight) > width:
            parts = re.findall(r"[^-]+-*|-+", word)  # a long hyphenated word may break after its hyphens
            pieces += [(part, " " if i == 0 else "") for i, part in enumerate(parts)]
        else:
            pieces.append((word, " "))
    lines: list[str] = []
    current = ""
    for piece, joiner in pieces:
        trial = f"{current}{joiner}{piece}" if current else piece
        if text_width(trial, size, weight) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = piece
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        # What does not fit goes on the last line, which is then cut with an ellipsis.
        lines = [*lines[:max_lines - 1], " ".join(lines[max_lines - 1:])]
    return "\n".join(_shorten(line, width, size, weight) for line in lines)


def whole_text(text: str, width: float, size: float, *, min_size: float | None = None, weight: str = "normal"
               ) -> tuple[str, float]:
    r"""Return ``(text, size)``: ``text`` whole within ``width`` inches, never shortened.

    The size steps down (by half a point, to ``min_size``, default 75 % of ``size``) until the text
    fits one line; below that it wraps onto as many lines as it needs at ``min_size``.
    Titles, legends and notes use this: only names fitted into boxes are ever cut.

    Examples
    --------
    >>> from cxgraph.draw._style import whole_text
    >>> whole_text("Short title", 4.0, 13)
    ('Short title', 13)
    >>> text, size = whole_text("A rather long title that cannot fit on one line of two inches", 2.0, 13)
    >>> "…" in text, text.count("\n") >= 1, size
    (False, True, 9.75)
    """
    floor = size * 0.75 if min_size is None else min_size
    current = size
    while current >= floor - 1e-9:
        if text_width(text, current, weight) <= width:
            return text, current
        current -= 0.5
    wrapped = fit_text(text, width, floor, 99, weight)
    return wrapped, floor
