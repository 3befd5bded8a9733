"""The one JSON shape of every result (DESIGN §5): the envelope, ``items`` rows with ``id``, ``name``, ``type``.

Each analysis's result class writes its content as it sees it; :class:`~cxgraph.analysis.Result`
passes it through :func:`envelope`, which puts the envelope first (``cxgraph_result``,
``analysis``, ``model``, ``measure``, ``unit``, ``notes``) and gives the content one shape:

- the first list of rows is ``items``; any other list of rows is ``<singular>_items``
  (``journeys`` -> ``journey_items``);
- every row names its subject with ``id``, ``name`` and ``type`` (a row about an element
  keyed ``element`` gets ``id`` = that element and ``type`` = "element"; a pair of elements
  gets the id ``a+b`` and ``element_ids``);
- a count is ``n_...`` (``touchpoints: 3`` -> ``n_touchpoints``), a list of ids ``..._ids``
  (``touchpoints: [...]`` -> ``touchpoint_ids``);
- ``note`` (one text) joins ``notes`` (a list of texts).

Examples
--------
>>> from cxgraph.analysis._envelope import envelope
>>> out = envelope("spof", {"model": "M", "unit": "u", "note": "n",
...                          "single": [{"element": "db", "name": "DB", "touchpoints": ["t1"], "loss": 2.0}]})
>>> list(out)[:6]
['cxgraph_result', 'analysis', 'model', 'measure', 'unit', 'notes']
>>> out["notes"], out["items"]
(['n'], [{'id': 'db', 'name': 'DB', 'type': 'element', 'touchpoint_ids': ['t1'], 'loss': 2.0}])
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMAT", "envelope", "singular"]

FORMAT = 1
"""The version of the result format (the envelope's ``cxgraph_result``)."""

#: Keys that name a row's subject, and the type that subject has.
SUBJECTS = {"element": "element", "journey": "journey", "touchpoint": "touchpoint", "metric": "metric",
            "segment": "segment", "capability": "capability", "initiative": "initiative", "input": "input",
            "owner": "owner"}
#: Plural nouns whose integer is a count and whose list of texts is a list of ids.
COUNTED = {"journeys", "touchpoints", "elements", "metrics", "spofs", "capabilities", "initiatives", "paths",
           "samples", "stages", "segments", "metrics_with_gap", "top_risks", "lost_touchpoints", "new_spofs",
           "resolved_spofs", "path", "requires", "chosen", "added", "removed"}
#: Top-level keys that hold rows, even when there are none.
ROW_KEYS = {"rows", "items", "single", "pairs", "elements", "capabilities", "journeys", "segments", "touchpoints",
            "paths", "metrics", "risks", "initiatives", "plans", "marginals", "inputs", "influence"}
_IRREGULAR = {"capabilities": "capability", "rows": "item", "single": "item", "influence": "influence",
              "pairs": "pair", "path": "path", "metrics_with_gap": "metric_with_gap", "top_risks": "top_risk",
              "lost_touchpoints": "lost_touchpoint", "new_spofs": "new_spof", "resolved_spofs": "resolved_spof",
              "requires": "required", "chosen": "chosen", "added": "added", "removed": "removed"}


def singular(word: str) -> str:
    """Return the singular of a plural key (``journeys`` -> ``journey``).

    Examples
    --------
    >>> from cxgraph.analysis._envelope import singular
    >>> singular("journeys"), singular("capabilities"), singular("paths")
    ('journey', 'capability', 'path')
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _is_ids(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


def _row(row: dict[str, Any], kind: str, names: dict[str, str]) -> dict[str, Any]:
    """Give one row ``id``, ``name`` and ``type`` first, counts ``n_...`` and lists of ids ``..._ids``."""
    out: dict[str, Any] = {}
    rest = dict(row)
    if "id" in rest:
        out["id"] = rest.pop("id")
        row_type = rest.pop("type", None) or kind
    elif "first" in rest and "second" in rest:
        first, second = rest.pop("first"), rest.pop("second")
        out["id"] = f"{first}+{second}"
        rest = {"element_ids": [first, second], **rest}
        row_type = "pair"
    else:
        subject = kind if isinstance(rest.get(kind), str) and kind in SUBJECTS else next(
            (k for k in SUBJECTS if k in rest and isinstance(rest[k], str)), None)
        if subject is not None:
            out["id"] = rest.pop(subject)
            row_type = SUBJECTS[subject]
        elif "budget" in rest:
            out["id"] = f"budget:{rest['budget']:g}"
            row_type = kind
        else:
            out["id"] = str(next(iter(rest.values()), ""))
            row_type = kind
    name = rest.pop("name", None)
    out["name"] = name if name is not None else names.get(str(out["id"]), str(out["id"]))
    if rest.get("kind") in ("touchpoint", "capability"):  # a list of elements that also holds touchpoints
        row_type = rest["kind"]
    out["type"] = rest.pop("type", None) or row_type
    for key, value in rest.items():
        if key in SUBJECTS and isinstance(value, str):
            out[f"{key}_id"] = value
        elif key in COUNTED and isinstance(value, int) and not isinstance(value, bool):
            out[f"n_{key}"] = value
        elif key in COUNTED and _is_ids(value):
            out[f"{singular(key)}_ids"] = list(value)
        else:
            out[key] = value
    return out


def _names(content: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for value in content.values():
        if _is_rows(value):
            for row in value:
                key = row.get("id") or next((row[k] for k in SUBJECTS if isinstance(row.get(k), str)), None)
                if isinstance(key, str) and isinstance(row.get("name"), str):
                    names.setdefault(key, row["name"])
    return names


def envelope(analysis: str, content: dict[str, Any], *, model: str | None = None, measure: str | None = None,
             unit: str | None = None, notes: Any = ()) -> dict[str, Any]:
    """Return ``content`` in the result format: the envelope first, then the content in one shape.

    ``model``, ``measure``, ``unit`` and ``notes`` are used where the content has none.
    """
    content = dict(content)
    all_notes = [str(n) for n in (content.pop("notes", None) or notes or ())]
    note = content.pop("note", None)
    if note:
        all_notes.append(str(note))
    measure_value = content.pop("measure", None) or content.pop("weight", None) or measure
    out: dict[str, Any] = {
        "cxgraph_result": FORMAT,
        "analysis": analysis,
        "model": content.pop("model", None) or model or content.get("after"),
        "measure": measure_value if isinstance(measure_value, str | type(None)) else "weight",
        "unit": content.pop("unit", None) or unit,
        "notes": all_notes,
    }
    names = _names(content)
    row_lists = [k for k, v in content.items() if _is_rows(v) or (isinstance(v, list) and not v and k in ROW_KEYS)]
    primary = "items" if "items" in content else (row_lists[0] if row_lists else None)
    for key, value in content.items():
        if key == primary:
            out["items"] = [_row(r, singular(key), names) for r in value] if _is_rows(value) else []
        elif _is_rows(value) or (key in row_lists):
            new = key if key.endswith("items") else f"{singular(key)}_items"
            out[new] = [_row(r, singular(key), names) for r in value]
        elif key in COUNTED and isinstance(value, int) and not isinstance(value, bool):
            out[f"n_{key}"] = value
        elif key in COUNTED and _is_ids(value):
            out[f"{singular(key)}_ids"] = list(value)
        elif isinstance(value, dict) and value and all(_is_ids(v) for v in value.values()) and key in COUNTED:
            out[f"{singular(key)}_ids"] = {k: list(v) for k, v in value.items()}
        else:
            out[key] = value
    if "items" not in out:
        out["items"] = []
    return out
