"""The :class:`Model`: the container of a whole customer-journey graph."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr

from ..errors import ModelError, Problem, UnknownIdError
from ._base import Base
from .changes import Initiative
from .checks import check_document, format_path
from .items import Capability, Element, Item, Journey, Metric, Scalar, Touchpoint
from .scenarios import Scenario

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FORMAT_VERSION", "Model"]

FORMAT_VERSION = 1
"""The model file format version this cxgraph reads and writes."""


class Model(Base):
    """A customer-journey graph: journeys, touchpoints, the IT behind them, capabilities, metrics, initiatives.

    Build one in Python, or read one with :func:`cxgraph.load`. References between items
    are checked by :meth:`check` and before every analysis.

    Examples
    --------
    >>> m = cx.Model(name="Shop")
    >>> buy = m.add_journey("buy", "Buy a product", segment="retail", customers=1000)
    >>> _ = buy.add_touchpoint("checkout", "Checkout", channel="web", depends_on=["payments"])
    >>> _ = m.add_element("payments", "Payments", kind="system", owner="pay-team")
    >>> _ = m.add_element("pay-team", "Payments team", kind="team")
    >>> m.check()
    >>> m
    Model('Shop': 1 journeys, 1 touchpoints, 2 elements, 0 capabilities, 0 metrics, 0 initiatives)
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    cxgraph: Literal[1] = Field(default=FORMAT_VERSION, description="Model file format version (required in files).")
    name: str = Field(default="Model", description="Name of the model.")
    period: str = Field(default="month", description="Unit of time of `customers` and `revenue`.")
    currency: str | None = Field(default=None, description="Currency of revenue and costs (e.g. EUR), for display.")
    description: str | None = Field(default=None, description="Optional longer description.")
    tags: list[str] = Field(default_factory=list, description="Free tags.")
    properties: dict[str, Scalar] = Field(default_factory=dict, description="Free properties, kept untouched.")
    journeys: list[Journey] = Field(default_factory=list, description="Customer journeys.")
    elements: list[Element] = Field(default_factory=list, description="IT-side elements behind touchpoints.")
    capabilities: list[Capability] = Field(default_factory=list, description="Capabilities, hierarchical.")
    metrics: list[Metric] = Field(default_factory=list, description="Metrics on touchpoints and elements.")
    initiatives: list[Initiative] = Field(default_factory=list, description="Candidate initiatives.")
    scenarios: list[Scenario] = Field(default_factory=list, description="Named disruption scenarios.")

    _source: str | None = PrivateAttr(default=None)
    _cache: dict[str, Any] = PrivateAttr(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        # Equal when the content is equal: where a model was read from, and caches, do not count.
        return isinstance(other, Model) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    # ------------------------------------------------------------------ building
    def add_journey(self, id: str, name: str, **fields: Any) -> Journey:
        """Append a journey and return it (add its stages and touchpoints on the returned object).

        Examples
        --------
        >>> m = cx.Model(name="Bank")
        >>> m.add_journey("open", "Open an account", customers=12000).customers
        12000
        """
        journey = Journey(id=id, name=name, **fields)
        self.journeys.append(journey)
        return journey

    def add_element(self, id: str, name: str, *, kind: str, **fields: Any) -> Element:
        """Append an element (system, service, infrastructure, data, process, team, vendor) and return it.

        Examples
        --------
        >>> m = cx.Model()
        >>> m.add_element("crm", "CRM", kind="system", depends_on=["db"]).depends_on[0].element
        'db'
        """
        element = Element(id=id, name=name, kind=kind, **fields)
        self.elements.append(element)
        return element

    def add_capability(self, id: str, name: str, **fields: Any) -> Capability:
        """Append a capability and return it.

        Examples
        --------
        >>> cx.Model().add_capability("pay", "Payments", realized_by=["gateway"]).realized_by
        ['gateway']
        """
        capability = Capability(id=id, name=name, **fields)
        self.capabilities.append(capability)
        return capability

    def add_metric(self, id: str, name: str, **fields: Any) -> Metric:
        """Append a metric and return it.

        Examples
        --------
        >>> cx.Model().add_metric("csat", "CSAT", of="checkout", actual=3.2, target=4.5, ideal=5).target
        4.5
        """
        metric = Metric(id=id, name=name, **fields)
        self.metrics.append(metric)
        return metric

    def add_initiative(self, id: str, name: str, **fields: Any) -> Initiative:
        """Append an initiative and return it.

        Examples
        --------
        >>> cx.Model().add_initiative("fix", "Fix checkout", cost=5e4, improves=[{"metric": "csat", "to": 4}]).cost
        50000.0
        """
        initiative = Initiative(id=id, name=name, **fields)
        self.initiatives.append(initiative)
        return initiative

    def add_scenario(self, id: str, name: str, **fields: Any) -> Scenario:
        """Append a named disruption scenario and return it.

        Examples
        --------
        >>> cx.Model().add_scenario("dc-loss", "Loss of the data centre", fail_where={"tag": "dc-1"}).fail_where.tag
        'dc-1'
        """
        scenario = Scenario(id=id, name=name, **fields)
        self.scenarios.append(scenario)
        return scenario

    # ------------------------------------------------------------------ reading
    @property
    def touchpoints(self) -> list[Touchpoint]:
        """Every touchpoint, journey by journey, in customer order.

        Examples
        --------
        >>> m = cx.examples.load("retail-bank")
        >>> len(m.touchpoints) == sum(len(j.touchpoints) for j in m.journeys)
        True
        """
        return [tp for journey in self.journeys for tp in journey.touchpoints]

    def items(self) -> Iterator[Item]:
        """Iterate over every item with an id (journeys, stages, touchpoints, elements, ...).

        Examples
        --------
        >>> m = cx.Model()
        >>> _ = m.add_element("a", "A", kind="system")
        >>> [i.id for i in m.items()]
        ['a']
        """
        for journey in self.journeys:
            yield journey
            yield from journey.stages
            yield from journey.touchpoints
        yield from self.elements
        yield from self.capabilities
        yield from self.metrics
        yield from self.initiatives
        yield from self.scenarios

    def get(self, id: str) -> Item:
        """Return the item with this id; raise :class:`UnknownIdError` (a ``KeyError``) if none.

        Examples
        --------
        >>> m = cx.Model()
        >>> _ = m.add_element("crm", "CRM", kind="system")
        >>> m.get("crm").name
        'CRM'
        >>> m.get("crn")
        Traceback (most recent call last):
        ...
        cxgraph.errors.UnknownIdError: unknown id 'crn' (did you mean 'crm'?)
        """
        for item in self.items():
            if item.id == id:
                return item
        raise UnknownIdError(id, [i.id for i in self.items()])

    def journey_of(self, touchpoint_id: str) -> Journey:
        """Return the journey a touchpoint belongs to.

        Examples
        --------
        >>> m = cx.examples.load("retail-bank")
        >>> tp = m.journeys[1].touchpoints[0]
        >>> m.journey_of(tp.id).id == m.journeys[1].id
        True
        """
        for journey in self.journeys:
            if any(tp.id == touchpoint_id for tp in journey.touchpoints):
                return journey
        raise UnknownIdError(touchpoint_id, [tp.id for tp in self.touchpoints], what="touchpoint")

    # ------------------------------------------------------------------ checking
    def problems(self) -> list[Problem]:
        """Return every cross-reference problem (unknown or duplicate ids, cycles, bad groups).

        Examples
        --------
        >>> m = cx.Model()
        >>> _ = m.add_element("portal", "Portal", kind="system", depends_on=["db"])
        >>> [str(p) for p in m.problems()]
        ["<model>: elements[0].depends_on[0]: unknown element 'db'"]
        """
        return [Problem(format_path(path), message, file=self._source) for path, message in
                check_document(self.to_dict())]

    def check(self) -> None:
        """Raise :class:`ModelError` listing every problem, or return ``None`` if the model is sound.

        Examples
        --------
        >>> m = cx.Model()
        >>> _ = m.add_element("portal", "Portal", kind="system", owner="nobody")
        >>> m.check()
        Traceback (most recent call last):
        ...
        cxgraph.errors.ModelError: 1 problem in the model:
          <model>: elements[0].owner: unknown owner 'nobody'
        """
        problems = self.problems()
        if problems:
            raise ModelError(problems)

    # ------------------------------------------------------------------ writing
    def to_dict(self) -> dict[str, Any]:
        """Return the document form: plain dicts and lists, as written to YAML or JSON.

        Defaults are left out, dependencies with strength 1 and no group use the shorthand.

        Examples
        --------
        >>> m = cx.Model(name="Tiny")
        >>> _ = m.add_element("a", "A", kind="system", depends_on=["b", {"element": "c", "strength": 0.5}])
        >>> m.to_dict()["elements"]
        [{'id': 'a', 'name': 'A', 'depends_on': ['b', {'element': 'c', 'strength': 0.5}], 'kind': 'system'}]
        """
        data = self.model_dump(mode="python", exclude_defaults=True)
        return {"cxgraph": FORMAT_VERSION, **data}

    def dumps(self, format: Literal["yaml", "json"] = "yaml") -> str:
        """Return the model as YAML or JSON text.

        Examples
        --------
        >>> print(cx.Model(name="Tiny").dumps("json"))
        {
          "cxgraph": 1,
          "name": "Tiny"
        }
        """
        from ..io.yamljson import dumps

        return dumps(self, format=format)

    def save(self, path: str | FsPath, *, format: Literal["yaml", "json"] | None = None) -> None:
        """Write the model to ``path``; the format comes from the extension (.yaml, .yml, .json).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.yaml"
        >>> cx.Model(name="Tiny").save(path)
        >>> cx.load(path).name
        'Tiny'
        """
        from ..io.yamljson import save

        save(self, path, format=format)

    def to_networkx(self) -> nx.DiGraph:
        """Return the model as a networkx ``DiGraph``, edges pointing from the dependent to what it depends on.

        One node per touchpoint and element, one edge per dependency.

        Node attributes: ``type`` ("touchpoint" or "element"), ``kind`` (the element kind, or
        "touchpoint"), ``name``, and for touchpoints ``journey``, ``stage``, ``channel``,
        ``reach``, ``importance``, ``customers``; for elements ``owner``; and ``needs``.
        Edge attributes: ``strength`` (point value) and ``group`` (``None`` where no group).

        Examples
        --------
        >>> g = cx.examples.load("retail-bank").to_networkx()
        >>> m = cx.examples.load("retail-bank")
        >>> g.number_of_nodes() == len(m.touchpoints) + len(m.elements)
        True
        """
        from ..io.graph import to_networkx

        return to_networkx(self)

    def to_mermaid(self, result: Any = None) -> str:
        """Return the model as a Mermaid flowchart (see :func:`cxgraph.export`).

        A subgraph per journey and per lane; with an impact ``result``, elements are coloured by
        impact. GitHub, GitLab and most notebooks render Mermaid as it is.

        Examples
        --------
        >>> print(cx.examples.load("retail-bank").to_mermaid().splitlines()[3])
        flowchart TB
        """
        from ..io.exporters import to_mermaid

        return to_mermaid(self, result)

    def to_svg(self, result: Any = None, **options: Any) -> str:
        """Return the service blueprint (:func:`cxgraph.draw.blueprint`) as SVG text, e.g. for a notebook.

        ``IPython.display.SVG(model.to_svg())`` shows it; ``options`` go to the blueprint
        (``journey=``, ``focus=``, ``top=``).

        Examples
        --------
        >>> svg = cx.examples.load("retail-bank").to_svg(journey="open-account")
        >>> svg.startswith("<svg") and svg.endswith("</svg>")
        True
        """
        from ..report.figures import model_svg

        return model_svg(self, result, **options)

    # ------------------------------------------------------------------ display
    def counts(self) -> dict[str, int]:
        """Return how many journeys, touchpoints, elements, ... the model has.

        Examples
        --------
        >>> cx.Model().counts()["elements"]
        0
        """
        return {
            "journeys": len(self.journeys),
            "touchpoints": len(self.touchpoints),
            "elements": len(self.elements),
            "capabilities": len(self.capabilities),
            "metrics": len(self.metrics),
            "initiatives": len(self.initiatives),
        }

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {k}" for k, n in self.counts().items())
        return f"Model({self.name!r}: {counts})"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{n}</td></tr>" for k, n in self.counts().items())
        return (f"<div><strong>{html.escape(self.name)}</strong> "
                f"(customers per {html.escape(self.period)})<table>{rows}</table></div>")

