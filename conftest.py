"""Doctests get ``cx`` (the package) injected, as in ``import cxgraph as cx``."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _inject_cx(doctest_namespace: dict) -> None:
    import cxgraph

    doctest_namespace["cx"] = cxgraph
