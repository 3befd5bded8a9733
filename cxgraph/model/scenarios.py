"""Named disruption scenarios: which elements fail together, and for how long."""

from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator

from ._base import Base
from .items import Item, NonNegative

__all__ = ["Scenario", "Selector"]


class Selector(Base):
    """Selects elements by ``tag``, ``kind``, ``owner`` or ``property``; every key given must match.

    Examples
    --------
    >>> cx.Selector(tag="dc-1").tag
    'dc-1'
    >>> cx.Selector(property={"site": "north"}).property
    {'site': 'north'}
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    tag: str | None = Field(default=None, description="Elements carrying this tag.")
    kind: str | None = Field(default=None, description="Elements of this kind.")
    owner: str | None = Field(default=None, description="Elements owned by this team or vendor.")
    property: dict[str, str] | None = Field(default=None, description="Elements whose properties have these values.")

    @model_validator(mode="after")
    def _selects_something(self) -> Selector:
        if self.tag is None and self.kind is None and self.owner is None and not self.property:
            raise ValueError("a selector needs at least one of tag, kind, owner or property")
        return self

    def describe(self) -> str:
        """Say the selector in words, as error messages and reports name it.

        Examples
        --------
        >>> cx.Selector(tag="dc-1", kind="infrastructure").describe()
        'tag dc-1, kind infrastructure'
        """
        parts = [f"{k} {v}" for k, v in (("tag", self.tag), ("kind", self.kind), ("owner", self.owner)) if v]
        parts += [f"property {k}={v}" for k, v in (self.property or {}).items()]
        return ", ".join(parts)


class Scenario(Item):
    """A named disruption: elements that fail at time 0, each back after its recovery time.

    Elements are listed by id (``fail``) or selected (``fail_where``); ``hours`` overrides the
    recovery time of some of them.

    Examples
    --------
    >>> s = cx.Scenario(id="cdn-vendor", name="CDN vendor outage", fail=["cdn"], hours={"cdn": 12})
    >>> s.hours["cdn"]
    12
    """

    fail: list[str] = Field(default_factory=list, description="Ids of the elements that fail.")
    fail_where: Selector | None = Field(default=None, description="Selects further elements that fail.")
    hours: dict[str, NonNegative] = Field(default_factory=dict, description="Recovery hours that override "
                                                                             "the elements' own recovery_hours.")
