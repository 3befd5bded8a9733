"""The errors cxgraph raises.

Every error derives from :class:`CxGraphError`; where a builtin exception
means the same thing, the error subclasses it too, so ``except ValueError``
and ``except KeyError`` keep working::

    CxGraphError
    ├── ModelError (ValueError)      a model or model file is invalid; carries every Problem
    ├── UnknownIdError (KeyError)    an id that the model does not define
    ├── FormatError (ValueError)     a file of another format cannot be read or written
    │   └── UnsafeInputError         an input refused for safety (XML entities, DTDs, size)
    ├── AnalysisInputError (ValueError)  an analysis was given an argument it cannot use
    └── MissingDependencyError (ImportError)  an optional extra is not installed

Examples
--------
>>> err = cx.UnknownIdError("web-portl", ["web-portal", "crm"])
>>> str(err)
"unknown id 'web-portl' (did you mean 'web-portal'?)"
>>> isinstance(err, KeyError)
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AnalysisInputError",
    "CxGraphError",
    "FormatError",
    "MissingDependencyError",
    "ModelError",
    "Problem",
    "UnknownIdError",
    "UnsafeInputError",
    "closest",
]


class CxGraphError(Exception):
    """Base class of every error cxgraph raises.

    Examples
    --------
    >>> issubclass(cx.ModelError, cx.CxGraphError)
    True
    """


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a model: where it is and what is wrong.

    Parameters
    ----------
    path
        The place within the document, e.g. ``journeys[0].touchpoints[2].stage``
        (empty for the whole document).
    message
        What is wrong, in words a person understands.
    file
        The file it came from, if any.
    line, column
        1-based position in the file, where known.

    Examples
    --------
    >>> p = cx.Problem("elements[3].kind", "unknown kind 'sytem'", file="bank.yaml", line=40, column=11)
    >>> str(p)
    "bank.yaml:40:11: elements[3].kind: unknown kind 'sytem'"
    """

    path: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = ":".join(
            str(part) for part in (self.file or "<model>", self.line, self.column) if part is not None
        )
        return f"{where}: {self.path or '(document)'}: {self.message}"


class ModelError(CxGraphError, ValueError):
    """A model is invalid; ``problems`` lists every problem found, in document order.

    Examples
    --------
    >>> err = cx.ModelError([cx.Problem("name", "expected text")])
    >>> err.problems[0].path
    'name'
    >>> print(err)
    1 problem in the model:
      <model>: name: expected text
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the model:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def __str__(self) -> str:
        return self._message()


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` candidates that look like ``word``, closest first.

    Examples
    --------
    >>> cx.errors.closest("paymnts", ["payments", "portal", "crm"])
    ['payments']
    """
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.6)


class UnknownIdError(CxGraphError, KeyError):
    """An id the model does not define; names the id and the closest known ids.

    Examples
    --------
    >>> try:
    ...     raise cx.UnknownIdError("crn", ["crm", "cdn", "core"])
    ... except KeyError as err:
    ...     print(err)
    unknown id 'crn' (did you mean 'crm', 'cdn'?)
    """

    def __init__(self, id: str, known: Iterable[str] = (), *, what: str = "id", more: str = "") -> None:
        self.id = id
        self.suggestions = closest(id, known)
        super().__init__(id)
        self._what = what
        self._more = more

    def __str__(self) -> str:
        hint = ""
        if self.suggestions:
            hint = " (did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?)"
        return f"unknown {self._what} {self.id!r}{hint}{'; ' + self._more if self._more else ''}"


class FormatError(CxGraphError, ValueError):
    """A file in another format (XML, CSV, spreadsheet) cannot be read or written.

    Examples
    --------
    >>> str(cx.FormatError("not an ArchiMate exchange file", file="x.xml", line=3))
    'x.xml:3: not an ArchiMate exchange file'
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.reason = message
        where = ":".join(str(p) for p in (file, line) if p is not None)
        super().__init__(f"{where}: {message}" if where else message)


class UnsafeInputError(FormatError):
    """An input refused because reading it could be unsafe (entities, DTDs, size).

    Examples
    --------
    >>> issubclass(cx.UnsafeInputError, cx.FormatError)
    True
    """


class AnalysisInputError(CxGraphError, ValueError):
    """An analysis was given an argument it cannot use (a negative budget, samples <= 0).

    Examples
    --------
    >>> str(cx.AnalysisInputError("budget must be a finite number >= 0, got -5"))
    'budget must be a finite number >= 0, got -5'
    """


class MissingDependencyError(CxGraphError, ImportError):
    """An optional dependency is needed for this feature but is not installed.

    Examples
    --------
    >>> str(cx.MissingDependencyError("openpyxl", "excel"))
    "reading Excel files needs the optional package 'openpyxl': pip install 'cxgraph[excel]'"
    """

    def __init__(self, package: str, extra: str, feature: str = "reading Excel files") -> None:
        self.package = package
        super().__init__(f"{feature} needs the optional package {package!r}: pip install 'cxgraph[{extra}]'")
