import pytest

from cxgraph.cli import main


@pytest.mark.parametrize(("args", "head"), [
    (["--journey", "pay-bill"], b"<?xml"),
    (["--kind", "capabilities", "--by", "priority"], b"<?xml"),
    (["--kind", "ranking", "--top", "5"], b"<?xml"),
    (["--kind", "journeys", "--journey", "move-house"], b"<?xml"),
    (["--focus", "billing-db", "--all"], b"<?xml"),
])
def test_diagram_writes_each_kind(tmp_path, capsys, args: list[str], head: bytes) -> None:
    out = tmp_path / "figure.svg"
    assert main(["diagram", "example:telecom", "-o", str(out), *args]) == 0
    assert out.read_bytes().startswith(head)
    assert capsys.readouterr().out == f"wrote {out}\n"


def test_same_model_same_svg_bytes_and_png_pdf_work(tmp_path) -> None:
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    for path in (a, b):
        assert main(["diagram", "example:retail-bank", "-o", str(path), "--journey", "card-help"]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert main(["diagram", "example:retail-bank", "-o", str(tmp_path / "c.png"), "--dpi", "50",
                 "--journey", "card-help"]) == 0
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    assert main(["diagram", "example:retail-bank", "-o", str(tmp_path / "d.pdf"), "--kind", "ranking"]) == 0
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "x.gif"], "cannot tell the figure format from 'x.gif': use .svg, .png or .pdf"),
    (["-o", "x.svg", "--journey", "pay-bil"], "unknown journey 'pay-bil' (did you mean 'pay-bill'?)"),
    (["-o", "x.svg", "--kind", "ranking", "--focus", "crm"], "--focus draws a blueprint"),
    (["-o", "x.svg", "--top", "0"], "--top must be at least 1, got 0"),
    (["-o", "x.png", "--dpi", "nan"], "--dpi must be a number > 0, got nan"),
    (["-o", "x.png", "--dpi", "100000"], "over the limit of 100,000,000 (set cxgraph.limits.MAX_PIXELS"),
])
def test_bad_arguments_exit_1_with_a_message(tmp_path, capsys, monkeypatch, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["diagram", "example:telecom", *args]) == 1
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_missing_output_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["diagram", "example:telecom"])
    assert exit_info.value.code == 2
