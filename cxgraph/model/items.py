"""The items a model is made of: journeys, stages, touchpoints, elements, capabilities, metrics, initiatives."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    model_serializer,
    model_validator,
)

from ..errors import closest
from ._base import Base
from .numbers import Uncertain, bounds, point

__all__ = [
    "ELEMENT_KINDS",
    "Capability",
    "Dependency",
    "Element",
    "Fraction",
    "Item",
    "Journey",
    "Metric",
    "NonNegative",
    "Number",
    "Stage",
    "Tolerance",
    "Touchpoint",
    "check_reliability",
]

ELEMENT_KINDS: tuple[str, ...] = ("system", "service", "infrastructure", "data", "process", "team", "vendor")
"""The kinds of element, in the order lanes are drawn (owners last)."""

_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"invalid id {value!r}: use only letters, digits, '-', '_' and '.'")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
"""An id: letters, digits, ``-``, ``_`` and ``.``; unique across the whole model."""

Scalar = Union[str, int, float, bool, None]  # noqa: UP007 - the order matters to pydantic's smart union


def _parse_number(value: Any) -> int | float | Uncertain:
    if isinstance(value, Uncertain):
        return value
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return _not_huge(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value!r}")
        return value
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if text.lower().lstrip("+-") in (".inf", ".nan", "inf", "nan", "infinity"):
            raise ValueError(f"expected a finite number, got {value!r}")
        try:
            return _not_huge(int(text))
        except ValueError as err:
            if "below" in str(err):
                raise
        shown = repr(value) if len(value) <= 40 else f"{value[:20]!r}... ({len(value)} characters)"
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {shown}") from None
        if not math.isfinite(number):
            raise ValueError(f"expected a finite number, got {shown}")
        return number
    if isinstance(value, dict):
        try:
            return Uncertain.model_validate(value)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            msg = first["msg"].removeprefix("Value error, ")
            if first["type"] == "extra_forbidden":
                msg = f"unknown key {where!r} in a range (expected low, high and optionally mode)"
            elif first["type"] == "missing":
                msg = f"a range needs {where!r} (write {{low: ..., high: ...}} or {{low: ..., mode: ..., high: ...}})"
            elif where:
                msg = f"{where}: {msg}"
            raise ValueError(msg) from None
    raise ValueError(f"expected a number or a {{low, high}} range, got {type(value).__name__}")


def _not_huge(value: int) -> int:
    """Refuse a whole number too large for a float (every analysis computes in floats)."""
    try:
        float(value)
    except OverflowError:
        raise ValueError(f"expected a number below 1.8e308, got a whole number of {len(str(abs(value)))} digits"
                         ) from None
    return value


def _serialize_number(value: int | float | Uncertain) -> Any:
    return value.model_dump(exclude_none=True) if isinstance(value, Uncertain) else value


Number = Annotated[
    Union[int, float, Uncertain],  # noqa: UP007 - keeps the schema's anyOf in this order
    PlainValidator(_parse_number, json_schema_input_type=Union[int, float, Uncertain]),  # noqa: UP007
    PlainSerializer(_serialize_number, return_type=Any),
]
"""A finite number, or an :class:`Uncertain` range (``{low, high}`` / ``{low, mode, high}``)."""


def _range(low: float | None, high: float | None) -> AfterValidator:
    def check(value: int | float | Uncertain) -> int | float | Uncertain:
        lo, hi = bounds(value)
        if (low is not None and lo < low) or (high is not None and hi > high):
            shown: Any = value
            if isinstance(value, Uncertain):
                parts = {k: v for k, v in value.model_dump().items() if v is not None}
                shown = "{" + ", ".join(f"{k}: {v:g}" for k, v in parts.items()) + "}"
            if high is None:
                raise ValueError(f"must not be negative, got {shown}")
            raise ValueError(f"must be between {low:g} and {high:g}, got {shown}")
        return value

    return AfterValidator(check)


NonNegative = Annotated[Number, _range(0.0, None)]
"""A number (or range) >= 0."""

Fraction = Annotated[Number, _range(0.0, 1.0)]
"""A number (or range) in [0, 1]."""

Properties = dict[str, Scalar]


def check_reliability(availability: Any, failures_per_year: Any, recovery_hours: Any) -> None:
    """Raise ``ValueError`` unless the reliability fields make one form: availability, or failures with recovery.

    Examples
    --------
    >>> cx.model.items.check_reliability(0.99, None, 2)
    >>> cx.model.items.check_reliability(None, 3, None)
    Traceback (most recent call last):
    ...
    ValueError: failures_per_year needs recovery_hours (the mean time to restore, in hours) to give an unavailability
    """
    if availability is not None and failures_per_year is not None:
        raise ValueError("give either availability or failures_per_year (with recovery_hours), not both")
    if failures_per_year is not None and recovery_hours is None:
        raise ValueError("failures_per_year needs recovery_hours (the mean time to restore, in hours) "
                         "to give an unavailability")


def _kind(value: Any) -> Any:
    if isinstance(value, str) and value not in ELEMENT_KINDS:
        hint = closest(value, ELEMENT_KINDS, n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(f"unknown kind {value!r} (expected one of {', '.join(ELEMENT_KINDS)}){tip}")
    return value


Kind = Annotated[
    Literal["system", "service", "infrastructure", "data", "process", "team", "vendor"], BeforeValidator(_kind)
]


class Item(Base):
    """Fields every item shares: ``id``, ``name``, ``description``, ``tags``, ``properties``.

    Examples
    --------
    >>> cx.model.Item(id="x", name="X", properties={"tier": "gold"}).properties
    {'tier': 'gold'}
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: Id = Field(description="Unique id across the whole model: letters, digits, '-', '_' and '.'.")
    name: str = Field(description="Human-readable name.")
    description: str | None = Field(default=None, description="Optional longer description.")
    tags: list[str] = Field(default_factory=list, description="Free tags for filtering and grouping.")
    properties: Properties = Field(
        default_factory=dict,
        description="Free properties (text keys, scalar values) that round-trip untouched.",
    )


class Dependency(Base):
    """A link "the owner of this list depends on ``element``".

    Written as a bare element id (strength 1, no group) or as a mapping.

    Examples
    --------
    >>> cx.Dependency(element="cdn", strength=0.3)
    Dependency(element='cdn', strength=0.3, group=None)
    >>> cx.Dependency("core-banking").model_dump()
    'core-banking'
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    element: Id = Field(description="Id of the element depended on.")
    strength: Fraction = Field(default=1, description="Share of function lost when the element is lost (0..1).")
    group: str | None = Field(
        default=None, description="Redundancy group: links of one owner sharing a group are alternatives."
    )

    def __init__(self, element: str | None = None, /, **data: Any) -> None:
        if element is not None:
            data["element"] = element
        super().__init__(**data)

    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]  # nested data is validated in place

    @model_serializer(mode="wrap")
    def _shorthand(self, handler: Any) -> Any:
        data = handler(self)
        if self.strength == 1 and self.group is None:
            return self.element
        return {k: v for k, v in data.items() if not (k == "group" and v is None)}


def _dependency_dict(value: Any) -> Any:
    return {"element": value} if isinstance(value, str) else value


Dep = Annotated[Dependency, BeforeValidator(_dependency_dict, json_schema_input_type=Union[str, Dependency])]  # noqa: UP007


def _needs(value: dict[str, int]) -> dict[str, int]:
    for group, k in value.items():
        _not_huge(k)
        if k < 1:
            raise ValueError(f"needs for group {group!r} must be at least 1, got {k}")
    return value


class _Dependent(Item):
    depends_on: list[Dep] = Field(default_factory=list, description="What this depends on, with strength and group.")
    needs: Annotated[dict[str, int], AfterValidator(_needs)] = Field(
        default_factory=dict, description="How many links of each redundancy group must work (default 1)."
    )

    def depends(self, element: str, *, strength: float | Uncertain = 1, group: str | None = None) -> _Dependent:
        """Add a dependency on ``element`` and return ``self`` (for chaining).

        Examples
        --------
        >>> e = cx.Element(id="portal", name="Portal", kind="system")
        >>> e.depends("db").depends("cdn", strength=0.3).depends_on[1].strength
        0.3
        """
        self.depends_on.append(Dependency(element=element, strength=strength, group=group))
        return self


class Touchpoint(_Dependent):
    """One moment where the customer meets the organisation.

    ``required`` (default true) says the journey cannot be completed without it: the
    ``customers`` and ``revenue`` measures treat the journey as a funnel of its required
    touchpoints.

    Examples
    --------
    >>> tp = cx.Touchpoint(id="apply-online", name="Apply online", channel="web", reach=0.8,
    ...                    depends_on=["web-portal", {"element": "kyc", "strength": 0.5}])
    >>> [d.element for d in tp.depends_on]
    ['web-portal', 'kyc']
    """

    stage: str | None = Field(default=None, description="Id of the journey stage it belongs to.")
    channel: str | None = Field(default=None, description="Channel: web, app, phone, branch, ...")
    reach: Fraction = Field(default=1, description="Share of the journey's customers who pass here (0..1).")
    importance: NonNegative = Field(default=1, description="Relative weight of the touchpoint.")
    required: bool = Field(default=True, description="The journey cannot be completed without this touchpoint.")


class Stage(Item):
    """An optional, ordered phase of a journey (Consider, Apply, Use, Get help).

    Examples
    --------
    >>> cx.Stage(id="apply", name="Apply").name
    'Apply'
    """


class Tolerance(Base):
    """A journey's impact tolerance: it may not stay disrupted (journey loss above ``loss``) longer than ``hours``.

    Examples
    --------
    >>> cx.Tolerance(hours=4, loss=0.2).hours
    4
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    hours: NonNegative = Field(description="Longest disruption the journey may suffer, in hours.")
    loss: Fraction = Field(default=0, description="Journey loss (share of customers who cannot complete it) "
                                                  "above which the journey counts as disrupted (default 0).")


class Journey(Item):
    """What a customer sets out to do, with its touchpoints in order.

    Examples
    --------
    >>> j = cx.Journey(id="open-account", name="Open an account", segment="retail", customers=12000)
    >>> tp = j.add_touchpoint("apply", "Apply online", channel="web", depends_on=["portal"])
    >>> [t.id for t in j.touchpoints]
    ['apply']
    """

    segment: str | None = Field(default=None, description="Customer segment.")
    customers: NonNegative = Field(description="Customers who start this journey per period.")
    revenue: NonNegative | None = Field(default=None, description="Revenue per period that depends on the journey.")
    importance: NonNegative = Field(default=1, description="Relative weight of the whole journey (default 1).")
    tolerance: Tolerance | None = Field(default=None, description="Impact tolerance: hours and journey loss.")
    stages: list[Stage] = Field(default_factory=list, description="Ordered stages.")
    touchpoints: list[Touchpoint] = Field(default_factory=list, description="Touchpoints in the customer's order.")

    def add_stage(self, id: str, name: str, **fields: Any) -> Stage:
        """Append a stage and return it.

        Examples
        --------
        >>> j = cx.Journey(id="j", name="J", customers=10)
        >>> j.add_stage("apply", "Apply").id
        'apply'
        """
        stage = Stage(id=id, name=name, **fields)
        self.stages.append(stage)
        return stage

    def add_touchpoint(self, id: str, name: str, **fields: Any) -> Touchpoint:
        """Append a touchpoint (the next one the customer meets) and return it.

        Examples
        --------
        >>> j = cx.Journey(id="j", name="J", customers=10)
        >>> j.add_touchpoint("t1", "Call us", channel="phone").channel
        'phone'
        """
        tp = Touchpoint(id=id, name=name, **fields)
        self.touchpoints.append(tp)
        return tp


class Element(_Dependent):
    """Anything on the IT side behind touchpoints: system, service, infrastructure, data, process, team, vendor.

    Examples
    --------
    >>> e = cx.Element(id="web-portal", name="Web portal", kind="system", owner="digital-team",
    ...                depends_on=["core-banking", {"element": "cdn", "strength": 0.3}])
    >>> e.kind, e.depends_on[1].strength
    ('system', 0.3)
    """

    kind: Kind = Field(description="system, service, infrastructure, data, process, team or vendor.")
    owner: str | None = Field(default=None, description="Id of the team or vendor accountable for it.")
    availability: Fraction | None = Field(
        default=None, description="Share of the period it works (0..1); or give failures_per_year.")
    failures_per_year: NonNegative | None = Field(
        default=None, description="How often it fails per year (with recovery_hours); or give availability.")
    recovery_hours: NonNegative | None = Field(default=None, description="Mean time to restore it after a failure.")

    @model_validator(mode="after")
    def _one_reliability_form(self) -> Element:
        check_reliability(self.availability, self.failures_per_year, self.recovery_hours)
        return self


class Capability(Item):
    """What the organisation can do; hierarchical; realised by elements.

    Examples
    --------
    >>> cx.Capability(id="payments", name="Payments", realized_by=["gateway"]).effort
    1
    """

    parent: str | None = Field(default=None, description="Id of the parent capability.")
    realized_by: list[str] = Field(default_factory=list, description="Ids of the elements that realise it.")
    effort: NonNegative = Field(default=1, description="Relative effort of improving it (priority denominator).")


class Metric(Item):
    """A measured quantity with an actual and a target value, on a touchpoint or an element.

    Examples
    --------
    >>> m = cx.Metric(id="csat", name="CSAT", of="apply", actual=3.1, target=4.5, better="higher", ideal=5)
    >>> m.better, m.ideal_value
    ('higher', 5.0)
    """

    of: str = Field(description="Id of the touchpoint or element measured.")
    actual: Number = Field(description="Measured value.")
    target: Number = Field(description="Target value.")
    better: Literal["higher", "lower"] = Field(default="higher", description="Whether higher or lower is better.")
    ideal: Number | None = Field(
        default=None, description="Best value the measure can take: 0 by default when lower is better; required "
                                  "when higher is better (100 for a percentage, 5 for a 1-to-5 score).")
    unit: str | None = Field(default=None, description="Unit, for display (e.g. '%', 'days', '1-5').")

    @model_validator(mode="after")
    def _within_ideal(self) -> Metric:
        if self.ideal is None:
            if self.better == "higher":
                raise ValueError(
                    f"metric {self.id!r} is better when higher, so it needs an `ideal`: the best value the "
                    "measure can take (100 for a percentage, 5 for a 1-to-5 score)")
            ideal = 0.0
        else:  # a range of ideals: every actual and target must lie within the least favourable one
            ideal = bounds(self.ideal)[0 if self.better == "higher" else 1]
        for name in ("actual", "target"):
            lo, hi = bounds(getattr(self, name))
            beyond = hi > ideal if self.better == "higher" else lo < ideal
            if beyond:
                shown = f"{getattr(self, name)!r}" if not isinstance(getattr(self, name), Uncertain) else \
                    f"a range up to {hi:g}" if self.better == "higher" else f"a range down to {lo:g}"
                raise ValueError(f"metric {self.id!r}: {name} {shown} lies beyond the ideal {ideal:g} "
                                 f"({self.better} is better, so nothing can be better than the ideal)")
        return self

    @property
    def ideal_value(self) -> float:
        """The ideal as a number: the given ``ideal``, or 0 when lower is better and none is given.

        Examples
        --------
        >>> cx.Metric(id="t", name="Turnaround", of="x", actual=5, target=2, better="lower").ideal_value
        0.0
        """
        return 0.0 if self.ideal is None else point(self.ideal)
