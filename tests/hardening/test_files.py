"""Writes are atomic, and no command writes over the file it reads (cxgraph/_files.py and every -o)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph import _files
from cxgraph.cli import main


def _model(tmp_path: Path) -> Path:
    path = tmp_path / "m.yaml"
    cx.examples.load("telecom").save(path)
    return path


@pytest.mark.parametrize("argv", [
    ["report", "{m}", "-o", "{m}"],
    ["export", "{m}", "-o", "{m}", "--to", "json"],
    ["convert", "{m}", "-o", "{m}"],
    ["diagram", "{m}", "-o", "{link}"],
])
def test_output_that_is_the_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              argv: list[str]) -> None:
    model = _model(tmp_path)
    before = model.read_bytes()
    link = tmp_path / "hard.svg"
    os.link(model, link)
    args = [a.format(m=model, link=link) for a in argv]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "(the same file)" in err and "give --force to overwrite it" in err
    assert model.read_bytes() == before


def test_hard_and_symbolic_links_are_the_same_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = _model(tmp_path)
    os.link(model, tmp_path / "hard.json")
    os.symlink(model, tmp_path / "soft.json")
    for out in ("hard.json", "soft.json"):
        assert main(["convert", str(model), "-o", str(tmp_path / out)]) == 1
        assert "is the input" in capsys.readouterr().err
    assert cx.load(model) == cx.examples.load("telecom")


def test_force_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = _model(tmp_path)
    assert main(["export", str(model), "-o", str(model), "--to", "json", "--force"]) == 0
    assert model.read_text().startswith("{")


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "precious.json"
    good = cx.examples.load("telecom")
    cx.save(good, path)
    size = path.stat().st_size
    bad = good.model_copy(deep=True)
    bad.elements[0].name = "lone \udc80 surrogate"
    with pytest.raises(cx.ModelError, match=r"elements\[0\]\.name: the text holds U\+DC80"):  # as in every format
        cx.save(bad, path)
    with pytest.raises(cx.FormatError, match="cannot write character"):  # the writer itself fails as safely
        _files.write_text(path, cx.dumps(bad, format="json"))
    assert path.stat().st_size == size and sorted(p.name for p in tmp_path.iterdir()) == ["precious.json"]


@pytest.mark.parametrize("write", [
    lambda m, t: cx.save(m, t / "bank.yaml"),
    lambda m, t: cx.io.write_archimate(m, t / "bank.xml"),
    lambda m, t: cx.io.write_archi_csv(m, t / "archi"),
    lambda m, t: cx.io.write_tables(m, t / "bank.xlsx"),
    lambda m, t: cx.export(m, t / "bank.graphml"),
    lambda m, t: cx.report(m, t / "bank.html"),
])
def test_a_full_disk_leaves_nothing_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write) -> None:
    model = cx.examples.load("telecom")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="No space left"):
        write(model, tmp_path)
    left = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert left == []


def test_cli_reports_a_full_disk_and_permissions_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    model = _model(tmp_path)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / "bank.xml"))

    monkeypatch.setattr(os, "replace", full)
    assert main(["convert", str(model), "-o", str(tmp_path / "bank.xml")]) == 1
    assert capsys.readouterr().err == f"cxgraph: error: {tmp_path / 'bank.xml'}: No space left on device\n"
    monkeypatch.undo()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # running as a user that ignores permissions
            pytest.skip("permissions are not enforced for this user")
        assert main(["report", str(model), "-o", str(locked / "r.html")]) == 1
        err = capsys.readouterr().err
        assert err.startswith("cxgraph: error: ") and "Permission denied" in err and len(err.splitlines()) == 1
    finally:
        locked.chmod(0o700)


def test_folders_and_empty_names_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path)]) == 1
    assert "a folder with no CSV file" in capsys.readouterr().err
    assert main(["validate", ""]) == 1
    assert "no model given" in capsys.readouterr().err
    (tmp_path / "d.yaml").mkdir()
    assert main(["validate", str(tmp_path / "d.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"cxgraph: error: {tmp_path / 'd.yaml'}: ") and len(err.splitlines()) == 1
    model = _model(tmp_path)
    assert main(["report", str(model), "-o", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_new_files_get_the_usual_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        _files.write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(mask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
