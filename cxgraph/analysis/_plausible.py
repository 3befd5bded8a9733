"""Severe-but-plausible disruption scenarios generated from a model.

Four families, each scenario saying why it was generated (its ``description``):

- the loss of each **site**: every element at one site fails. Sites are named by tags
  written ``PREFIX:NAME`` (``by="tag:site"`` reads ``site:dc-north``) or by a property
  (``by="property:site"``); by default both of those are read;
- the loss of each **vendor**: the vendor element and every element it owns;
- the loss of each **shared platform**: a system, service, infrastructure or data element
  whose failure alone disrupts several (two or more) journeys (journey loss above 0);
- the loss of each **single point of failure**: an element whose failure alone fully stops
  a touchpoint.

A set of failed elements generated twice (a platform that is also a single point of
failure) is one scenario with both reasons.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..engine import compile_model
from ..errors import AnalysisInputError
from ..model import Model
from ..model.selectors import selector_matches, text_of

__all__ = ["DEFAULT_BY", "PLATFORM_KINDS", "plausible_scenarios"]

DEFAULT_BY: tuple[str, ...] = ("tag:site", "property:site")
"""Where sites are read when the caller names none."""

PLATFORM_KINDS: tuple[str, ...] = ("system", "service", "infrastructure", "data")
"""The element kinds that can be a shared platform."""

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")


def _slug(text: str) -> str:
    return _UNSAFE.sub("-", text).strip("-") or "x"


def _parse_by(by: str | list[str] | tuple[str, ...] | None) -> list[tuple[str, str]]:
    specs = list(DEFAULT_BY) if by is None else [by] if isinstance(by, str) else list(by)
    out = []
    for spec in specs:
        kind, sep, key = str(spec).partition(":")
        if not sep or kind not in ("tag", "property") or not key:
            raise AnalysisInputError(f"by must be 'tag:PREFIX' or 'property:KEY' (e.g. 'tag:site'), got {spec!r}")
        out.append((kind, key))
    return out


def _sites(model: Model, by: list[tuple[str, str]]) -> list[tuple[str, str, dict[str, Any], str]]:
    """(id, name, selector, reason) for every site named by a tag or property."""
    out = []
    for kind, key in by:
        values: dict[str, int] = {}
        for e in model.elements:
            if kind == "tag":
                for tag in e.tags:
                    if tag.startswith(key + ":") and len(tag) > len(key) + 1:
                        values[tag] = values.get(tag, 0) + 1
            elif key in e.properties:
                value = text_of(e.properties[key])
                values[value] = values.get(value, 0) + 1
        for value in sorted(values):
            if kind == "tag":
                site = value[len(key) + 1:]
                selector: dict[str, Any] = {"tag": value}
                how = f"tag {value}"
            else:
                site = value
                selector = {"property": {key: value}}
                how = f"property {key}: {value}"
            n = values[value]
            out.append((f"{key}-{_slug(site)}", f"Loss of {key} {site}", selector,
                        f"site: every element at {key} {site} fails ({how}; {n} element{'s' * (n != 1)})"))
    return out


def plausible_scenarios(model: Model, *, by: str | list[str] | None = None) -> list[Any]:
    """Return severe-but-plausible scenarios generated from ``model``, each saying why in its ``description``.

    Sites (named by ``by``: ``"tag:PREFIX"`` for tags written ``PREFIX:NAME``, ``"property:KEY"``
    for a property; default both ``tag:site`` and ``property:site``), vendors with everything
    they own, shared platforms disrupting two or more journeys, and single points of failure;
    see :mod:`cxgraph.analysis._plausible`. Elements keep their own recovery times.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... journeys:
    ...   - {id: a, name: A, customers: 10, touchpoints: [{id: ta, name: TA, depends_on: [db]}]}
    ...   - {id: b, name: B, customers: 10, touchpoints: [{id: tb, name: TB, depends_on: [db]}]}
    ... elements:
    ...   - {id: db, name: Database, kind: data, owner: host, tags: [site:north], recovery_hours: 6}
    ...   - {id: host, name: Hosting Ltd, kind: vendor, recovery_hours: 24}
    ... ''')
    >>> [(s.id, s.fail) for s in cx.plausible_scenarios(m)]  # the site is the database alone: one scenario
    [('site-north', []), ('vendor-host', ['host', 'db'])]
    >>> print(cx.plausible_scenarios(m)[0].description)
    site: every element at site north fails (tag site:north; 1 element);
    shared platform: its failure alone disrupts 2 journeys (A, B);
    single point of failure: its failure alone stops 2 touchpoints
    """
    from ..model import Scenario
    from .spof import single_points_of_failure

    specs = _parse_by(by)
    c = compile_model(model)
    found: dict[frozenset[str], dict[str, Any]] = {}
    order: list[frozenset[str]] = []
    taken: set[str] = set()

    def add(key: frozenset[str], make: dict[str, Any], reason: str) -> None:
        if key in found:
            found[key]["description"] += "; " + reason
            return
        ident, n = make["id"], 2
        while ident in taken:
            ident, n = f"{make['id']}-{n}", n + 1
        taken.add(ident)
        found[key] = {**make, "id": ident, "description": reason}
        order.append(key)

    for sid, name, selector, reason in _sites(model, specs):
        members = frozenset(e.id for e in model.elements if selector_matches(
            selector, tags=e.tags, kind=e.kind, owner=e.owner, properties=e.properties))
        add(members, {"id": sid, "name": name, "fail_where": selector}, reason)
    for e in model.elements:
        if e.kind != "vendor":
            continue
        owned = [x.id for x in model.elements if x.owner == e.id and x.id != e.id]
        reason = f"vendor: the third party {e.name} fails" + (
            f" with the {len(owned)} element{'s' * (len(owned) != 1)} it owns" if owned else "")
        add(frozenset([e.id, *owned]), {"id": f"vendor-{e.id}", "name": f"Loss of vendor {e.name}",
                                        "fail": [e.id, *owned]}, reason)
    first = c.n_touchpoints
    candidates = [i for i in range(first, c.n_nodes) if c.kinds[i] in PLATFORM_KINDS]
    if candidates and c.journey_ids:
        jl = c.journey_loss([{i: 1.0} for i in candidates])
        hit = jl > 0
        counts = hit.sum(axis=1)
        ranked = sorted((i for i in range(len(candidates)) if counts[i] >= 2),
                        key=lambda i: (-int(counts[i]), c.ids[candidates[i]]))
        for i in ranked:
            u = candidates[i]
            journeys = [c.journey_names[j] for j in np.flatnonzero(hit[i])]
            shown = ", ".join(journeys[:3]) + (f" and {len(journeys) - 3} more" if len(journeys) > 3 else "")
            add(frozenset([c.ids[u]]), {"id": f"platform-{c.ids[u]}", "name": f"Loss of {c.names[u]}",
                                        "fail": [c.ids[u]]},
                f"shared platform: its failure alone disrupts {int(counts[i])} journeys ({shown})")
    spof = single_points_of_failure(model, max_pair_elements=0).to_frame()
    for row in spof.to_dict(orient="records"):
        n = len(row["touchpoints"])
        add(frozenset([row["element"]]), {"id": f"spof-{row['element']}", "name": f"Loss of {row['name']}",
                                          "fail": [row["element"]]},
            f"single point of failure: its failure alone stops {n} touchpoint{'s' * (n != 1)}")
    return [Scenario.model_validate(found[key]) for key in order]
