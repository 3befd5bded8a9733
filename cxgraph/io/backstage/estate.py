"""Reading a Backstage catalog straight into an :class:`~cxgraph.Estate`: elements and links as tables.

The catalog is read and mapped as :func:`cxgraph.io.read_backstage` does (the module
:mod:`.read` says what becomes what); the mapped components, APIs, resources and groups become
the rows of the elements table and their dependencies the rows of the links table, with no
pydantic object per element or link. Systems and domains (capabilities) go into the estate's
model part.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "catalog-info.yaml"
>>> _ = path.write_text('''
... kind: Component
... metadata: {name: web}
... spec: {type: website, owner: team-a, system: shop, consumesApis: [orders]}
... ---
... kind: API
... metadata: {name: orders}
... spec: {type: openapi, owner: team-a}
... ---
... kind: System
... metadata: {name: shop}
... ''')
>>> estate, report = cx.io.read_backstage_estate(path)
>>> estate.elements[["id", "kind", "owner"]].values.tolist()
[['web', 'system', 'team-a'], ['orders', 'service', 'team-a'], ['team-a', 'team', nan]]
>>> estate.links[["source", "target"]].values.tolist()
[['web', 'orders']]
>>> [(c.id, c.realized_by) for c in estate.model.capabilities]
[('shop', ['web'])]
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np
import pandas as pd

from ...model.estate import Estate
from .._estates import build_estate
from ..importlog import ImportLog
from .read import read_document

__all__ = ["read_backstage_estate", "tables_of"]


def read_backstage_estate(path: str | os.PathLike[str]) -> tuple[Estate, ImportLog]:
    r"""Read a Backstage catalog into an :class:`~cxgraph.Estate` (tables of elements and links) and an import log.

    Takes the same argument and reads the same way as :func:`cxgraph.io.read_backstage`: the
    estate's ``to_model()`` equals the model that function returns, and the import log is the
    same. Capabilities (systems and domains) are in ``estate.model``; journeys can be added there.

    Raises
    ------
    ModelError
        Malformed YAML, a document that is not an entity, an entity without kind or name, each
        with its file and line; an element that cannot be one (an id with spaces), at its row
        and column of the elements table, in the catalog file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "catalog-info.yaml"
    >>> _ = path.write_text("kind: Component\nmetadata: {name: a}\nspec: {dependsOn: [resource:db]}\n---\n"
    ...                     "kind: Resource\nmetadata: {name: db}\nspec: {type: database}\n")
    >>> estate, report = cx.io.read_backstage_estate(path)
    >>> estate.to_model() == cx.io.read_backstage(path)[0]
    True
    >>> estate.elements["kind"].tolist(), report.counts()["relationships_mapped"]
    (['system', 'data'], 1)
    """
    doc, source, report = read_document(path)
    elements, links = tables_of(doc.pop("elements"))
    return build_estate(elements, links, doc, file=source), report


def tables_of(elements: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the elements and links tables of element documents (``depends_on`` lists of ids, no ranges).

    Examples
    --------
    >>> from cxgraph.io.backstage.estate import tables_of
    >>> els, links = tables_of([{"id": "a", "name": "A", "kind": "system", "depends_on": ["b"]},
    ...                         {"id": "b", "name": "B", "kind": "data", "tags": ["x"]}])
    >>> els["tags"].tolist(), links.values.tolist()
    ([None, ['x']], [['a', 'b']])
    """
    def column(key: str) -> pd.Series:
        return pd.Series([e.get(key) for e in elements], dtype=object)

    frame = pd.DataFrame({"id": column("id"), "name": column("name"), "kind": column("kind"),
                          "owner": column("owner")})
    for key in ("description", "tags"):
        values = column(key)
        if values.notna().any():
            frame[key] = values
    frame["properties"] = pd.Series([json.dumps(e["properties"]) if e.get("properties") else None
                                     for e in elements], dtype=object)
    counts = np.fromiter((len(e.get("depends_on", ())) for e in elements), np.int64, count=len(elements))
    links = pd.DataFrame({"source": np.repeat(frame["id"].to_numpy(dtype=object), counts),
                          "target": pd.Series([d for e in elements for d in e.get("depends_on", ())], dtype=object)})
    return frame, links
