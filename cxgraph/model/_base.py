"""The base of every model class: bad values given in Python raise cxgraph's :class:`~cxgraph.ModelError`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ModelError, Problem

__all__ = ["Base", "model_error"]


def model_error(err: ValidationError, where: str) -> ModelError:
    """Return the :class:`~cxgraph.ModelError` for pydantic's ``err``, each problem at its field.

    Examples
    --------
    >>> try:
    ...     cx.Element(id="a", name="A", kind="sytem")
    ... except cx.ModelError as err:
    ...     print(err.problems[0])
    Element: kind: unknown kind 'sytem' (expected one of system, ...); did you mean 'system'?
    """
    problems = []
    for e in err.errors():
        path = ".".join(str(p) for p in e["loc"] if not (isinstance(p, str) and ("[" in p or p in _TAGS)))
        message = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            message = "unknown field"
        elif e["type"] == "missing":
            message = "required field missing"
        problems.append(Problem(path, message, file=where))
    return ModelError(list(dict.fromkeys(problems)))


_TAGS = {"int", "float", "str", "bool", "Uncertain", "Dependency", "function-after", "function-plain"}


class Base(BaseModel):
    """A pydantic model whose constructor raises :class:`~cxgraph.ModelError` (a ``ValueError``).

    Examples
    --------
    >>> cx.Tolerance(hours=-1)
    Traceback (most recent call last):
    ...
    cxgraph.errors.ModelError: 1 problem in the model:
      Tolerance: hours: must not be negative, got -1
    """

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise model_error(err, type(self).__name__) from None

    # Validation of nested data never calls this constructor (pydantic validates in place), so
    # a nested item's problems stay pydantic's, located by the reader; only a direct call converts.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]
