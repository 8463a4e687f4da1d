"""The region registry (``data/raw/regions.csv``): regions as a hierarchy.

One row per region: an ASCII ``slug`` (unique across the whole registry, every province),
the Chinese ``name_zh``, ``province``, ``parent`` (the slug of the region above it — a
district's or county's city — empty for a top-level region) and ``kind`` (地级市, 县级市,
县, 市辖区 …).  A city and its districts and counties form a tree; a county-level city
with no parent is a tree of one.  Every grouping of the package (composites, verdicts,
charts) happens within one region of this tree, never across two.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataValidationError, UnknownRegionError
from .vocabulary import suggest

__all__ = [
    "COUNTY_LEVEL_KINDS",
    "REGION_COLUMNS",
    "REGION_KINDS",
    "ancestors",
    "area_label",
    "children",
    "get_region",
    "is_county_level",
    "load_regions",
    "report_regions",
    "resolve_region",
]

REGION_COLUMNS = ["slug", "name_zh", "province", "parent", "kind"]
#: administrative kinds whose area a 县域 evaluation (均衡, 普及普惠) is made for
COUNTY_LEVEL_KINDS = ("县", "自治县", "县级市", "市辖区", "旗", "自治旗", "林区", "特区")
#: every kind a region may have; 市直属单位（非行政区） groups a city's directly run schools
REGION_KINDS = (
    "省",
    "自治区",
    "直辖市",
    "地级市",
    "自治州",
    "地区",
    "盟",
    *COUNTY_LEVEL_KINDS,
    "市直属单位（非行政区）",
)


def _version(path: Path) -> tuple:
    return (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else ()


def load_regions(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the region registry; return it indexed by slug (a copy).

    Slugs must be unique lower-case ASCII (``[a-z0-9_]+``) across all provinces; a
    non-empty ``parent`` must be another slug of the file, and parents must not loop.

    Examples
    --------
    >>> load_regions().loc["haibowan", ["name_zh", "parent"]].tolist()
    ['海勃湾区', 'wuhai']
    """
    path = Path(path) if path is not None else paths.REGIONS_CSV
    return _load(path.resolve(), _version(path)).copy()


@lru_cache(maxsize=8)
def _load(path: Path, version: tuple) -> pd.DataFrame:
    from .readers import read_csv_table

    table = read_csv_table(path, columns=REGION_COLUMNS, require_rows=True)
    for i, rec in enumerate(table.itertuples(index=False), start=2):
        slug = rec.slug
        if not slug or not slug.isascii() or not all(c.isalnum() or c == "_" for c in slug) or slug.lower() != slug:
            raise DataValidationError(
                f"{path}, row {i}, column `slug`: expected lower-case ASCII letters, digits or _, found {slug!r}"
            )
        if not rec.name_zh:
            raise DataValidationError(f"{path}, row {i}, column `name_zh`: must not be empty")
        if rec.kind not in REGION_KINDS:
            raise DataValidationError(
                f"{path}, row {i}, column `kind`: expected one of {'、'.join(REGION_KINDS)}, found "
                f"{rec.kind!r}{suggest(rec.kind, REGION_KINDS)}"
            )
    dup = table["slug"][table["slug"].duplicated()]
    if len(dup):
        slug = dup.iloc[0]
        rows = [i + 2 for i in table.index[table["slug"] == slug]]
        same = table[table["slug"] == slug]
        names = "、".join(f"{n}（{p}）" for n, p in zip(same["name_zh"], same["province"]))
        raise DataValidationError(
            f"{path}, rows {rows}, column `slug`: {slug!r} is used twice ({names}); slugs are unique across "
            f"provinces — put the city's slug in front of a district's, e.g. <city>_{slug}"
        )
    known = set(table["slug"])
    for i, parent in enumerate(table["parent"], start=2):
        if parent and parent not in known:
            raise DataValidationError(
                f"{path}, row {i}, column `parent`: {parent!r} is not a slug of this file{suggest(parent, known)}"
            )
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


def resolve_region(name: str) -> str:
    """The slug of a region given by slug, Chinese name or pinyin: 伊宁 / 伊宁市 / Yining → ``yining``.

    A Chinese name may leave out its last character of kind (伊宁 for 伊宁市, 林口 for 林口县).
    A name shared by regions of different provinces raises ``UnknownRegionError`` listing
    them with their provinces, so the caller can pass the slug.

    Examples
    --------
    >>> resolve_region("伊宁"), resolve_region("伊宁市"), resolve_region("Yining"), resolve_region("yining")
    ('yining', 'yining', 'yining', 'yining')
    >>> resolve_region("海勃湾区")
    'haibowan'
    """
    table = load_regions()
    text = name.strip()
    if text in table.index:
        return text
    if text.lower() in table.index:
        return text.lower()
    names = table["name_zh"]
    matches = list(names.index[names == text])
    if not matches:
        short = names.str.replace(r"(市|区|县|旗|自治县|自治旗)$", "", regex=True)
        matches = list(short.index[short == text])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        options = "; ".join(f"{s}（{table.at[s, 'name_zh']}，{table.at[s, 'province']}）" for s in matches)
        raise UnknownRegionError(text, list(table.index), message=f"{text!r} names several regions: {options}")
    hint = suggest(text, [*table.index, *names])
    raise UnknownRegionError(text, list(table.index), hint=hint)


def ancestors(slug: str, regions: pd.DataFrame | None = None) -> list[str]:
    """The regions above ``slug``, nearest first (a district's city, then the region above it).

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


def is_county_level(slug: str, regions: pd.DataFrame | None = None) -> bool:
    """Whether a region is a county-level area (县, 县级市, 市辖区 …), the unit a 县域
    evaluation is made for.

    Examples
    --------
    >>> is_county_level("yining"), is_county_level("wuhai"), is_county_level("haibowan")
    (True, False, True)
    """
    regions = load_regions() if regions is None else regions
    return regions.at[slug, "kind"] in COUNTY_LEVEL_KINDS


def area_label(area: str, report_region: str, regions: pd.DataFrame | None = None) -> str:
    """How a table names an area: 全市 / 全县 / 全区 for the report's own region, else its name.

    Examples
    --------
    >>> area_label("wuhai", "wuhai"), area_label("haibowan", "wuhai"), area_label("linkou", "linkou")
    ('全市', '海勃湾区', '全县')
    """
    regions = load_regions() if regions is None else regions
    if area != report_region:
        return regions.at[area, "name_zh"]
    kind = regions.at[area, "kind"]
    tail = {"市辖区": "区", "自治县": "县", "自治旗": "旗", "县级市": "市", "地级市": "市", "自治州": "州"}.get(
        kind, kind[-1]
    )
    return "全" + tail


def report_regions() -> list[str]:
    """Slugs that get their own report in a full batch: the top-level regions (no parent)."""
    table = load_regions()
    return [slug for slug, parent in table["parent"].items() if not parent]
