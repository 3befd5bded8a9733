"""JavaScript bundled with cxgraph, so that interactive views work offline: Cytoscape.js (MIT licence).

``cytoscape.min.js`` is the unmodified minified build of the npm package ``cytoscape`` at
:data:`CYTOSCAPE_VERSION`; its licence is ``LICENSE-cytoscape.txt`` beside it. To move to
another version, run ``python -m cxgraph.draw._vendor VERSION`` (it needs ``npm``), check the
interactive view's browser test, and commit both files.

Examples
--------
>>> from cxgraph.draw._vendor import cytoscape_js, CYTOSCAPE_VERSION
>>> js = cytoscape_js()
>>> "Cytoscape Consortium" in js[:400], "</script" in js
(True, False)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["CYTOSCAPE_VERSION", "cytoscape_js", "refresh"]

CYTOSCAPE_VERSION = "3.35.0"
"""The version of Cytoscape.js bundled."""

HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def cytoscape_js() -> str:
    """Return the bundled Cytoscape.js (minified), ready to inline in a ``<script>`` element."""
    return resources.files(__name__).joinpath("cytoscape.min.js").read_text(encoding="utf-8")


def refresh(version: str = CYTOSCAPE_VERSION, *, target: Path = HERE) -> None:
    """Download ``cytoscape@version`` with ``npm pack`` and copy its minified build and licence into ``target``.

    Examples
    --------
    >>> from cxgraph.draw._vendor import refresh
    >>> refresh("3.35.0")  # doctest: +SKIP
    """
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm is needed to refresh the bundled Cytoscape.js")
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([npm, "pack", f"cytoscape@{version}", "--silent"], cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        (archive,) = Path(work).glob("cytoscape-*.tgz")
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        script = (Path(work) / "package" / "dist" / "cytoscape.min.js").read_text(encoding="utf-8")
        if "</script" in script:
            raise ValueError("this build of Cytoscape.js cannot be inlined in an HTML page (it contains '</script')")
        (target / "cytoscape.min.js").write_text(script, encoding="utf-8")
        shutil.copyfile(Path(work) / "package" / "LICENSE", target / "LICENSE-cytoscape.txt")
    source = (target / "__init__.py").read_text(encoding="utf-8")
    old = f'CYTOSCAPE_VERSION = "{CYTOSCAPE_VERSION}"'
    (target / "__init__.py").write_text(source.replace(old, f'CYTOSCAPE_VERSION = "{version}"'), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    refresh(sys.argv[1] if len(sys.argv) > 1 else CYTOSCAPE_VERSION)
