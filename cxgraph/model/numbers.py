"""Uncertain numbers: a point value or a range with an optional most-likely value."""

from __future__ import annotations

import math
from typing import Annotated, Any, Union

from pydantic import ConfigDict, Field, model_validator

from ._base import Base

__all__ = ["Number", "Uncertain", "point"]

_Finite = Annotated[float, Field(allow_inf_nan=False)]


class Uncertain(Base):
    """A number known only as a range: ``{low, high}`` or ``{low, mode, high}``.

    Deterministic analyses use :attr:`value` (the mode, or the midpoint when no
    mode is given); the sensitivity analysis draws from a uniform distribution
    (no mode) or a triangular one (with a mode).

    Examples
    --------
    >>> cx.Uncertain(low=8000, high=15000).value
    11500.0
    >>> cx.Uncertain(low=8000, mode=12000, high=15000).value
    12000.0
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: _Finite = Field(description="Lowest plausible value.")
    mode: _Finite | None = Field(default=None, description="Most likely value (triangular); omit for uniform.")
    high: _Finite = Field(description="Highest plausible value.")

    @model_validator(mode="after")
    def _ordered(self) -> Uncertain:
        mode = self.low if self.mode is None else self.mode
        if not (self.low <= mode <= self.high):
            raise ValueError("expected low <= mode <= high" if self.mode is not None else "expected low <= high")
        return self

    @property
    def value(self) -> float:
        """The point value used by deterministic analyses."""
        return float(self.mode) if self.mode is not None else (self.low + self.high) / 2.0


def point(x: float | int | Uncertain | None) -> float:
    """Return the point value of a number that may be uncertain.

    Examples
    --------
    >>> cx.model.point(3), cx.model.point(cx.Uncertain(low=1, high=2))
    (3.0, 1.5)
    """
    if x is None:
        return math.nan
    return x.value if isinstance(x, Uncertain) else float(x)


Number = Annotated[
    Union[int, _Finite, Uncertain],  # noqa: UP007 - Union keeps pydantic's smart-mode order readable
    Field(union_mode="smart"),
]
"""A finite number, or an :class:`Uncertain` range."""


def bounds(x: Any) -> tuple[float, float]:
    """Lowest and highest value a number can take (a point: itself twice)."""
    if isinstance(x, Uncertain):
        return x.low, x.high
    return float(x), float(x)
