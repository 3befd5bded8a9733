"""The HTML page of a report: style sheet, sorting script, and the building blocks (cards, tables, figures).

Everything is inline: the page loads nothing from anywhere (its Content-Security-Policy says so too).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["Column", "card", "figure", "page", "section", "table"]

CSS = """
:root{--ink:#1d2733;--soft:#56626f;--faint:#8a95a1;--line:#e1e6eb;--band:#f5f7f9;--accent:#2f5d8a;
--bar:#5b87b3;--paper:#fff;--good:#2e7d4f}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--ink);background:var(--band);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif;font-variant-numeric:tabular-nums}
.wrap{max-width:1240px;margin:0 auto;padding:0 28px}
header.top{background:#1f3347;color:#fff;padding:28px 0 0}
header.top .eyebrow{margin:0;font-size:12px;letter-spacing:.12em;text-transform:uppercase;color:#a9bed3}
header.top h1{margin:4px 0 6px;font-size:30px;font-weight:650;letter-spacing:-.01em}
header.top .lede{margin:0;max-width:860px;color:#d3dde7}
nav.toc{display:flex;flex-wrap:wrap;gap:4px 2px;margin-top:18px}
nav.toc a{color:#d3dde7;text-decoration:none;font-size:13.5px;padding:8px 12px;border-bottom:3px solid transparent}
nav.toc a:hover,nav.toc a:focus{color:#fff;border-bottom-color:#8fb3d6}
main.wrap{padding-top:26px;padding-bottom:24px}
section{background:var(--paper);border:1px solid var(--line);border-radius:10px;padding:22px 26px;margin:0 0 22px}
h2{margin:0 0 4px;font-size:20px;font-weight:650}
h3{margin:22px 0 6px;font-size:16px;font-weight:600}
p.note{margin:0 0 14px;color:var(--soft);max-width:900px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-top:14px}
.card{border:1px solid var(--line);border-radius:8px;padding:14px 16px;background:#fbfcfd}
.card .value{font-size:25px;font-weight:650;line-height:1.2;color:var(--accent)}
.card .label{font-size:13px;color:var(--soft);margin-top:2px}
.card .detail{font-size:12.5px;color:var(--faint);margin-top:6px}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:14px}
caption{caption-side:bottom;text-align:left;padding:8px 12px;color:var(--faint);font-size:12.5px}
th,td{padding:7px 12px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
tbody tr:last-child td{border-bottom:0}
thead th{background:#eef2f6;color:#33414e;font-weight:600;font-size:13px;white-space:nowrap;position:sticky;top:0;
vertical-align:bottom}
th .unit{display:block;font-weight:400;font-size:11.5px;color:var(--faint)}
td.name{min-width:220px}
td.owner{min-width:150px}
th.sortable{cursor:pointer;user-select:none}
th.sortable:hover{background:#e2e9f0}
th.sortable:focus{outline:2px solid var(--accent);outline-offset:-2px}
th.sortable .t::after{content:"\\2195";color:#a3afbb;margin-left:5px;font-size:11px}
th[aria-sort=ascending] .t::after{content:"\\25B2";color:var(--accent)}
th[aria-sort=descending] .t::after{content:"\\25BC";color:var(--accent)}
tbody tr:nth-child(even){background:#fafbfc}
tbody tr:hover{background:#f0f5fa}
td.num,th.num{text-align:right;white-space:nowrap}
.barcell{display:flex;align-items:center;justify-content:flex-end;gap:10px}
.track{flex:0 0 96px;height:8px;background:#e9eef3;border-radius:4px;overflow:hidden}
.track .fill{display:block;height:100%;background:var(--bar);border-radius:4px}
.barcell .val{min-width:70px;text-align:right}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;background:#eef2f6;
padding:1px 5px;border-radius:4px}
td .sub{display:block;color:var(--faint);font-size:12px}
td.why{color:var(--soft);font-size:13px;min-width:260px}
td.score{font-weight:600;color:var(--accent)}
.tag{display:inline-block;padding:1px 8px;border-radius:10px;background:#eef2f6;color:#33414e;font-size:12px}
.yes{color:var(--good);font-weight:600}
figure{margin:14px 0 4px}
figure svg{display:block;margin:0 auto}
.wide{overflow-x:auto}
figcaption{color:var(--soft);font-size:13px;margin-top:6px;text-align:center}
.more{color:var(--faint);font-size:13px;margin:8px 2px 0}
footer{color:var(--soft);font-size:13px;padding:0 0 40px}
footer dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:8px 0 16px}
footer dt{font-weight:600;color:var(--ink)}
footer dd{margin:0}
@media print{body{background:#fff}header.top{background:#fff;color:var(--ink)}header.top .lede,nav.toc{display:none}
section{break-inside:avoid;border:0;padding:0}thead th{position:static}}
"""

# Click (or Enter) on a header sorts by that column; numbers by their data-sort value. Again: reverse.
# Ties keep the order the report wrote (its ranking), whatever was clicked before.
SCRIPT = """
(function () {
  "use strict";
  function key(row, col, numeric) {
    var cell = row.cells[col];
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (numeric) { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
    return raw.toLowerCase();
  }
  function sortBy(table, th, col) {
    var numeric = th.classList.contains("num");
    var current = th.getAttribute("aria-sort");
    var ascending = current ? current === "descending" : !numeric;
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row) {
      return [key(row, col, numeric), Number(row.getAttribute("data-i")), row];
    });
    rows.sort(function (a, b) {
      if (a[0] < b[0]) { return ascending ? -1 : 1; }
      if (a[0] > b[0]) { return ascending ? 1 : -1; }
      return a[1] - b[1];
    });
    rows.forEach(function (r) { body.appendChild(r[2]); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, i) { row.setAttribute("data-i", i); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.classList.add("sortable");
      th.tabIndex = 0;
      th.title = "Sort by " + (th.getAttribute("data-title") || th.textContent.trim());
      th.addEventListener("click", function () { sortBy(table, th, col); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, col); }
      });
    });
  });
}());
"""

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
        "font-src data:; base-uri 'none'; form-action 'none'")


def esc(value: Any) -> str:
    """Escape a value for HTML text or attributes."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Column:
    """One table column: the frame column it shows, its header, and how cells are written.

    ``fmt`` turns a value into text; ``numeric`` right-aligns it and sorts by the number;
    ``bar`` draws a bar behind the value, its length the value's share of the column's largest;
    ``sub`` names a frame column shown in small type under the value; ``html`` means ``fmt``
    returns markup (escaped by the caller).
    """

    key: str
    title: str
    fmt: Callable[[Any], str] = str
    numeric: bool = False
    bar: bool = False
    sub: str | None = None
    html: bool = False
    css: str = ""
    unit: str | None = None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _present(value: Any) -> bool:
    return value is not None and value != "" and not (isinstance(value, float) and math.isnan(value))


def _header(c: Column) -> str:
    cls = ' class="num"' if c.numeric else ""
    unit = f'<span class="unit">{esc(c.unit)}</span>' if c.unit else ""
    return f'<th scope="col"{cls} data-title="{esc(c.title)}"><span class="t">{esc(c.title)}</span>{unit}</th>'


def table(frame: pd.DataFrame, columns: Sequence[Column], *, caption: str | None = None,
          table_id: str | None = None) -> str:
    """Return a sortable HTML table of ``frame``'s rows (in their order) and the chosen columns.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxgraph.report._page import Column, table
    >>> html = table(pd.DataFrame({"n": ["<a>"], "v": [2.5]}), [Column("n", "Name"), Column("v", "V", numeric=True)])
    >>> '<td>&lt;a&gt;</td><td class="num" data-sort="2.5">2.5</td>' in html
    True
    """
    tops = {c.key: max((abs(v) for v in map(_number, frame[c.key]) if v is not None), default=0.0)
            for c in columns if c.bar}
    head = "".join(_header(c) for c in columns)
    rows = []
    for record in frame.to_dict(orient="records"):
        cells = []
        for c in columns:
            value = record[c.key]
            text = c.fmt(value) if c.html else esc(c.fmt(value))
            if c.sub and _present(record.get(c.sub)):
                text += f'<span class="sub">{esc(record[c.sub])}</span>'
            classes = [c.css] if c.css else []
            attrs = ""
            if c.numeric:
                classes.append("num")
                number = _number(value)
                attrs = f' data-sort="{number!r}"' if number is not None else ' data-sort=""'
            if c.bar and tops[c.key] > 0 and _number(value) is not None:
                classes.append("bar")
                share = 100 * abs(_number(value) or 0.0) / tops[c.key]
                text = (f'<div class="barcell"><span class="track"><span class="fill" style="width:{share:.1f}%">'
                        f'</span></span><span class="val">{text}</span></div>')
            cls = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{cls}{attrs}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    ident = f' id="{esc(table_id)}"' if table_id else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<div class="scroll"><table class="sortable"{ident}>{cap}<thead><tr>{head}</tr></thead><tbody>\n'
            + "\n".join(rows) + "\n</tbody></table></div>")


def card(value: str, label: str, detail: str | None = None) -> str:
    """Return one headline number: a big value, what it is, and an optional detail line.

    Examples
    --------
    >>> from cxgraph.report._page import card
    >>> card("12k", "customers / month")
    '<div class="card"><div class="value">12k</div><div class="label">customers / month</div></div>'
    """
    extra = f'<div class="detail">{esc(detail)}</div>' if detail else ""
    return f'<div class="card"><div class="value">{esc(value)}</div><div class="label">{esc(label)}</div>{extra}</div>'


def figure(svg: str, caption: str) -> str:
    """Return an inline SVG figure with a caption (``svg`` is trusted markup from :mod:`.figures`)."""
    return f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>"


def section(anchor: str, title: str, note: str | None, body: str) -> str:
    """Return one section of the report, with its anchor for the table of contents."""
    lead = f'<p class="note">{note}</p>' if note else ""
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{lead}{body}</section>'


def page(title: str, lede: str | None, sections: Sequence[tuple[str, str, str]], footer: str, *,
         fonts: str = "") -> str:
    """Return the whole HTML document; ``sections`` are ``(anchor, menu text, html)``, ``fonts`` CSS rules."""
    toc = "".join(f'<a href="#{esc(anchor)}">{esc(text)}</a>' for anchor, text, _ in sections)
    lede_html = f'<p class="lede">{esc(lede)}</p>' if lede else ""
    body = "\n".join(html_ for _, _, html_ in sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="generator" content="cxgraph">
<title>{esc(title)} · cxgraph report</title>
<link rel="icon" href="data:,">
<style>{fonts}{CSS}</style>
</head>
<body>
<header class="top"><div class="wrap">
<p class="eyebrow">Customer impact report</p>
<h1>{esc(title)}</h1>
{lede_html}
<nav class="toc" aria-label="Contents">{toc}</nav>
</div></header>
<main class="wrap">
{body}
</main>
<footer class="wrap">{footer}</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""
