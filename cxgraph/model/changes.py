"""Initiatives: candidate work with a cost that sets metrics and reliability and changes the architecture."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, model_validator

from ._base import Base
from .items import Element, Fraction, Item, NonNegative, Number

__all__ = ["Additions", "Improvement", "Initiative", "Link", "LinkRef", "Setting"]


class Improvement(Base):
    """What an initiative does to one metric: sets it ``to`` a value.

    Examples
    --------
    >>> cx.Improvement(metric="csat", to=4.2).to
    4.2
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    metric: str = Field(description="Id of the metric improved.")
    to: Number = Field(description="The metric's value once the initiative is done.")


class Setting(Base):
    """What an initiative does to one element's reliability: the fields it gives replace the element's.

    Setting ``availability`` replaces a ``failures_per_year`` form and the other way round;
    ``recovery_hours`` may be set on its own.

    Examples
    --------
    >>> cx.Setting(element="web-portal", availability=0.999).availability
    0.999
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    element: str = Field(description="Id of the element whose reliability is set.")
    availability: Fraction | None = Field(default=None, description="New availability (0..1).")
    failures_per_year: NonNegative | None = Field(default=None, description="New failures per year.")
    recovery_hours: NonNegative | None = Field(default=None, description="New mean time to restore, in hours.")

    @model_validator(mode="after")
    def _sets_something(self) -> Setting:
        if self.availability is None and self.failures_per_year is None and self.recovery_hours is None:
            raise ValueError(f"a setting of {self.element!r} must give availability, failures_per_year or "
                             "recovery_hours")
        if self.availability is not None and self.failures_per_year is not None:
            raise ValueError("give either availability or failures_per_year (with recovery_hours), not both")
        return self


class LinkRef(Base):
    """A dependency link named by its two ends: ``from`` (a touchpoint or element) depends on ``element``.

    Examples
    --------
    >>> cx.LinkRef.model_validate({"from": "web-portal", "element": "cdn"}).source
    'web-portal'
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True,
                              serialize_by_alias=True)

    source: str = Field(alias="from", description="Id of the touchpoint or element that depends.")
    element: str = Field(description="Id of the element depended on.")

    def key(self) -> tuple[str, str]:
        """Return the link's ends as ``(from, element)``."""
        return self.source, self.element


class Link(LinkRef):
    """A dependency link an initiative adds: ``from`` depends on ``element`` with a strength and a group.

    Examples
    --------
    >>> cx.Link.model_validate({"from": "web-portal", "element": "cdn-b", "group": "edge"}).group
    'edge'
    """

    strength: Fraction = Field(default=1, description="Share of function lost when the element is lost (0..1).")
    group: str | None = Field(default=None, description="Redundancy group of the link.")


class Additions(Base):
    """The elements and dependency links an initiative adds.

    Examples
    --------
    >>> adds = cx.Additions(elements=[{"id": "cdn-b", "name": "CDN B", "kind": "infrastructure"}],
    ...                     links=[{"from": "web-portal", "element": "cdn-b"}])
    >>> adds.links[0].source
    'web-portal'
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    elements: list[Element] = Field(default_factory=list, description="Elements added to the model.")
    links: list[Link] = Field(default_factory=list, description="Dependency links added.")


class Initiative(Item):
    """A candidate piece of work, with a cost, that improves metrics and changes the architecture.

    ``improves`` sets metrics, ``sets`` sets elements' reliability, ``adds`` adds elements and
    links and ``removes`` removes links; :func:`cxgraph.model.apply_initiatives` applies them
    in the order DESIGN §3 gives (every ``removes``, then every ``adds``, then ``sets`` and
    ``improves``).

    Examples
    --------
    >>> i = cx.Initiative(id="rewrite", name="Rewrite", cost=400000, improves=[{"metric": "csat", "to": 4.2}])
    >>> i.improves[0].metric
    'csat'
    >>> cx.Initiative(id="ha", name="HA", cost=9e5, sets=[{"element": "db", "availability": 0.9999}]).structural
    True
    """

    cost: NonNegative = Field(description="Cost of the initiative.")
    improves: list[Improvement] = Field(default_factory=list, description="Metrics it improves and to what.")
    sets: list[Setting] = Field(default_factory=list, description="Elements whose reliability it sets.")
    adds: Additions | None = Field(default=None, description="Elements and dependency links it adds.")
    removes: list[LinkRef] = Field(default_factory=list, description="Dependency links it removes (before adds).")
    requires: list[str] = Field(default_factory=list, description="Ids of initiatives that must be done with it.")

    @property
    def structural(self) -> bool:
        """Whether it changes more than metric values (reliability, elements or links)."""
        return bool(self.sets or self.removes or (self.adds and (self.adds.elements or self.adds.links)))

    def changes(self) -> list[str]:
        """Say in words what it changes, one text per change.

        Examples
        --------
        >>> ini = cx.Initiative.model_validate({"id": "b", "name": "B", "cost": 1,
        ...     "removes": [{"from": "app", "element": "cdn"}], "sets": [{"element": "db", "recovery_hours": 2}]})
        >>> ini.changes()
        ['removes app -> cdn', 'sets db recovery_hours 2']
        """
        out = [f"removes {r.source} -> {r.element}" for r in self.removes]
        if self.adds is not None:
            out += [f"adds {e.id}" for e in self.adds.elements]
            out += [f"adds {k.source} -> {k.element}" + (f" ({k.group})" if k.group else "") for k in self.adds.links]
        for s in self.sets:
            for name in ("availability", "failures_per_year", "recovery_hours"):
                value: Any = getattr(s, name)
                if value is not None:
                    out.append(f"sets {s.element} {name} {_short(value)}")
        out += [f"improves {imp.metric} to {_short(imp.to)}" for imp in self.improves]
        return out


def _short(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(getattr(value, "value", value))

