"""Nothing lost on the way through: every format a model is written in reads back the model written.

The property runs through every format ``cxgraph convert`` writes, with odd, long and non-BMP
text, typed property values, empty and absent descriptions and duplicate-looking entries. A
write may instead be refused - with one of cxgraph's errors, before anything is written - only
where the model has problems (``check()`` fails) or a workbook cell could not hold a text.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import cxgraph as cx
from cxgraph.io.csvsafe import restore
from cxgraph.io.formats import FORMATS
from tests.strategies import roundtrip_models

EXCEL_CELL = 32_767

WRITE: dict[str, tuple[str, Callable[[cx.Model, Path], object]]] = {
    "yaml": ("m.yaml", lambda m, p: cx.save(m, p)),
    "json": ("m.json", lambda m, p: cx.save(m, p)),
    "xlsx": ("m.xlsx", lambda m, p: cx.io.write_tables(m, p)),
    "tables": ("tables", lambda m, p: cx.io.write_tables(m, p)),
    "archimate": ("m.xml", lambda m, p: cx.io.write_archimate(m, p)),
    "archi-csv": ("archi", lambda m, p: cx.io.write_archi_csv(m, p)),
}


def test_every_writable_format_is_covered() -> None:
    assert set(WRITE) == {f.name for f in FORMATS.values() if f.writable}


def _longest_cell(model: cx.Model, folder: Path) -> int:
    """The longest cell of the model's spreadsheet tables, as the CSV tables hold it."""
    cx.io.write_tables(model, folder)
    longest = 0
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            longest = max([longest, *(len(restore(cell)) for row in csv.reader(handle) for cell in row)])
    return longest


def _round_trip(fmt: str, model: cx.Model) -> None:
    name, write = WRITE[fmt]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        problems = model.problems()
        too_long = fmt == "xlsx" and not problems and _longest_cell(model, Path(folder) / "csv") > EXCEL_CELL
        if problems or too_long:
            with pytest.raises(cx.ModelError if problems else cx.FormatError) as info:
                write(model, target)
            expected = "in the model:" if problems else "an Excel cell holds at most 32,767"
            assert expected in str(info.value) and "Traceback" not in str(info.value)
            assert not target.exists()  # refused before anything is written
            return
        write(model, target)
        again, _ = cx.io.read_any(target, format=fmt)
    assert again == model


_PROPERTY = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("fmt", list(WRITE))
@_PROPERTY
@given(model=roundtrip_models())
def test_every_format_reads_back_the_model_written(fmt: str, model: cx.Model) -> None:
    _round_trip(fmt, model)
