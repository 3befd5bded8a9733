"""Backstage software catalogs: ``catalog-info.yaml`` files and folders, read into elements and links.

Examples
--------
>>> cx.io.backstage.parse_ref("orders", "api")
'api:default/orders'
"""

from .estate import read_backstage_estate
from .files import read_catalog
from .read import parse_ref, read_backstage

__all__ = ["parse_ref", "read_backstage", "read_backstage_estate", "read_catalog"]
