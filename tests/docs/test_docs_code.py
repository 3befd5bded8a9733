"""Every code block on every docs page runs, so the docs cannot rot.

Rules, applied page by page, block by block, in a fresh temporary working directory:

- a block with ``title="NAME"`` (any language) is first written to the file NAME, so a
  page can say "save this as bank.yaml" and later run ``cxgraph validate bank.yaml``;
- ``python`` blocks run in order in one namespace per page;
- ``pycon`` blocks run as doctests in that same namespace (outputs compared);
- ``yaml`` blocks without a title that start with ``cxgraph:`` must load as a valid model;
- the working directory holds a copy of the repository's ``examples/*.yaml`` (as in a clone),
  so pages may use ``examples/retail-bank.yaml`` as well as ``example:retail-bank``;
- ``bash``/``sh``/``shell``/``console`` blocks: each command starting with ``cxgraph``
  (after an optional ``$ ``) runs through :func:`cxgraph.cli.main`. It must exit 0 unless
  the line ends with ``# exit code N``. In ``console`` blocks, the lines after a ``$ ``
  command up to the next one are its expected output (``...`` matches anything). A
  ``> FILE`` redirection writes the output to FILE. Other commands (pip, mkdocs, git)
  are not run.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import shlex
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pytest

import cxgraph as cx
from cxgraph.cli import main

matplotlib.use("Agg")

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_hooks" not in p.parts)

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)(?P<attrs>[^\n`]*)$")
TITLE = re.compile(r"""title=["']([^"']+)["']""")
SHELL = {"bash", "sh", "shell", "console"}
EXIT = re.compile(r"\s+#\s*exit code\s+(\d+)\s*$")


@dataclass
class Block:
    lang: str
    title: str | None
    code: str
    line: int


def blocks(text: str) -> list[Block]:
    """Return the fenced code blocks of a Markdown page, in order, dedented."""
    out: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        title = TITLE.search(match["attrs"])
        body: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        out.append(Block(match["lang"].lower(), title.group(1) if title else None,
                         textwrap.dedent("\n".join(body)) + "\n", i + 1))
        i = j + 1
    return out


def test_block_parser_reads_fences_titles_and_indented_blocks() -> None:
    page = 'Text\n\n```python title="a.py"\nx = 1\n```\n\n!!! note\n    ```yaml\n    a: 1\n    ```\n'
    found = blocks(page)
    assert [(b.lang, b.title, b.code, b.line) for b in found] == [
        ("python", "a.py", "x = 1\n", 3), ("yaml", None, "a: 1\n", 8)]


# ---------------------------------------------------------------------------------------------- shell
def run_cli(command: str) -> tuple[int, str]:
    """Run one ``cxgraph ...`` command line; return its exit code and its stdout + stderr."""
    command = EXIT.sub("", command)
    target = None
    if "|" in command:
        command = command.split("|", 1)[0]
    if ">" in command:
        command, target = (part.strip() for part in command.split(">", 1))
    argv = shlex.split(command, comments=True)[1:]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    if target:
        Path(target).write_text(out.getvalue(), encoding="utf-8")
        return code, err.getvalue()
    return code, out.getvalue() + err.getvalue()


def shell_commands(block: Block) -> list[tuple[str, int, str | None]]:
    """Return ``(command, expected exit code, expected output or None)`` for each cxgraph command."""
    found: list[tuple[str, int, str | None]] = []
    lines = block.code.splitlines()
    console = block.lang == "console"
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        is_command = line.startswith("$ ") or not console
        command = line.removeprefix("$ ").strip()
        while command.endswith("\\") and i < len(lines):
            command = command[:-1] + " " + lines[i].strip()
            i += 1
        expected: list[str] = []
        if console:
            while i < len(lines) and not lines[i].startswith("$ "):
                expected.append(lines[i])
                i += 1
        if not (is_command and command.startswith("cxgraph")) or (command.split() or [""])[0] != "cxgraph":
            continue
        exit_match = EXIT.search(command)
        code = int(exit_match.group(1)) if exit_match else 0
        output = "\n".join(expected).strip("\n") if console and any(s.strip() for s in expected) else None
        found.append((command, code, output))
    return found


def test_shell_commands_parsed_with_outputs_and_exit_codes() -> None:
    block = Block("console", None, "$ pip install cxgraph\n$ cxgraph validate bad.yaml  # exit code 1\n"
                                   "bad.yaml:3:5: x: y\n$ cxgraph schema > s.json\n", 1)
    assert shell_commands(block) == [("cxgraph validate bad.yaml  # exit code 1", 1, "bad.yaml:3:5: x: y"),
                                     ("cxgraph schema > s.json", 0, None)]


# ---------------------------------------------------------------------------------------------- pages
def run_pycon(block: Block, namespace: dict, name: str) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.code, namespace, name, name, block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out = io.StringIO()
    runner.run(test, out=out.write, clear_globs=False)
    assert runner.failures == 0, out.getvalue()


def run_block(block: Block, namespace: dict, page: Path) -> None:
    where = f"{page.name}:{block.line}"
    if block.title:
        path = Path(block.title)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.code, encoding="utf-8")
    if block.lang == "python":
        exec(compile(block.code, where, "exec"), namespace)  # the docs' own code, by design
    elif block.lang == "pycon":
        run_pycon(block, namespace, where)
    elif block.lang in ("yaml", "yml") and not block.title and block.code.lstrip().startswith("cxgraph:"):
        cx.loads(block.code, format="yaml").check()
    elif block.lang in SHELL:
        for command, expected_code, expected_output in shell_commands(block):
            code, output = run_cli(command)
            assert code == expected_code, f"{where}: `{command}` exited {code}:\n{output}"
            if expected_output is not None:
                checker = doctest.OutputChecker()
                flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
                assert checker.check_output(expected_output + "\n", output, flags), (
                    f"{where}: `{command}` printed:\n{output}\nexpected:\n{expected_output}")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_code_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").mkdir()
    for model in (ROOT / "examples").glob("*.yaml"):
        shutil.copy(model, tmp_path / "examples" / model.name)
    namespace: dict = {"__name__": "__docs__"}
    try:
        for block in blocks(page.read_text(encoding="utf-8")):
            run_block(block, namespace, page)
    finally:
        plt.close("all")


def test_every_page_is_collected() -> None:
    names = {p.name for p in PAGES}
    assert {"index.md", "concepts.md", "numbers.md", "cli.md", "faq.md"} <= names
