"""Matplotlib figures as inline SVG: ids made unique per figure, sized to the page, no XML prolog.

A standalone SVG draws its text as outlines, so it needs no font. A page full of figures
(the report) can instead keep the text as text, which is quicker to make, smaller, and
searchable in the browser, and embed the one font the figures use (DejaVu Sans, shipped
with matplotlib), cut down to the characters that occur: see :func:`font_faces`.
"""

from __future__ import annotations

import base64
import html
import importlib
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from ..errors import AnalysisInputError
from ..model import Model

__all__ = ["figure_svg", "font_faces", "model_svg"]

_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^")]+)')
_SIZE = re.compile(r'(<svg\b[^>]*?)\s+width="([\d.]+)pt"\s+height="([\d.]+)pt"')
_TEXT = re.compile(r'<text\b[^>]*?style="([^"]*)"[^>]*>(.*?)</text>', re.S)

# (bold, italic) -> DejaVu Sans file in matplotlib's fonts
_FACES = {(False, False): "DejaVuSans.ttf", (True, False): "DejaVuSans-Bold.ttf",
          (False, True): "DejaVuSans-Oblique.ttf", (True, True): "DejaVuSans-BoldOblique.ttf"}


def figure_svg(figure: Any, *, prefix: str = "f", title: str | None = None,
               text: Literal["paths", "text"] = "paths") -> str:
    """Return a matplotlib figure as SVG text to put inside an HTML page.

    Every ``id`` in the SVG, and every reference to one, gets ``prefix`` in front, so that
    several figures in one page cannot take each other's clip paths or glyphs. The XML
    prolog is dropped; the ``<svg>`` keeps its ``viewBox`` and scales to the page width (no
    wider than drawn).

    Parameters
    ----------
    figure
        A matplotlib ``Figure`` (or an ``Axes``, whose figure is used).
    prefix
        Text put in front of every id; use a different one for each figure in a page.
    title
        Optional accessible title (``role="img"`` with ``aria-label``).
    text
        ``"paths"``: text drawn as outlines (needs no font). ``"text"``: text kept as text,
        for a page that embeds the fonts with :func:`font_faces`.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from cxgraph.report.figures import figure_svg
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.add_subplot().plot([0, 1], [1, 0])
    >>> svg = figure_svg(fig, prefix="a-", title="A line")
    >>> svg.startswith('<svg') and 'id="a-' in svg and "<?xml" not in svg
    True
    >>> 'style="max-width:192px;width:100%;height:auto"' in svg  # 144 pt = 192 CSS px
    True
    """
    import matplotlib as mpl

    fig = figure if hasattr(figure, "savefig") else figure.get_figure(root=True)
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none" if text == "text" else "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _PROLOG.sub("", buffer.getvalue(), count=1)
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)

    def size(match: re.Match[str]) -> str:
        width_px = float(match.group(2)) * 4 / 3
        label = f' role="img" aria-label="{html.escape(title, quote=True)}"' if title else ""
        return f'{match.group(1)}{label} style="max-width:{width_px:.0f}px;width:100%;height:auto"'

    return _SIZE.sub(size, svg, count=1).strip()


def font_faces(svgs: Iterable[str]) -> str:
    """Return CSS ``@font-face`` rules embedding DejaVu Sans for the text of these SVG figures.

    Only the faces (regular, bold, italic, bold italic) and the characters that occur are
    embedded, as ``data:`` URLs, so a page needs no font installed and fetches nothing.

    Examples
    --------
    >>> from cxgraph.report.figures import font_faces
    >>> css = font_faces(['<svg><text style="font-weight: 700; font-size: 9px">Hi</text></svg>'])
    >>> css.count("@font-face"), "font-weight:700" in css, "data:font/ttf;base64," in css
    (1, True, True)
    """
    import matplotlib as mpl
    from fontTools import subset

    used: dict[tuple[bool, bool], set[str]] = {}
    for svg in svgs:
        for style, content in _TEXT.findall(svg):
            bold = bool(re.search(r"font-weight:\s*(bold|[6-9]00)", style))
            italic = bool(re.search(r"font-style:\s*(italic|oblique)", style))
            used.setdefault((bold, italic), set()).update(html.unescape(re.sub(r"<[^>]+>", "", content)))
    folder = Path(mpl.get_data_path()) / "fonts" / "ttf"
    rules = []
    for (bold, italic), chars in sorted(used.items()):
        options = subset.Options()
        options.name_IDs = ["*"]  # keep the font's names and its licence text
        options.notdef_outline = True
        options.drop_tables += ["FFTM"]  # a FontForge timestamp, not needed to draw
        subsetter = subset.Subsetter(options)
        font = subset.load_font(io.BytesIO((folder / _FACES[bold, italic]).read_bytes()), options)
        subsetter.populate(text="".join(sorted(chars | set(" 0123456789.,k%"))))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        font.close()
        data = base64.b64encode(out.getvalue()).decode("ascii")
        rules.append(f"@font-face{{font-family:'DejaVu Sans';font-weight:{700 if bold else 400};"
                     f"font-style:{'italic' if italic else 'normal'};src:url(data:font/ttf;base64,{data})}}")
    return "\n".join(rules)


def model_svg(model: Model, result: Any = None, **options: Any) -> str:
    """Return the model's service blueprint (:func:`cxgraph.draw.blueprint`) as SVG text.

    Parameters
    ----------
    model
        The model to draw.
    result
        Optional impact result or mapping of id to number (computed when omitted).
    **options
        Passed to :func:`cxgraph.draw.blueprint` (``journey=``, ``focus=``, ``top=``, ...).

    Examples
    --------
    >>> from cxgraph.report.figures import model_svg
    >>> svg = model_svg(cx.examples.load("retail-bank"), journey="open-account")
    >>> svg.startswith("<svg") and svg.endswith("</svg>")
    True
    """
    try:
        draw = importlib.import_module("cxgraph.draw")
    except ImportError as err:  # pragma: no cover - the drawing package ships with cxgraph
        raise AnalysisInputError(f"drawing needs cxgraph.draw, which cannot be imported: {err}") from err
    figure = draw.blueprint(model, result, **options)
    return figure_svg(figure, prefix="bp-", title=f"Service blueprint of {model.name}")
