"""From Archi to customer impact and back: the Archisurance example.

Archisurance is the fictional insurer that ships with Archi. This script

1. imports its ArchiMate exchange file, taking the claim-handling journey from the
   *Business Process View* (Handle Claim: Register -> Accept -> Valuate -> Pay) and the
   contracting journey drawn beside it,
2. prints the import log (what became what, what was kept aside),
3. computes customer impact: which applications, services, nodes and teams the most
   customer interactions rest on,
4. gives the results back: the original exchange file, views and all, with
   ``cxgraph:impact`` and ``cxgraph:impact-rank`` properties on every element it
   ranks (File > Import > Open Exchange XML Model in Archi), and Archi CSV files that
   update the original Archi model in place (File > Import > CSV Data Into Selected Model).

Run it from anywhere: ``python examples/archisurance.py``. It writes into the current folder.
"""

from __future__ import annotations

from pathlib import Path

import cxgraph as cx

ARCHISURANCE = Path(__file__).resolve().parents[1] / "tests" / "data" / "archi" / "archisurance-exchange.xml"


def main() -> None:
    model, report = cx.io.read_archimate(
        ARCHISURANCE,
        journeys="view:Business Process View",  # Handle Claim, drawn around its four steps; Close Contract
        customers={"Handle Claim": 2_500, "Close Contract": 4_000},  # journeys started per month
    )
    print(report)
    claim = model.journeys[0]
    print(f"\n{claim.name}: " + " -> ".join(t.name for t in claim.touchpoints))

    impact = cx.impact(model)
    top = impact.top(8)[["name", "kind", "impact", "journeys", "touchpoints"]]
    print(f"\nWhat the most customer interactions rest on ({impact.unit}):")
    print(top.to_string(index=False))

    out = Path("archisurance-impact.xml")
    cx.io.write_archimate(model, out, result=impact, base=ARCHISURANCE)  # the original, plus the impact
    cx.io.write_archi_csv(model, Path("archisurance-csv"), result=impact, prefix="archisurance-")
    # The file reads back with the impact on each element (and the rank, 1 = highest), views and all.
    again, again_report = cx.io.read_archimate(out)
    assert len(again_report.views) == len(report.views)
    best = min(model.elements, key=lambda e: impact.rank[e.id])
    written = again.get(best.id).properties
    print(f"\n{best.name}: cxgraph:impact = {written['cxgraph:impact']}, "
          f"cxgraph:impact-rank = {written['cxgraph:impact-rank']}")
    print(f"Wrote {out} and archisurance-csv/: open them in Archi and colour views by cxgraph:impact.")


if __name__ == "__main__":
    main()
