"""MkDocs hook: reference material generated from the code, never copied by hand.

- ``<!-- cxgraph-help: COMMAND -->`` becomes a text block holding exactly what
  ``cxgraph COMMAND --help`` prints (``<!-- cxgraph-help -->`` alone: ``cxgraph --help``),
  rendered 80 columns wide so the page does not depend on the terminal that built it.
- ``<!-- cxgraph-fields: NAME -->`` becomes a table of the fields of one item of the
  model file (``Model``, ``Journey``, ``Touchpoint``, ...), from the JSON Schema that
  ``cxgraph schema`` prints.
- Sphinx cross-reference roles left in docstrings (``:func:`~cxgraph.impact```) are shown as
  plain code in the API reference (``impact``), not as the raw role.
- The JSON Schema itself is published as ``cxgraph-model.schema.json`` at the root of
  the site, so pages can link to it; so is the schema of every analysis's result, as
  ``cxgraph-result-NAME.schema.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
from typing import Any

SCHEMA_FILE = "cxgraph-model.schema.json"
HELP = re.compile(r"^<!-- cxgraph-help(?::\s*(?P<command>[a-z][a-z0-9-]*))?\s*-->$", re.MULTILINE)
ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj):<code>(?P<tilde>~?)(?P<target>[^<]*)</code>")
FIELDS = re.compile(r"^<!-- cxgraph-fields:\s*(?P<name>[A-Za-z]+)\s*-->$", re.MULTILINE)
WIDTH = "80"


# ---------------------------------------------------------------------------------------------- CLI help
def help_text(command: str | None = None) -> str:
    """Return what ``cxgraph [COMMAND] --help`` prints, rendered 80 columns wide."""
    from cxgraph.cli import main

    argv = [command, "--help"] if command else ["--help"]
    out = io.StringIO()
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            main(argv)
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    return out.getvalue().rstrip() + "\n"


def commands() -> list[str]:
    """Return the names of every registered ``cxgraph`` command, in ``--help`` order."""
    from cxgraph.cli import build_parser

    for action in build_parser()._actions:  # argparse has no public way to list subcommands
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


# ---------------------------------------------------------------------------------------------- fields
def _type(spec: dict[str, Any]) -> str:
    """Describe a JSON Schema type in words a spreadsheet user reads easily."""
    if "const" in spec:
        return f"`{spec['const']}`"
    if "enum" in spec:
        return "one of " + ", ".join(f"`{v}`" for v in spec["enum"])
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return "range `{low, high}` or `{low, mode, high}`" if name == "Uncertain" else f"[{name}](#{name.lower()})"
    if "anyOf" in spec:
        options = [s for s in spec["anyOf"] if s.get("type") != "null"]
        kinds = {s.get("type") for s in options}
        if {"integer", "number"} <= kinds:
            return "number or range" if any("$ref" in s for s in options) else "number"
        parts = list(dict.fromkeys(_type(s) for s in options))
        return " or ".join(parts)
    kind = spec.get("type")
    if kind == "array":
        item = _type(spec.get("items", {}))
        return f"list of {'ids or mappings' if item.startswith('text or ') else item}"
    if kind == "object":
        values = spec.get("additionalProperties")
        if isinstance(values, dict) and values.get("type") == "integer":
            return "mapping of group to whole number"
        return "mapping of text to text, number or true/false"
    return {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false"}.get(
        str(kind), str(kind))


def fields_table(name: str) -> str:
    """Return a Markdown table of the fields of one item of the model file, from the JSON Schema."""
    from cxgraph import json_schema

    schema = json_schema()
    spec = schema if name == "Model" else schema["$defs"][name]
    required = set(spec.get("required", ()))
    rows = ["| field | type | required / default | meaning |", "| --- | --- | --- | --- |"]
    for field, prop in spec["properties"].items():
        if field in required:
            default = "required"
        elif "default" in prop and prop["default"] is not None:
            default = f"default `{json.dumps(prop['default'])}`"
        else:
            default = "optional"
        meaning = str(prop.get("description", "")).replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{field}` | {_type(prop)} | {default} | {meaning} |")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------- MkDocs
def expand(markdown: str) -> str:
    """Replace every marker in ``markdown`` with the text generated from the code."""
    markdown = HELP.sub(lambda m: "```text\n" + help_text(m.group("command")) + "```", markdown)
    return FIELDS.sub(lambda m: fields_table(m.group("name")), markdown)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """MkDocs event: expand the markers of a page."""
    return expand(markdown)


def plain_roles(html: str) -> str:
    """Render Sphinx roles in HTML as code: ``:func:<code>~a.b</code>`` becomes ``<code>b</code>``."""

    def code(match: re.Match[str]) -> str:
        target = match.group("target")
        return f"<code>{target.rsplit('.', 1)[-1] if match.group('tilde') else target}</code>"

    return ROLE.sub(code, html)


def on_page_content(html: str, **kwargs: Any) -> str:
    """MkDocs event: show Sphinx roles from docstrings as plain code."""
    return plain_roles(html)


def on_files(files: Any, *, config: Any) -> Any:
    """MkDocs event: publish the JSON Schemas of the model file and of every result beside the pages."""
    from mkdocs.structure.files import File

    from cxgraph import json_schema
    from cxgraph.analysis.schemas import RESULTS, result_schema

    files.append(File.generated(config, SCHEMA_FILE, content=json.dumps(json_schema(), indent=2) + "\n"))
    for name in RESULTS:
        files.append(File.generated(config, f"cxgraph-result-{name}.schema.json",
                                    content=json.dumps(result_schema(name), indent=2) + "\n"))
    return files
