"""``cxgraph convert`` between every format, and ``cxgraph template``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main
from cxgraph.cli.convert_cmds import FORMATS, input_format, output_format

DATA = Path(__file__).parent.parent / "data"
ARCHISURANCE = DATA / "archi" / "Archisurance.archimate"

# How each writable format is named on disk.
TARGETS = {"yaml": "m.yaml", "json": "m.json", "xlsx": "m.xlsx", "tables": "tables/", "archimate": "m.xml",
           "archi-csv": "archi/"}


def _read_back(fmt: str, path: Path) -> cx.Model:
    """Read a converted file with the library's own reader for that format."""
    if fmt in ("xlsx", "tables"):
        return cx.io.read_tables(path)
    if fmt == "archimate":
        return cx.io.read_archimate(path)[0]
    if fmt == "archi-csv":
        return cx.io.read_archi_csv(path)[0]
    return cx.load(path)


@pytest.fixture(scope="module")
def shop() -> cx.Model:
    return cx.io.read_tables(DATA / "tables" / "shop")


@pytest.fixture(scope="module")
def sources(shop: cx.Model, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shop model written once in every writable format."""
    folder = tmp_path_factory.mktemp("sources")
    assert main(["convert", str(DATA / "tables" / "shop"), "-o", str(folder / "m.yaml")]) == 0
    for fmt, name in TARGETS.items():
        if fmt != "yaml":
            assert main(["convert", str(folder / "m.yaml"), "-o", str(folder / name), "--to", fmt]) == 0
    return {fmt: folder / name for fmt, name in TARGETS.items()}


def test_every_format_is_in_the_matrix() -> None:
    assert sorted(TARGETS) == sorted(f.name for f in FORMATS.values() if f.writable)
    read_only = sorted(f.name for f in FORMATS.values() if not f.writable)  # tested below and in tests/io
    assert read_only == ["archi", "backstage", "coarchi", "jaeger", "servicenow", "structurizr", "zipkin"]


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("source", sorted(TARGETS))
def test_convert_between_every_pair_of_formats_keeps_the_model(
        source: str, target: str, sources: dict[str, Path], shop: cx.Model, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / TARGETS[target]
    capsys.readouterr()
    assert main(["convert", str(sources[source]), "-o", str(out)] + (["--to", target] if target == "archi-csv"
                                                                      else [])) == 0
    assert capsys.readouterr().out.endswith(
        f"wrote {out} ({target}: 2 journeys, 3 touchpoints, 6 elements, 2 capabilities, 2 metrics, 2 initiatives)\n")
    assert _read_back(target, out) == shop


def test_archimate_imports_print_the_readers_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "archisurance.yaml"
    assert main(["convert", str(ARCHISURANCE), "-o", str(out)]) == 0
    model, report = cx.io.read_archi(ARCHISURANCE)
    printed = capsys.readouterr()
    counts = [line for line in report.summary().splitlines() if not line.startswith("  note: ")]
    assert printed.out.startswith("\n".join(counts) + "\n")
    # The notes go to standard error: which journeys "auto" chose, and the other candidates.
    assert printed.err.splitlines() == [f"note: {n}" for n in report.notes]
    assert printed.err.startswith("note: journeys: chose view:Business Process View: 2 journeys, 7 touchpoints (7 "
                                  "with IT behind them), 13 dependency links")
    assert report.elements_read == report.elements_mapped + report.elements_kept > 0
    assert cx.load(out) == model


def test_archisurance_claim_journey_picked_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "claims.xlsx"
    assert main(["convert", str(ARCHISURANCE), "-o", str(out), "--journey",
                 "Handle Claim=Register; Accept; Valuate; Pay", "--customers", "Handle Claim=1500"]) == 0
    journey = cx.io.read_tables(out).journeys[0]
    assert (journey.name, journey.customers) == ("Handle Claim", 1500)
    assert [tp.name for tp in journey.touchpoints] == ["Register", "Accept", "Valuate", "Pay"]


def test_journeys_options_reach_the_reader(tmp_path: Path) -> None:
    out = tmp_path / "view.yaml"
    assert main(["convert", str(ARCHISURANCE), "-o", str(out), "--journeys", "view:Business Process View",
                 "--customers", "2000", "--ids", "names"]) == 0
    expected, _ = cx.io.read_archi(ARCHISURANCE, journeys="view:Business Process View", customers=2000.0,
                                   ids="names")
    assert cx.load(out) == expected
    assert expected.journeys and all(j.customers == 2000 for j in expected.journeys)


def test_archi_csv_with_a_file_name_prefix_is_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for part in ("elements", "relations", "properties"):
        shutil.copy(DATA / "archi" / f"csv-test1-{part}.csv", tmp_path)
    assert input_format(str(tmp_path)) == (FORMATS["archi-csv"], tmp_path / "csv-test1-")
    assert input_format(str(tmp_path / "csv-test1-")) == (FORMATS["archi-csv"], tmp_path / "csv-test1-")
    assert main(["convert", str(tmp_path), "-o", str(tmp_path / "m.yaml")]) == 0
    assert capsys.readouterr().out.startswith(f"{tmp_path / 'csv-test1-'} (Archi CSV)\n")
    shutil.copy(DATA / "archi" / "csv-test1-relations.csv", tmp_path / "other-relations.csv")
    with pytest.raises(cx.FormatError, match="several Archi CSV exports here"):
        input_format(str(tmp_path))


def test_a_folder_without_relations_is_spreadsheet_tables(tmp_path: Path) -> None:
    (tmp_path / "elements.csv").write_text("id,name,kind\na,A,system\n")
    assert input_format(str(tmp_path)) == (FORMATS["tables"], tmp_path)


@pytest.mark.parametrize(("content", "expected"), [
    (b'<?xml version="1.0"?><model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"/>', "archimate"),
    (b'{"cxgraph": 1}', "json"),
    (b"# notes\ncxgraph: 1\nname: X\n", "yaml"),
])
def test_files_without_a_known_extension_are_recognised_by_content(tmp_path: Path, content: bytes,
                                                                    expected: str) -> None:
    path = tmp_path / "model.txt"
    path.write_bytes(content)
    assert input_format(str(path))[0].name == expected


def test_workbooks_and_archi_archives_are_told_apart_by_their_content(tmp_path: Path) -> None:
    cx.io.write_tables(cx.Model(name="Book"), tmp_path / "book.xlsx")
    (tmp_path / "book.xlsx").rename(tmp_path / "book.bin")
    assert input_format(str(tmp_path / "book.bin"))[0].name == "xlsx"
    import zipfile

    with zipfile.ZipFile(tmp_path / "model.zip", "w") as archive:
        archive.writestr("model.archimate", ARCHISURANCE.read_text(encoding="utf-8"))
    assert input_format(str(tmp_path / "model.zip"))[0].name == "archi"
    (tmp_path / "notes.txt").write_text("just some notes")
    with pytest.raises(cx.FormatError, match=r"cannot tell the format of 'notes\.txt'.*give --from"):
        input_format(str(tmp_path / "notes.txt"))


def test_output_formats_from_extensions_and_folders() -> None:
    assert [output_format(s, None).name for s in ("a.yml", "a.JSON", "a.xlsx", "a.xml", "out/", "out")] == [
        "yaml", "json", "xlsx", "archimate", "tables", "tables"]
    assert output_format("out/", "archi-csv").name == "archi-csv"


@pytest.mark.parametrize(("out", "extra", "message"), [
    ("m.mmd", [], "'m.mmd' is a diagram or graph format: write it with 'cxgraph export MODEL -o "),
    ("m.csv", [], "a model is several tables, not one CSV file: give a folder ('-o m/') for spreadsheet tables, "
                  "or add --to archi-csv for Archi's CSV files"),
    ("m.archimate", [], "cxgraph reads archi (Archi model file) but does not write it: write an ArchiMate "
                        "exchange file (.xml), which Archi opens with File > Import > Open Exchange File, or Archi "
                        "CSV (--to archi-csv); it writes yaml (.yaml, .yml), json (.json), xlsx (.xlsx, .xlsm), "
                        "tables (a folder), archimate (.xml), archi-csv (a folder)"),
    ("m.txt", [], "cannot tell the output format from 'm.txt': it writes yaml (.yaml, .yml), json (.json), "
                  "xlsx (.xlsx, .xlsm), tables (a folder), archimate (.xml), archi-csv (a folder); or give --to"),
    ("-", [], "standard output ('-o -') takes --to yaml or --to json"),
    ("m.yaml", ["--impact", "customers"], "--impact adds properties to ArchiMate exchange and Archi CSV files, "
                                         "not to yaml"),
    ("m.yaml", ["--journeys", "view:X"], "--journeys/--journey apply to ArchiMate and Archi inputs, not to yaml"),
    ("m.yaml", ["--customer-role", "Client"], "--customer-role apply to ArchiMate and Archi inputs, not to yaml"),
])
def test_unsupported_combinations_say_what_is_supported(out: str, extra: list[str], message: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = out if out == "-" else str(tmp_path / out)
    assert main(["convert", "example:retail-bank", "-o", target, *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"cxgraph: error: {message}"), err


def test_bad_command_line_options_for_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "m.yaml")
    assert main(["convert", str(ARCHISURANCE), "-o", out, "--journey", "no steps"]) == 1
    assert "--journey takes NAME=STEP; STEP; ..., got 'no steps'" in capsys.readouterr().err
    assert main(["convert", str(ARCHISURANCE), "-o", out, "--customers", "many"]) == 1
    assert "--customers takes a number or JOURNEY=NUMBER, got 'many'" in capsys.readouterr().err
    assert main(["convert", str(ARCHISURANCE), "-o", out, "--journeys", "view:X", "--journey", "A=B"]) == 1
    assert "give either --journeys or --journey, not both" in capsys.readouterr().err


def test_same_input_and_output_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.yaml"
    cx.save(cx.Model(name="Same"), path)
    assert main(["convert", str(path), "-o", str(path)]) == 1
    assert "(the same file)" in capsys.readouterr().err
    assert cx.load(path).name == "Same"


def test_missing_input_and_invalid_tables_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(tmp_path / "absent.yaml"), "-o", str(tmp_path / "m.json")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["convert", str(DATA / "tables" / "bad"), "-o", str(tmp_path / "m.yaml")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 16 and err[0].endswith("journeys.csv:2:4: customers: expected a number, got 'lots'")
    assert not (tmp_path / "m.yaml").exists()


def test_standard_output_holds_only_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(DATA / "tables" / "shop"), "-o", "-", "--to", "yaml"]) == 0
    captured = capsys.readouterr()
    assert cx.loads(captured.out) == cx.io.read_tables(DATA / "tables" / "shop")
    assert captured.err.startswith(f"read {DATA / 'tables' / 'shop'}: 2 journeys")


def test_impact_goes_into_the_exchange_file_as_properties(tmp_path: Path) -> None:
    out = tmp_path / "bank.xml"
    assert main(["convert", "example:retail-bank", "-o", str(out), "--impact", "interactions"]) == 0
    result = cx.impact(cx.examples.load("retail-bank"))
    back, _ = cx.io.read_archimate(out)
    element = back.elements[0]
    assert element.properties["cxgraph:impact"] == pytest.approx(result.impact[element.id])
    assert element.properties["cxgraph:impact-rank"] == result.rank[element.id]


def test_impact_by_revenue_goes_into_archi_csv(tmp_path: Path) -> None:
    out = tmp_path / "archi"
    assert main(["convert", "example:retail-bank", "-o", str(out), "--to", "archi-csv", "--impact", "revenue"]) == 0
    result = cx.impact(cx.examples.load("retail-bank"), measure="revenue")
    back, _ = cx.io.read_archi_csv(out)
    element = back.elements[0]
    assert float(element.properties["cxgraph:impact"]) == pytest.approx(result.impact[element.id])  # CSV: text


@pytest.mark.parametrize("name", ["t.xlsx", "t/"])
def test_template_command(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    target = str(tmp_path / name)
    assert main(["template", target]) == 0
    files = "" if name.endswith(".xlsx") else " (14 files)"
    assert capsys.readouterr().out == f"wrote {target}{files}\n"
    assert cx.io.read_tables(target) == cx.Model(name="t")  # the example rows are comments


def test_convert_reads_yaml_safely_as_text(tmp_path: Path) -> None:
    path = tmp_path / "m.yml"
    path.write_text("cxgraph: 1\nname: 1.10\nelements: [{id: no, name: on, kind: system}]\n")
    out = tmp_path / "tables"
    assert main(["convert", str(path), "-o", str(out)]) == 0
    assert (out / "elements.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "no,on,system,,,,,,,,"
    assert (out / "model.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "1,1.10,month,,,"


def test_into_writes_results_into_the_original_exchange_file(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    original = DATA / "archi" / "archisurance-exchange.xml"
    out = tmp_path / "annotated.xml"
    assert main(["convert", str(original), "-o", str(out), "--into", str(original)]) == 0
    model, _ = cx.io.read_archimate(original)
    impact = cx.impact(model)
    expected = tmp_path / "expected.xml"
    cx.io.write_archimate(model, expected, result=impact, base=original)
    assert out.read_text() == expected.read_text()
    text = out.read_text()
    assert text.count("<view ") == original.read_text().count("<view ") == 18  # views and organisation kept
    assert "cxgraph:impact" in text
    capsys.readouterr()
    v21 = tmp_path / "old.xml"
    v21.write_text('<model xmlns="http://www.opengroup.org/xsd/archimate" identifier="m"><name>Old</name></model>')
    assert main(["convert", str(v21), "-o", str(tmp_path / "x.xml"), "--into", str(v21)]) == 1
    assert "this is an ArchiMate 2.1 exchange file, and results are written into 3.0 and 3.1 files only: open it " \
           "in Archi and export it again" in capsys.readouterr().err


def test_repeated_links_are_one_line_of_the_import_log() -> None:
    log = cx.io.ImportLog("x.xml", "ArchiMate exchange 3.x", relationships=(
        cx.io.ImportEntry("r1", "Access", "", "mapped", "dependency (same link as r0)"),
        cx.io.ImportEntry("r2", "Access", "", "mapped", "dependency (same link as r9)")))
    assert "  mapped relationships: 2 dependency (repeated link)" in log.summary().splitlines()
