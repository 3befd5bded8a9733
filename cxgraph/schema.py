"""The JSON Schema of the model file format, generated from the model classes."""

from __future__ import annotations

from typing import Any

from .model import Model

__all__ = ["json_schema"]


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a cxgraph model file.

    It is generated from the pydantic classes; every field carries its description.
    Cross-references (an owner that exists, no cycles) are checked by cxgraph, not by the schema.

    Examples
    --------
    >>> schema = cx.json_schema()
    >>> schema["title"], sorted(schema["required"])
    ('cxgraph model', ['cxgraph'])
    >>> schema["$defs"]["Dependency"]["properties"]["strength"]["description"]
    'Share of function lost when the element is lost (0..1).'
    """
    schema = Model.model_json_schema(mode="validation")
    schema["title"] = "cxgraph model"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["required"] = ["cxgraph"]
    schema["properties"]["cxgraph"]["description"] = "Model file format version: 1."
    return schema
