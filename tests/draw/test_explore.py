"""The interactive view's data, worked out by hand on a small model, and its notebook display."""

from __future__ import annotations

import html
import json
import re

import cxgraph as cx


def _shop() -> cx.Model:
    m = cx.Model(name="Small shop", period="week")
    buy = m.add_journey("buy", "Buy a product", segment="retail", customers=1000)
    _ = buy.add_touchpoint("browse", "Browse", channel="web", depends_on=["shop"])
    _ = buy.add_touchpoint("pay", "Pay", channel="web", reach=0.5,
                           depends_on=["shop", {"element": "psp-a", "group": "psp"},
                                       {"element": "psp-b", "group": "psp", "strength": 0.5}])
    _ = m.add_element("shop", "Shop app", kind="system", depends_on=["db"])
    _ = m.add_element("db", "Database", kind="data")
    _ = m.add_element("psp-a", "Card provider A", kind="vendor")
    _ = m.add_element("psp-b", "Card provider B", kind="vendor")
    return m


def test_blast_radius_and_journey_loss_worked_out_by_hand() -> None:
    data = cx.draw.explore_data(_shop())
    assert data["unit"] == "interactions / week"
    # The database fails: the shop app and both touchpoints lose everything;
    # browse 1000 + pay 1000 x 0.5 = 1,500 interactions, every customer of the journey.
    db = data["blast"]["db"]
    assert db["d"] == {"db": 1.0, "shop": 1.0, "browse": 1.0, "pay": 1.0}
    assert (db["n_touchpoints"], db["n_elements"], db["loss"]) == (2, 1, "1.5k")
    assert db["journeys"] == [{"id": "buy", "name": "Buy a product", "loss": "1.5k", "share": "100%"}]
    # Card provider A fails: the group "psp" is lost only when both fail (G = 1 x 1 x 0.5 x 0 = 0),
    # so B takes over and nothing else loses anything.
    psp = data["blast"]["psp-a"]
    assert psp["d"] == {"psp-a": 1.0}
    assert (psp["n_touchpoints"], psp["n_elements"], psp["journeys"]) == (0, 0, [])


def test_nodes_sit_where_the_blueprint_puts_them_and_links_keep_their_kind() -> None:
    data = cx.draw.explore_data(_shop())
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == {"browse", "pay", "shop", "db", "psp-a", "psp-b"}
    assert nodes["browse"]["y"] == nodes["pay"]["y"] < nodes["shop"]["y"]  # touchpoints on top, y downwards
    assert nodes["browse"]["x"] < nodes["pay"]["x"]  # in the customer's order
    groups = {(link["source"], link["target"]): link["group"] for link in data["links"]}
    assert groups[("pay", "psp-a")] == groups[("pay", "psp-b")] == "psp"
    assert groups[("shop", "db")] == ""


def test_the_fragment_is_offline_and_its_data_round_trips() -> None:
    from cxgraph.draw._vendor import cytoscape_js

    fragment = cx.draw.explore_fragment(_shop())
    assert fragment.count(cytoscape_js()) == 1  # the library inline, once
    own = fragment.replace(cytoscape_js(), "")
    assert "http" not in own and " src=" not in own and "<link" not in own
    payload = re.search(r'<script type="application/json" class="cx-data">(.*?)</script>', fragment, re.S)
    assert payload is not None
    assert json.loads(payload.group(1))["blast"]["db"]["loss"] == "1.5k"


def test_notebook_display_is_a_sandboxed_frame_holding_the_page() -> None:
    view = cx.draw.explore(_shop())
    shown = view._repr_html_()
    assert shown.startswith("<iframe") and 'sandbox="allow-scripts"' in shown
    assert html.unescape(shown.split('srcdoc="', 1)[1].split('" sandbox', 1)[0]) == view.html
