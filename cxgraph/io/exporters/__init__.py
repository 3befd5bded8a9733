"""Exporting a model (and its impact) to diagram and graph formats: Mermaid, DOT, GraphML, Cytoscape.js, node-link.

:func:`export` picks the format from a file's extension or a format name.

Examples
--------
>>> text = cx.export(cx.examples.load("retail-bank"), "mermaid")
>>> text.splitlines()[3]
'flowchart TB'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, overload

from ..._files import write_text
from ...errors import FormatError
from ...model import Model
from .data import export_graph, node_link_options, to_cytoscape, to_graphml, to_node_link
from .dot import to_dot
from .mermaid import to_mermaid

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "export",
    "export_graph",
    "format_of",
    "node_link_options",
    "to_cytoscape",
    "to_dot",
    "to_graphml",
    "to_mermaid",
    "to_node_link",
]

FORMATS = {
    "mermaid": to_mermaid,
    "dot": to_dot,
    "graphml": to_graphml,
    "cyjs": to_cytoscape,
    "json": to_node_link,
}
"""The export formats by name, each a function ``(model, result) -> str``."""

EXTENSIONS = {".mmd": "mermaid", ".mermaid": "mermaid", ".dot": "dot", ".gv": "dot", ".graphml": "graphml",
              ".cyjs": "cyjs", ".json": "json"}
"""File extensions and the format each one means."""

_ALIASES = {"mmd": "mermaid", "gv": "dot", "cytoscape": "cyjs", "node-link": "json", "node_link": "json"}


def format_of(path_or_format: str | Path) -> str | None:
    """Return the format a name stands for (``None`` if it is not a format name but a path).

    Examples
    --------
    >>> from cxgraph.io.exporters import format_of
    >>> format_of("mmd"), format_of("Cytoscape"), format_of("out.mmd")
    ('mermaid', 'cyjs', None)
    """
    if isinstance(path_or_format, Path):
        return None
    name = path_or_format.strip().lower()
    name = _ALIASES.get(name, name)
    return name if name in FORMATS else None


@overload
def export(model: Model, path_or_format: Path, result: Any = None) -> Path: ...
@overload
def export(model: Model, path_or_format: str, result: Any = None) -> str | Path: ...


def export(model: Model, path_or_format: str | Path, result: Any = None) -> str | Path:
    """Export ``model`` as a diagram or graph file, or return the text.

    Formats, chosen by the file's extension or by name:

    - ``.mmd`` / ``"mermaid"``: Mermaid flowchart, a subgraph per journey and per lane
      (systems and services, data and infrastructure, processes, teams and vendors);
    - ``.dot`` / ``"dot"``: Graphviz DOT, a cluster per journey and per lane;
    - ``.graphml`` / ``"graphml"``: GraphML through :func:`networkx.write_graphml`;
    - ``.cyjs`` / ``"cyjs"``: Cytoscape.js JSON through :func:`networkx.cytoscape_data`;
    - ``.json`` / ``"json"``: node-link JSON through :func:`networkx.node_link_data`.

    Mermaid and DOT use generated node ids (``n0``, ``n1``, ...) and escape every label, so
    names with ``:``, quotes, brackets or line breaks cannot break them; the data formats key
    nodes by model id, and read back with networkx to the same nodes, edges and attributes.
    Every node carries its ``kind``; with an impact ``result`` also its ``impact`` and rank.
    The output is deterministic: the same input gives the same bytes.

    Parameters
    ----------
    model
        The model to export.
    path_or_format
        A file path (the extension picks the format; the file is written as UTF-8) or a
        format name (the text is returned).
    result
        Optional: an impact result from :func:`cxgraph.impact`, or a mapping of id to number.

    Returns
    -------
    str or Path
        The text, when given a format name; the path written, when given a path.

    Raises
    ------
    FormatError
        When the extension is not one of the formats above.

    Examples
    --------
    >>> model = cx.examples.load("retail-bank")
    >>> print(cx.export(model, "dot").splitlines()[0])
    digraph "cxgraph" {
    >>> import tempfile, pathlib
    >>> path = cx.export(model, pathlib.Path(tempfile.mkdtemp()) / "bank.graphml")
    >>> path.read_text(encoding="utf-8").startswith("<?xml")
    True
    """
    name = format_of(path_or_format)
    if name is not None:
        return FORMATS[name](model, result)
    path = Path(path_or_format)
    name = EXTENSIONS.get(path.suffix.lower())
    if name is None:
        known = ", ".join(EXTENSIONS)
        raise FormatError(f"cannot tell the export format from {path.name!r}: use one of {known}, "
                          f"or a format name ({', '.join(FORMATS)})", file=str(path))
    text = FORMATS[name](model, result)
    write_text(path, text)
    return path
