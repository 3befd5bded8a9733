"""Exports: golden files for the text formats, round trips through networkx, escaping of hostile names.

Regenerate the golden files after a deliberate change with ``CXGRAPH_UPDATE_GOLDEN=1 pytest tests/io/test_export.py``
and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

import cxgraph as cx
from cxgraph.io.exporters import export_graph, node_link_options

GOLDEN = Path(__file__).parent.parent / "data" / "golden"
MODEL = GOLDEN / "tricky-model.yaml"
# A fixed impact per element (independent of the engine), so the golden files pin the colouring too.
IMPACT = {"shop-app": 1200.0, "orders-db": 1200.0, "cloud": 1200.0, "psp-a": 640.0, "psp-b": 320.0,
          "refunds": 0.0, "agents": 750.0, "web_team": 0.0, "host-co": 1200.0}


@pytest.fixture(scope="module")
def model() -> cx.Model:
    return cx.load(MODEL)


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CXGRAPH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.mark.parametrize("fmt, suffix", [("mermaid", "mmd"), ("dot", "dot"), ("cyjs", "cyjs"), ("json", "json")])
def test_text_formats_match_golden_files(model: cx.Model, fmt: str, suffix: str) -> None:
    _check_golden(f"tricky.{suffix}", cx.export(model, fmt))


@pytest.mark.parametrize("fmt, suffix", [("mermaid", "mmd"), ("dot", "dot"), ("json", "json")])
def test_text_formats_with_impact_match_golden_files(model: cx.Model, fmt: str, suffix: str) -> None:
    _check_golden(f"tricky-impact.{suffix}", cx.export(model, fmt, result=IMPACT))


def test_export_writes_the_format_of_the_extension(model: cx.Model, tmp_path: Path) -> None:
    for suffix, fmt in [(".mmd", "mermaid"), (".dot", "dot"), (".gv", "dot"), (".graphml", "graphml"),
                        (".cyjs", "cyjs"), (".json", "json"), (".MMD", "mermaid")]:
        path = cx.export(model, tmp_path / f"out{suffix}")
        assert path == tmp_path / f"out{suffix}"
        assert path.read_text(encoding="utf-8") == cx.export(model, fmt)
    assert isinstance(cx.export(model, str(tmp_path / "x.dot")), Path)


def test_export_names_the_known_extensions_for_an_unknown_one(model: cx.Model, tmp_path: Path) -> None:
    with pytest.raises(cx.FormatError, match=r"out\.png.*\.mmd, \.mermaid, \.dot"):
        cx.export(model, tmp_path / "out.png")
    assert not (tmp_path / "out.png").exists()


def test_export_refuses_a_result_without_impact(model: cx.Model) -> None:
    with pytest.raises(cx.AnalysisInputError, match=r"impact result.*got int"):
        cx.export(model, "dot", result=3)
    with pytest.raises(cx.AnalysisInputError, match="impact of 'cloud' must be a finite number, got nan"):
        cx.export(model, "json", result={"cloud": float("nan")})


def test_export_is_deterministic() -> None:
    bank = cx.examples.load("retail-bank")
    for fmt in cx.io.exporters.FORMATS:
        assert cx.export(bank, fmt) == cx.export(cx.examples.load("retail-bank"), fmt)


# ---------------------------------------------------------------------------------------------- round trips
def _same_graph(read: nx.DiGraph, written: nx.DiGraph) -> None:
    assert list(read.nodes) == list(written.nodes)
    assert dict(read.nodes(data=True)) == dict(written.nodes(data=True))
    assert sorted(read.edges(data=True)) == sorted(written.edges(data=True))
    # networkx's GraphML reader adds empty "node_default" and "edge_default" entries to the graph attributes.
    assert {k: v for k, v in read.graph.items() if k not in ("node_default", "edge_default")} == written.graph


@pytest.mark.parametrize("name", cx.examples.names())
def test_graphml_and_node_link_read_back_to_the_same_graph(name: str) -> None:
    model = cx.examples.load(name)
    impact = {e.id: float(i) * 10.5 for i, e in enumerate(model.elements)}
    written = export_graph(model, impact)
    _same_graph(nx.read_graphml(io.BytesIO(cx.export(model, "graphml", impact).encode())), written)
    data = json.loads(cx.export(model, "json", impact))
    _same_graph(nx.node_link_graph(data, **node_link_options()), written)


def test_cytoscape_reads_back_to_the_same_graph(model: cx.Model) -> None:
    written = export_graph(model, IMPACT)
    read = nx.cytoscape_graph(json.loads(cx.export(model, "cyjs", IMPACT)))
    # networkx's reader adds the element keys "id", "value" (and "source"/"target") to the attributes.
    nodes = {n: {k: v for k, v in d.items() if k not in ("id", "value")} for n, d in read.nodes(data=True)}
    edges = sorted((u, v, {k: x for k, x in d.items() if k not in ("source", "target")})
                   for u, v, d in read.edges(data=True))
    assert nodes == dict(written.nodes(data=True))
    assert edges == sorted(written.edges(data=True))


def test_graphml_round_trip_keeps_hostile_text(model: cx.Model) -> None:
    read = nx.read_graphml(io.BytesIO(cx.export(model, "graphml").encode()))
    assert read.nodes["pay.now"]["name"] == 'Pay "now"\nsecond line'
    assert read.nodes["host-co"]["name"] == "Host-Co]) end"
    assert read.graph["name"] == 'Tricky: "quotes" [brackets] & <tags>'


def test_export_graph_attributes_worked_out_by_hand(model: cx.Model) -> None:
    g = export_graph(model, IMPACT)
    # pay.now: customers {low: 800, high: 1200} -> point 1000; reach 0.8, importance 1 -> weight 800.
    assert g.nodes["pay.now"] == {"name": 'Pay "now"\nsecond line', "type": "touchpoint", "kind": "touchpoint",
                                  "lane": "journey", "journey": "end", "segment": "retail|web", "stage": "graph",
                                  "reach": 0.8, "importance": 1.0, "customers": 1000.0, "weight": 800.0,
                                  "needs": '{"psp": 2}'}
    assert g.nodes["psp-b"] == {"name": "PSP B 'backup'", "type": "element", "kind": "vendor", "lane": "owners",
                                "impact": 320.0}
    assert g.edges["pay.now", "psp-b"] == {"strength": 0.5, "group": "psp"}
    assert g.edges["shop-app", "cloud"] == {"strength": 0.3}
    assert g.graph == {"name": 'Tricky: "quotes" [brackets] & <tags>', "period": "month"}


def test_impact_result_fills_impact_rank_and_unit() -> None:
    model = cx.examples.load("retail-bank")
    result = cx.impact(model)
    g = export_graph(model, result)
    for element in model.elements:
        assert g.nodes[element.id]["impact"] == result.impact[element.id]
        assert g.nodes[element.id]["rank"] == result.rank[element.id]
    assert g.graph["unit"] == result.unit
    top = min(model.elements, key=lambda e: result.rank[e.id])
    dot = cx.export(model, "dot", result)
    # The top-ranked element is drawn in the darkest colour of the scale.
    line = next(ln for ln in dot.splitlines() if f'id="{top.id}"' in ln)
    assert 'fillcolor="#b10026"' in line and 'impact_rank="1"' in line


# ---------------------------------------------------------------------------------------------- text formats
_MERMAID_LINE = re.compile(
    r'^(---|title: ".*"|flowchart TB|\s+end'
    r'|\s+subgraph (j\d+|j\d+s\d+|services|data|processes|owners)\["[^"]*"\]'
    r'|\s+n\d+(\("[^"]*"\)|\["[^"]*"\]|\[\("[^"]*"\)\]|\[\["[^"]*"\]\]|\[/"[^"]*"/\]|\(\["[^"]*"\]\)|\{\{"[^"]*"\}\})'
    r'|\s+n\d+ (-->|-->\|"[^"]*"\||-\.-) n\d+'
    r'|\s+linkStyle [\d,]+ [a-z:#0-9.,-]+'
    r'|\s+classDef \w+ [a-z:#0-9,]+|\s+class [n\d,]+ \w+|\s+style \w+ [a-z:#0-9,]+)$')


def test_mermaid_lines_follow_the_grammar_whatever_the_names(model: cx.Model) -> None:
    text = cx.export(model, "mermaid", IMPACT)
    for line in text.splitlines():
        assert _MERMAID_LINE.match(line), line
    defined = re.findall(r"^\s+(n\d+)[(\[{]", text, flags=re.M)
    # 3 touchpoints then 9 elements, each defined once; the touchpoint without a stage (n2) comes first.
    assert defined == ["n2", "n0", "n1"] + [f"n{i}" for i in range(3, 12)]


def test_mermaid_links_widths_and_owner_lines_worked_out_by_hand(model: cx.Model) -> None:
    text = cx.export(model, "mermaid")
    links = re.findall(r"^\s+(n\d+ .*n\d+)$", text, flags=re.M)
    # 9 dependency links in model order, then 4 owner lines (refunds depends on its owner: no extra line;
    # psp-b, agents, web_team and host-co have no owner).
    assert len(links) == 13
    assert links[3] == 'n1 -->|"psp: 2 of 2 · 0.5"| n8'
    assert links[9:] == ["n3 -.- n10", "n4 -.- n11", "n5 -.- n10", "n6 -.- n11"]
    # width = 1 + 2 * strength px, to the half pixel: 0.3 -> 1.5, 0.5 -> 2, 0.75 -> 2.5, 1 -> 3.
    assert "linkStyle 6 stroke-width:1.5px" in text
    assert "linkStyle 3 stroke-width:2px" in text
    assert "linkStyle 4 stroke-width:2.5px" in text
    assert "linkStyle 0,1,2,5,7,8 stroke-width:3px" in text


def test_mermaid_colours_elements_by_impact_worked_out_by_hand(model: cx.Model) -> None:
    text = cx.export(model, "mermaid", IMPACT)
    # Top 1200. Seven colours, index = ceil(share * 6): psp-a 640/1200 -> 3.2 -> 4; psp-b 320/1200 -> 1.6 -> 2;
    # agents 750/1200 -> 3.75 -> 4; refunds 0 -> 0.
    assert "style n4 fill:#fc4e2a,color:#ffffff" in text  # psp-a
    assert "style n8 fill:#feb24c,color:#1b1b1b" in text  # psp-b
    assert "style n9 fill:#fc4e2a,color:#ffffff" in text  # agents
    assert "style n7 fill:#ffffb2,color:#1b1b1b" in text  # refunds
    assert "style n3 fill:#b10026,color:#ffffff" in text  # shop-app, the top
    assert 'n4["PSP A #124; primary<br/>640"]' in text


_DOT_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def test_dot_strings_are_well_formed_whatever_the_names(model: cx.Model) -> None:
    text = cx.export(model, "dot", IMPACT)
    # Take out every well-formed quoted string (no raw line break, escapes honoured): what remains is
    # only keywords, generated ids and punctuation, so no name leaked out of its quotes.
    rest = _DOT_STRING.sub("S", text)
    assert re.fullmatch(r"[A-Za-z0-9_ \n{}\[\]=,;>-]*", rest), rest
    assert rest.count("{") == rest.count("}") and rest.count("[") == rest.count("]")
    assert len(re.findall(r"^\s+n\d+ \[", text, flags=re.M)) == 12
    assert len(re.findall(r"^\s+n\d+ -> n\d+ \[", text, flags=re.M)) == 13
    assert 'label="Pay \\"now\\"\\nsecond line"' in text
    assert 'label="Cloud \\\\ region #1\\n1.2k"' in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_graphviz_renders_the_dot_export(model: cx.Model, tmp_path: Path) -> None:
    for m, impact in ((model, IMPACT), (cx.examples.load("telecom"), None)):
        path = cx.export(m, tmp_path / "model.dot", result=impact)
        done = subprocess.run(["dot", "-Tsvg", str(path)], capture_output=True, text=True, check=False)
        assert (done.returncode, done.stderr) == (0, "")
        assert "<svg" in done.stdout
    assert "Pay &quot;now&quot;" in subprocess.run(["dot", "-Tsvg", str(cx.export(model, tmp_path / "t.dot"))],
                                                  capture_output=True, text=True, check=True).stdout
