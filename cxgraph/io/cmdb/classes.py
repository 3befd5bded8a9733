"""How ServiceNow CMDB classes become element kinds, and relationship types become links.

:data:`CLASS_KINDS` maps the CSDM and common infrastructure classes by name; a class it does not
name is mapped by :data:`CLASS_RULES` (the first pattern found in the class name), else to
``infrastructure``. :data:`RELATION_RULES` says, for each relationship type, which side depends on
which: ``parent`` (the parent depends on the child), ``child`` (the child depends on the parent),
``members`` (the parent depends on its children as redundant alternatives), ``owner`` (the child,
a team or company, owns the parent), or ``None`` (kept aside: no dependency can be read from it).

Examples
--------
>>> import pandas as pd
>>> from cxgraph.io.cmdb.classes import kinds_of, relation_rule
>>> kinds_of(pd.Series(["cmdb_ci_linux_server", "service_offering", "u_lab_widget"])).tolist()
['infrastructure', 'service', 'infrastructure']
>>> relation_rule("Runs on::Runs"), relation_rule("runs on :: runs"), relation_rule("Members::Member of")
('parent', 'parent', 'members')
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

__all__ = ["CLASS_KINDS", "CLASS_RULES", "LEFT_OUT", "RELATION_RULES", "kinds_of", "relation_rule"]

LEFT_OUT = "-"
"""The kind given to classes that are left out of the model (business capabilities: not an element)."""

CLASS_KINDS: dict[str, str] = {
    # CSDM: services and applications
    "service_offering": "service",                 # business or technical service offering
    "cmdb_ci_service": "service",                  # business service (older instances)
    "cmdb_ci_service_business": "service",         # business service
    "cmdb_ci_service_technical": "service",        # technical service
    "cmdb_ci_service_auto": "service",             # application service
    "cmdb_ci_service_discovered": "service",       # application service (service mapping)
    "cmdb_ci_service_calculated": "service",       # application service (calculated)
    "cmdb_ci_service_by_tags": "service",          # application service (tag based)
    "cmdb_ci_business_app": "system",              # business application
    "cmdb_ci_appl": "system",                      # application
    "cmdb_ci_business_process": "process",         # business process
    "cmdb_ci_information_object": "data",          # information object
    # infrastructure
    "cmdb_ci_server": "infrastructure",
    "cmdb_ci_linux_server": "infrastructure",
    "cmdb_ci_win_server": "infrastructure",
    "cmdb_ci_unix_server": "infrastructure",
    "cmdb_ci_esx_server": "infrastructure",
    "cmdb_ci_vm_instance": "infrastructure",
    "cmdb_ci_computer": "infrastructure",
    "cmdb_ci_netgear": "infrastructure",           # network gear
    "cmdb_ci_ip_router": "infrastructure",
    "cmdb_ci_ip_switch": "infrastructure",
    "cmdb_ci_ip_firewall": "infrastructure",
    "cmdb_ci_lb": "infrastructure",                # load balancer
    "cmdb_ci_app_server": "infrastructure",        # application server (Tomcat, WebSphere, ...)
    # data
    "cmdb_ci_database": "data",
    "cmdb_ci_db_instance": "data",
    # people and companies
    "sys_user_group": "team",                      # group
    "cmn_department": "team",
    "core_company": "vendor",                      # company
    # not an element
    "cmdb_ci_business_capability": LEFT_OUT,
}
"""CMDB classes by name, and the kind each becomes."""

CLASS_RULES: tuple[tuple[str, str], ...] = (
    (r"^cmdb_ci_db_|database", "data"),
    (r"^cmdb_ci_service|service_offering", "service"),
    (r"^cmdb_ci_appl", "system"),
    (r"server|_vm|cluster|netgear|^cmdb_ci_ip_|^cmdb_ci_lb|storage|rack|hardware|computer|network", "infrastructure"),
    (r"group$", "team"),
    (r"company$", "vendor"),
)
"""Patterns tried in order on a class :data:`CLASS_KINDS` does not name (first match wins)."""

RELATION_RULES: dict[str, str | None] = {
    "depends on::used by": "parent",
    "uses::used by": "parent",
    "runs on::runs": "parent",
    "hosted on::hosts": "parent",
    "virtualized by::virtualizes": "parent",
    "consumes::consumed by": "parent",
    "contains::contained by": "parent",
    "connects to::connected by": "parent",
    "provided by::provides": "parent",
    "members::member of": "members",
    "managed by::manages": "owner",
    "owned by::owns": "owner",
    "supported by::supports": "owner",
    "ip connection::ip connection": None,
    "sends data to::receives data from": None,
    "cluster of::cluster": None,
}
"""Relationship types (lower case, as ``parent descriptor::child descriptor``) and how each is read."""

_SPACES = re.compile(r"\s*::\s*|\s+")


def _key(text: str) -> str:
    return _SPACES.sub(lambda m: "::" if "::" in m.group(0) else " ", text.strip().lower())


def relation_rule(type_name: str, overrides: Mapping[str, str | None] | None = None) -> str | bool | None:
    """Return how a relationship type is read (``parent``, ``child``, ``members``, ``owner``, ``None``).

    ``False`` means the type is unknown. ``overrides`` (type name to rule) come first.

    Examples
    --------
    >>> from cxgraph.io.cmdb.classes import relation_rule
    >>> relation_rule("Sends data to::Receives data from"), relation_rule("Frobs::Frobbed by")
    (None, False)
    >>> relation_rule("Frobs::Frobbed by", {"Frobs::Frobbed by": "child"})
    'child'
    """
    key = _key(type_name)
    for name, rule in (overrides or {}).items():
        if _key(name) == key:
            return rule
    return RELATION_RULES.get(key, False)


def kinds_of(classes: pd.Series, overrides: Mapping[str, str] | None = None) -> pd.Series:
    """Return the kind of each class name (vectorised): ``overrides``, then the table, then the rules.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxgraph.io.cmdb.classes import kinds_of
    >>> kinds_of(pd.Series(["cmdb_ci_db_mysql_instance", "u_x"]), {"u_x": "process"}).tolist()
    ['data', 'process']
    """
    table = {**CLASS_KINDS, **(overrides or {})}
    kinds = classes.map(table)
    unknown = kinds.isna()
    if unknown.any():
        names = classes[unknown].str.lower()
        guessed = pd.Series("infrastructure", index=names.index, dtype=object)
        decided = pd.Series(False, index=names.index)
        for pattern, kind in CLASS_RULES:
            hit = ~decided & names.str.contains(pattern, regex=True)
            guessed[hit] = kind
            decided |= hit
        kinds[unknown] = guessed
    return kinds.astype(object)
