"""Checks that span items: ids, references, groups, cycles.

They run on the document form of a model (plain dicts and lists, as read from
a file or produced by :meth:`Model.to_dict`), so a file with structural errors
still gets its reference errors reported in the same pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from ..errors import closest
from .items import ELEMENT_KINDS
from .scenarios import Selector
from .selectors import SELECTOR_KEYS, selector_matches

__all__ = ["Path", "check_document", "format_path"]

Path = tuple[str | int, ...]

COLLECTIONS = ("journeys", "elements", "capabilities", "metrics", "initiatives")
OWNER_KINDS = ("team", "vendor")


def format_path(path: Path) -> str:
    """Render a document path as ``journeys[0].touchpoints[2].stage``.

    Examples
    --------
    >>> cx.model.format_path(("journeys", 0, "touchpoints", 2, "stage"))
    'journeys[0].touchpoints[2].stage'
    """
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _items(doc: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    seq = doc.get(key) if isinstance(doc, dict) else None
    if isinstance(seq, list):
        for i, item in enumerate(seq):
            if isinstance(item, dict):
                yield i, item


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class _Index:
    """Every id in the document with its category and where it is defined."""

    def __init__(self, doc: dict[str, Any], problems: list[tuple[Path, str]]) -> None:
        self.category: dict[str, str] = {}
        self.where: dict[str, Path] = {}
        self.stages_of: dict[str, set[str]] = {}
        for ji, journey in _items(doc, "journeys"):
            jid = self.add(journey, ("journeys", ji), "journey", problems)
            stages = self.stages_of.setdefault(jid or "", set())
            for si, stage in _items(journey, "stages"):
                sid = self.add(stage, ("journeys", ji, "stages", si), "stage", problems)
                if sid:
                    stages.add(sid)
            for ti, tp in _items(journey, "touchpoints"):
                self.add(tp, ("journeys", ji, "touchpoints", ti), "touchpoint", problems)
        for key, category in (("capabilities", "capability"), ("metrics", "metric"), ("initiatives", "initiative"),
                              ("scenarios", "scenario")):
            for i, item in _items(doc, key):
                self.add(item, (key, i), category, problems)
        for i, item in _items(doc, "elements"):
            kind = _str(item.get("kind")) or "element"
            self.add(item, ("elements", i), kind, problems)

    def add(self, item: dict[str, Any], path: Path, category: str, problems: list[tuple[Path, str]]) -> str | None:
        iid = _str(item.get("id"))
        if iid is None:
            return None
        if iid in self.where:
            first = format_path(self.where[iid])
            problems.append(((*path, "id"), f"duplicate id {iid!r} (first defined at {first})"))
        else:
            self.category[iid] = category
            self.where[iid] = path
        return iid

    def ids(self, *categories: str) -> list[str]:
        return [i for i, c in self.category.items() if c in categories]

    def is_element(self, iid: str) -> bool:
        return self.category.get(iid) not in (None, "journey", "stage", "touchpoint", "capability", "metric",
                                              "initiative", "scenario")

    def unknown(self, iid: str, what: str, *categories: str) -> str:
        known = self.ids(*categories) if categories else [i for i in self.category if self.is_element(i)]
        hint = closest(iid, known)
        tip = " (did you mean " + ", ".join(repr(h) for h in hint) + "?)" if hint else ""
        return f"unknown {what} {iid!r}{tip}"


def _check_dependencies(item: dict[str, Any], path: Path, index: _Index, problems: list[tuple[Path, str]]) -> None:
    groups: dict[str, int] = {}
    seen: dict[str, int] = {}
    deps = item.get("depends_on")
    for di, dep in enumerate(deps if isinstance(deps, list) else []):
        if isinstance(dep, str):
            target, group, dpath = dep, None, (*path, "depends_on", di)
        elif isinstance(dep, dict):
            target, group = _str(dep.get("element")), _str(dep.get("group"))
            dpath = (*path, "depends_on", di, "element")
        else:
            continue
        if group is not None:
            groups[group] = groups.get(group, 0) + 1
        if target is None:
            continue
        if target in seen:
            problems.append((dpath, f"depends on {target!r} twice (first at depends_on[{seen[target]}]): "
                                    "merge the two links into one"))
            continue
        seen[target] = di
        category = index.category.get(target)
        if category is None:
            problems.append((dpath, index.unknown(target, "element")))
        elif not index.is_element(target):
            problems.append((dpath, f"{target!r} is {_a(category)}: dependencies must point at elements"))
    needs = item.get("needs")
    if isinstance(needs, dict):
        for group, k in needs.items():
            npath = (*path, "needs", group)
            if group not in groups:
                hint = closest(str(group), groups)
                tip = " (did you mean " + ", ".join(repr(h) for h in hint) + "?)" if hint else ""
                problems.append((npath, f"needs names group {group!r} but no dependency is in that group{tip}"))
            else:
                try:
                    k_int = int(k)
                except (TypeError, ValueError, OverflowError):
                    continue
                if k_int > groups[group]:
                    problems.append(
                        (npath, f"needs {k_int} of group {group!r} but the group has only {groups[group]} link"
                                + ("s" if groups[group] != 1 else ""))
                    )


def _check_capabilities(doc: dict[str, Any], index: _Index, problems: list[tuple[Path, str]]) -> None:
    parent_of: dict[str, str] = {}
    for ci, cap in _items(doc, "capabilities"):
        parent = _str(cap.get("parent"))
        cid = _str(cap.get("id"))
        if parent is not None:
            cat = index.category.get(parent)
            if cat is None:
                problems.append((("capabilities", ci, "parent"), index.unknown(parent, "capability", "capability")))
            elif cat != "capability":
                problems.append((("capabilities", ci, "parent"), f"{parent!r} is {_a(cat)}, not a capability"))
            elif cid is not None:
                parent_of[cid] = parent
        realized = cap.get("realized_by")
        seen: dict[str, int] = {}
        for ri, eid in enumerate(realized if isinstance(realized, list) else []):
            if not isinstance(eid, str):
                continue
            if eid in seen:
                problems.append((("capabilities", ci, "realized_by", ri),
                                 f"realised by {eid!r} twice (first at realized_by[{seen[eid]}]): list it once"))
                continue
            seen[eid] = ri
            if eid not in index.category:
                problems.append((("capabilities", ci, "realized_by", ri), index.unknown(eid, "element")))
            elif not index.is_element(eid):
                problems.append((("capabilities", ci, "realized_by", ri),
                                 f"{eid!r} is {_a(index.category[eid])}: capabilities are realised by elements"))
    _check_parent_cycles(doc, parent_of, problems)


def _check_parent_cycles(doc: dict[str, Any], parent_of: dict[str, str], problems: list[tuple[Path, str]]) -> None:
    """Report each cycle of parents once, at its first capability in the document; linear in their number."""
    order: dict[str, int] = {}
    for ci, cap in _items(doc, "capabilities"):
        cid = _str(cap.get("id"))
        if cid is not None:
            order.setdefault(cid, ci)
    done: set[str] = set()
    for start in order:
        walk: dict[str, int] = {}  # capability -> its place on this walk
        node: str | None = start
        while node is not None and node not in done and node not in walk:
            walk[node] = len(walk)
            node = parent_of.get(node)
        if node is not None and node in walk:
            members = list(walk)[walk[node]:]
            first = min(range(len(members)), key=lambda i: order[members[i]])
            cycle = [*members[first:], *members[:first], members[first]]
            problems.append((("capabilities", order[members[first]], "parent"),
                             "capability parent cycle: " + " -> ".join(cycle)))
        done.update(walk)


def _links_of(doc: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Every dependency link of the document, ``(from, element) -> the link as written``."""
    links: dict[tuple[str, str], Any] = {}
    owners = [tp for _, j in _items(doc, "journeys") for _, tp in _items(j, "touchpoints")]
    owners += [e for _, e in _items(doc, "elements")]
    for owner in owners:
        deps = owner.get("depends_on")
        for dep in deps if isinstance(deps, list) else []:
            target = dep if isinstance(dep, str) else _str(dep.get("element")) if isinstance(dep, dict) else None
            if isinstance(owner.get("id"), str) and target is not None:
                links[(owner["id"], target)] = dep
    return links


def _check_changes(doc: dict[str, Any], index: _Index, problems: list[tuple[Path, str]]) -> None:
    """Structural initiatives: what they set, add and remove must fit the model and each other."""
    links = _links_of(doc)
    added_elements: dict[str, tuple[Path, Any]] = {}
    added_links: dict[tuple[str, str], tuple[Path, Any]] = {}
    for ii, ini in _items(doc, "initiatives"):
        base: Path = ("initiatives", ii)
        adds = ini.get("adds") if isinstance(ini.get("adds"), dict) else {}
        own = set()
        for ei, elem in _items(adds, "elements"):
            eid = _str(elem.get("id"))
            if eid is None:
                continue
            own.add(eid)
            path = (*base, "adds", "elements", ei, "id")
            if eid in index.category:
                problems.append((path, f"adds an element {eid!r} but the model already has "
                                       f"{_a(index.category[eid])} with that id"))
            elif eid in added_elements and added_elements[eid][1] != elem:
                first = format_path(added_elements[eid][0])
                problems.append((path, f"adds {eid!r} with other content than {first}: one id, one element"))
            else:
                added_elements.setdefault(eid, (path, elem))
        removed = set()
        removes = ini.get("removes")
        for ri, ref in enumerate(removes if isinstance(removes, list) else []):
            if not isinstance(ref, dict):
                continue
            key = (_str(ref.get("from")), _str(ref.get("element")))
            if None in key:
                continue
            removed.add(key)
            if key not in links:
                problems.append(((*base, "removes", ri), f"removes the link {key[0]} -> {key[1]}, which the model "
                                                         "does not have"))
        for li, link in _items(adds, "links"):
            src, target = _str(link.get("from")), _str(link.get("element"))
            path = (*base, "adds", "links", li)
            for end, name in ((src, "from"), (target, "element")):
                if end is None or end in own:
                    continue
                category = index.category.get(end)
                if category is None:
                    problems.append(((*path, name), index.unknown(end, "element") + " (not in the model nor added "
                                                                                    "by this initiative)"))
                elif name == "element" and not index.is_element(end):
                    problems.append(((*path, name), f"{end!r} is {_a(category)}: links point at elements"))
                elif name == "from" and not (index.is_element(end) or category == "touchpoint"):
                    problems.append(((*path, name), f"{end!r} is {_a(category)}: only touchpoints and elements "
                                                    "depend on something"))
            if src is None or target is None:
                continue
            key = (src, target)
            if key in links and key not in removed:
                problems.append((path, f"adds the link {src} -> {target}, which the model already has: remove it "
                                       "in the same initiative to change it (removes apply before adds)"))
            spec = {k: link.get(k) for k in ("strength", "group")}
            if key in added_links and added_links[key][1] != spec:
                first = format_path(added_links[key][0])
                problems.append((path, f"adds the link {src} -> {target} with another strength or group than {first}"))
            else:
                added_links.setdefault(key, (path, spec))
        sets = ini.get("sets")
        for si, setting in enumerate(sets if isinstance(sets, list) else []):
            eid = _str(setting.get("element")) if isinstance(setting, dict) else None
            if eid is not None and not index.is_element(eid) and eid not in own:
                problems.append(((*base, "sets", si, "element"), _not(eid, "element", index)
                                 if eid in index.category else index.unknown(eid, "element")))


def _check_initiatives(doc: dict[str, Any], index: _Index, problems: list[tuple[Path, str]]) -> None:
    requires_of: dict[str, list[str]] = {}
    _check_changes(doc, index, problems)
    for ii, ini in _items(doc, "initiatives"):
        iid = _str(ini.get("id"))
        improves = ini.get("improves")
        improved: dict[str, int] = {}
        for mi, imp in enumerate(improves if isinstance(improves, list) else []):
            metric = _str(imp.get("metric")) if isinstance(imp, dict) else None
            if metric is not None and index.category.get(metric) != "metric":
                problems.append((("initiatives", ii, "improves", mi, "metric"), _not(metric, "metric", index)))
            elif metric is not None and metric in improved:
                problems.append((("initiatives", ii, "improves", mi, "metric"),
                                 f"improves {metric!r} twice (first at improves[{improved[metric]}])"))
            elif metric is not None:
                improved[metric] = mi
        requires = ini.get("requires")
        for ri, req in enumerate(requires if isinstance(requires, list) else []):
            if not isinstance(req, str):
                continue
            if req == iid:
                problems.append((("initiatives", ii, "requires", ri), f"initiative {iid!r} requires itself"))
            elif index.category.get(req) != "initiative":
                problems.append((("initiatives", ii, "requires", ri), _not(req, "initiative", index)))
            elif iid is not None:
                requires_of.setdefault(iid, []).append(req)
    # A cycle of `requires` among distinct initiatives: report each cycle once, at its first member.
    state: dict[str, int] = {}
    for ii, ini in _items(doc, "initiatives"):
        iid = _str(ini.get("id"))
        if iid is None or state.get(iid):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(iid, iter(requires_of.get(iid, [])))]
        state[iid] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if child == node:
                    continue
                if state.get(child) == 1:
                    names = [n for n, _ in stack]
                    cycle = [*names[names.index(child):], child]
                    problems.append((("initiatives", ii, "requires"), "requires cycle: " + " -> ".join(cycle)))
                elif not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(requires_of.get(child, []))))
                    break
            else:
                state[node] = 2
                stack.pop()


def _not(iid: str, what: str, index: _Index) -> str:
    category = index.category.get(iid)
    if category is None:
        return index.unknown(iid, what, what)
    return f"{iid!r} is {_a(category)}, not {_a(what)}"


def _a(category: str) -> str:
    noun = f"{category} element" if category in ELEMENT_KINDS else category
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def check_document(doc: dict[str, Any]) -> list[tuple[Path, str]]:
    """Return every cross-item problem in a document, as ``(path, message)`` pairs.

    Examples
    --------
    >>> doc = {"elements": [{"id": "a", "name": "A", "kind": "system", "depends_on": ["b"]}]}
    >>> cx.model.check_document(doc)
    [(('elements', 0, 'depends_on', 0), "unknown element 'b'")]
    """
    problems: list[tuple[Path, str]] = []
    index = _Index(doc, problems)
    for ji, journey in _items(doc, "journeys"):
        stages = index.stages_of.get(_str(journey.get("id")) or "", set())
        for ti, tp in _items(journey, "touchpoints"):
            path: Path = ("journeys", ji, "touchpoints", ti)
            stage = _str(tp.get("stage"))
            if stage is not None and stage not in stages:
                where = index.category.get(stage)
                msg = (f"stage {stage!r} belongs to another journey" if where == "stage"
                       else index.unknown(stage, "stage", "stage"))
                problems.append(((*path, "stage"), msg))
            _check_dependencies(tp, path, index, problems)
    for ei, elem in _items(doc, "elements"):
        _check_dependencies(elem, ("elements", ei), index, problems)
        owner = _str(elem.get("owner"))
        if owner is not None:
            cat = index.category.get(owner)
            if cat is None:
                problems.append((("elements", ei, "owner"), index.unknown(owner, "owner", *OWNER_KINDS)))
            elif cat not in OWNER_KINDS:
                problems.append((("elements", ei, "owner"),
                                 f"owner {owner!r} is {_a(cat)}: an owner must be a team or vendor"))
    _check_capabilities(doc, index, problems)
    for mi, metric in _items(doc, "metrics"):
        of = _str(metric.get("of"))
        if of is not None and of not in index.category:
            problems.append((("metrics", mi, "of"), index.unknown(of, "touchpoint or element")))
        elif of is not None and not (index.category[of] == "touchpoint" or index.is_element(of)):
            problems.append((("metrics", mi, "of"),
                             f"{of!r} is {_a(index.category[of])}: a metric is of a touchpoint or an element"))
    _check_initiatives(doc, index, problems)
    _check_scenarios(doc, index, problems)
    _check_magnitudes(doc, problems)
    _check_text(doc, problems)
    return problems


_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_text(doc: dict[str, Any], problems: list[tuple[Path, str]]) -> None:
    """Report text that some file format cannot carry (control characters, lone surrogates, non-characters)."""
    stack: list[tuple[Path, Any]] = [((), doc)]
    seen: set[int] = set()  # a YAML alias shares its object: each is read once, never expanded
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict | list):
            if id(node) in seen:
                continue
            seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and _UNWRITABLE.search(key):
                    problems.append(((*path, key), _unwritable(key, "key")))
                stack.append(((*path, key), value))
        elif isinstance(node, list):
            stack.extend(((*path, i), value) for i, value in enumerate(node))
        elif isinstance(node, str) and _UNWRITABLE.search(node):
            problems.append((path, _unwritable(node, "text")))


def _unwritable(text: str, what: str) -> str:
    match = _UNWRITABLE.search(text)
    assert match is not None
    char = match.group()
    return (f"the {what} holds U+{ord(char):04X} at position {match.start()}, a character that XML, spreadsheets "
            "and UTF-8 files cannot all carry: remove it")


LARGEST = 1e300
"""The largest total a model may add up to (weights, revenue, costs): room left for every analysis's sums."""


def _largest(value: Any, default: float) -> float:
    """Return the largest magnitude a number of the document can take (``default`` where it is not a number)."""
    parts = [value.get(k) for k in ("low", "mode", "high")] if isinstance(value, dict) else [value]
    out = None
    for part in parts:
        if isinstance(part, bool) or not isinstance(part, int | float | str):
            continue
        try:
            number = abs(float(part.strip().replace("_", "") if isinstance(part, str) else part))
        except (ValueError, OverflowError):
            continue
        if math.isfinite(number):
            out = number if out is None else max(out, number)
    return default if out is None else out


def _shown(x: float) -> str:
    return f"{x:.3g}" if math.isfinite(x) else "over 1.8e308"


def _check_magnitudes(doc: dict[str, Any], problems: list[tuple[Path, str]]) -> None:
    """Report numbers whose products or sums would overflow in an analysis (each finite on its own)."""
    total = revenue = 0.0
    for ji, journey in _items(doc, "journeys"):
        people = _largest(journey.get("customers"), 0.0) * _largest(journey.get("importance"), 1.0)
        total_before, revenue = total, revenue + _largest(journey.get("revenue"), 0.0)
        if people > LARGEST:
            problems.append((("journeys", ji, "customers"), f"customers x importance is {_shown(people)}, beyond "
                             f"1e300: give customers in larger units (thousands, millions)"))
            continue
        for ti, tp in _items(journey, "touchpoints"):
            weight = people * _largest(tp.get("reach"), 1.0) * _largest(tp.get("importance"), 1.0)
            total += weight
            if weight > LARGEST or total > LARGEST >= total_before:
                what = "customers x importance x reach x importance" if weight > LARGEST else \
                    "the model's total customer weight"
                problems.append((("journeys", ji, "touchpoints", ti, "importance"),
                                 f"{what} is {_shown(max(weight, total))}, beyond 1e300: give customers in "
                                 "larger units (thousands, millions) or smaller importances"))
                break
        if revenue > LARGEST:
            problems.append((("journeys", ji, "revenue"), f"the model's total revenue is {_shown(revenue)}, beyond "
                             f"1e300: give revenue in larger units"))
            revenue = -math.inf
    cost = 0.0
    for ii, initiative in _items(doc, "initiatives"):
        cost += _largest(initiative.get("cost"), 0.0)
        if cost > LARGEST:
            problems.append((("initiatives", ii, "cost"), f"the initiatives' total cost is {_shown(cost)}, beyond "
                             f"1e300: give costs in larger units"))
            break


def _describe(selector: dict[str, Any]) -> str:
    """Say the selector in words as :meth:`Selector.describe` does (as written, where it does not validate)."""
    try:
        return Selector.model_validate(selector).describe()
    except ValueError:
        return ", ".join(f"{k} {v}" for k, v in selector.items())


def _check_scenarios(doc: dict[str, Any], index: _Index, problems: list[tuple[Path, str]]) -> None:
    """Scenarios: known elements, selectors that match something, a recovery time for every element failed."""
    elements = {_str(e.get("id")): e for _, e in _items(doc, "elements") if _str(e.get("id")) is not None}
    for si, scen in _items(doc, "scenarios"):
        base: Path = ("scenarios", si)
        failed: dict[str, Path] = {}
        fail = scen.get("fail")
        for fi, eid in enumerate(fail if isinstance(fail, list) else []):
            if not isinstance(eid, str):
                continue
            if eid not in index.category:
                problems.append(((*base, "fail", fi), index.unknown(eid, "element")))
            elif not index.is_element(eid):
                problems.append(((*base, "fail", fi),
                                 f"{eid!r} is {_a(index.category[eid])}: a scenario fails elements"))
            else:
                failed.setdefault(eid, (*base, "fail", fi))
        where = scen.get("fail_where")
        if isinstance(where, dict):
            selector = {k: v for k, v in where.items() if v is not None}
            if selector and set(selector) <= set(SELECTOR_KEYS):
                picked = [eid for eid, e in elements.items() if eid is not None and selector_matches(
                    selector, tags=e.get("tags") or [], kind=e.get("kind"), owner=e.get("owner"),
                    properties=e.get("properties") or {})]
                if not picked:  # located at the selector's first key: a file line, a spreadsheet cell
                    first = next(k for k in SELECTOR_KEYS if k in selector)
                    problems.append(((*base, "fail_where", first),
                                     f"fail_where ({_describe(selector)}) matches no element"))
                for eid in picked:
                    failed.setdefault(eid, (*base, "fail_where"))
        hours = scen.get("hours")
        hours = hours if isinstance(hours, dict) else {}
        for eid in hours:
            hpath = (*base, "hours", eid)
            if eid not in index.category:
                problems.append((hpath, index.unknown(str(eid), "element")))
            elif eid not in failed:
                problems.append((hpath, f"hours given for {eid!r}, which this scenario does not fail"))
        for eid, where_path in failed.items():
            if eid in hours:
                continue
            if elements.get(eid, {}).get("recovery_hours") is None:
                problems.append((where_path, f"element {eid!r} fails in this scenario but has no recovery_hours (give "
                                             f"the element recovery_hours, or the scenario hours: {{{eid}: ...}})"))
