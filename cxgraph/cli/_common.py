"""What every command shares: loading the model argument, printing results, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import CxGraphError, FormatError, ModelError

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Model

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "add_force", "add_format", "add_measure", "add_model", "emit",
           "load_model", "names_of", "positive_int", "run", "say_more", "say_notes"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def add_model(parser: argparse.ArgumentParser, name: str = "file") -> None:
    """Add the positional model argument: a file path, or ``example:NAME`` for a bundled example."""
    parser.add_argument(name, metavar=name.upper(),
                        help="model file (.yaml, .yml, .json), or example:NAME for a bundled example")


def add_format(parser: argparse.ArgumentParser, default: str = "table") -> None:
    """Add ``--format table|json|csv``."""
    parser.add_argument("--format", choices=("table", "json", "csv"), default=default,
                        help=f"output format (default: {default})")


def positive_int(text: str) -> int:
    """Parse a whole number >= 1 for an option such as ``--top`` (argparse reports a bad one).

    Examples
    --------
    >>> from cxgraph.cli._common import positive_int
    >>> positive_int("3")
    3
    """
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {n}")
    return n


def add_force(parser: argparse.ArgumentParser) -> None:
    """Add ``--force``: write over the input file when OUT is the input (refused without it)."""
    parser.add_argument("--force", action="store_true",
                        help="write OUT even when it is the input (the same file, or a link to it)")


def add_measure(parser: argparse.ArgumentParser) -> None:
    """Add ``--measure interactions|customers|revenue``: the measure of customer loss (DESIGN §3)."""
    parser.add_argument("--measure", choices=("interactions", "customers", "revenue"), default="interactions",
                        help="measure loss in customer interactions (default), in customers who cannot complete "
                             "their journey, or in revenue they cannot complete")


def load_model(spec: str, *, quiet: bool = False) -> Model:
    """Load the model named on the command line (a path, or ``example:NAME``).

    What would make customer impacts 0 (no journeys, touchpoints depending on nothing, ...) is
    said on standard error, with the import log's notes of an ArchiMate or Archi file (which
    journeys were chosen, the other candidates), unless ``quiet``.
    """
    from .. import examples
    from ..io import read_any

    if spec.startswith("example:"):
        model = examples.load(spec.removeprefix("example:"))
        imported = None
    elif not spec.strip():
        raise FormatError("no model given: name a model file, a folder of tables, or example:NAME")
    else:
        model, imported = read_any(spec)
    if not quiet:
        say_notes(model, imported)
    return model


def load_model_or_estate(spec: str) -> Any:
    """Load what ``impact`` and ``what-if`` take: a model, or an estate folder of Parquet tables.

    A folder holding ``elements.parquet`` is read with :meth:`cxgraph.Estate.read` (and
    compiled at once, so its notes can be said); anything else as :func:`load_model` does.
    """
    from pathlib import Path

    if Path(spec).is_dir() and (Path(spec) / "elements.parquet").is_file():
        from ..engine import compile_model
        from ..model.estate import Estate

        estate = Estate.read(spec)
        say_notes(compile_model(estate), None)  # type: ignore[arg-type]  # coverage_notes takes the compiled form
        return estate
    return load_model(spec)


def say_more(model: Model, notes: tuple[str, ...] | list[str]) -> None:
    """Print on standard error a result's notes that :func:`load_model` has not already said."""
    from ..analysis import coverage_notes
    from ..engine import compile_model
    from ..model import Model as _Model

    said = set(coverage_notes(model if isinstance(model, _Model) else compile_model(model)))
    for note in dict.fromkeys(notes):
        if note not in said:
            print(f"note: {note}", file=sys.stderr)


def names_of(model: Model) -> dict[str, str]:
    """Return every item's name by id, for commands that show names rather than bare ids."""
    from ..model import Model as _Model

    if not isinstance(model, _Model):  # an estate: its compiled form has every name
        from ..engine import compile_model

        compiled = compile_model(model)
        return dict(zip([*compiled.ids, *compiled.capability_ids], [*compiled.names, *compiled.capability_names],
                        strict=True))
    return {i.id: i.name for i in [*model.journeys, *model.touchpoints, *model.elements, *model.capabilities]}


def say_notes(model: Model, imported: Any = None, *, extra: tuple[str, ...] | list[str] = ()) -> None:
    """Print on standard error the import log's notes and the notes of :func:`cxgraph.analysis.coverage_notes`."""
    from ..analysis import coverage_notes

    notes = list(getattr(imported, "notes", ()) or ()) + coverage_notes(model) + list(extra)
    for note in dict.fromkeys(notes):
        print(f"note: {note}", file=sys.stderr)


def emit(frame: pd.DataFrame | None, payload: Any, fmt: str, out: TextIO | None = None, *,
         currency: str | None = None) -> None:
    """Print a table as text or CSV, or ``payload`` as JSON (floats at full precision).

    A text table writes its numbers as people read them (:func:`cxgraph.formatting.number`:
    ``277,350``, ``12.3``), costs and budgets with ``currency``; CSV and JSON keep full precision.
    """
    import pandas as pd

    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    elif frame is not None and fmt == "csv":
        from ..io.csvsafe import neutralise

        safe = frame.copy()
        for column in safe.columns:
            if any(isinstance(v, str) for v in safe[column]):
                safe[column] = safe[column].map(lambda v: neutralise(v) if isinstance(v, str) else v)
        safe.to_csv(out, index=False)
    elif frame is not None:
        from ..formatting import table_text

        with pd.option_context("display.width", 160, "display.max_colwidth", 40, "display.max_rows", 500):
            out.write(table_text(frame, currency=currency).to_string(index=False) + "\n")


def run(handler: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    """Call a command's handler, turning cxgraph's errors into messages and exit codes."""
    try:
        return handler(args) or EXIT_OK
    except ModelError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except FileNotFoundError as err:
        print(f"cxgraph: error: no such file: {err.filename}", file=sys.stderr)
        return EXIT_USAGE
    except (CxGraphError, ValueError) as err:
        print(f"cxgraph: error: {err}", file=sys.stderr)
        return EXIT_INVALID
    except IsADirectoryError as err:
        print(f"cxgraph: error: {err.filename}: is a folder, expected a file", file=sys.stderr)
        return EXIT_INVALID
    except OSError as err:  # permissions, a full disk, a device that went away: the system's own words
        where = f"{err.filename}: " if err.filename else ""
        print(f"cxgraph: error: {where}{err.strerror or err}", file=sys.stderr)
        return EXIT_INVALID
    except MemoryError:
        print("cxgraph: error: not enough memory for this request: ask for less (fewer samples, a lower "
              "resolution, a smaller model)", file=sys.stderr)
        return EXIT_INVALID
