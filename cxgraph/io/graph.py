"""The model as a networkx graph."""

from __future__ import annotations

import networkx as nx

from ..model import Model, point

__all__ = ["to_networkx"]


def to_networkx(model: Model) -> nx.DiGraph:
    """Return the dependency graph of ``model`` as a networkx ``DiGraph``.

    One node per touchpoint and element; one edge per dependency, from the dependent to what it
    depends on (``u -> v`` reads "u depends on v"). See :meth:`cxgraph.Model.to_networkx` for the
    node and edge attributes.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... journeys:
    ...   - {id: j, name: J, customers: 10, touchpoints: [{id: t, name: T, depends_on: [a]}]}
    ... elements: [{id: a, name: A, kind: system, depends_on: [{element: b, strength: 0.5}]},
    ...            {id: b, name: B, kind: data}]
    ... ''')
    >>> g = cx.io.to_networkx(m)
    >>> sorted(g.edges(data="strength"))
    [('a', 'b', 0.5), ('t', 'a', 1.0)]
    >>> g.nodes["t"]["kind"], g.nodes["b"]["kind"]
    ('touchpoint', 'data')
    """
    graph = nx.DiGraph(name=model.name, period=model.period)
    for journey in model.journeys:
        for tp in journey.touchpoints:
            graph.add_node(tp.id, type="touchpoint", kind="touchpoint", name=tp.name, journey=journey.id,
                           segment=journey.segment, stage=tp.stage, channel=tp.channel, reach=point(tp.reach),
                           importance=point(tp.importance), customers=point(journey.customers), needs=dict(tp.needs))
    for element in model.elements:
        graph.add_node(element.id, type="element", kind=element.kind, name=element.name, owner=element.owner,
                       needs=dict(element.needs))
    for item in [*model.touchpoints, *model.elements]:
        for dep in item.depends_on:
            graph.add_edge(item.id, dep.element, strength=point(dep.strength), group=dep.group)
    return graph
