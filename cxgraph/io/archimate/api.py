"""ArchiMate and Archi interchange: read architects' models, give results back.

=======================  ==============================================  ==========================
format                   read                                            write
=======================  ==============================================  ==========================
ArchiMate exchange file  :func:`read_archimate` (3.0, 3.1; 2.1)          :func:`write_archimate` (3.1)
Archi ``.archimate``     :func:`read_archi` (plain or zipped)            --
Archi CSV trio           :func:`read_archi_csv`                          :func:`write_archi_csv`
=======================  ==============================================  ==========================

Every reader returns ``(model, log)``: the :class:`~cxgraph.Model` and an
:class:`~cxgraph.io.ImportLog` that accounts for every element and relationship
read (mapped, or kept aside with the reason). :func:`cxgraph.load` reads all three
XML flavours too (by content), returning the model alone. The mapping is described in
:mod:`cxgraph.io.archimate.map`, :mod:`cxgraph.io.archimate.links` and
``docs/archimate.md``; all XML is read with the hardened parser of
:mod:`cxgraph.io.xmlsafe`.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> bank = cx.examples.load("retail-bank")
>>> cx.io.write_archimate(bank, folder / "bank.xml")
>>> model, log = cx.io.read_archimate(folder / "bank.xml")
>>> model == bank, log.elements_kept, log.relationships_kept
(True, 0, 0)
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path as FsPath
from typing import Literal

from ..._files import write_text
from ...errors import FormatError
from ...model import Model
from ..importlog import ImportLog
from ..xmlsafe import is_zip, parse_xml, read_limited
from .annotate import annotate
from .archi_csv import parse_csv, write_csv
from .candidates import Candidate
from .candidates import journey_candidates as candidates_of
from .coarchi import coarchi_folder, parse_coarchi
from .concepts import ArchiModel
from .map import to_model
from .native import parse_native
from .read import parse_exchange, sniff
from .results import Results, result_properties
from .select import Journeys
from .unmap import from_model, identifiers
from .write import exchange_xml

__all__ = ["is_archimate_file", "journey_candidates", "load_archimate", "read_archi", "read_archi_csv",
           "read_archimate", "read_coarchi", "write_archi_csv", "write_archimate"]

Customers = float | Mapping[str, float] | None
Ids = Literal["archimate", "names"]


def _map(archi: ArchiModel, journeys: Journeys, customers: Customers, customer_roles: Sequence[str] | None,
         ids: Ids) -> tuple[Model, ImportLog]:
    return to_model(archi, journeys=journeys, customers=customers, customer_roles=customer_roles, ids=ids)


def read_archimate(path: str | os.PathLike[str], *, journeys: Journeys = "auto", customers: Customers = None,
                   customer_roles: Sequence[str] | None = None, ids: Ids = "archimate",
                   max_bytes: int | None = None) -> tuple[Model, ImportLog]:
    """Read an ArchiMate Model Exchange File (3.0, 3.1 or 2.1) into a model and an import log.

    An Archi ``.archimate`` file given here is read as by :func:`read_archi`.

    Parameters
    ----------
    path
        The file.
    journeys
        Which business behaviour the customer meets, besides what ``cxgraph:`` properties in
        the file say: ``"auto"`` (the default: of every view and customer role, the one that gives
        the most touchpoints with IT behind them; the import log's notes say which and list the
        others; nothing in a file that has ``cxgraph:`` properties), ``"view:NAME"`` (the
        processes, functions, interactions and events in a view; one drawn around others is
        their journey), ``"customer-facing"`` (the services and interfaces serving each of
        ``customer_roles``, and the behaviour they are assigned to), ``"role:NAME"`` (the same
        for one role), ``"none"``, a list of element names or identifiers (one journey, in this
        order), or a mapping ``{journey: [names or identifiers]}``.
    customers
        Customers per period of journeys whose file gives none (``cxgraph:customers``): one
        number for all, or a mapping by journey name or id. Without either, 1 (and the
        import log says so).
    customer_roles
        The business roles or actors that are customers, for ``journeys="customer-facing"``
        (default ``("Customer",)``); given with ``journeys="auto"``, they choose ``"customer-facing"``.
    ids
        ``"archimate"``: items keep their ArchiMate identifiers as ids; ``"names"``: ids are
        made from the names (``claim-registration-service``).
    max_bytes
        The largest file read (default :data:`cxgraph.io.xmlsafe.MAX_BYTES`, 200 MB).

    Returns
    -------
    tuple[Model, ImportLog]
        The model, and what became of every element and relationship read.

    Raises
    ------
    UnsafeInputError
        A DTD, entity declarations, or a file over ``max_bytes``.
    FormatError
        Malformed XML (with its line), a wrong namespace or version, a broken reference.
    ModelError
        ``cxgraph:`` properties that make no sense, each located at its element's line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "shop.xml"
    >>> _ = path.write_text('''<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
    ...   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="shop">
    ...   <name>Shop</name>
    ...   <elements>
    ...     <element identifier="order" xsi:type="BusinessProcess"><name>Order online</name></element>
    ...     <element identifier="web" xsi:type="ApplicationComponent"><name>Web shop</name></element>
    ...     <element identifier="rule" xsi:type="Principle"><name>Mobile first</name></element>
    ...   </elements>
    ...   <relationships>
    ...     <relationship identifier="r1" source="web" target="order" xsi:type="Serving"/>
    ...   </relationships>
    ... </model>''')
    >>> model, log = cx.io.read_archimate(path, journeys=["Order online"], customers=5000)
    >>> tp = model.journeys[0].touchpoints[0]
    >>> tp.name, [d.element for d in tp.depends_on], log.kept_elements[0].name
    ('Order online', ['web'], 'Mobile first')
    """
    path = FsPath(path)
    if path.is_dir():
        return read_coarchi(path, journeys=journeys, customers=customers, customer_roles=customer_roles, ids=ids,
                            max_bytes=max_bytes)
    data = read_limited(path, max_bytes=max_bytes)
    if is_zip(data):
        archi = parse_native(data, file=str(path), max_bytes=max_bytes)
    else:
        archi = _parse_xml(data, str(path), max_bytes)
    return _map(archi, journeys, customers, customer_roles, ids)


def _parse_xml(data: bytes, file: str, max_bytes: int | None) -> ArchiModel:
    if sniff(parse_xml(data, file=file, max_bytes=max_bytes).root) == "archi":
        return parse_native(data, file=file, max_bytes=max_bytes)
    return parse_exchange(data, file=file, max_bytes=max_bytes)


def read_archi(path: str | os.PathLike[str], *, journeys: Journeys = "auto", customers: Customers = None,
               customer_roles: Sequence[str] | None = None, ids: Ids = "archimate",
               max_bytes: int | None = None) -> tuple[Model, ImportLog]:
    """Read an Archi model file (``.archimate``, plain XML or zipped archive) into a model and an import log.

    The options are those of :func:`read_archimate`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.archimate"
    >>> _ = path.write_text('''<archimate:model xmlns:archimate="http://www.archimatetool.com/archimate"
    ...   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Tiny" id="m1" version="5.0.0">
    ...   <folder name="Application" type="application">
    ...     <element xsi:type="archimate:ApplicationComponent" name="CRM" id="c1"/>
    ...   </folder>
    ... </archimate:model>''')
    >>> model, log = cx.io.read_archi(path)
    >>> model.elements[0].kind, log.format
    ('system', 'Archi 5.0.0')
    """
    path = FsPath(path)
    if FsPath(path).is_dir():
        return read_coarchi(path, journeys=journeys, customers=customers, customer_roles=customer_roles, ids=ids,
                            max_bytes=max_bytes)
    archi = parse_native(read_limited(path, max_bytes=max_bytes), file=str(path), max_bytes=max_bytes)
    return _map(archi, journeys, customers, customer_roles, ids)


def read_coarchi(folder: str | os.PathLike[str], *, journeys: Journeys = "auto", customers: Customers = None,
                 customer_roles: Sequence[str] | None = None, ids: Ids = "archimate",
                 max_bytes: int | None = None) -> tuple[Model, ImportLog]:
    """Read a coArchi repository (Archi's git plug-in: one XML file per object) into a model and an import log.

    ``folder`` is the repository or its ``model`` folder. A folder that is not one is refused
    with how to export the model from Archi. The options are those of :func:`read_archimate`.

    Examples
    --------
    >>> import tempfile
    >>> cx.io.read_coarchi(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: ...: a folder, but not a coArchi repository (no model/folder.xml): ...
    """
    if coarchi_folder(folder) is None:
        raise FormatError(f"a folder, but not a coArchi repository (no model/folder.xml): {_EXPORT_HINT}",
                          file=str(folder))
    return _map(parse_coarchi(folder, max_bytes=max_bytes), journeys, customers, customer_roles, ids)


_EXPORT_HINT = ("give an ArchiMate exchange file (in Archi: File > Export > Model to Open Exchange File), an "
                "Archi model file (.archimate), an Archi CSV export, or a coArchi repository")


def read_archi_csv(folder_or_prefix: str | os.PathLike[str], *, journeys: Journeys = "auto",
                   customers: Customers = None, customer_roles: Sequence[str] | None = None, ids: Ids = "archimate",
                   max_bytes: int | None = None) -> tuple[Model, ImportLog]:
    """Read Archi's CSV export (``elements.csv``, ``relations.csv``, ``properties.csv``) into a model and an import log.

    ``folder_or_prefix`` is the folder holding the files, or a path prefix when the files are
    named ``<prefix>elements.csv`` and so on. The options are those of :func:`read_archimate`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> bank = cx.examples.load("retail-bank")
    >>> cx.io.write_archi_csv(bank, folder)
    >>> model, log = cx.io.read_archi_csv(folder)
    >>> len(model.elements) == len(bank.elements), log.format
    (True, 'Archi CSV')
    """
    archi = parse_csv(folder_or_prefix, max_bytes=max_bytes)
    return _map(archi, journeys, customers, customer_roles, ids)


def write_archimate(model: Model, path: str | os.PathLike[str], *, result: Results = None,
                    base: str | os.PathLike[str] | None = None, max_bytes: int | None = None) -> None:
    """Write a model as an ArchiMate 3.1 Model Exchange File, with results as properties if given.

    The file validates against the Open Group 3.1 schemas and reads back (with
    :func:`read_archimate`) to an equal model. Items keep the identifiers and types they were
    read with. ``result`` adds properties that Archi can show and colour views by: an analysis
    result (each numeric column of its table becomes ``cxgraph:<column>``, e.g.
    ``cxgraph:impact``, and its rank ``cxgraph:impact-rank``), a DataFrame with an ``id``
    column, a mapping ``{name: {id: value}}``, or a list of these (``[impact, pain]``).

    With ``base`` (the exchange file the model was read from), the file written is that
    original with the same content (views, organisations and everything cxgraph did not map;
    XML comments aside), plus the result properties on the elements it shares with the model. The rest of
    the model is not written then: ``base`` is for giving results back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bank.xml"
    >>> bank = cx.examples.load("retail-bank")
    >>> cx.io.write_archimate(bank, path, result={"score": {bank.elements[0].id: 0.75}})
    >>> 'type="number"' in path.read_text()
    True
    """
    if base is None:
        text = exchange_xml(from_model(model, result=result))
    else:
        ident = identifiers(model)
        results = result_properties(result) if result is not None else {}
        unknown = sorted({i for values in results.values() for i in values} - set(ident))
        if unknown:
            raise FormatError(f"the results name ids the model does not have: {', '.join(unknown[:5])}")
        by_identifier = {key: {ident[i]: v for i, v in values.items() if isinstance(v, int | float)
                               and math.isfinite(v)} for key, values in results.items()}
        text = annotate(read_limited(base, max_bytes=max_bytes), by_identifier, file=str(base), max_bytes=max_bytes)
    write_text(path, text)


def write_archi_csv(model: Model, folder: str | os.PathLike[str], *, result: Results = None,
                    prefix: str = "") -> None:
    """Write a model as Archi's CSV trio in ``folder``, with results as properties if given.

    Archi imports these files into a new model, or into the model they came from: rows
    whose ID matches an existing element update it, so impact properties land on the
    original elements. ``result`` is as for :func:`write_archimate`; ``prefix`` starts each
    file name (``bank-elements.csv``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> cx.io.write_archi_csv(cx.examples.load("retail-bank"), folder, prefix="bank-")
    >>> sorted(p.name for p in folder.iterdir())
    ['bank-elements.csv', 'bank-properties.csv', 'bank-relations.csv']
    """
    write_csv(from_model(model, result=result, xml=False), folder, prefix=prefix)


def is_archimate_file(path: str | os.PathLike[str]) -> bool:
    """Return whether :func:`cxgraph.load` should read ``path`` as ArchiMate (by extension, else by content).

    ``.xml`` and ``.archimate`` files are ArchiMate; so is a file whose content starts with
    ``<`` (after blanks and a byte-order mark) or is a zip archive.

    Examples
    --------
    >>> cx.io.is_archimate_file("model.archimate"), cx.io.is_archimate_file("model.yaml")
    (True, False)
    """
    path = FsPath(path)
    if path.suffix.lower() in (".xml", ".archimate"):
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return is_zip(head) or head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def load_archimate(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Model:
    """Read any ArchiMate or Archi XML file into a model (what :func:`cxgraph.load` does for them).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bank.xml"
    >>> cx.io.write_archimate(cx.examples.load("retail-bank"), path)
    >>> cx.load(path).name
    'Retail bank'
    """
    model, _ = read_archimate(path, max_bytes=max_bytes)
    return model


def journey_candidates(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> list[Candidate]:
    """List the journeys a file could give, the best first: what ``journeys="auto"`` chooses among.

    ``path`` is an exchange file, an Archi model file, an Archi CSV folder (or prefix) or a
    coArchi repository. Each :class:`~cxgraph.io.archimate.candidates.Candidate` says what to
    give as ``journeys=`` (``--journeys``) and how many journeys, touchpoints, touchpoints with
    IT behind them and dependency links it gives.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "shop.xml"
    >>> _ = path.write_text('''<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
    ...   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="shop"><name>Shop</name>
    ...   <elements>
    ...     <element identifier="c" xsi:type="BusinessRole"><name>Customer</name></element>
    ...     <element identifier="s" xsi:type="ApplicationService"><name>Web shop</name></element>
    ...     <element identifier="a" xsi:type="ApplicationComponent"><name>Shop system</name></element>
    ...   </elements>
    ...   <relationships>
    ...     <relationship identifier="r1" source="s" target="c" xsi:type="Serving"/>
    ...     <relationship identifier="r2" source="a" target="s" xsi:type="Realization"/>
    ...   </relationships>
    ... </model>''')
    >>> [str(c) for c in cx.io.journey_candidates(path)]
    ['role:Customer: 1 journey, 1 touchpoint (1 with IT behind them), 1 dependency link']
    """
    path = FsPath(path)
    if path.is_dir() and coarchi_folder(path) is not None:
        archi = parse_coarchi(path, max_bytes=max_bytes)
    elif path.is_dir() or (not path.exists() and path.with_name(path.name + "relations.csv").is_file()):
        archi = parse_csv(path, max_bytes=max_bytes)
    else:
        data = read_limited(path, max_bytes=max_bytes)
        archi = parse_native(data, file=str(path), max_bytes=max_bytes) if is_zip(data) else \
            _parse_xml(data, str(path), max_bytes)
    return candidates_of(archi)
