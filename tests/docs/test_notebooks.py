"""The notebooks in examples/ are stored without outputs and run top to bottom, drawing their figures.

Each notebook runs with nbclient in a Jupyter kernel of the interpreter running the tests
(a kernelspec written to a temporary JUPYTER_PATH), in a temporary working directory.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook tests need nbformat (pip install -e '.[test]')")
nbclient = pytest.importorskip("nbclient", reason="the notebook tests need nbclient (pip install -e '.[test]')")
pytest.importorskip("ipykernel", reason="the notebook tests need ipykernel (pip install -e '.[test]')")

ROOT = Path(__file__).parents[2]
NOTEBOOKS = sorted((ROOT / "examples").glob("*.ipynb"))
KERNEL = "cxgraph-tests"
EXPECTED = {"tutorial.ipynb", "retail-bank.ipynb", "telecom.ipynb", "online-retailer.ipynb", "calibrate-bank.ipynb",
            "resilience-self-assessment.ipynb"}


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JUPYTER_PATH holding one kernelspec that runs this very interpreter."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "cxgraph tests", "language": "python",
        "env": {"PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    }), encoding="utf-8")
    return root


def test_the_expected_notebooks_exist() -> None:
    assert {p.name for p in NOTEBOOKS} >= EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    dirty = [i for i, cell in enumerate(book.cells)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, f"{path.name}: clear the outputs of cells {dirty} before committing (see CONTRIBUTING.md)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_draws(path: Path, tmp_path: Path, kernel_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    monkeypatch.delenv("MPLBACKEND", raising=False)   # the kernel's inline backend draws the figures
    book = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(book, kernel_name=KERNEL, timeout=600,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()   # raises CellExecutionError, with the cell and its traceback, on any error

    errors, warnings, figures = [], [], 0
    for i, cell in enumerate(book.cells):
        if cell.cell_type != "code":
            continue
        images = 0
        for out in cell.outputs:
            if out.output_type == "error":
                errors.append(f"cell {i}: {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr" and "Warning" in out.text:
                warnings.append(f"cell {i}: {out.text.strip()}")
            if out.output_type in ("display_data", "execute_result"):
                images += int("image/png" in out.data or "image/svg+xml" in out.data)
        assert images <= 1, f"{path.name}: cell {i} shows {images} figures; a figure must show exactly once"
        figures += images
    assert not errors, "\n".join(errors)
    assert not warnings, "\n".join(warnings)
    assert figures >= 3, f"{path.name}: only {figures} figures in the outputs"


def test_a_figure_shows_in_a_fresh_kernel_without_matplotlib_magic(tmp_path: Path, kernel_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell("import cxgraph as cx\n"
                                            "cx.draw.ranking(cx.impact(cx.examples.load('telecom')), top=5)")]
    nbclient.NotebookClient(book, kernel_name=KERNEL, timeout=600,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = [o for o in book.cells[0].outputs if o.output_type in ("display_data", "execute_result")]
    assert [("image/png" in o.data or "image/svg+xml" in o.data) for o in shown] == [True]
