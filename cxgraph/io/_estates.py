"""What the estate readers share: the model part of an importer's document, checked against its tables.

An estate reader puts the elements and their links into two tables and everything else it read
(capabilities, journeys, metrics, initiatives, scenarios) into a model document whose
references to elements resolve against the tables. :func:`build_estate` checks both and
reports every problem at once: the tables' at their row and column, the document's at its path.

Examples
--------
>>> import pandas as pd
>>> from cxgraph.io._estates import build_estate
>>> elements = pd.DataFrame({"id": ["web", "db"], "kind": ["system", "data"]})
>>> links = pd.DataFrame({"source": ["web"], "target": ["db"]})
>>> doc = {"cxgraph": 1, "name": "Shop", "capabilities": [{"id": "sell", "name": "Sell", "realized_by": ["web"]}]}
>>> build_estate(elements, links, doc, file="shop")
Estate('Shop': 2 elements, 1 links, 0 touchpoints)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from pydantic import ValidationError

from ..errors import ModelError, Problem
from ..model import Model
from ..model.estate import Estate
from ..model.estate_checks import Lookup, referenced_stubs
from .validate import Positions, model_from_document

__all__ = ["build_estate", "model_part"]


def model_part(doc: dict[str, Any], elements: pd.DataFrame, links: pd.DataFrame, *, file: str | None,
               positions: Positions | None = None, problems: list[Problem] | None = None
               ) -> tuple[Model | None, list[Problem]]:
    """Return the model a document without elements holds, and its problems (then no model).

    The document is checked as a model file holding the estate elements it names (their rows
    are not part of the model returned), so a capability realised by a table's element is no
    problem. Problems of those elements themselves are left to the tables' checks.
    """
    lookup = Lookup(elements["id"]) if "id" in elements.columns else Lookup(pd.Series([], dtype=object))
    try:
        plain = Model.model_validate({k: v for k, v in doc.items() if k in ("initiatives", "scenarios")})
    except ValidationError:  # reported with its place below
        plain = Model()
    stubs = referenced_stubs(doc, elements, links, lookup, plain)
    try:
        model = model_from_document({**doc, "elements": stubs}, file=file, positions=positions, problems=problems)
    except ModelError as err:
        own = [p for p in err.problems if not p.path.startswith("elements")]
        if own:
            return None, own
        model = Model.model_validate({**doc, "cxgraph": 1})  # the clash is reported on the table rows
    out = model.model_copy(update={"elements": []})
    out._source = file
    return out, []


def build_estate(elements: pd.DataFrame, links: pd.DataFrame, doc: dict[str, Any], *, file: str,
                 locate: Callable[[Problem], Problem | None] | None = None,
                 problems: list[Problem] | None = None) -> Estate:
    """Return the estate of these tables and this model document, or raise every problem of both.

    ``locate`` moves a problem to where the reader read it from (``None``: a repeat, dropped);
    ``problems`` are those the reader found already, reported first.
    """
    model, found = model_part(doc, elements, links, file=file)
    try:
        estate = Estate.from_tables(elements, links, model if model is not None else Model(), source=file)
    except ModelError as err:
        found = [*err.problems, *found]
    out = list(problems or [])
    for p in found:
        q = locate(p) if locate is not None else p
        if q is not None:
            out.append(q)
    if out:
        if locate is None:  # in the order a model file's problems come in
            out = sorted(dict.fromkeys(out), key=lambda p: (p.line is None, p.line or 0, p.column or 0, p.path))
        raise ModelError(list(dict.fromkeys(out)))
    return estate
