"""The relationship half of the CMDB reader: ``cmdb_rel_ci`` rows into dependency links and owners.

Each row is read by the rule of its type (:func:`cxgraph.io.cmdb.classes.relation_rule`) and
becomes a dependency (``parent``, ``child``, ``members``), an owner (``owner``, when the owning
item is a group or company), or is kept aside with the reason: an end not in ``cmdb_ci``, a
retired or left-out end, an unknown type or one without a direction, an item related to itself,
the same link twice, a second owner. Whole columns are compared at once.

Examples
--------
>>> import pandas as pd
>>> from cxgraph.io.cmdb.relations import map_relationships
>>> items = pd.DataFrame({"sys_id": ["a", "b"], "name": ["App", "Host"], "id": ["app", "host"],
...                       "kind": ["system", "infrastructure"], "mapped": [True, True],
...                       "retired": [False, False]})
>>> rels = pd.DataFrame({"parent": ["a", "b"], "child": ["b", "b"], "type": ["Runs on::Runs"] * 2})
>>> entries, deps, owners = map_relationships(rels, None, "rel.csv", items, {})
>>> deps, [e.outcome for e in entries]
({0: ['host']}, ['dependency', 'relates an item to itself'])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..report import ImportReport, ReportEntry
from .classes import relation_rule

__all__ = ["map_relationships"]

_OWNERS = {"team", "vendor"}
_ = ImportReport  # the report these entries go into


def _ends(values: pd.Series, items: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return each value's item row (by sys_id, else by a name no other item has) and whether its name is shared."""
    by_id = pd.Series(np.arange(len(items)), index=items["sys_id"])
    by_id = by_id[~by_id.index.duplicated()]
    found = values.map(by_id)
    shared = pd.Series(False, index=values.index)
    missing = found.isna()
    if missing.any():
        counts = items["name"].value_counts()
        unique = items["name"].isin(counts.index[counts == 1])
        by_name = pd.Series(np.arange(len(items))[unique.to_numpy()], index=items["name"][unique])
        found[missing] = values[missing].map(by_name)
        shared[missing] = values[missing].isin(counts.index[counts > 1])
    return found, shared


def map_relationships(rels: pd.DataFrame, lines: list[int] | None, file: str, items: pd.DataFrame,
                      overrides: Mapping[str, str | None]
                      ) -> tuple[list[ReportEntry], dict[int, list[Any]], dict[int, int]]:
    """Return the report entries of every row, the dependencies by item row, and the owner row by item row.

    ``items`` holds the items read (``sys_id``, ``name``, ``id``, ``kind``, ``mapped``, ``retired``).
    """
    parent, child = rels["parent"].str.strip(), rels["child"].str.strip()
    types = rels["type"].str.strip()
    rules_of = {t: relation_rule(t, overrides) for t in types.unique().tolist()}
    rule = types.map(rules_of)
    p, p_shared = _ends(parent, items)
    c, c_shared = _ends(child, items)
    outcome = pd.Series("", index=rels.index, dtype=object)
    # one padding entry at the end stands for "no item", so that every index is safe to take
    n = len(items)
    names = np.append(items["name"].to_numpy(dtype=object), "")
    retired = np.append(items["retired"].to_numpy(dtype=bool), False)
    mapped = np.append(items["mapped"].to_numpy(dtype=bool), False)

    def keep(mask: pd.Series, text: pd.Series | str) -> None:
        mask = mask & (outcome == "")
        outcome[mask] = text[mask] if isinstance(text, pd.Series) else text

    for end, raw, shared in (("parent", parent, p_shared), ("child", child, c_shared)):
        found = (p if end == "parent" else c)
        keep(found.isna() & shared, f"the {end} " + raw.map(repr) + " names several items: give its sys_id")
        keep(found.isna(), f"the {end} " + raw.map(repr) + " is not in cmdb_ci")
    pi = p.fillna(-1).astype(np.int64).to_numpy()
    ci = c.fillna(-1).astype(np.int64).to_numpy()
    both = (pi >= 0) & (ci >= 0)
    for idx in (pi, ci):
        safe = np.where(idx >= 0, idx, n)
        name = pd.Series(names[safe], index=rels.index).map(repr)
        keep(pd.Series(both & retired[safe], index=rels.index), "touches a retired item (" + name + ")")
        keep(pd.Series(both & ~mapped[safe], index=rels.index), "touches an item left out (" + name + ")")
    keep(rule.map(lambda r: r is False), "unknown relationship type " + types.map(repr)
         + ": give relations={type: rule} to read it")
    keep(rule.isna(), types.map(repr) + ": no dependency direction to read")
    keep(pd.Series(pi == ci, index=rels.index), "relates an item to itself")
    live = outcome == ""
    is_child = (rule == "child").to_numpy()
    dependent = np.where(is_child, ci, pi)
    provider = np.where(is_child, pi, ci)
    rows = pd.Series(np.arange(len(rels)), index=rels.index)
    is_owner = (rule == "owner") & live
    kinds = np.append(items["kind"].to_numpy(dtype=object), "")
    keep(is_owner & ~pd.Series(np.isin(kinds[np.where(ci >= 0, ci, n)], list(_OWNERS)), index=rels.index),
         "the owner is not a group or company")
    owner_rows = rels.index[(rule == "owner") & (outcome == "")]
    first_owner = pd.Series(rows[owner_rows].to_numpy(), index=pi[rows[owner_rows].to_numpy()])
    again = first_owner.index.duplicated()
    for row, previous in zip(first_owner[again].tolist(), first_owner.groupby(level=0).transform("first")[again]
                             .tolist(), strict=True):
        outcome.iloc[row] = f"a second owner (the first is row {previous + 1})"
    dep_mask = (outcome == "") & rule.isin(["parent", "child", "members"])
    pairs = pd.DataFrame({"d": dependent, "p": provider, "row": np.arange(len(rels))})[dep_mask.to_numpy()]
    first = pairs.groupby(["d", "p"])["row"].transform("min")
    repeat = pairs["row"] != first
    if repeat.any():
        again = "same link as row " + (first[repeat] + 1).astype(str)
        outcome.iloc[pairs["row"][repeat].to_numpy()] = again.to_numpy()
    ids = np.append(items["id"].to_numpy(dtype=object), None)
    deps: dict[int, list[Any]] = {}
    members = (rule == "members").to_numpy()
    for d, pr, m in zip(pairs["d"][~repeat].tolist(), pairs["p"][~repeat].tolist(),
                        members[pairs["row"][~repeat].to_numpy()].tolist(), strict=True):
        deps.setdefault(d, []).append({"element": ids[pr], "group": "members"} if m else ids[pr])
    owners = {int(pi[r]): int(ci[r]) for r in rows[(rule == "owner") & (outcome == "")].tolist()}
    mapped_as = np.where((rule == "owner").to_numpy(), "owner",
                         np.where(members, "dependency (redundant member)", "dependency"))
    status = (outcome == "").to_numpy()
    final = np.where(status, mapped_as, outcome.to_numpy())
    item = np.where(status, ids[np.where(dependent >= 0, dependent, n)], None)
    item = np.where(status & (rule == "owner").to_numpy(), ids[np.where(pi >= 0, pi, n)], item)
    keys = rels["sys_id"].tolist() if "sys_id" in rels else [f"row {i + 1}" for i in range(len(rels))]
    line_of = lines or [None] * len(rels)
    entries = [ReportEntry(k, t, "", "mapped" if s else "kept", o, item=i, source=a, target=b, line=ln)
               for k, t, s, o, i, a, b, ln in zip(keys, types.tolist(), status.tolist(), final.tolist(),
                                                  item.tolist(), parent.tolist(), child.tolist(), line_of,
                                                  strict=True)]
    return entries, deps, owners
