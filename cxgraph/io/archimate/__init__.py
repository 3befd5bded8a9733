"""ArchiMate and Archi: read architects' models into cxgraph, give results back.

==========================  ====================================================================
module                      what it does
==========================  ====================================================================
:mod:`.api`                 the public readers and writers (``cx.io.read_archimate``, ...)
:mod:`.read`                parsing an ArchiMate Model Exchange File (3.0, 3.1, 2.1)
:mod:`.native`              parsing an Archi ``.archimate`` file (plain or zipped)
:mod:`.archi_csv`           Archi's CSV trio (``elements.csv``, ``relations.csv``, ``properties.csv``)
:mod:`.coarchi`             a coArchi repository (one XML file per object)
:mod:`.concepts`            the parsed file: elements, relationships, views; ArchiMate types
:mod:`.select`              which parts of the file become journeys
:mod:`.candidates`          the journeys a file could give; ``journeys="auto"``
:mod:`.map`                 an ArchiMate model to a cxgraph model, with the import log
:mod:`.links`               relationships to dependencies, owners, capabilities and order
:mod:`.build`               the cxgraph document assembled from a finished mapping
:mod:`.props`               the ``cxgraph:`` properties that carry what ArchiMate cannot say
:mod:`.unmap`               a cxgraph model to ArchiMate concepts (for writing)
:mod:`.write`               writing an exchange file
:mod:`.annotate`            writing results into an existing exchange file
==========================  ====================================================================

Examples
--------
>>> from cxgraph.io.archimate import read_archimate
>>> read_archimate is cx.io.read_archimate
True
"""

from .api import (
    is_archimate_file,
    journey_candidates,
    load_archimate,
    read_archi,
    read_archi_csv,
    read_archimate,
    read_coarchi,
    write_archi_csv,
    write_archimate,
)

__all__ = ["is_archimate_file", "journey_candidates", "load_archimate", "read_archi", "read_archi_csv",
           "read_archimate", "read_coarchi", "write_archi_csv", "write_archimate"]
