"""The spreadsheet layout: which sheets (or CSV files) a model is written to, and their columns.

One table per sheet. The reader, the writer, the template and the documentation
(``docs/spreadsheets.md``) all follow :data:`SHEETS`.

Examples
--------
>>> from cxgraph.io.tables.layout import SHEETS
>>> [s.name for s in SHEETS][:4]
['model', 'journeys', 'stages', 'touchpoints']
>>> SHEETS[1].column("customers").required
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["IGNORED_SHEETS", "PROP_PREFIX", "SHEETS", "Column", "Sheet", "sheet"]

PROP_PREFIX = "prop:"
"""Extra columns named ``prop:<key>`` hold the item's free properties."""

IGNORED_SHEETS = ("instructions", "readme")
"""Sheets (or CSV files) the reader skips, besides those whose name starts with ``_``."""

CellType = Literal["id", "text", "number", "ids", "tags", "needs", "hours", "values", "flag"]


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``type`` says how a cell is read: ``id`` (an id, spaces trimmed), ``text`` (as written),
    ``number`` (a number or a range ``low..high`` / ``low..mode..high``), ``ids`` (ids separated by
    ``;`` or ``,``), ``tags`` (texts separated by ``;``), ``needs`` (``group=k; group2=k``), ``hours``
    (``id=hours; id2=hours``), ``values`` (``key=value; key2=value``), ``flag`` (``true`` or ``false``).
    ``field`` is the field of the model item it fills, where that differs from the column name; ``a.b``
    is field ``b`` of field ``a``.
    """

    name: str
    type: CellType
    meaning: str
    example: str = ""
    required: bool = False
    field: str | None = None

    @property
    def key(self) -> str:
        """The field in the model document that this column fills."""
        return self.field or self.name


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook (one CSV file of the folder): its columns and what a row is."""

    name: str
    row: str
    columns: tuple[Column, ...]
    properties: bool = True

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        """The column names, in the order the writer puts them."""
        return [c.name for c in self.columns]


def _common(example_name: str) -> tuple[Column, ...]:
    return (
        Column("description", "text", "Longer description (optional)."),
        Column("tags", "tags", "Free tags, separated by ';' (optional).", example_name),
    )


def _id(example: str) -> Column:
    return Column("id", "id", "Unique id across the whole model: letters, digits, '-', '_' and '.'.", example,
                  required=True)


def _name(example: str) -> Column:
    return Column("name", "text", "Human-readable name.", example, required=True)


def _needs(example: str) -> Column:
    return Column("needs", "needs", "How many links of each redundancy group must work: 'group=k; group2=k' "
                                    "(default 1 per group).", example)

def _reliability(availability: str, failures: str, recovery: str) -> tuple[Column, ...]:
    return (
        Column("availability", "number", "Share of the time it works, 0..1 (optional; or failures_per_year with "
                                         "recovery_hours).", availability),
        Column("failures_per_year", "number", "How often it fails, per year (optional).", failures),
        Column("recovery_hours", "number", "Mean time to restore it after a failure, in hours (optional).", recovery),
    )


SHEETS: tuple[Sheet, ...] = (
    Sheet("model", "the model as a whole (one row; optional sheet)", (
        Column("cxgraph", "text", "Format version: 1 (optional).", "1"),
        Column("name", "text", "Name of the model (default: the file or folder name).", "Retail bank"),
        Column("period", "text", "Unit of time of customers and revenue (default: month).", "month"),
        Column("currency", "text", "Currency of revenue and costs, for display (optional).", "EUR"),
        *_common("illustrative"),
    )),
    Sheet("journeys", "a customer journey", (
        _id("open-account"),
        _name("Open an account"),
        Column("segment", "text", "Customer segment (optional).", "retail"),
        Column("customers", "number", "Customers who start the journey per period.", "9000..12000..15000",
               required=True),
        Column("revenue", "number", "Revenue per period that depends on the journey (optional).", "90000"),
        Column("importance", "number", "Relative weight of the whole journey (default 1).", "2"),
        Column("tolerance_hours", "number", "Impact tolerance: the longest disruption the journey may suffer, in "
                                            "hours (optional).", "4", field="tolerance.hours"),
        Column("tolerance_loss", "number", "Impact tolerance: the journey counts as disrupted while more than this "
                                           "share of its customers cannot complete it, 0..1 (default 0).", "0.2",
               field="tolerance.loss"),
        *_common("acquisition; digital-first"),
    )),
    Sheet("stages", "a stage of a journey, in order", (
        Column("journey", "id", "Id of the journey the stage belongs to.", "open-account", required=True),
        _id("oa-apply"),
        _name("Apply"),
        *_common(""),
    )),
    Sheet("touchpoints", "a touchpoint, in the order the customer meets them within its journey", (
        Column("journey", "id", "Id of the journey the touchpoint belongs to.", "open-account", required=True),
        _id("oa-apply-online"),
        _name("Fill in the application in the app"),
        Column("stage", "id", "Id of a stage of the same journey (optional).", "oa-apply"),
        Column("channel", "text", "Channel: web, app, phone, branch, ... (optional).", "app"),
        Column("reach", "number", "Share of the journey's customers who pass here, 0..1 (default 1).", "0.8"),
        Column("importance", "number", "Relative weight of the touchpoint (default 1).", "1.5"),
        Column("required", "flag", "false when the journey can be completed without it (default true).", ""),
        _needs(""),
        *_common(""),
    )),
    Sheet("elements", "a system, service, infrastructure, data, process, team or vendor", (
        _id("mobile-app"),
        _name("Mobile banking app"),
        Column("kind", "text", "system, service, infrastructure, data, process, team or vendor.", "system",
               required=True),
        Column("owner", "id", "Id of the team or vendor accountable for it (optional).", ""),
        _needs(""),
        *_reliability("0.995", "", "2"),
        Column("added_by", "id", "Id of the initiative that adds it: it exists once that initiative is done "
                                 "(optional).", ""),
        *_common("customer-facing"),
    )),
    Sheet("dependencies", "one dependency link, in order for each touchpoint or element", (
        Column("from", "id", "Id of the touchpoint or element that depends.", "oa-apply-online", required=True),
        Column("to", "id", "Id of the element depended on.", "mobile-app", required=True, field="element"),
        Column("strength", "number", "Share of function lost when the element is lost, 0..1 (default 1).", "1"),
        Column("group", "text", "Redundancy group: links of one item sharing a group are alternatives "
                                "(optional).", ""),
    ), properties=False),
    Sheet("capabilities", "a capability", (
        _id("digital-onboarding"),
        _name("Digital onboarding"),
        Column("parent", "id", "Id of the parent capability (optional).", ""),
        Column("realized_by", "ids", "Ids of the elements that realise it, separated by ';'.",
               "mobile-app"),
        Column("effort", "number", "Relative effort of improving it (default 1).", "2"),
        *_common(""),
    )),
    Sheet("metrics", "a metric of a touchpoint or an element", (
        _id("csat-apply"),
        _name("CSAT at application"),
        Column("of", "id", "Id of the touchpoint or element measured.", "oa-apply-online", required=True),
        Column("actual", "number", "Measured value.", "3.1", required=True),
        Column("target", "number", "Target value.", "4.5", required=True),
        Column("better", "text", "higher or lower (default higher).", "higher"),
        Column("ideal", "number", "Best value the measure can take (default 0 when lower is better; required "
                                  "when higher is better).", "5"),
        Column("unit", "text", "Unit, for display (optional).", "1-5"),
        *_common(""),
    )),
    Sheet("initiatives", "a candidate initiative", (
        _id("app-rewrite"),
        _name("Rewrite the onboarding flow"),
        Column("cost", "number", "Cost of the initiative.", "250000..400000", required=True),
        Column("requires", "ids", "Ids of initiatives that must be done with it, separated by ';'.", ""),
        *_common(""),
    )),
    Sheet("improvements", "what an initiative does to one metric", (
        Column("initiative", "id", "Id of the initiative.", "app-rewrite", required=True),
        Column("metric", "id", "Id of the metric it improves.", "csat-apply", required=True),
        Column("to", "number", "The metric's value once the initiative is done.", "4.2", required=True),
    ), properties=False),
    Sheet("settings", "what an initiative sets of one element's reliability", (
        Column("initiative", "id", "Id of the initiative.", "app-rewrite", required=True),
        Column("element", "id", "Id of the element.", "mobile-app", required=True),
        *_reliability("0.999", "", ""),
    ), properties=False),
    Sheet("link_changes", "a dependency link an initiative adds or removes (removes apply first)", (
        Column("initiative", "id", "Id of the initiative.", "app-rewrite", required=True),
        Column("change", "text", "add or remove.", "remove", required=True),
        Column("from", "id", "Id of the touchpoint or element that depends.", "oa-apply-online", required=True),
        Column("to", "id", "Id of the element depended on.", "mobile-app", required=True, field="element"),
        Column("strength", "number", "Share of function lost when the element is lost, 0..1 (default 1; added "
                                     "links only).", ""),
        Column("group", "text", "Redundancy group (added links only; optional).", ""),
    ), properties=False),
    Sheet("scenarios", "a named disruption scenario: elements that fail together", (
        _id("dc-loss"),
        _name("Loss of the primary data centre"),
        Column("fail", "ids", "Ids of the elements that fail, separated by ';'.", "mobile-app"),
        Column("where_tag", "text", "Also fail every element with this tag (optional).", "customer-facing",
               field="fail_where.tag"),
        Column("where_kind", "text", "... of this kind (optional; every selector column given must match).", "",
               field="fail_where.kind"),
        Column("where_owner", "id", "... owned by this team or vendor (optional).", "", field="fail_where.owner"),
        Column("where_property", "values", "... whose properties have these values: 'key=value; key2=value' "
                                          "(optional).", "", field="fail_where.property"),
        Column("hours", "hours", "Recovery hours that override the elements' own: 'id=hours; id2=hours' "
                                 "(optional).", "mobile-app=6"),
        *_common(""),
    )),
)
"""Every sheet, in the order they are written."""


def sheet(name: str) -> Sheet:
    """Return the sheet called ``name``.

    Examples
    --------
    >>> from cxgraph.io.tables.layout import sheet
    >>> sheet("dependencies").column("to").key
    'element'
    """
    return next(s for s in SHEETS if s.name == name)
