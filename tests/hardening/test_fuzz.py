"""Fuzzing: every reader and every command on mutated inputs ends in a result or a located cxgraph error.

Each test draws a fixed number of inputs (the repo's hypothesis profile, derandomized in CI): a
valid file with bytes replaced, deleted, inserted or lines shuffled, or text from scratch. A
reader may return a model or raise one of cxgraph's errors (or FileNotFoundError); a command
may exit 0, 1 or 2 but never raise, never write over its input and never leave a partial file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.cli import main

DATA = Path(__file__).parents[1] / "data"
SHOP = (DATA / "tables" / "shop.yaml").read_bytes()
SHOP_JSON = cx.dumps(cx.load(DATA / "tables" / "shop.yaml"), format="json").encode()
EXCHANGE = (DATA / "archi" / "sample1-exchange.xml").read_bytes()
RUNS: dict[str, int] = {}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few bytes replaced, deleted or inserted, or its lines shuffled."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["replace", "delete", "insert", "lines", "digits"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "replace" and data:
            data[at] = draw(st.sampled_from(b"{}[]:,-'\"&<>!*#\n\t 0919eE\x00\xff"))
        elif kind == "delete" and data:
            del data[at: at + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([b"1e400", b"-1", b"nan", b"9" * 400, b"[[[[[[", b"\xc3", b"&x;",
                                                b"<!DOCTYPE x>", b"\\udc80", b"\"\"", b"{a: 1}", b"*a", b"&a "]))
        elif kind == "lines":
            lines = bytes(data).split(b"\n")
            data = bytearray(b"\n".join(draw(st.permutations(lines))))
        elif kind == "digits":
            data = bytearray(bytes(data).replace(b"0", draw(st.sampled_from([b"00000000000", b"-0", b"0.5e9"]))))
    return bytes(data)


def _count(name: str) -> None:
    RUNS[name] = RUNS.get(name, 0) + 1


def _read(reader, path: Path) -> None:
    try:
        reader(path)
    except (cx.CxGraphError, FileNotFoundError) as err:
        assert str(err).strip() and "Traceback" not in str(err)


@FUZZ
@given(st.one_of(mutated(SHOP), st.binary(max_size=200)))
def test_fuzz_yaml_reader(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("y") / "m.yaml"
    path.write_bytes(data)
    _count("yaml")
    _read(cx.load, path)


@FUZZ
@given(mutated(SHOP_JSON))
def test_fuzz_json_reader(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("j") / "m.json"
    path.write_bytes(data)
    _count("json")
    _read(cx.load, path)


@FUZZ
@given(st.sampled_from(sorted((DATA / "tables" / "shop").iterdir())), mutated(b""), st.data())
def test_fuzz_csv_tables_reader(tmp_path_factory: pytest.TempPathFactory, victim: Path, _: bytes,
                                data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("t") / "shop"
    shutil.copytree(DATA / "tables" / "shop", folder)
    (folder / victim.name).write_bytes(data.draw(mutated(victim.read_bytes())))
    _count("csv tables")
    _read(cx.io.read_tables, folder)


@FUZZ
@given(mutated(EXCHANGE))
def test_fuzz_archimate_reader(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("x") / "m.xml"
    path.write_bytes(data)
    _count("archimate")
    _read(lambda p: cx.io.read_archimate(p, journeys="customer-facing"), path)


@FUZZ
@given(st.sampled_from(["elements", "relations", "properties"]), st.data())
def test_fuzz_archi_csv_reader(tmp_path_factory: pytest.TempPathFactory, which: str, data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("a")
    for name in ("elements", "relations", "properties"):
        shutil.copy(DATA / "archi" / f"csv-test1-{name}.csv", folder / f"{name}.csv")
    (folder / f"{which}.csv").write_bytes(data.draw(mutated((DATA / "archi" / f"csv-test1-{which}.csv").read_bytes())))
    _count("archi csv")
    _read(lambda p: cx.io.read_archi_csv(p, journeys="customer-facing", customers=100), folder)


@FUZZ
@given(mutated(SHOP), st.sampled_from([
    ["validate", "{m}"], ["impact", "{m}", "--format", "json"], ["what-if", "{m}", "--fail", "db"],
    ["spof", "{m}"], ["export", "{m}", "-o", "{out}.dot"], ["convert", "{m}", "-o", "{out}.json"],
    ["priorities", "{m}", "--format", "csv"], ["scorecard", "{m}"], ["explain", "{m}", "db"],
]))
def test_fuzz_command_lines(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
                            data: bytes, argv: list[str]) -> None:
    folder = tmp_path_factory.mktemp("c")
    model = folder / "m.yaml"
    model.write_bytes(data)
    args = [a.format(m=model, out=folder / "out") for a in argv]
    _count("command lines")
    try:
        code = main(args)
    except SystemExit as exit_:  # argparse: a usage error
        code = exit_.code
    out = capsys.readouterr()
    assert code in (0, 1, 2), out.err
    assert "Traceback" not in out.err
    assert model.read_bytes() == data  # never written over
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []  # no temporary left

