"""Loading a package's public names on first use, from the imports its ``if TYPE_CHECKING:`` block lists.

A package calls :func:`install` with its globals: every ``from .module import name`` inside
its ``if TYPE_CHECKING:`` block (what type checkers and editors read) becomes a name that is
imported when first used, so ``import cxgraph`` does not wait for pandas, matplotlib, scipy or
numba. The block is the one list of what the package offers; nothing is written twice.

Examples
--------
>>> import cxgraph
>>> from cxgraph._lazy import lazy_names
>>> lazy_names(cxgraph.__file__)["impact"]
('.analysis.impact', 'impact')
"""

from __future__ import annotations

import ast
import importlib
import sys
import types
from functools import lru_cache
from typing import Any

__all__ = ["install", "lazy_names"]


@lru_cache(maxsize=8)
def lazy_names(path: str) -> dict[str, tuple[str, str | None]]:
    """Return ``{name: (relative module, attribute or None)}`` for the imports under ``if TYPE_CHECKING:``."""
    with open(path, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    names: dict[str, tuple[str, str | None]] = {}
    for node in tree.body:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            continue
        for stmt in node.body:
            if not isinstance(stmt, ast.ImportFrom) or stmt.level < 1:
                continue
            for alias in stmt.names:
                if stmt.module is None:  # from . import analysis: the subpackage itself
                    names[alias.asname or alias.name] = ("." * stmt.level + alias.name, None)
                else:
                    names[alias.asname or alias.name] = ("." * stmt.level + stmt.module, alias.name)
    return names


class _Package(types.ModuleType):
    """A package module whose lazily loaded names survive its submodules being imported.

    Python sets ``package.impact`` to the submodule ``impact`` when that is first imported; where
    the public name ``impact`` is the function inside it, the function is kept.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType):
            where = lazy_names(self.__file__ or "").get(name)
            if where is not None and where[1] == name and where[0] == f".{name}":
                value = getattr(value, name)
        super().__setattr__(name, value)


def install(namespace: dict[str, Any]) -> None:
    """Give the package whose globals are ``namespace`` a ``__getattr__`` and ``__dir__`` for its lazy names."""
    package = namespace["__name__"]
    table = lazy_names(namespace["__file__"])

    def __getattr__(name: str) -> Any:
        try:
            module_name, attribute = table[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        module = importlib.import_module(module_name, package)
        value = module if attribute is None else getattr(module, attribute)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(namespace.get("__all__", ())))

    namespace["__getattr__"] = __getattr__
    namespace["__dir__"] = __dir__
    sys.modules[package].__class__ = _Package
