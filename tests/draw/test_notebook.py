"""In a notebook, a figure returned by cx.draw shows once, as the value of its cell."""

import nbformat
import pytest
from nbclient import NotebookClient

CELLS = [
    "%matplotlib inline\nimport cxgraph as cx\nmodel = cx.examples.load('telecom')",
    "cx.draw.blueprint(model, journey='move-house')",  # shown once, as the cell's value
    "fig = cx.draw.capability_map(model)",  # assigned: not shown
    "fig",  # shown once
    "cx.impact(model).plot(top=5);",  # a trailing semicolon hides it
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n_ = cx.draw.ranking(cx.impact(model), top=3, ax=ax)",
]


@pytest.fixture(scope="module")
def outputs() -> list[list[dict]]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    return [cell.outputs for cell in nb.cells]


def _images(cell_outputs: list[dict]) -> int:
    return sum(1 for o in cell_outputs if "image/png" in o.get("data", {}))


def test_each_figure_shows_exactly_once(outputs) -> None:
    assert [_images(o) for o in outputs] == [0, 1, 0, 1, 0, 1]
    # the pyplot figure the user made (with our ranking on its axes) shows once, by pyplot
    assert not any(o.get("output_type") == "error" for cell in outputs for o in cell)
