"""Commands about planning under a budget and uncertainty: ``plan`` and ``sensitivity``."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

import pandas as pd

from ..analysis._result import jsonable
from ..errors import AnalysisInputError
from ._common import EXIT_OK, add_format, add_measure, add_model, emit, load_model, run

__all__ = ["parse_number", "register"]


def register(sub: Any) -> None:
    """Register this module's commands on the subparsers object."""
    p = sub.add_parser(
        "plan", help="the initiatives that remove the most burden (total pain + expected loss) within a budget",
        description="Choose the initiatives that remove the most burden - total pain (customer exposure x "
                    "shortfall) plus expected loss (what failures cost customers on average) - for a budget, with "
                    "everything they require; initiatives that set reliability, add elements and links or remove "
                    "links are evaluated on the changed model. Ties go to the lower cost, then to the "
                    "alphabetically first ids. Give several budgets for the benefit-vs-budget frontier.")
    add_model(p)
    p.add_argument("--budget", nargs="+", metavar="B",
                   help="the budget (e.g. 500000 or 5e5); several budgets give the frontier (required, except "
                        "with --objective breaches)")
    p.add_argument("--objective", choices=("burden", "breaches"), default="burden",
                   help="burden (default), or breaches: the cheapest initiatives that bring every journey within "
                        "its impact tolerance under the model's scenarios")
    p.add_argument("--scenario", action="append", default=None, metavar="ID",
                   help="with --objective breaches: only this scenario (repeatable; default: every scenario)")
    add_measure(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_plan, a), parser=p)

    p = sub.add_parser(
        "sensitivity", help="how impact, pain and rank vary with the uncertain numbers ({low, high} ranges)",
        description="Draw every uncertain number (uniform for {low, high}, triangular for {low, mode, high}) "
                    "N times and report, per element and capability, the mean and 5-95% interval of impact "
                    "and pain, the median rank with its interval, P(in top k), and the inputs the top of the "
                    "ranking is most sensitive to.")
    add_model(p)
    p.add_argument("--samples", default="1000", metavar="N", help="number of draws (default: 1000)")
    p.add_argument("--seed", default="0", metavar="S", help="seed of the draws (default: 0)")
    p.add_argument("--top-k", default="5", metavar="K", help="the k of P(in top k) (default: 5)")
    p.add_argument("--rank-by", choices=("impact", "pain"), default="impact", help="what ranks order by")
    p.add_argument("--rows", type=int, default=20, metavar="R",
                   help="rows of each type shown in the table format (default: 20)")
    p.add_argument("--no-progress", action="store_true", help="never show the progress line on stderr")
    add_measure(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_sensitivity, a))


def parse_number(text: str, what: str, *, integer: bool = False) -> float | int:
    """Read a number given on the command line (``1e6``, ``1_000_000`` and ``1,000,000`` are accepted).

    Raises :class:`AnalysisInputError` naming ``what`` when the text is not a number.

    Examples
    --------
    >>> from cxgraph.cli.plan_cmds import parse_number
    >>> parse_number("1,500,000", "budget"), parse_number("2.5e5", "budget")
    (1500000, 250000.0)
    >>> parse_number("250", "samples", integer=True)
    250
    """
    cleaned = text.strip().replace("_", "").replace(",", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        if integer:
            raise ValueError
        return float(cleaned)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise AnalysisInputError(f"{what} must be {kind}, got {text!r}") from None


def _table(frame: pd.DataFrame) -> str:
    with pd.option_context("display.width", 250, "display.max_colwidth", 60, "display.max_rows", 10_000,
                           "display.float_format", _short):
        return "\n".join(line.rstrip() for line in frame.to_string(index=False).splitlines())


def _short(value: float) -> str:
    from ..formatting import number

    return number(value)


def _notes(notes: Any, fmt: str) -> None:
    if fmt == "json":  # the notes are in the JSON itself
        return
    out = sys.stdout if fmt == "table" else sys.stderr
    for note in notes:
        print(f"note: {note}", file=out)


def _plan(args: argparse.Namespace) -> int:
    from ..analysis.plan import plan, plan_frontier
    from ..formatting import money, money_unit

    if args.objective == "breaches":
        return _plan_breaches(args)
    if not args.budget:
        args.parser.error("--budget is required (except with --objective breaches)")
    if args.scenario:
        raise AnalysisInputError("--scenario applies only with --objective breaches")
    budgets = [parse_number(b, "budget") for b in args.budget]
    model = load_model(args.file)
    if len(budgets) > 1:
        frontier = plan_frontier(model, budgets=budgets, measure=args.measure)
        if args.format == "json":
            emit(None, jsonable(frontier.to_dict()), "json")
        elif args.format == "csv":
            emit(frontier.to_frame(), None, "csv")
        else:
            print(f"Benefit against budget (burden now {_short(frontier.plans[0].burden_before)}; "
                  f"budgets and costs in {money_unit(model.currency)})")
            print(_table(frontier.to_frame().drop(columns=["chosen"])))
        _notes(frontier.notes, args.format)
        return EXIT_OK
    result = plan(model, budget=budgets[0], measure=args.measure)
    if args.format == "json":
        emit(None, jsonable(result.to_dict()), "json")
    elif args.format == "csv":
        emit(result.to_frame(), None, "csv")
    else:
        change = result.burden_after - result.burden_before
        share = f" ({change / result.burden_before:+.1%})" if result.burden_before else ""
        cur = model.currency
        print(f"Plan for a budget of {money(result.budget, cur)}: {len(result.chosen)} initiative(s), "
              f"cost {money(result.cost, cur)}, benefit {_short(result.benefit)}"
              + ("" if result.exact else f" (best found; no plan has a burden below {_short(result.burden_bound)})"))
        print(f"burden {_short(result.burden_before)} -> {_short(result.burden_after)}{share}: total pain "
              f"{_short(result.total_pain_before)} -> {_short(result.total_pain_after)}, expected loss "
              f"{_short(result.expected_loss_before)} -> {_short(result.expected_loss_after)}")
        chosen = result.to_frame().query("chosen")[["id", "cost", "requires", "benefit_alone", "changes"]]
        if not chosen.empty:
            print(_table(chosen))
    _notes(result.notes, args.format)
    return EXIT_OK


def _plan_breaches(args: argparse.Namespace) -> int:
    from ..analysis.plan import plan

    if args.budget and len(args.budget) > 1:
        raise AnalysisInputError("--objective breaches takes one budget")
    budget = parse_number(args.budget[0], "budget") if args.budget else None
    result = plan(load_model(args.file), objective="breaches", budget=budget, scenarios=args.scenario,
                  measure=args.measure)
    if args.format == "json":
        emit(None, jsonable(result.to_dict()), "json")
    elif args.format == "csv":
        emit(result.to_frame(), None, "csv")
    else:
        within = "within the budget " if budget is not None else ""
        verdict = "removes every breach" if result.feasible else (
            f"leaves {len(result.breaches_after)} breach(es): no set of initiatives {within}removes them all "
            "(see 'removable')")
        print(f"Against breaches of impact tolerance: {len(result.chosen)} initiative(s), cost {result.cost:,.0f}; "
              f"{len(result.breaches_before)} breach(es) now, {verdict}")
        if result.chosen:
            print("do: " + ", ".join(result.chosen))
        frame = result.to_frame()
        if not frame.empty:
            print(_table(frame))
    _notes(list(result.notes), args.format)
    return EXIT_OK


def _sensitivity(args: argparse.Namespace) -> int:
    from ..analysis.sensitivity import sensitivity

    samples = parse_number(args.samples, "samples", integer=True)
    seed = parse_number(args.seed, "seed", integer=True)
    top_k = parse_number(args.top_k, "top_k", integer=True)
    if args.rows < 0:
        raise AnalysisInputError(f"--rows must be >= 0, got {args.rows}")
    model = load_model(args.file)
    result = sensitivity(model, samples=samples, seed=seed, top_k=top_k, rank_by=args.rank_by,
                         progress=False if args.no_progress else None, measure=args.measure)
    if args.format == "json":
        emit(None, jsonable(result.to_dict()), "json")
    elif args.format == "csv":
        emit(result.to_frame(), None, "csv")
    else:
        tp = result.total_pain
        unit = result.unit if result.rank_by == "impact" else result.pain_unit
        print(f"Sensitivity: {result.samples:,} samples, seed {result.seed}, ranked by {result.rank_by} "
              f"({unit}); total pain {tp['mean']:,.1f} (5-95%: {tp['p05']:,.1f} - {tp['p95']:,.1f})")
        if result.measure != "interactions":
            print(f"impact in {result.unit}; pain in {result.pain_unit}")
        frame = result.to_frame()
        columns = ["id", "rank", "impact_mean", "impact_p05", "impact_p95", "pain_mean", "rank_median", "rank_p05",
                   "rank_p95", "p_top_k"]
        for kind, plural in (("element", "elements"), ("capability", "capabilities")):
            rows = frame[frame["type"] == kind].head(args.rows)[columns]
            if not rows.empty:
                print(f"\n{plural} (first {len(rows)} by median rank; p_top_k = P(rank <= {result.top_k}))")
                print(_table(rows))
        inputs = result.inputs.head(10)
        if not inputs.empty:
            print("\ninputs the top ranks are most sensitive to (|Spearman rank correlation|)")
            shown = inputs[["input", "distribution", "low", "mode", "high", "influence", "most_on"]]
            print(_table(shown.assign(mode=shown["mode"].map(lambda v: "-" if math.isnan(v) else _short(v)))))
    _notes(result.notes, args.format)
    return EXIT_OK
