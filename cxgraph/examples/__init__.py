"""Example models bundled with cxgraph: a retail bank, a telecom operator and an online retailer.

Examples
--------
>>> cx.examples.names()
['online-retailer', 'retail-bank', 'telecom']
>>> cx.examples.load("retail-bank").name
'Retail bank'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import UnknownIdError
from ..model import Model

__all__ = ["load", "names", "path"]

DEFAULT = "retail-bank"


def names() -> list[str]:
    """Return the names of the bundled example models, sorted.

    Examples
    --------
    >>> "telecom" in cx.examples.names()
    True
    """
    folder = resources.files(__name__)
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def path(name: str = DEFAULT) -> Path:
    """Return the file path of a bundled example model.

    Examples
    --------
    >>> cx.examples.path("telecom").name
    'telecom.yaml'
    """
    if name not in names():
        raise UnknownIdError(name, names(), what="example")
    return Path(str(resources.files(__name__).joinpath(f"{name}.yaml")))


def load(name: str = DEFAULT) -> Model:
    """Load a bundled example model by name (default: the retail bank).

    Examples
    --------
    >>> len(cx.examples.load("telecom").journeys) >= 3
    True
    """
    from ..io import load as load_file

    return load_file(path(name))
