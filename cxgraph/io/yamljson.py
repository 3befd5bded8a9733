"""Reading and writing model files in YAML and JSON.

YAML is read as plain text first: a scalar is a number only where the model
expects a number, so ``id: no``, ``id: on`` and ``name: 1.10`` stay the texts
"no", "on" and "1.10". Nothing in a file is ever executed; tags other than the
core ones (``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``) are refused.
Every problem in a file is reported at once, with its line and column.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path as FsPath
from typing import Any, Literal

import yaml

from .. import limits
from ..errors import ModelError, Problem
from ..model import Model
from .validate import Positions, model_from_document

__all__ = ["dumps", "load", "loads", "save"]

Format = Literal["yaml", "json"]

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
MAX_DEPTH = 16
"""Deepest nesting of mappings and lists read from a model file."""

_YAML_NULLS = {"", "~", "null", "Null", "NULL"}
_TAG = "tag:yaml.org,2002:"
_ComposeLoader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class _Reader:
    """Turns composed YAML nodes into plain data, recording positions and problems."""

    def __init__(self) -> None:
        self.positions: Positions = {}
        self.problems: list[tuple[tuple[str | int, ...], str, int, int]] = []
        self._memo: dict[int, Any] = {}

    def read(self, node: yaml.Node, path: tuple[str | int, ...]) -> Any:
        if len(path) > MAX_DEPTH:
            self._problem(node, path, f"nested more than {MAX_DEPTH} levels deep: a model file nests a few levels")
            return None
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if id(node) in self._memo:  # an alias: share the object, never expand it again
            return self._memo[id(node)]
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node, path)
        elif node.tag not in (_TAG + "seq", _TAG + "map"):
            self._problem(node, path, f"unsupported tag {node.tag!r}: model files hold plain data only")
            value = None
        elif isinstance(node, yaml.SequenceNode):
            value = []
            self._memo[id(node)] = value
            value.extend(self.read(child, (*path, i)) for i, child in enumerate(node.value))
        else:
            value = {}
            self._memo[id(node)] = value
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append((path, "a mapping key must be plain text", line, col))
                    continue
                key = key_node.value
                if key in first_line:
                    self.problems.append(((*path, key), f"duplicate key {key!r} (first at line {first_line[key]})",
                                          line, col))
                    continue
                first_line[key] = line
                value[key] = self.read(value_node, (*path, key))
        self._memo[id(node)] = value
        return value

    def _scalar(self, node: yaml.ScalarNode, path: tuple[str | int, ...]) -> Any:
        tag, text = node.tag, node.value
        if tag == _TAG + "str" or tag == "!":
            return None if not node.style and text in _YAML_NULLS else text
        try:
            if tag == _TAG + "int":
                return int(text.replace("_", ""), 0)
            if tag == _TAG + "float":
                return float(text.replace("_", ""))
            if tag == _TAG + "bool":
                return {"true": True, "false": False}[text.lower()]
            if tag == _TAG + "null":
                return None
        except (ValueError, KeyError):
            shown = repr(text) if len(text) <= 40 else f"{text[:20]!r}... ({len(text)} characters)"
            self._problem(node, path, f"{shown} is not a valid {tag.removeprefix(_TAG)}")
            return text
        self._problem(node, path, f"unsupported tag {tag!r}: model files hold plain data only")
        return text

    def _problem(self, node: yaml.Node, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append((path, message, node.start_mark.line + 1, node.start_mark.column + 1))


def _compose(text: str) -> yaml.Node | None:
    loader = _ComposeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _yaml_error(err: yaml.YAMLError, file: str | None) -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    reason = " ".join(str(x) for x in (getattr(err, "context", None), getattr(err, "problem", None)) if x)
    return Problem("", f"malformed YAML: {reason or err}", file=file,
                   line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None)


def read_document(text: str, *, format: Format = "yaml", file: str | None = None
                  ) -> tuple[Any, Positions, list[Problem]]:
    r"""Parse YAML or JSON text into plain data, with the position of every value and any problems.

    Examples
    --------
    >>> data, positions, problems = cx.io.read_document("cxgraph: 1\nname: 1.10\n")
    >>> data, positions[("name",)], problems
    ({'cxgraph': '1', 'name': '1.10'}, (2, 7), [])
    """
    reader = _Reader()
    problems: list[Problem] = []
    data: Any = None
    too_deep = [Problem("", f"nested too deeply to read: a model file nests at most {MAX_DEPTH} levels",
                        file=file, line=1, column=1)]
    if format == "json":
        duplicates: list[str] = []

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for key, value in items:
                if key in out:
                    duplicates.append(key)
                out.setdefault(key, value)
            return out

        try:
            data = json.loads(text, parse_int=_json_int, object_pairs_hook=pairs)
        except json.JSONDecodeError as err:
            return None, {}, [Problem("", f"malformed JSON: {err.msg}", file=file, line=err.lineno, column=err.colno)]
        except RecursionError:
            return None, {}, too_deep
    try:
        # JSON may escape a lone surrogate, which YAML refuses: the same-length stand-in keeps every position
        node = _compose(_SURROGATE_ESCAPE.sub(r"\\u0020", text) if format == "json" else text)
        raw = reader.read(node, ()) if node is not None else None
    except RecursionError:
        return None, {}, too_deep
    except yaml.YAMLError as err:
        if format == "json":  # valid JSON that the YAML reader cannot follow (a key over 1,024 characters)
            shown = [k if len(k) <= 40 else f"{k[:20]}... ({len(k)} characters)" for k in duplicates]
            return data, {}, [Problem("", f"duplicate key {k!r} (the file has keys too long to locate it)", file=file,
                                      line=1, column=1) for k in shown]
        return None, {}, [_yaml_error(err, file)]
    if format == "yaml":
        data = raw
    for path, message, line, col in reader.problems:
        if format == "json" and "tag" in message:
            continue
        problems.append(Problem(_fmt(path), message, file=file, line=line, column=col))
    return data, reader.positions, problems


def _json_int(text: str) -> int | float:
    """Read a JSON integer; one too long for a float reads as infinity, which the model check refuses."""
    return int(text) if len(text) <= 309 else math.inf


def _fmt(path: tuple[str | int, ...]) -> str:
    from ..model import format_path

    return format_path(path)


def loads(text: str, *, format: Format = "yaml", source: str | None = None) -> Model:
    r"""Read a model from YAML or JSON text.

    Raises :class:`~cxgraph.ModelError` listing every problem (with line and column) if the
    text is not a valid model.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... name: Tiny
    ... elements:
    ...   - {id: no, name: 1.10, kind: system}
    ... ''')
    >>> m.elements[0].id, m.elements[0].name
    ('no', '1.10')
    >>> cx.loads("cxgraph: 1\nelements: [{id: a, name: A, kind: sytem}]")
    Traceback (most recent call last):
    ...
    cxgraph.errors.ModelError: 1 problem in the model:
      <text>:2:35: elements[0].kind: unknown kind 'sytem' (expected one of system, ...); did you mean 'system'?
    """
    if format not in ("yaml", "json"):
        raise ValueError(f"unknown format {format!r}: expected 'yaml' or 'json'")
    name = source or "<text>"
    data, positions, problems = read_document(text, format=format, file=name)
    if data is None and not problems:
        problems = [Problem("", "the file is empty: expected a mapping starting with 'cxgraph: 1'", file=name,
                            line=1, column=1)]
    if problems and data is None:
        raise ModelError(problems)
    return model_from_document(data, file=name, positions=positions, problems=problems)


def load(path: str | FsPath, *, format: Format | None = None) -> Model:
    """Read a model from a file or folder; the format comes from the extension, else from the content.

    YAML (.yaml, .yml) and JSON (.json) model files are read here. Spreadsheet tables (.xlsx, or
    a folder of CSV files), ArchiMate exchange files (.xml), Archi models (.archimate) and Archi
    CSV exports are read with their readers' defaults (see :func:`cxgraph.io.read_any`), and so
    are the estate sources: Backstage catalogs, ServiceNow CMDB exports, Structurizr workspaces,
    Jaeger and Zipkin dependency links (told from a model file by their content).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.json"
    >>> _ = path.write_text('{"cxgraph": 1, "name": "From JSON"}')
    >>> cx.load(path).name
    'From JSON'
    """
    path = FsPath(path)
    from ._sources import detect_source

    if format is None and (path.suffix.lower() not in (".yaml", ".yml", ".json") or detect_source(path)):
        from .formats import read_any

        return read_any(path)[0]
    fmt = format or _format_of(path)
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    limits.check("the file's size in bytes", path.stat().st_size, "MAX_MODEL_BYTES", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ModelError([Problem("", f"not a text file (UTF-8 expected): {err.reason}", file=str(path))]) from None
    return loads(text, format=fmt, source=str(path))


def _format_of(path: FsPath) -> Format:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise ValueError(f"{path}: cannot tell the format from the extension {suffix!r}: use .yaml, .yml or .json")


class _Typed:
    """A property value that is not text: written with an explicit tag so it reads back as it was."""

    def __init__(self, value: Any) -> None:
        self.value = value


class _Dumper(yaml.SafeDumper):
    pass


def _represent_typed(dumper: yaml.SafeDumper, data: _Typed) -> yaml.Node:
    value = data.value
    if isinstance(value, bool):
        return dumper.represent_scalar(_TAG + "bool", "true" if value else "false", style='"')
    if isinstance(value, int):
        return dumper.represent_scalar(_TAG + "int", str(value), style='"')
    return dumper.represent_scalar(_TAG + "float", repr(float(value)), style='"')


_Dumper.add_representer(_Typed, _represent_typed)


def _tag_properties(doc: Any) -> Any:
    if isinstance(doc, list):
        return [_tag_properties(x) for x in doc]
    if isinstance(doc, dict):
        out = {}
        for key, value in doc.items():
            if key == "properties" and isinstance(value, dict):
                out[key] = {k: v if v is None or isinstance(v, str) else _Typed(v) for k, v in value.items()}
            else:
                out[key] = _tag_properties(value)
        return out
    return doc


def dumps(model: Model, *, format: Format = "yaml") -> str:
    """Return a model as YAML or JSON text that :func:`loads` reads back to an equal model.

    Examples
    --------
    >>> m = cx.Model(name="Tiny", properties={"owner": "no", "count": 3})
    >>> print(cx.dumps(m))
    cxgraph: 1
    name: Tiny
    properties:
      owner: 'no'
      count: !!int "3"
    <BLANKLINE>
    >>> cx.loads(cx.dumps(m)) == m
    True
    """
    doc = model.to_dict()
    if format == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    if format != "yaml":
        raise ValueError(f"unknown format {format!r}: expected 'yaml' or 'json'")
    return yaml.dump(_tag_properties(doc), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def save(model: Model, path: str | FsPath, *, format: Format | None = None) -> None:
    """Write a model to a file; the format comes from the extension unless given.

    The model is checked first: a model with problems (text no file can carry included) raises
    :class:`~cxgraph.ModelError` and nothing is written, as with every other format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.yml"
    >>> cx.save(cx.Model(name="Saved"), path)
    >>> path.read_text().splitlines()[:2]
    ['cxgraph: 1', 'name: Saved']
    """
    from .._files import write_text

    path = FsPath(path)
    model.check()
    text = dumps(model, format=format or _format_of(path))
    write_text(path, text)


