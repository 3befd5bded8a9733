"""Every file in tests/data/bad/ fails validation with exactly the messages in its .expected file."""

from __future__ import annotations

from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main

BAD = Path(__file__).parents[1] / "data" / "bad"
FILES = sorted(p for p in BAD.iterdir() if p.suffix in (".yaml", ".json"))


def test_corpus_is_large_enough() -> None:
    assert len(FILES) >= 25


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_validate_prints_exact_messages(path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    assert main(["validate", path.name]) == 1
    expected = path.with_suffix(".expected").read_text(encoding="utf-8")
    assert capsys.readouterr().err == expected


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_load_raises_one_model_error_with_every_problem(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    with pytest.raises(cx.ModelError) as info:
        cx.load(path)
    assert isinstance(info.value, ValueError)
    assert len(info.value.problems) == len(expected)
    for problem in info.value.problems:
        assert problem.file == str(path)
        assert problem.line is not None and problem.column is not None
