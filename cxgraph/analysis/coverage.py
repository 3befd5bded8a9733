r"""No silent zeros: what in a model makes customer impacts 0, said once for every command and analysis.

A model with no journeys, touchpoints that depend on nothing, or journeys without customers
gives impacts of 0 that look like answers. :func:`coverage_notes` says so, with what to do;
``convert``, ``validate``, ``summary`` and every analysis print these notes (on standard
error from the command line) and put them in their result's ``notes``.

Examples
--------
>>> m = cx.loads("cxgraph: 1\nelements: [{id: crm, name: CRM, kind: system}]")
>>> for note in cx.analysis.coverage_notes(m):
...     print(note)
the model has no journeys, so no customer interaction can be lost and every customer impact is 0: add journeys
with touchpoints (from an ArchiMate or Archi file, choose them with journeys= or --journeys; its import log lists
the candidates it found)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine import CompiledModel, compile_model
from ..model import Model

__all__ = ["coverage_notes"]

SHOWN = 5
"""How many names a note lists before "and N more"."""


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def coverage_notes(model: Model | CompiledModel, *, impacts: Sequence[float] | np.ndarray | None = None
                   ) -> list[str]:
    """Return the notes that explain zero impacts in ``model``: none when every touchpoint can be reached.

    Parameters
    ----------
    model
        The model, or its :func:`~cxgraph.engine.compile_model` form.
    impacts
        Optionally, the impact of every element (in the compiled model's element order, or of
        every node, touchpoints first): when all are 0, a note says so.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... journeys:
    ...   - id: buy
    ...     name: Buy
    ...     customers: 100
    ...     touchpoints: [{id: browse, name: Browse}, {id: pay, name: Pay, depends_on: [psp]}]
    ... elements: [{id: psp, name: Payment provider, kind: vendor}]
    ... ''')
    >>> cx.analysis.coverage_notes(m)
    ["1 of 2 touchpoints depend on nothing, so no failure reaches them: 'Browse' (give them depends_on links)"]
    >>> cx.analysis.coverage_notes(cx.examples.load("retail-bank"))
    []
    """
    c = compile_model(model)
    nt = c.n_touchpoints
    if not c.journey_ids:
        return ["the model has no journeys, so no customer interaction can be lost and every customer impact is 0: "
                "add journeys with touchpoints (from an ArchiMate or Archi file, choose them with journeys= or "
                "--journeys; its import log lists the candidates it found)"]
    if nt == 0:
        return ["the model's journeys have no touchpoints, so every customer impact is 0: add touchpoints that "
                "depend on elements"]
    notes: list[str] = []
    links = np.diff(c.group_links[c.node_groups])[:nt]
    lonely = [c.names[i] for i in range(nt) if links[i] == 0]
    if len(lonely) == nt:
        what = "the only touchpoint depends on nothing" if nt == 1 else \
            f"none of the {nt} touchpoints depends on anything"
        notes.append(f"{what}, so every customer impact is 0: give touchpoints depends_on links to the elements "
                     "behind them (in ArchiMate: serving, realization, access or assignment relationships)")
    elif lonely:
        notes.append(f"{len(lonely)} of {nt} touchpoints depend on nothing, so no failure reaches them: "
                     f"{_names(lonely)} (give them depends_on links)")
    weight = c.journey_customers * c.journey_importance
    if not np.any(weight > 0):
        notes.append("every journey has 0 customers (or importance 0), so every customer impact is 0: give "
                     "journeys their customers per period")
    if impacts is not None and not notes and c.n_elements:
        values = np.asarray(impacts, dtype=np.float64)
        values = values[nt:] if len(values) == nt + c.n_elements else values
        if not np.any(values != 0):
            notes.append("every element's impact is 0: no single failure reaches a touchpoint (every dependency is "
                         "redundant, or has strength 0)")
    return notes
