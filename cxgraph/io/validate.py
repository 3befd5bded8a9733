"""Turning a parsed document into a :class:`Model`, with every problem located and explained."""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from ..errors import ModelError, Problem, closest
from ..model import FORMAT_VERSION, Model, check_document, format_path

__all__ = ["Positions", "model_from_document"]

Positions = dict[tuple[str | int, ...], tuple[int, int]]
Path = tuple[str | int, ...]


def _document_path(loc: tuple[Any, ...], data: Any) -> Path:
    """Drop the parts of a pydantic location that are not in the document (union tags, validator names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and (part in node or not _is_tag(part)):
            path.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            path.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif (node is None or not isinstance(node, dict | list)) and not _is_tag(str(part)):
            path.append(part)
    return tuple(path)


def _is_tag(part: str) -> bool:
    return part in {"int", "float", "str", "Uncertain", "Dependency"} or "[" in part


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        elif origin in (Union, types.UnionType):
            models = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
            if not models:
                return annotation
            annotation = models[0]
        else:
            return annotation


def _fields_at(path: Path) -> list[str]:
    cls: Any = Model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or part not in cls.model_fields:
            return []
        cls = _unwrap(cls.model_fields[part].annotation)
    return list(cls.model_fields) if isinstance(cls, type) and issubclass(cls, BaseModel) else []


def _message(err: dict[str, Any], path: Path) -> str:
    kind, msg, value = err["type"], err["msg"], err.get("input")
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "missing":
        return "required field missing"
    if kind == "extra_forbidden":
        name = str(path[-1]) if path else "?"
        allowed = _fields_at(path[:-1])
        hint = closest(name, allowed, n=1)
        tip = f" (did you mean {hint[0]!r}?)" if hint else ""
        if not hint and allowed:
            tip = f" (expected one of {', '.join(allowed)})"
        return f"unknown field {name!r}{tip}"
    if kind == "string_type":
        return f"expected text, got {_shown(value)}"
    if kind == "list_type":
        return f"expected a list, got {_shown(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping, got {_shown(value)}"
    if kind == "literal_error":
        return f"{msg.replace('Input should be', 'expected')}, got {_shown(value)}"
    if kind == "finite_number":
        return f"expected a finite number, got {_shown(value)}"
    if kind.startswith("int_"):
        return f"expected a whole number, got {_shown(value)}"
    if kind.startswith("float_"):
        return f"expected a number, got {_shown(value)}"
    return msg


def _shown(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _locate(path: Path, positions: Positions) -> tuple[int | None, int | None]:
    for end in range(len(path), -1, -1):
        if path[:end] in positions:
            return positions[path[:end]]
    return None, None


def model_from_document(data: Any, *, file: str | None = None, positions: Positions | None = None,
                        problems: list[Problem] | None = None) -> Model:
    """Validate a parsed document (plain dicts and lists) into a :class:`Model`.

    Raises :class:`ModelError` with every problem: structure, types, ranges, references.

    Examples
    --------
    >>> cx.io.model_from_document({"cxgraph": 1, "name": "Doc"}).name
    'Doc'
    >>> cx.io.model_from_document({"name": "Doc"})
    Traceback (most recent call last):
    ...
    cxgraph.errors.ModelError: 1 problem in the model:
      <model>: cxgraph: missing format version: add 'cxgraph: 1' at the top of the file
    """
    positions = positions or {}
    found: list[tuple[Path, str]] = []
    if not isinstance(data, dict):
        found.append(((), f"expected a mapping at the top of the file (cxgraph: 1, name: ..., journeys: ...), "
                          f"got {_shown(data)}"))
        data = {}
    else:
        data = dict(data)
        if "cxgraph" not in data:
            found.append((("cxgraph",), "missing format version: add 'cxgraph: 1' at the top of the file"))
        elif str(data["cxgraph"]).strip() != str(FORMAT_VERSION):
            found.append((("cxgraph",), f"unsupported format version {data['cxgraph']!r}: "
                                         f"this cxgraph reads version {FORMAT_VERSION}"))
        data["cxgraph"] = FORMAT_VERSION
    model: Model | None = None
    try:
        model = Model.model_validate(data)
    except ValidationError as err:
        seen: set[Path] = set()
        for e in err.errors():
            path = _document_path(e["loc"], data)
            if path in seen:  # one message per place: pydantic reports each union member separately
                continue
            seen.add(path)
            found.append((path, _message(e, path)))
    found.extend(check_document(data))
    out = list(problems or [])
    already = {p.path for p in out}  # a place the reader already explained (a refused tag, a duplicate key)
    for path, message in found:
        if format_path(path) in already:
            continue
        line, col = _locate(path, positions)
        out.append(Problem(format_path(path), message, file=file, line=line, column=col))
    if out:
        out = sorted(dict.fromkeys(out), key=lambda p: (p.line is None, p.line or 0, p.column or 0, p.path))
        raise ModelError(out)
    assert model is not None
    model._source = file
    return model
