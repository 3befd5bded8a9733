"""Reading and writing an :class:`~cxgraph.Estate` as Parquet files, with its model part as a model file.

A folder holds ``elements.parquet``, ``links.parquet`` and, optionally, ``model.json`` (or
``model.yaml``): the journeys, touchpoints, capabilities, metrics, initiatives and scenarios.
The link columns ``source``, ``target`` and ``group`` are read as dictionaries (pandas
categoricals), so millions of links never become millions of Python strings. Range columns
(``availability_low``, ``strength_high``, ...) are written and read like the others. The model
file is read as any model file (every problem at its line and column), its references to
the estate's elements resolved against the elements table.

Examples
--------
>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> cx.Estate.from_model(cx.examples.load("retail-bank")).write(folder)
>>> cx.io.read_estate(folder).n_elements == len(cx.examples.load("retail-bank").elements)
True
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..errors import FormatError, MissingDependencyError, ModelError
from ..model import Model
from ..model.estate import Estate
from .validate import model_from_document
from .yamljson import read_document

__all__ = ["read_estate", "write_estate"]

MODEL_FILES = ("model.json", "model.yaml", "model.yml")
"""The names the model part of an estate folder is looked for under, in this order."""


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is in the test extra
        raise MissingDependencyError("pyarrow", "large", "reading and writing estates as Parquet") from None
    return pq


def read_estate(path: str | os.PathLike[str], links: str | os.PathLike[str] | None = None, *,
                model: Model | str | os.PathLike[str] | None = None) -> Estate:
    """Read an estate from Parquet; see :meth:`cxgraph.Estate.read`.

    Examples
    --------
    >>> import tempfile
    >>> cx.io.read_estate(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: ...elements.parquet: no such Parquet file
    """
    pq = _parquet()
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    elements_file = folder / "elements.parquet" if path.is_dir() else path
    links_file = Path(links) if links is not None else folder / "links.parquet"
    for f in (elements_file, links_file):
        if not f.is_file():
            raise FormatError("no such Parquet file", file=str(f))
    try:
        els = pq.read_table(elements_file, read_dictionary=["kind", "owner"]).to_pandas()
        lnk = pq.read_table(links_file, read_dictionary=["source", "target", "group"]).to_pandas()
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        raise FormatError(f"cannot read the estate's Parquet files: {exc}", file=str(folder)) from None
    if model is None:
        found = [folder / name for name in MODEL_FILES if (folder / name).is_file()]
        model = found[0] if found else Model()
    if not isinstance(model, Model):
        model = read_model_part(model, els, lnk)
    return Estate.from_tables(els, lnk, model, source=str(folder))


def read_model_part(path: str | os.PathLike[str], elements: pd.DataFrame, links: pd.DataFrame) -> Model:
    """Read the model file of an estate: a model file whose dependencies may name the estate's elements.

    Every problem is reported at its line and column, as :func:`cxgraph.load` does; references
    to elements are resolved against ``elements`` (their rows are not part of the model read).
    """
    path = Path(path)
    fmt: Literal["yaml", "json"] = "json" if path.suffix.lower() == ".json" else "yaml"
    name = str(path)
    data, positions, problems = read_document(path.read_text(encoding="utf-8"), format=fmt, file=name)
    if data is None:
        raise ModelError(problems or [])
    if not isinstance(data, dict) or data.get("elements"):
        # a whole model in the file (or no mapping at all): read it as such and let the estate report the rest
        return model_from_document(data, file=name, positions=positions, problems=problems)
    from ._estates import model_part

    model, problems = model_part(data, elements, links, file=name, positions=positions, problems=problems)
    if model is None:
        raise ModelError(problems)
    return model


def write_estate(estate: Estate, folder: str | os.PathLike[str]) -> None:
    """Write an estate's tables and model part into ``folder``; see :meth:`cxgraph.Estate.write`.

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> cx.io.write_estate(cx.Estate.from_model(cx.examples.load("retail-bank")), folder)
    >>> sorted(os.listdir(folder))
    ['elements.parquet', 'links.parquet', 'model.json']
    """
    pq = _parquet()
    import pyarrow as pa

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(estate.elements, preserve_index=False), out / "elements.parquet")
    pq.write_table(pa.Table.from_pandas(estate.links, preserve_index=False), out / "links.parquet")
    # the model part alone refers to elements it does not hold: written as it is, never checked alone
    text = json.dumps(estate.model.to_dict(), indent=2, ensure_ascii=False)
    (out / "model.json").write_text(text + "\n", encoding="utf-8")
