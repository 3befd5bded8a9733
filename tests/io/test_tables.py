from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.io.tables.cells import (
    CellError,
    decode,
    encode_list,
    encode_needs,
    encode_scalar,
    parse_needs,
    parse_number,
)
from cxgraph.io.tables.layout import SHEETS
from tests.strategies import models, portfolios

DATA = Path(__file__).parent.parent / "data" / "tables"
ROOT = Path(__file__).parent.parent.parent


def _csv_to_workbook(folder: Path, target: Path, *, typed: bool = False) -> Path:
    """Copy every CSV file of a folder into a workbook, cell by cell, as a person would type it."""
    import csv

    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob("*.csv")):
        ws = book.create_sheet(path.stem)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                cells: list[object] = []
                for value in row:
                    if typed and value.replace(".", "", 1).isdigit() and value != "1.10":
                        cells.append(float(value) if "." in value else int(value))  # Excel stores typed numbers
                    else:
                        cells.append(value or None)
                ws.append(cells)
    book.save(target)
    return target


def _problems(err: pytest.ExceptionInfo[cx.ModelError]) -> list[tuple[str, int | None, int | None, str, str]]:
    return [(Path(p.file or "").name, p.line, p.column, p.path, p.message) for p in err.value.problems]


# ------------------------------------------------------------------------------------------ hand-filled
def test_hand_filled_csv_folder_reads_to_the_model_written_by_hand() -> None:
    model = cx.io.read_tables(DATA / "shop")
    assert model == cx.load(DATA / "shop.yaml")
    assert [tp.id for tp in model.journeys[0].touchpoints] == ["browse", "checkout"]  # row order, blank row skipped


def test_hand_filled_workbook_with_typed_numbers_reads_the_same(tmp_path: Path) -> None:
    book = _csv_to_workbook(DATA / "shop", tmp_path / "shop.xlsx", typed=True)
    model = cx.io.read_tables(book)
    assert model == cx.load(DATA / "shop.yaml")
    assert model.journeys[0].touchpoints[1].reach == 0.6


BAD_CSV = [
    ("journeys.csv", 2, 4, "customers", "expected a number, got 'lots'"),
    ("journeys.csv", 3, 1, "id", "duplicate id 'buy' (first defined at journeys.csv row 2)"),
    ("journeys.csv", 3, 5, "revenue", "expected a number or a range low..high or low..mode..high, got '1..2..3..4'"),
    ("touchpoints.csv", 2, 5, "reach", "must be between 0 and 1, got 1.5"),
    ("touchpoints.csv", 3, 1, "journey", "unknown journey 'by' (did you mean 'buy'?)"),
    ("touchpoints.csv", 3, 5, "reach", "must be between 0 and 1, got 2"),
    ("touchpoints.csv", 4, 6, "needs", "expected group=k entries separated by ';' (e.g. pay=1; kyc=2), got 'pay'"),
    ("elements.csv", 1, 4, "colour", "unknown column 'colour' (expected id, name, kind, owner, needs, availability, "
                                     "failures_per_year, recovery_hours, added_by, description, tags); name extra "
                                     "columns prop:<key> for free properties"),
    ("elements.csv", 2, 3, "kind", "unknown kind 'sytem' (expected one of system, service, infrastructure, data, "
                                   "process, team, vendor); did you mean 'system'?"),
    ("dependencies.csv", 3, 1, "from", "'buy' is a journey: a dependency goes from a touchpoint or an element"),
    ("dependencies.csv", 4, 2, "to", "unknown element 'ghost'"),
    ("dependencies.csv", 5, 3, "strength", "must be between 0 and 1, got 2"),
    ("metrics.csv", 1, None, "target", "missing column 'target' (required)"),
    ("initiatives.csv", 2, 4, "requires", "unknown tag '!!list' (a cell starting with '!!' is a tagged value: "
                                          "!!str, !!int, !!float, !!bool, !!null, !!seq, !!map)"),
    ("improvements.csv", 2, 1, "initiative", "unknown initiative 'fx' (did you mean 'fix'?)"),
    ("touchpionts.csv", None, None, "", "unknown sheet 'touchpionts' (did you mean 'touchpoints'?): the sheets are "
                                        "model, journeys, stages, touchpoints, elements, dependencies, capabilities, "
                                        "metrics, initiatives, improvements, settings, link_changes, scenarios; "
                                        "start a name with '_' for notes the reader skips"),
]


def test_bad_csv_folder_reports_every_problem_at_its_file_row_and_column() -> None:
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables(DATA / "bad")
    # The touchpoint "pay" (an unknown journey) still has its cells checked, and its dependency is no problem.
    assert _problems(err) == BAD_CSV
    assert str(err.value.problems[0]).endswith("journeys.csv:2:4: customers: expected a number, got 'lots'")


def test_bad_workbook_names_the_sheet_in_each_problem(tmp_path: Path) -> None:
    book = _csv_to_workbook(DATA / "bad", tmp_path / "bad.xlsx")
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables(book)
    expected = [(f"bad.xlsx[{file.removesuffix('.csv')}]", line, column, path,
                 message.replace("journeys.csv row", "bad.xlsx[journeys] row"))
                for file, line, column, path, message in BAD_CSV]
    assert _problems(err) == expected


def test_rows_are_numbered_as_the_user_sees_them_past_comments_and_blank_rows(tmp_path: Path) -> None:
    (tmp_path / "elements.csv").write_text("id,name,kind\n# a comment,,\n\na,A,system\nb,B,sytem\n")
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables(tmp_path)
    assert [(p.line, p.path) for p in err.value.problems] == [(5, "kind")]  # header 1, comment 2, blank 3, a 4


def test_multi_line_cells_count_as_one_row(tmp_path: Path) -> None:
    (tmp_path / "elements.csv").write_text('id,name,kind,description\na,A,system,"two\nlines"\nb,B,sytem,\n')
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables(tmp_path)
    assert [(p.line, p.column) for p in err.value.problems] == [(3, 3)]


def test_problems_of_elements_after_an_added_one_name_their_own_row(tmp_path: Path) -> None:
    (tmp_path / "initiatives.csv").write_text("id,name,cost\nini,Ini,10\n")
    (tmp_path / "elements.csv").write_text("id,name,kind,added_by\nx,X,system,ini\ny,Y,sytem,\n")
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables(tmp_path)
    assert [(p.line, p.column, p.path) for p in err.value.problems] == [(3, 3, "kind")]  # y's row, not x's


def test_header_problems_missing_name_and_repeated_column(tmp_path: Path) -> None:
    (tmp_path / "elements.csv").write_text("id,name,kind,,Name\na,A,system,x,B\n")
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables(tmp_path)
    assert _problems(err) == [
        ("elements.csv", 1, 4, "", "column 4 has values but no name in row 1"),
        ("elements.csv", 1, 5, "name", "column 'name' appears twice (first in column 2)"),
    ]


def test_model_sheet_has_one_row_and_is_optional(tmp_path: Path) -> None:
    folder = tmp_path / "my-bank"
    folder.mkdir()
    (folder / "journeys.csv").write_text("id,name,customers\nj,J,1\n")
    assert cx.io.read_tables(folder).name == "my-bank"
    (folder / "model.csv").write_text("name,prop:owner\nBank,EA team\nOther,\n")
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables(folder)
    assert _problems(err) == [("model.csv", 3, None, "", "the model sheet has one row (the model as a whole)")]


def test_sheets_starting_with_underscore_and_instructions_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "_notes.csv").write_text("anything,at all\n1,2\n")
    (tmp_path / "instructions.csv").write_text("sheet,column\n")
    (tmp_path / "README.md").write_text("not a table")
    (tmp_path / "Elements.csv").write_text("ID,Name,KIND\na,A,system\n")
    assert [e.id for e in cx.io.read_tables(tmp_path).elements] == ["a"]


def test_semicolon_separated_csv_as_excel_writes_in_some_languages(tmp_path: Path) -> None:
    (tmp_path / "journeys.csv").write_bytes("\ufeffid;name;customers\nj;Été;1000..2000\n".encode())
    journey = cx.io.read_tables(tmp_path).journeys[0]
    assert (journey.name, journey.customers) == ("Été", cx.Uncertain(low=1000, high=2000))


def test_a_dependency_may_only_come_from_a_touchpoint_or_element(tmp_path: Path) -> None:
    (tmp_path / "elements.csv").write_text("id,name,kind\na,A,system\n")
    (tmp_path / "capabilities.csv").write_text("id,name\ncap,Cap\n")
    (tmp_path / "dependencies.csv").write_text("from,to\ncap,a\nnope,a\n,a\n")
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables(tmp_path)
    assert _problems(err) == [
        ("dependencies.csv", 2, 1, "from", "'cap' is a capability: a dependency goes from a touchpoint or an element"),
        ("dependencies.csv", 3, 1, "from", "unknown touchpoint or element 'nope'"),
        ("dependencies.csv", 4, 1, "from", "required: the id of the touchpoint or element this row belongs to"),
    ]


# -------------------------------------------------------------------------------------------- Excel
def test_workbook_cells_typed_as_numbers_or_booleans_read_as_the_text_shown(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "elements"
    ws.append(["id", "name", "kind", "prop:count", "prop:flag", "prop:ratio"])
    ws.append([12, 1.1, "system", 3, True, 0.25])
    book.save(tmp_path / "typed.xlsx")
    element = cx.io.read_tables(tmp_path / "typed.xlsx").elements[0]
    assert (element.id, element.name) == ("12", "1.1")
    assert element.properties == {"count": "3", "flag": "TRUE", "ratio": "0.25"}


def test_written_workbook_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    model = cx.Model(name="=1+1")
    model.add_element("a", "=SUM(A1:A3)", kind="system", description="@user")
    target = tmp_path / "m.xlsx"
    cx.io.write_tables(model, target)
    ws = openpyxl.load_workbook(target)["elements"]
    assert (ws["B2"].value, ws["B2"].data_type) == ("=SUM(A1:A3)", "s")
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    assert cx.io.read_tables(target) == model


def test_workbook_offers_kind_choices_and_formats_id_columns_as_text(tmp_path: Path) -> None:
    cx.io.write_template(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames[0] == "instructions"
    ws = book["elements"]
    rules = [(r.formula1, str(r.sqref)) for r in ws.data_validations.dataValidation]
    assert rules == [('"system,service,infrastructure,data,process,team,vendor"', "C2:C1048576")]
    assert ws.column_dimensions["A"].number_format == "@"  # ids such as 1.10 stay text as typed


def test_missing_openpyxl_names_the_pip_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cx.io.write_tables(cx.Model(), tmp_path / "m.xlsx")
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if it were not installed
    with pytest.raises(cx.MissingDependencyError, match=r"reading Excel files needs .*pip install 'cxgraph\[excel\]'"):
        cx.io.read_tables(tmp_path / "m.xlsx")
    with pytest.raises(cx.MissingDependencyError, match=r"writing Excel files .*pip install 'cxgraph\[excel\]'"):
        cx.io.write_tables(cx.Model(), tmp_path / "other.xlsx")
    with pytest.raises(ImportError):  # MissingDependencyError is an ImportError too
        cx.io.write_template(tmp_path / "t.xlsx")
    cx.io.write_tables(cx.Model(name="csv"), tmp_path / "csv")  # CSV needs nothing optional
    assert cx.io.read_tables(tmp_path / "csv").name == "csv"


def test_a_file_that_is_not_a_workbook_is_a_format_error(tmp_path: Path) -> None:
    (tmp_path / "fake.xlsx").write_text("not a zip")
    with pytest.raises(cx.FormatError, match="not an Excel workbook"):
        cx.io.read_tables(tmp_path / "fake.xlsx")


def test_targets_other_than_a_folder_or_workbook_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"old-style \.xls workbooks are not supported"):
        cx.io.write_tables(cx.Model(), tmp_path / "m.xls")
    (tmp_path / "m.csv").write_text("")
    with pytest.raises(ValueError, match=r"expected a folder of CSV files or an Excel workbook \(\.xlsx\), got \.csv"):
        cx.io.read_tables(tmp_path / "m.csv")
    with pytest.raises(FileNotFoundError):
        cx.io.read_tables(tmp_path / "missing")


# ----------------------------------------------------------------------------------------- template
@pytest.mark.parametrize("name", ["template", "template.xlsx"])
def test_template_example_rows_uncommented_form_a_valid_model(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    cx.io.write_template(target)
    assert cx.io.read_tables(target).counts() == dict.fromkeys(cx.Model().counts(), 0)  # examples are comments
    folder = tmp_path / "filled"
    folder.mkdir()
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(target)
        for ws in book.worksheets:
            if ws.title != "instructions":
                ws["A2"] = ws["A2"].value.removeprefix("# ")
        book.save(target)
        model = cx.io.read_tables(target)
    else:
        for path in target.glob("*.csv"):
            text = path.read_text(encoding="utf-8-sig").replace("\n# ", "\n")
            (folder / path.name).write_text(text, encoding="utf-8")
        model = cx.io.read_tables(folder)
    assert model.counts() == dict.fromkeys(model.counts(), 1)
    assert model.journeys[0].customers == cx.Uncertain(low=9000, mode=12000, high=15000)
    assert model.journeys[0].touchpoints[0].depends_on[0].element == "mobile-app"


def test_template_headers_are_the_documented_columns(tmp_path: Path) -> None:
    cx.io.write_template(tmp_path)
    for sheet in SHEETS:
        header = (tmp_path / f"{sheet.name}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        assert header == ",".join(sheet.names)
    docs = (ROOT / "docs" / "spreadsheets.md").read_text()
    for sheet in SHEETS:
        assert f"### {sheet.name}" in docs
        for column in sheet.columns:
            assert f"| `{column.name}` |" in docs, (sheet.name, column.name)


# -------------------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("example", cx.examples.names())
@pytest.mark.parametrize("target", ["tables", "tables.xlsx"])
def test_bundled_examples_round_trip(tmp_path: Path, example: str, target: str) -> None:
    model = cx.examples.load(example)
    cx.io.write_tables(model, tmp_path / target)
    assert cx.io.read_tables(tmp_path / target) == model


def test_text_ids_and_values_stay_text_in_the_files(tmp_path: Path) -> None:
    model = cx.Model(name="Text")
    journey = model.add_journey("on", "1.10", customers=cx.Uncertain(low=8000, mode=12000, high=15000))
    journey.add_touchpoint("no", "true", properties={"n": 3, "s": "3", "b": False, "x": None, "pad": " a "})
    cx.io.write_tables(model, tmp_path)
    journeys = (tmp_path / "journeys.csv").read_text(encoding="utf-8-sig").splitlines()
    assert journeys == ["id,name,segment,customers,revenue,importance,tolerance_hours,tolerance_loss,description,tags",
                        "on,1.10,,8000..12000..15000,,1,,,,"]
    touchpoints = (tmp_path / "touchpoints.csv").read_text(encoding="utf-8-sig").splitlines()
    assert touchpoints[0].endswith(",tags,prop:n,prop:s,prop:b,prop:x,prop:pad")
    assert touchpoints[1] == 'on,no,true,,,1,1,,,,,!!int 3,3,!!bool false,!!null,"!!str "" a """'
    back = cx.io.read_tables(tmp_path)
    assert back == model
    assert back.journeys[0].touchpoints[0].properties == {"n": 3, "s": "3", "b": False, "x": None, "pad": " a "}


_IDS = st.one_of(st.sampled_from(["no", "on", "yes", "1.10", "true", "null", "1e3", "0x10", "-1", "_"]),
                 st.from_regex(r"[A-Za-z0-9_.\-]{1,6}", fullmatch=True))
# any text a model may hold: every character but C0 controls (tab and newlines aside) and U+FFFE/U+FFFF
_UNWRITABLE = [*(chr(c) for c in range(32) if c not in (9, 10, 13)), "\ufffe", "\uffff"]
_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=_UNWRITABLE), max_size=8)
_SCALAR = st.one_of(_TEXT, st.integers(-(10**20), 10**20), st.floats(allow_nan=False), st.booleans(), st.none())


def _number(low: float, high: float) -> st.SearchStrategy[object]:
    point = st.one_of(st.integers(int(low), int(min(high, 10**9))), st.floats(low, high))
    triple = st.lists(st.floats(low, high), min_size=3, max_size=3).map(sorted)
    ranged = st.one_of(triple.map(lambda t: cx.Uncertain(low=t[0], high=t[2])),
                       triple.map(lambda t: cx.Uncertain(low=t[0], mode=t[1], high=t[2])))
    return st.one_of(point, ranged)


_COMMON = {"description": st.none() | _TEXT, "tags": st.lists(_TEXT, max_size=3),
           "properties": st.dictionaries(_TEXT, _SCALAR, max_size=3)}


@st.composite
def awkward_models(draw: st.DrawFn) -> cx.Model:
    """A valid model with every field the tables carry, text chosen to be awkward in a cell."""
    ids = iter(draw(st.lists(_IDS, min_size=40, max_size=40, unique=True)))
    common = {k: draw(v) for k, v in _COMMON.items()}
    model = cx.Model(name=draw(_TEXT), period=draw(_TEXT), **common)
    kinds = draw(st.lists(st.sampled_from(cx.model.ELEMENT_KINDS), min_size=1, max_size=5))
    elements = [model.add_element(next(ids), draw(_TEXT), kind=k, **{k2: draw(v) for k2, v in _COMMON.items()})
                for k in kinds]
    owners = [e.id for e in elements if e.kind in ("team", "vendor")]
    for element in elements:
        if owners and draw(st.booleans()):
            element.owner = draw(st.sampled_from(owners))
    touchpoints = []
    for _ in range(draw(st.integers(0, 2))):
        journey = model.add_journey(next(ids), draw(_TEXT), customers=draw(_number(0, 1e6)),
                                    revenue=draw(st.none() | _number(0, 1e6)), segment=draw(st.none() | _TEXT),
                                    **{k: draw(v) for k, v in _COMMON.items()})
        stages = [journey.add_stage(next(ids), draw(_TEXT), **{k: draw(v) for k, v in _COMMON.items()}).id
                  for _ in range(draw(st.integers(0, 2)))]
        for _ in range(draw(st.integers(0, 3))):
            touchpoints.append(journey.add_touchpoint(
                next(ids), draw(_TEXT), stage=draw(st.none() | st.sampled_from(stages)) if stages else None,
                channel=draw(st.none() | _TEXT), reach=draw(_number(0, 1)), importance=draw(_number(0, 10)),
                **{k: draw(v) for k, v in _COMMON.items()}))
    for owner in [*touchpoints, *elements]:
        targets = draw(st.lists(st.sampled_from([e.id for e in elements]), unique=True, max_size=3))
        groups: dict[str, int] = {}
        for target in targets:
            group = draw(st.none() | st.sampled_from(["pay", "a;b=c", " ", ""]) | _TEXT)
            owner.depends(target, strength=draw(_number(0, 1)), group=group)
            if group is not None:
                groups[group] = groups.get(group, 0) + 1
        owner.needs = {g: draw(st.integers(1, n)) for g, n in groups.items() if draw(st.booleans())}
    capabilities: list[str] = []
    for _ in range(draw(st.integers(0, 2))):
        capabilities.append(model.add_capability(
            next(ids), draw(_TEXT), parent=draw(st.none() | st.sampled_from(capabilities)) if capabilities else None,
            realized_by=draw(st.lists(st.sampled_from([e.id for e in elements]), unique=True, max_size=2)),
            effort=draw(_number(0, 100)), **{k: draw(v) for k, v in _COMMON.items()}).id)
    measured = [t.id for t in touchpoints] + [e.id for e in elements]
    metrics = []
    for _ in range(draw(st.integers(0, 2))):
        better = draw(st.sampled_from(["higher", "lower"]))
        ideal = 100 if better == "higher" else -100
        metrics.append(model.add_metric(next(ids), draw(_TEXT), of=draw(st.sampled_from(measured)),
                                        actual=draw(_number(-100, 100)), target=draw(_number(-100, 100)),
                                        better=better, ideal=ideal, unit=draw(st.none() | _TEXT),
                                        **{k: draw(v) for k, v in _COMMON.items()}).id)
    initiatives: list[str] = []
    for _ in range(draw(st.integers(0, 2))):
        improves = [{"metric": m, "to": draw(_number(-100, 100))}
                    for m in draw(st.lists(st.sampled_from(metrics), unique=True, max_size=2))] if metrics else []
        initiatives.append(model.add_initiative(
            next(ids), draw(_TEXT), cost=draw(_number(0, 1e7)), improves=improves,
            requires=draw(st.lists(st.sampled_from(initiatives), unique=True, max_size=2)) if initiatives else [],
            **{k: draw(v) for k, v in _COMMON.items()}).id)
    model.check()
    return model


@settings(max_examples=20)
@given(model=models())
def test_random_models_round_trip_through_csv_and_a_workbook(tmp_path_factory: pytest.TempPathFactory,
                                                             model: cx.Model) -> None:
    folder = tmp_path_factory.mktemp("tables")
    cx.io.write_tables(model, folder)
    cx.io.write_tables(model, folder / "m.xlsx")
    assert cx.io.read_tables(folder) == model
    assert cx.io.read_tables(folder / "m.xlsx") == model


@settings(max_examples=40)
@given(model=awkward_models())
def test_awkward_text_and_properties_round_trip_through_csv(tmp_path_factory: pytest.TempPathFactory,
                                                            model: cx.Model) -> None:
    folder = tmp_path_factory.mktemp("csv")
    cx.io.write_tables(model, folder)
    assert cx.io.read_tables(folder) == model


@settings(max_examples=15)
@given(model=awkward_models())
def test_awkward_text_and_properties_round_trip_through_a_workbook(tmp_path_factory: pytest.TempPathFactory,
                                                     model: cx.Model) -> None:
    target = tmp_path_factory.mktemp("xlsx") / "m.xlsx"
    cx.io.write_tables(model, target)
    assert cx.io.read_tables(target) == model


# -------------------------------------------------------------------------------------------- cells
def test_cells_tag_only_what_would_not_read_back() -> None:
    assert [encode_scalar(v) for v in ("a b", "", "!!x", "\x01", 3, 2.5, True, None)] == [
        "a b", '!!str ""', '!!str "!!x"', '!!str "\\u0001"', "!!int 3", "!!float 2.5", "!!bool true", "!!null"]
    assert encode_list(["a", "b c"]) == "a; b c"
    assert encode_list(["a;b", "c"]) == '!!seq ["a;b", "c"]'
    assert encode_needs({"pay": 2, "kyc": 1}) == "pay=2; kyc=1"
    assert encode_needs({"a=b": 1}) == '!!map {"a=b": 1}'


@pytest.mark.parametrize(("cell", "message"), [
    ("!!int x", "malformed '!!int' value"),
    ("!!int 2.5", "'!!int' needs a int value, got '2.5'"),
    ("!!null 3", "'!!null' takes no value"),
    ("!!seq [1]", "'!!seq' needs a list of texts"),
])
def test_malformed_tagged_cells_say_what_is_wrong(cell: str, message: str) -> None:
    with pytest.raises(CellError, match=message.replace("(", r"\(")):
        decode(cell)


def test_ranges_and_needs_cells() -> None:
    assert parse_number("8000..12000..15000") == {"low": 8000.0, "mode": 12000.0, "high": 15000.0}
    assert parse_number(" 1_000 .. 2e3 ") == {"low": 1000.0, "high": 2000.0}
    assert parse_number("12") == "12"  # plain numbers are left to the model's own check
    for bad in ("1..x", "1..2..3..4", "..5", "1..inf"):
        with pytest.raises(CellError):
            parse_number(bad)
    assert parse_needs("pay = 2;kyc=1;") == {"pay": "2", "kyc": "1"}
    with pytest.raises(CellError, match="group 'pay' is named twice"):
        parse_needs("pay=1; pay=2")


@pytest.mark.parametrize("target", ["tables", "tables.xlsx"])
def test_reliability_changes_and_scenarios_round_trip(tmp_path: Path, target: str) -> None:
    model = cx.load(ROOT / "tests" / "data" / "reliability-and-change.yaml")
    cx.io.write_tables(model, tmp_path / target)
    assert cx.io.read_tables(tmp_path / target) == model


def test_added_elements_link_changes_and_scenarios_have_their_own_rows(tmp_path: Path) -> None:
    cx.io.write_tables(cx.load(ROOT / "tests" / "data" / "reliability-and-change.yaml"), tmp_path)

    def rows(name: str) -> list[str]:
        return (tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()

    assert rows("link_changes") == ["initiative,change,from,to,strength,group", "second-cdn,remove,sign,cdn,,",
                                    "second-cdn,add,web-portal,cdn,0.3,edge",
                                    "second-cdn,add,web-portal,cdn-b,0.3,edge"]
    assert rows("settings")[1:] == ["second-cdn,web-portal,0.999,,", "second-cdn,core,,,1"]
    assert rows("scenarios")[1:] == ["dc-loss,Loss of the primary data centre,,dc-1,,,,,,",
                                     "cdn-vendor,CDN vendor outage,cdn,,,,,cdn=12,,",
                                     "north,North site,,,,ops,site=north,,,drill"]
    assert rows("elements")[-1] == "cdn-b,CDN B,infrastructure,,,0.999,,,second-cdn,,,"
    assert rows("touchpoints")[1].startswith("open-account,apply,Apply,,,1,1.5,false,")


def test_a_link_change_must_say_add_or_remove(tmp_path: Path) -> None:
    cx.io.write_tables(cx.load(ROOT / "tests" / "data" / "reliability-and-change.yaml"), tmp_path)
    path = tmp_path / "link_changes.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("second-cdn,remove,", "second-cdn,drop,"))
    with pytest.raises(cx.ModelError) as info:
        cx.io.read_tables(tmp_path)
    assert [(p.line, p.path, p.message) for p in info.value.problems] == [
        (2, "change", "expected add or remove, got 'drop'")]


@settings(max_examples=20)
@given(model=portfolios(element_metrics=True))
def test_random_structural_initiatives_round_trip_through_csv(tmp_path_factory: pytest.TempPathFactory,
                                                              model: cx.Model) -> None:
    folder = tmp_path_factory.mktemp("changes")
    cx.io.write_tables(model, folder)
    assert cx.io.read_tables(folder) == model
