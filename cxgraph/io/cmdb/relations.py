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

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..importlog import ImportEntry, ImportLog
from .classes import relation_rule

__all__ = ["map_relationships"]

_OWNERS = {"team", "vendor"}
_ = ImportLog  # the report these entries go into


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
                      overrides: Mapping[str, str | None], *, arrays: bool = False
                      ) -> tuple[list[ImportEntry], Any, dict[int, int]]:
    """Return the report entries of every row, the dependencies by item row, and the owner row by item row.

    ``items`` holds the items read (``sys_id``, ``name``, ``id``, ``kind``, ``mapped``, ``retired``).
    With ``arrays``, the dependencies come as three arrays instead: dependent item rows, provider
    item rows and whether each link is a redundant member (for an estate's links table).
    """
    parent, child = rels["parent"].str.strip(), rels["child"].str.strip()
    types = rels["type"].str.strip()
    rules_of = {t: relation_rule(t, overrides) for t in types.unique().tolist()}
    rule = types.map(rules_of)
    p, p_shared = _ends(parent, items)
    c, c_shared = _ends(child, items)
    size = len(rels)
    outcome = np.full(size, "", dtype=object)
    open_ = np.ones(size, dtype=bool)  # rows not kept aside yet
    # one padding entry at the end stands for "no item", so that every index is safe to take
    n = len(items)
    names = np.append(items["name"].to_numpy(dtype=object), "")
    retired = np.append(items["retired"].to_numpy(dtype=bool), False)
    mapped = np.append(items["mapped"].to_numpy(dtype=bool), False)
    raw_ends = {"parent": parent.to_numpy(dtype=object), "child": child.to_numpy(dtype=object)}
    type_names = types.to_numpy(dtype=object)

    def keep(mask: Any, text: str | Callable[[np.ndarray], list[str]]) -> None:
        """Keep aside the open rows of ``mask`` with a reason (texts made for those rows only)."""
        hit = np.asarray(mask, dtype=bool) & open_
        if hit.any():
            outcome[hit] = text if isinstance(text, str) else text(hit)
            open_[hit] = False

    for end, found, shared in (("parent", p, p_shared), ("child", c, c_shared)):
        missing = found.isna().to_numpy()
        keep(missing & shared.to_numpy(), lambda m, end=end: [
            f"the {end} {v!r} names several items: give its sys_id" for v in raw_ends[end][m]])
        keep(missing, lambda m, end=end: [f"the {end} {v!r} is not in cmdb_ci" for v in raw_ends[end][m]])
    pi = p.fillna(-1).astype(np.int64).to_numpy()
    ci = c.fillna(-1).astype(np.int64).to_numpy()
    both = (pi >= 0) & (ci >= 0)
    for idx in (pi, ci):
        safe = np.where(idx >= 0, idx, n)
        keep(both & retired[safe], lambda m, safe=safe: [f"touches a retired item ({v!r})" for v in names[safe][m]])
        keep(both & ~mapped[safe], lambda m, safe=safe: [
            f"touches an item left out ({v!r})" for v in names[safe][m]])
    rule_of = rule.to_numpy(dtype=object)
    unknown = types.isin([t for t, r in rules_of.items() if r is False]).to_numpy()
    keep(unknown, lambda m: [
        f"unknown relationship type {t!r}: give relations={{type: rule}} to read it" for t in type_names[m]])
    keep(rule.isna().to_numpy(), lambda m: [f"{t!r}: no dependency direction to read" for t in type_names[m]])
    keep(pi == ci, "relates an item to itself")
    is_child = rule_of == "child"
    is_owner = rule_of == "owner"
    dependent = np.where(is_child, ci, pi)
    provider = np.where(is_child, pi, ci)
    kinds = np.append(items["kind"].to_numpy(dtype=object), "")
    keep(is_owner & ~np.isin(kinds[np.where(ci >= 0, ci, n)], list(_OWNERS)), "the owner is not a group or company")
    owner_rows = np.flatnonzero(is_owner & open_)
    first_owner = pd.Series(owner_rows, index=pi[owner_rows])
    again = first_owner.index.duplicated()
    for row, previous in zip(first_owner[again].tolist(), first_owner.groupby(level=0).transform("first")[again]
                             .tolist(), strict=True):
        outcome[row] = f"a second owner (the first is row {previous + 1})"
        open_[row] = False
    members = rule_of == "members"
    dep_mask = open_ & (members | is_child | (rule_of == "parent"))
    pairs = pd.DataFrame({"d": dependent, "p": provider, "row": np.arange(size)})[dep_mask]
    first = pairs.groupby(["d", "p"])["row"].transform("min")
    repeat = (pairs["row"] != first).to_numpy()
    if repeat.any():
        rows_again = pairs["row"].to_numpy()[repeat]
        outcome[rows_again] = [f"same link as row {f + 1}" for f in first.to_numpy()[repeat]]
        open_[rows_again] = False
    ids = np.append(items["id"].to_numpy(dtype=object), None)
    links = (pairs["d"][~repeat].to_numpy(), pairs["p"][~repeat].to_numpy(),
             members[pairs["row"][~repeat].to_numpy()])
    deps: dict[int, list[Any]] = {}
    if not arrays:
        for d, pr, m in zip(*(x.tolist() for x in links), strict=True):
            deps.setdefault(d, []).append({"element": ids[pr], "group": "members"} if m else ids[pr])
    owners = {int(pi[r]): int(ci[r]) for r in np.flatnonzero(is_owner & open_).tolist()}
    mapped_as = np.where(is_owner, "owner", np.where(members, "dependency (redundant member)", "dependency"))
    status = open_
    final = np.where(status, mapped_as, outcome)
    item = np.where(status, ids[np.where(dependent >= 0, dependent, n)], None)
    item = np.where(status & is_owner, ids[np.where(pi >= 0, pi, n)], item)
    keys = rels["sys_id"].tolist() if "sys_id" in rels else [f"row {i + 1}" for i in range(len(rels))]
    line_of = lines or [None] * len(rels)
    entries = [ImportEntry(k, t, "", "mapped" if s else "kept", o, item=i, source=a, target=b, line=ln)
               for k, t, s, o, i, a, b, ln in zip(keys, types.tolist(), status.tolist(), final.tolist(),
                                                  item.tolist(), parent.tolist(), child.tolist(), line_of,
                                                  strict=True)]
    return entries, (links if arrays else deps), owners
