r"""Reading XML from untrusted files safely.

Every XML file cxgraph reads goes through :func:`parse_xml`, a hardened parser
(defusedxml over the standard library's expat):

- a document type declaration (``<!DOCTYPE ...>``) is refused outright, so no
  entity can be declared: no entity expansion ("billion laughs"), no external
  entities reading local files or URLs, no DTD fetched from the network;
- nothing is ever fetched: schema locations are not followed;
- inputs larger than :data:`MAX_BYTES` (200 MB; a ``max_bytes=`` argument of
  every reader, or this module attribute, changes it) are refused before they
  are read, and so are zip members that inflate beyond it;
- documents with more than :data:`cxgraph.limits.MAX_XML_ELEMENTS` elements
  (2,000,000) are refused while they are parsed, before any model object is
  built: a few megabytes zipped can inflate to gigabytes of objects;
- malformed XML is reported with its line and column.

Refusals raise :class:`~cxgraph.UnsafeInputError`; malformed input raises
:class:`~cxgraph.FormatError`.

Examples
--------
>>> tree = cx.io.xmlsafe.parse_xml(b"<model>\n  <name>Bank</name>\n</model>")
>>> name = tree.root.find("name")
>>> name.text, tree.line(name)
('Bank', 2)
>>> cx.io.xmlsafe.parse_xml(b'<!DOCTYPE m [<!ENTITY a "aaaa">]><m>&a;</m>', file="bad.xml")
Traceback (most recent call last):
...
cxgraph.errors.UnsafeInputError: bad.xml:1: refused: the file declares entities (<!ENTITY ...>)...
"""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path as FsPath

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser

from .. import limits
from ..errors import FormatError, UnsafeInputError

__all__ = ["MAX_BYTES", "XmlTree", "is_zip", "parse_xml", "read_limited", "unzip_member"]

MAX_BYTES: int = 200_000_000
"""The largest input read by default, in bytes (200 MB). Readers take ``max_bytes=`` to change it per call."""

_ZIP_MAGIC = b"PK\x03\x04"
_NEVER_NEEDED = "ArchiMate and Archi files never need a DTD, and cxgraph never reads DTDs or entities"


@dataclass
class XmlTree:
    """A parsed XML document: the root element and the line on which each element starts.

    Examples
    --------
    >>> tree = cx.io.xmlsafe.parse_xml(b"<a><b/></a>")
    >>> tree.line(tree.root[0])
    1
    """

    root: ET.Element
    _lines: dict[int, int] = field(default_factory=dict, repr=False)

    def line(self, element: ET.Element) -> int | None:
        """Return the 1-based line on which ``element`` starts (``None`` if not from this tree)."""
        return self._lines.get(id(element))


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that records the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None
        self.limit = limits.MAX_XML_ELEMENTS
        self.count = 0

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:  # type: ignore[override]
        self.count += 1
        if self.count > self.limit:
            raise _TooManyElements
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


class _TooManyElements(Exception):
    """Raised inside the parser at the first element over the limit (turned into UnsafeInputError)."""


def _limit(max_bytes: int | None) -> int:
    return MAX_BYTES if max_bytes is None else max_bytes


def _too_big(what: str, size: int, limit: int, file: str | None) -> UnsafeInputError:
    return UnsafeInputError(
        f"refused: {what} is {size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit for one input "
        f"(pass max_bytes= to read larger files you trust)", file=file)


def read_limited(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> bytes:
    """Read a file's bytes, refusing it (before reading) if it is larger than ``max_bytes``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "big.xml"
    >>> _ = p.write_bytes(b"<a/>" * 1000)
    >>> cx.io.xmlsafe.read_limited(p, max_bytes=100)
    Traceback (most recent call last):
    ...
    cxgraph.errors.UnsafeInputError: ...big.xml: refused: the file is 0.0 MB, over the 0.0001 MB limit ...
    """
    path = FsPath(path)
    limit = _limit(max_bytes)
    if path.is_dir():
        raise FormatError("a folder, not a file: give the file itself (or the folder to a reader of folders)",
                          file=str(path))
    size = path.stat().st_size
    if size > limit:
        raise _too_big("the file", size, limit, str(path))
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # the file grew while we read it
        raise _too_big("the file", len(data), limit, str(path))
    return data


def is_zip(data: bytes) -> bool:
    r"""Return whether ``data`` starts like a zip archive (Archi's archive format is a zip).

    Examples
    --------
    >>> cx.io.xmlsafe.is_zip(b"PK\x03\x04..."), cx.io.xmlsafe.is_zip(b"<?xml")
    (True, False)
    """
    return data.startswith(_ZIP_MAGIC)


def unzip_member(data: bytes, names: tuple[str, ...], *, file: str | None = None,
                 max_bytes: int | None = None) -> tuple[str, bytes]:
    """Return ``(name, bytes)`` of the first of ``names`` found in the zip ``data``.

    Members that inflate beyond ``max_bytes`` are refused while they are read (zip bombs),
    whatever size their header claims.

    Examples
    --------
    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("model.xml", "<m/>")
    >>> cx.io.xmlsafe.unzip_member(buf.getvalue(), ("model.xml",))
    ('model.xml', b'<m/>')
    """
    limit = _limit(max_bytes)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise FormatError(f"not a readable zip archive: {err}", file=file) from None
    with archive:
        present = set(archive.namelist())
        for name in names:
            if name not in present:
                continue
            try:
                with archive.open(name) as member:
                    content = member.read(limit + 1)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as err:
                raise FormatError(f"cannot read {name!r} from the zip archive: {err}", file=file) from None
            if len(content) > limit:
                raise _too_big(f"{name!r} in the zip archive", len(content), limit, file)
            return name, content
    listed = ", ".join(sorted(present)[:5]) or "nothing"
    raise FormatError(f"the zip archive has no {' or '.join(repr(n) for n in names)} (it holds {listed})",
                      file=file)


def _refusal(data: bytes, err: defusedxml.DTDForbidden, line: int | None, file: str | None) -> UnsafeInputError:
    start = data.find(b"<!DOCTYPE")
    if start >= 0:
        line = data.count(b"\n", 0, start) + 1
    head = data[max(start, 0):max(start, 0) + 1_000_000]
    declarations = re.findall(rb"<!ENTITY\s+(%\s*)?[^\s>]+\s+([^>]*)>", head)
    if any(re.match(rb"(SYSTEM|PUBLIC)\b", rest.strip()) for _, rest in declarations):
        why = ("the file declares external entities (<!ENTITY ... SYSTEM ...>), which would read local files "
               "or URLs")
    elif declarations:
        why = ("the file declares entities (<!ENTITY ...>), which can expand to gigabytes from a few lines "
               "(the 'billion laughs' attack)")
    elif err.sysid or err.pubid:
        why = f"the file refers to an external DTD ({err.sysid or err.pubid!r}), which would be fetched"
    else:
        why = "the file has a document type declaration (<!DOCTYPE ...>)"
    return UnsafeInputError(f"refused: {why}; {_NEVER_NEEDED}", file=file, line=line)


def parse_xml(data: bytes, *, file: str | None = None, max_bytes: int | None = None) -> XmlTree:
    r"""Parse XML bytes with the hardened parser; return the tree with line numbers.

    Raises
    ------
    UnsafeInputError
        For a DTD, entity declarations (internal or external), an input over ``max_bytes``, or
        more elements than :data:`cxgraph.limits.MAX_XML_ELEMENTS`.
    FormatError
        For malformed XML, with the line and column of the first fault.

    Examples
    --------
    >>> cx.io.xmlsafe.parse_xml(b"<a>\n<b>\n</a>", file="x.xml")
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: x.xml:3: malformed XML: mismatched tag (column 3)
    """
    limit = _limit(max_bytes)
    if len(data) > limit:
        raise _too_big("the input", len(data), limit, file)
    if not data.strip():
        raise FormatError("the file is empty: expected XML", file=file)
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except _TooManyElements:
        raise UnsafeInputError(
            f"refused: the XML has more than {builder.limit:,} elements, over the limit for one input "
            "(set cxgraph.limits.MAX_XML_ELEMENTS to read larger files you trust)", file=file,
            line=parser.parser.CurrentLineNumber) from None
    except defusedxml.DTDForbidden as err:
        raise _refusal(data, err, parser.parser.CurrentLineNumber, file) from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as err:  # pragma: no cover
        # Not reachable while DTDs are refused; kept so a change of settings cannot open the door.
        raise UnsafeInputError(f"refused: {err}; {_NEVER_NEEDED}", file=file) from None
    except ET.ParseError as err:
        line, column = err.position
        reason = re.sub(r": line \d+, column \d+$", "", str(err))
        raise FormatError(f"malformed XML: {reason} (column {column + 1})", file=file, line=line) from None
    except (LookupError, ValueError) as err:  # an encoding Python does not know, a text it cannot decode
        raise FormatError(f"malformed XML: {err} (save the file as UTF-8)", file=file, line=1) from None
    return XmlTree(root, builder.lines)
