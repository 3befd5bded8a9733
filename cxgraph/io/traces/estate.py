"""Reading tracing dependency links (Jaeger, Zipkin) straight into an :class:`~cxgraph.Estate`.

The services and links are read on whole columns (:func:`.read.read_links`), as
:func:`cxgraph.io.read_traces` reads them, and become the estate's tables with no pydantic
object per service or link.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "dependencies.json"
>>> _ = path.write_text('[{"parent": "web", "child": "api", "callCount": 30},'
...                     ' {"parent": "web", "child": "auth", "callCount": 10}]')
>>> estate, report = cx.io.read_traces_estate(path, strengths="calls")
>>> estate.links[["source", "target", "strength"]].values.tolist()
[['web', 'api', 0.75], ['web', 'auth', 0.25]]
"""

from __future__ import annotations

import json
import os
from typing import Literal

import numpy as np
import pandas as pd

from ...model.estate import Estate
from .._estates import build_estate
from ..importlog import ImportLog
from .read import read_links

__all__ = ["read_traces_estate"]


def read_traces_estate(path: str | os.PathLike[str], *, strengths: Literal["none", "calls"] = "none",
                       kind: str = "system") -> tuple[Estate, ImportLog]:
    """Read Jaeger or Zipkin dependency links into an :class:`~cxgraph.Estate` (tables) and an import log.

    Takes the same arguments and reads the same way as :func:`cxgraph.io.read_traces`: the
    estate's ``to_model()`` equals the model that function returns, and the import log is the
    same. For dependency graphs too large for one pydantic object per service; the estate's
    model part holds no journeys (add them to ``estate.model``).

    Raises
    ------
    FormatError
        Malformed JSON (with its line), or JSON in neither layout.
    ModelError
        A link without a parent or child, or with a call count that is not a whole number >= 0,
        each with its place (``data[3].callCount``) and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "deps.json"
    >>> _ = path.write_text('{"data": [{"parent": "Web", "child": "API", "callCount": 5}]}')
    >>> estate, report = cx.io.read_traces_estate(path, kind="service")
    >>> estate
    Estate('Service dependencies (deps.json)': 2 elements, 1 links, 0 touchpoints)
    >>> estate.elements[["id", "name", "kind"]].values.tolist()
    [['web', 'Web', 'service'], ['api', 'API', 'service']]
    >>> estate.to_model() == cx.io.read_traces(path, kind="service")[0]
    True
    """
    read = read_links(path, strengths=strengths, kind=kind)
    elements = pd.DataFrame({
        "id": pd.Series(read.ids, dtype=object), "name": pd.Series(read.services, dtype=object),
        "kind": pd.Series(kind, index=range(len(read.ids)), dtype=object),
        "properties": pd.Series([json.dumps({"traces:service": name}) for name in read.services], dtype=object)})
    links = pd.DataFrame({"source": read.links["parent"].to_numpy(dtype=object),
                          "target": read.links["child"].to_numpy(dtype=object),
                          "strength": read.links["strength"].to_numpy(np.float64)})
    estate = build_estate(elements, links, {"cxgraph": 1, "name": read.name}, file=str(read.path))
    return estate, read.report
