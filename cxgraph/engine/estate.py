"""Compiling an :class:`~cxgraph.Estate` straight from its columns, with no Python object per element or link.

Node ids map to indices through a pandas index (categorical link columns are mapped once per
category), the estate's links join its touchpoints' links, and :func:`.assemble.assemble`
builds the same arrays as for the equivalent :class:`~cxgraph.Model`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..model import HOURS_PER_YEAR
from ..model.estate_checks import Lookup
from .assemble import assemble, touchpoint_links

if TYPE_CHECKING:
    from ..model.estate import Estate
    from .compile import CompiledModel

__all__ = ["compile_estate"]


def _texts(column: pd.Series) -> list[Any]:
    """Return the column as a list of texts (None where missing), each distinct text one shared object."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = np.asarray([*map(str, column.cat.categories), None], dtype=object)
        codes = column.cat.codes.to_numpy()
        return labels[np.where(codes >= 0, codes, len(labels) - 1)].tolist()
    values = column.to_numpy(dtype=object, na_value=None)
    if all(isinstance(v, str) for v in values[:64]) and not pd.isna(column).any():
        return values.tolist()  # text already (the common case): no conversion one by one
    return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in values.tolist()]


def compile_estate(estate: Estate) -> CompiledModel:
    """Return the compiled form of ``estate`` (checked when it was built), equal to that of ``estate.to_model()``.

    Examples
    --------
    >>> from cxgraph.engine.estate import compile_estate
    >>> m = cx.examples.load("retail-bank")
    >>> c = compile_estate(cx.Estate.from_model(m))
    >>> c.ids == cx.engine.compile_model(m).ids
    True
    """
    model = estate.model
    elements, links = estate.elements, estate.links
    tp_ids = [tp.id for j in model.journeys for tp in j.touchpoints]
    n_tp = len(tp_ids)
    element_ids = [str(x) for x in elements["id"].tolist()]
    ids = [*tp_ids, *element_ids]
    index = {x: i for i, x in enumerate(ids)}
    lookup = Lookup(pd.Series(element_ids, dtype=object))
    src = lookup.rows(links["source"]) + n_tp
    dst = lookup.rows(links["target"]) + n_tp
    group = links["group"]
    codes, labels = pd.factorize(group, use_na_sentinel=True)
    group_code = {str(label): i for i, label in enumerate(labels)}
    strength = links["strength"].to_numpy(np.float64)
    needs = links["needs"].to_numpy(np.float64)
    grouped = codes >= 0
    k = np.ones(len(links), np.int64)
    if grouped.any():
        # the k of a group: the needs given on any of its links (they agree), 1 where none is
        frame = pd.DataFrame({"s": src[grouped], "g": codes[grouped], "k": needs[grouped]})
        per = frame.groupby(["s", "g"], sort=False)["k"].transform("max").to_numpy()
        k[grouped] = np.where(np.isnan(per), 1, per).astype(np.int64)
    t_src, t_dst, t_strength, t_group, t_needs = touchpoint_links(model, index, group_code)
    availability = elements["availability"].to_numpy(np.float64)
    failures = elements["failures_per_year"].to_numpy(np.float64)
    recovery = elements["recovery_hours"].to_numpy(np.float64)
    with np.errstate(invalid="ignore"):
        q = np.where(~np.isnan(availability), 1.0 - availability,
                     np.where(~np.isnan(failures) & ~np.isnan(recovery),
                              np.minimum(1.0, failures * recovery / HOURS_PER_YEAR), 0.0))
    return assemble(
        model, ids=ids, index=index, names=[tp.name for j in model.journeys for tp in j.touchpoints]
        + _texts(elements["name"]), kinds=["touchpoint"] * n_tp + _texts(elements["kind"]),
        owners=[None] * n_tp + _texts(elements["owner"]),
        src=np.concatenate([np.asarray(t_src, np.int64), src]), dst=np.concatenate([np.asarray(t_dst, np.int64), dst]),
        strength=np.concatenate([np.asarray(t_strength, np.float64), strength]),
        group=np.concatenate([np.asarray(t_group, np.int64), codes.astype(np.int64)]),
        group_labels=list(group_code), needs=np.concatenate([np.asarray(t_needs, np.int64), k]),
        q=q, reliability_known=~np.isnan(availability) | ~np.isnan(failures), recovery_hours=recovery,
    )
