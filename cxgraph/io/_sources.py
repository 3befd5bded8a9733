"""What the estate readers (CMDB, Backstage, Structurizr, traces) share: ids made from names, files read safely.

Examples
--------
>>> from cxgraph.io._sources import IdMaker
>>> ids = IdMaker()
>>> ids.make("Web Portal"), ids.make("web portal"), ids.make("§")
('web-portal', 'web-portal-2', 'item')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import FormatError, ModelError, Problem
from ..model import Model
from .validate import model_from_document

__all__ = ["NO_JOURNEYS", "IdMaker", "build_model", "detect_source", "json_position", "read_json", "read_text",
           "slug"]

NO_JOURNEYS = "no journeys: merge with a journeys model (cx.merge, cxgraph merge) to see customer impact"
"""The note every estate import without journeys ends with."""

_WORDS = re.compile(r"[a-z0-9]+")


def slug(text: str) -> str:
    """Return an id made from a name: lower case, words joined by ``-`` (``item`` when nothing is left).

    Examples
    --------
    >>> from cxgraph.io._sources import slug
    >>> slug("Internet Banking System"), slug("bigbank-api***")
    ('internet-banking-system', 'bigbank-api')
    """
    return "-".join(_WORDS.findall(text.lower())) or "item"


class IdMaker:
    """Hands out ids made from names, unique across one model (``name``, ``name-2``, ``name-3``, ...).

    Examples
    --------
    >>> from cxgraph.io._sources import IdMaker
    >>> ids = IdMaker(taken=["crm"])
    >>> ids.make("CRM"), ids.make("CRM")
    ('crm-2', 'crm-3')
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(taken)

    def make(self, name: str) -> str:
        """Return a new id made from ``name``."""
        base = slug(name)
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def read_text(path: Path) -> str:
    r"""Return a file's text (UTF-8, a byte-order mark dropped); a located error if it is not text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph.io._sources import read_text
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"\xef\xbb\xbfhello")
    >>> read_text(p)
    'hello'
    """
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FormatError(f"not a UTF-8 text file (byte {err.start}: {err.reason})", file=str(path)) from None
    except IsADirectoryError:
        raise FormatError("a folder, where a file was expected", file=str(path)) from None


def read_json(path: Path) -> Any:
    """Return a JSON file's content; a malformed file is an error with its line and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph.io._sources import read_json
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json"
    >>> _ = p.write_text('{"a": [1,]}')
    >>> read_json(p)
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: .../a.json:1: malformed JSON (column 10): Expecting value
    """
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise FormatError(f"malformed JSON (column {err.colno}): {err.msg}", file=str(path), line=err.lineno) from None


def build_model(doc: dict[str, Any], source: str) -> Model:
    """Validate a document an estate reader built; a mapping mistake is reported against the source file.

    Examples
    --------
    >>> from cxgraph.io._sources import build_model
    >>> build_model({"cxgraph": 1, "name": "Estate"}, "x.json").name
    'Estate'
    """
    try:
        return model_from_document(doc, file=source)
    except ModelError as err:
        raise ModelError([Problem(p.path, p.message, file=source, line=p.line, column=p.column)
                          for p in err.problems]) from None


_HEAD = 65536
_MODEL = re.compile(rb'^\s*\{?\s*"?cxgraph"?\s*:', re.MULTILINE)
_BACKSTAGE = re.compile(rb"^\s*apiVersion:\s*['\"]?backstage\.io/", re.MULTILINE)


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(_HEAD).removeprefix(b"\xef\xbb\xbf").lstrip()


def detect_source(path: Path) -> str | None:
    """Return the estate source a file or folder holds, or ``None``.

    The sources are ``backstage``, ``servicenow``, ``structurizr``, ``jaeger`` and ``zipkin``,
    told by file names and the first 64 KB of content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph.io._sources import detect_source
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "deps.json").write_text('[{"parent": "a", "child": "b", "callCount": 3}]')
    >>> _ = (folder / "model.json").write_text('{"cxgraph": 1}')
    >>> detect_source(folder / "deps.json"), detect_source(folder / "model.json"), detect_source(folder)
    ('zipkin', None, None)
    """
    if path.is_dir():
        if any((path / f"cmdb_ci{s}").is_file() for s in (".csv", ".json")):
            return "servicenow"
        if any((path / f"catalog-info{s}").is_file() for s in (".yaml", ".yml")):
            return "backstage"
        yamls = sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
        return "backstage" if yamls and all(_BACKSTAGE.search(_head(p)) for p in yamls[:20]) else None
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "servicenow" if path.stem.startswith("cmdb_ci") else None
    if suffix not in (".json", ".yaml", ".yml", ""):
        return None
    head = _head(path)
    if _MODEL.search(head[:4096]):
        return None
    if _BACKSTAGE.search(head):
        return "backstage"
    if not head.startswith((b"{", b"[")):
        return None
    if b'"softwareSystems"' in head or (b'"model"' in head and b'"views"' in head):
        return "structurizr"
    if b'"sys_class_name"' in head:
        return "servicenow"
    if b'"parent"' in head and b'"child"' in head:
        return "jaeger" if head.startswith(b"{") else "zipkin"
    return None


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def json_position(path: Path, where: str | tuple[str | int, ...]) -> tuple[int | None, int | None]:
    r"""Return the line and column of a place in a JSON file (``model.people[0]``), for messages about it.

    Read again only when a message needs it, so that large files are parsed once when all is well.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph.io._sources import json_position
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json"
    >>> _ = p.write_text('{"data": [\n  {"parent": 1}\n]}')
    >>> json_position(p, "data[0].parent")
    (2, 14)
    """
    from .yamljson import read_document

    if isinstance(where, str):
        where = tuple(int(i) if i else str(k) for k, i in _STEP.findall(where))
    try:
        _, positions, _ = read_document(read_text(path), format="json", file=str(path))
    except (OSError, ValueError):  # the position only helps a message: never fail for want of it
        return None, None
    for end in range(len(where), -1, -1):
        if where[:end] in positions:
            return positions[where[:end]]
    return None, None
