"""Survey responses: a plain CSV, or a Qualtrics export (CSV with three header rows).

The frame has one row per usable response: ``subject`` (the touchpoint or journey named),
``score`` (a number) and ``row`` (the row in the file). ``frame.attrs`` holds ``column``
(the score column) and, for Qualtrics, ``question`` (its question text).

A Qualtrics export starts with three header rows: the column ids (``ResponseId``,
``Q1``, ``Q2_NPS_GROUP``, embedded data names), the question texts, and ``{"ImportId":
...}`` objects. Columns are named by their id or by their question text (without a name,
the score is the one question that asks how likely to recommend or how satisfied);
responses whose ``Finished`` is false are counted and left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import FormatError
from ._common import EvidenceTable, columns_option, find_column, read_csv_text, read_text, row_problems

__all__ = ["is_qualtrics", "read_survey"]

SURVEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "subject": ("touchpoint", "touchpoint_id", "journey", "journey_id", "subject"),
    "score": ("score", "nps", "likelihood to recommend", "csat", "satisfaction", "rating"),
}


def is_qualtrics(frame: pd.DataFrame) -> bool:
    """Whether a CSV read with one header row is a Qualtrics export (its second data row holds ImportIds).

    Examples
    --------
    >>> import pandas as pd
    >>> from cxgraph.io.evidence.surveys import is_qualtrics
    >>> is_qualtrics(pd.DataFrame({"Q1": ["How likely...?", '{"ImportId":"QID1"}', "9"]}))
    True
    """
    if len(frame) < 2:
        return False
    third = [str(v).strip() for v in frame.iloc[1].tolist()]
    return sum(v.startswith('{"ImportId"') for v in third) >= max(1, len(third) // 2)


def _by_question(questions: Mapping[str, str], name: str | None, role: str) -> str | None:
    if name is not None:
        wanted = name.strip().lower()
        return next((col for col, text in questions.items() if text.strip().lower() == wanted), None)
    if role != "score":
        return None
    # No score column named: the one question asking how likely to recommend, or how satisfied.
    asked = [col for col, text in questions.items() if any(w in text.lower() for w in ("recommend", "satisf"))]
    return asked[0] if len(asked) == 1 else None


def read_survey(path: str | Path, *, columns: Mapping[str, str] | None = None) -> EvidenceTable:
    r"""Read survey responses (plain CSV or a Qualtrics export) into scores per touchpoint or journey.

    Parameters
    ----------
    path
        The CSV file.
    columns
        Column names by role: ``subject`` (the column naming the touchpoint or journey) and
        ``score``; for Qualtrics, a column id (``Q3``) or its question text.

    Examples
    --------
    >>> from cxgraph.io.evidence import read_survey
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "nps.csv"
    >>> _ = p.write_text("touchpoint,nps\nmp-send,10\nmp-send,n/a\n")
    >>> t = read_survey(p)
    >>> t.frame[["subject", "score"]].values.tolist(), [str(p) for p in t.problems], t.frame.attrs["column"]
    ([['mp-send', 10.0]], ['nps not a number: 1 row (rows 3)'], 'nps')
    """
    file = str(path)
    what = "survey responses (CSV)"
    frame = read_csv_text(read_text(path, what), file, what)
    named = columns_option(columns, list(SURVEY_COLUMNS), "survey")
    qualtrics = is_qualtrics(frame)
    first_row = 2
    questions: dict[str, str] = {}
    if qualtrics:
        questions = {str(c): str(v) for c, v in zip(frame.columns, frame.iloc[0].tolist(), strict=True)}
        frame = frame.iloc[2:].reset_index(drop=True)
        first_row = 4
    cols: dict[str, str] = {}
    for role, names in SURVEY_COLUMNS.items():
        given = named.get(role)
        found = find_column(frame, (given,) if given else names, file, "", required=False)
        if found is None and qualtrics:
            found = _by_question(questions, given, role)
        cols[role] = found or find_column(frame, (given,) if given else names, file,
                                          f"the {role} column of {what}", option=role)  # type: ignore[assignment]
    rows = np.arange(first_row, len(frame) + first_row)
    subject = frame[cols["subject"]].astype(str).str.strip().to_numpy(dtype=object)
    text = frame[cols["score"]].astype(str).str.strip()
    score = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    unfinished = np.zeros(len(frame), dtype=bool)
    finished = find_column(frame, ["Finished"], file, "", required=False) if qualtrics else None
    if finished is not None:
        unfinished = frame[finished].astype(str).str.strip().str.lower().isin(["false", "0"]).to_numpy()
    no_subject = (subject == "") & ~unfinished
    blank = (text == "").to_numpy() & ~no_subject & ~unfinished
    not_number = np.isnan(score) & ~blank & ~no_subject & ~unfinished
    problems = [*row_problems("unfinished response (Finished is false)", unfinished, rows),
                *row_problems(f"no {cols['subject']}", no_subject, rows),
                *row_problems(f"no {cols['score']} (question not answered)", blank, rows),
                *row_problems(f"{cols['score']} not a number", not_number, rows)]
    keep = ~(unfinished | no_subject | blank | not_number)
    if not len(frame.columns):
        raise FormatError("no columns: expected survey responses", file=file)
    out = pd.DataFrame({"subject": subject[keep], "score": score[keep], "row": rows[keep]})
    out.attrs["column"] = cols["score"]
    if qualtrics:
        out.attrs["question"] = questions.get(cols["score"], "")
    fmt = "Qualtrics export" if qualtrics else "survey CSV"
    return EvidenceTable(out, file, fmt, "surveys", len(frame), problems)
