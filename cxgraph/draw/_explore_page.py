"""The style sheet and script of the interactive view (:mod:`cxgraph.draw.explore`); Cytoscape.js draws the graph."""

from __future__ import annotations

__all__ = ["APP_JS", "CSS"]

CSS = """
.cx-explore{border:1px solid #e1e6eb;border-radius:8px;background:#fff;color:#1d2733;font-size:14px}
.cx-explore .cx-bar{display:flex;flex-wrap:wrap;gap:6px;align-items:center;padding:8px 10px;
border-bottom:1px solid #e1e6eb;background:#f5f7f9;border-radius:8px 8px 0 0}
.cx-explore .cx-search{flex:0 1 260px;padding:5px 8px;border:1px solid #c5ced7;border-radius:5px;font:inherit}
.cx-explore button{padding:4px 10px;border:1px solid #c5ced7;border-radius:5px;background:#fff;font:inherit;
cursor:pointer}
.cx-explore button[aria-pressed=true]{background:#2f5d8a;border-color:#2f5d8a;color:#fff}
.cx-explore .cx-sep{flex:0 0 12px}
.cx-explore .cx-main{display:flex;min-height:200px}
.cx-explore .cx-canvas{flex:1 1 auto;min-width:0;position:relative}
.cx-explore .cx-panel{flex:0 0 290px;border-left:1px solid #e1e6eb;padding:10px 14px;overflow:auto;
max-height:720px}
.cx-explore .cx-panel h4{margin:0 0 4px;font-size:15px}
.cx-explore .cx-panel p{margin:0 0 8px;color:#56626f}
.cx-explore .cx-panel table{border-collapse:collapse;width:100%;font-size:13px}
.cx-explore .cx-panel td{padding:3px 4px;border-bottom:1px solid #eef2f6;vertical-align:top}
.cx-explore .cx-panel td.n{text-align:right;white-space:nowrap}
"""

# The data sits in the fragment's <script type="application/json" class="cx-data">; the view keeps
# its Cytoscape instance on the root element (root.cxExplorer) for tests and for the page's own code.
APP_JS = r"""
(function () {
  "use strict";
  var roots = document.querySelectorAll(".cx-explore");
  var root = roots[roots.length - 1];
  if (!root || root.cxExplorer) { return; }
  var data = JSON.parse(root.querySelector(".cx-data").textContent);
  var panel = root.querySelector(".cx-panel");
  var hint = panel.innerHTML;
  var elements = [];
  data.nodes.forEach(function (n) {
    elements.push({group: "nodes", data: {id: n.id, label: n.name, kind: n.kind, color: n.color,
                   impact: n.impact, w: n.w, h: n.h}, position: {x: n.x, y: n.y},
                   classes: n.kind === "touchpoint" ? "tp" : "el"});
  });
  data.links.forEach(function (l, i) {
    elements.push({group: "edges", data: {id: "link" + i, source: l.source, target: l.target,
                   width: 0.6 + 2.2 * l.strength},
                   classes: l.owner ? "owner" : (l.group ? "alt" : "dep")});
  });
  var cy = cytoscape({
    container: root.querySelector(".cx-canvas"),
    elements: elements,
    layout: {name: "preset", fit: true, padding: 24},
    minZoom: 0.05, maxZoom: 4,
    style: [
      {selector: "node", style: {"shape": "rectangle", "width": "data(w)", "height": "data(h)",
        "background-color": "data(color)", "border-width": 1, "border-color": "#56626f",
        "label": "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": "data(w)",
        "text-valign": "center", "text-halign": "center", "color": "#1d2733"}},
      {selector: "node.tp", style: {"shape": "round-rectangle"}},
      {selector: "edge", style: {"width": "data(width)", "line-color": "#8a95a1", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#8a95a1", "arrow-scale": 0.6, "opacity": 0.55}},
      {selector: "edge.alt", style: {"line-style": "dashed"}},
      {selector: "edge.owner", style: {"line-style": "dotted", "width": 1, "target-arrow-shape": "none"}},
      {selector: ".faded", style: {"opacity": 0.12}},
      {selector: "node.hit", style: {"background-color": "data(hitColor)", "border-color": "#7a0019",
        "border-width": 2, "opacity": 1}},
      {selector: "edge.hit", style: {"line-color": "#b2182b", "target-arrow-color": "#b2182b", "opacity": 0.9}},
      {selector: "node.focus", style: {"border-width": 4, "border-color": "#000"}},
      {selector: "node.match", style: {"border-width": 3, "border-color": "#2f5d8a", "opacity": 1}}
    ]
  });
  var preset = {};
  cy.nodes().forEach(function (n) { preset[n.id()] = {x: n.position("x"), y: n.position("y")}; });

  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c];
    });
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function shade(d) {  // white to deep red as the share lost grows
    var r = Math.round(255 - 77 * d), g = Math.round(235 - 211 * d), b = Math.round(225 - 182 * d);
    return "rgb(" + r + "," + g + "," + b + ")";
  }
  function clear() {
    cy.elements().removeClass("faded hit focus match");
    panel.innerHTML = hint;
  }
  function select(id) {
    var blast = data.blast[id];
    clear();
    if (!blast) { return false; }
    cy.elements().addClass("faded");
    Object.keys(blast.d).forEach(function (nid) {
      var node = cy.getElementById(nid);
      node.data("hitColor", shade(blast.d[nid]));
      node.removeClass("faded").addClass("hit");
    });
    cy.edges().forEach(function (e) {
      if (e.source().hasClass("hit") && e.target().hasClass("hit") && !e.hasClass("owner")) {
        e.removeClass("faded").addClass("hit");
      }
    });
    cy.getElementById(id).addClass("focus");
    var rows = blast.journeys.map(function (j) {
      return "<tr><td>" + esc(j.name) + "</td><td class=\"n\">" + esc(j.loss) + "</td><td class=\"n\">" +
        esc(j.share) + "</td></tr>";
    }).join("");
    var name = cy.getElementById(id).data("label");
    panel.innerHTML = "<h4>" + esc(name) + " fails</h4><p>" + plural(blast.n_touchpoints, "touchpoint") + " and " +
      plural(blast.n_elements, "other element") + " lose function; " + esc(blast.loss) + " " + esc(data.unit) +
      " lost.</p>" + (rows ? "<table><thead><tr><td>Journey hit</td><td class=\"n\">Loss</td>" +
      "<td class=\"n\">Customers</td></tr></thead><tbody>" + rows + "</tbody></table>" :
      "<p>No journey loses anything: something else takes over.</p>");
    root.setAttribute("data-selected", id);
    return true;
  }
  function search(text) {
    var q = text.trim().toLowerCase();
    cy.elements().removeClass("match faded");
    if (!q) { return cy.collection(); }
    var found = cy.nodes().filter(function (n) { return n.data("label").toLowerCase().indexOf(q) >= 0; });
    if (found.length) {
      cy.elements().addClass("faded");
      found.removeClass("faded").addClass("match");
      cy.fit(found, 80);
    }
    return found;
  }
  function layout(name) {
    root.querySelectorAll("[data-layout]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-layout") === name));
    });
    if (name === "blueprint") {
      cy.layout({name: "preset", positions: function (n) { return preset[n.id()]; }, fit: true, padding: 24}).run();
    } else {
      cy.layout({name: "breadthfirst", directed: true, roots: cy.nodes(".tp"), spacingFactor: 1.1, fit: true,
                 padding: 24, animate: false}).run();
    }
  }
  cy.on("tap", "node", function (evt) { select(evt.target.id()); });
  cy.on("tap", function (evt) { if (evt.target === cy) { clear(); root.removeAttribute("data-selected"); } });
  var box = root.querySelector(".cx-search");
  box.addEventListener("input", function () { search(box.value); });
  box.addEventListener("keydown", function (evt) {
    if (evt.key === "Enter") {
      var found = search(box.value);
      if (found.length) { select(found[0].id()); }
    }
  });
  root.querySelectorAll("[data-act]").forEach(function (b) {
    b.addEventListener("click", function () {
      var act = b.getAttribute("data-act");
      var centre = {x: cy.width() / 2, y: cy.height() / 2};
      if (act === "fit") { cy.fit(undefined, 24); }
      if (act === "zoom-in") { cy.zoom({level: cy.zoom() * 1.25, renderedPosition: centre}); }
      if (act === "zoom-out") { cy.zoom({level: cy.zoom() / 1.25, renderedPosition: centre}); }
    });
  });
  root.querySelectorAll("[data-layout]").forEach(function (b) {
    b.addEventListener("click", function () { layout(b.getAttribute("data-layout")); });
  });
  root.cxExplorer = {cy: cy, select: select, search: search, layout: layout};
}());
"""
