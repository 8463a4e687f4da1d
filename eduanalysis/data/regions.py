"""The region registry (``data/raw/regions.csv``): slug, Chinese name, province, parent, kind."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataValidationError, UnknownRegionError
from .readers import read_csv_table

__all__ = ["ancestors", "children", "get_region", "load_regions", "report_regions"]

_COLUMNS = ["slug", "name_zh", "province", "parent", "kind"]


def load_regions(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the region registry; return it indexed by slug.

    Slugs must be unique lower-case ASCII (``[a-z0-9_]+``); a non-empty ``parent`` must be
    another slug of the file.
    """
    path = Path(path) if path is not None else paths.REGIONS_CSV
    table = read_csv_table(path, columns=_COLUMNS, require_rows=True)
    for i, slug in enumerate(table["slug"], start=2):
        if not slug or not slug.isascii() or not all(c.isalnum() or c == "_" for c in slug) or (slug.lower() != slug):
            raise DataValidationError(
                f"{path}, row {i}, column `slug`: expected lower-case ASCII letters, digits or _, found {slug!r}"
            )
    dup = table["slug"][table["slug"].duplicated()].tolist()
    if dup:
        raise DataValidationError(f"{path}, column `slug`: duplicated slugs {dup}")
    known = set(table["slug"])
    for i, parent in enumerate(table["parent"], start=2):
        if parent and parent not in known:
            raise DataValidationError(f"{path}, row {i}, column `parent`: {parent!r} is not a slug of this file")
    table = table.set_index("slug")
    for i, slug in enumerate(table.index, start=2):
        seen = [slug]
        while table.at[seen[-1], "parent"]:
            parent = table.at[seen[-1], "parent"]
            if parent in seen:
                raise DataValidationError(
                    f"{path}, row {i}, column `parent`: the parents form a loop ({' → '.join([*seen, parent])})"
                )
            seen.append(parent)
    return table


def ancestors(slug: str, regions: pd.DataFrame | None = None) -> list[str]:
    """The regions above ``slug``, nearest first (a district's city, then its province's ...).

    Examples
    --------
    >>> ancestors("haibowan")
    ['wuhai']
    >>> ancestors("wuhai")
    []
    """
    regions = load_regions() if regions is None else regions
    out = []
    parent = regions.at[slug, "parent"] if slug in regions.index else ""
    while parent:
        out.append(parent)
        parent = regions.at[parent, "parent"]
    return out


def children(slug: str, regions: pd.DataFrame | None = None) -> list[str]:
    """The regions whose parent is ``slug`` (a city's districts and counties), in file order.

    Examples
    --------
    >>> children("wuhai")
    ['haibowan', 'wuda', 'hainan', 'city_direct']
    """
    regions = load_regions() if regions is None else regions
    return regions.index[regions["parent"] == slug].tolist()


def get_region(slug: str) -> pd.Series:
    """Return one region's registry row; an unknown slug raises ``UnknownRegionError``.

    Examples
    --------
    >>> get_region("yining")["name_zh"]
    '伊宁市'
    """
    table = load_regions()
    if slug not in table.index:
        raise UnknownRegionError(slug, list(table.index))
    return table.loc[slug]


def report_regions() -> list[str]:
    """Slugs that get their own city report: the top-level regions (no parent)."""
    table = load_regions()
    return [slug for slug, parent in table["parent"].items() if not parent]
