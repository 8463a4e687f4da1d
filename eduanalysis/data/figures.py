"""Reported figures: one row per number a city's documents state.

``data/raw/figures/<slug>.csv`` keeps each figure exactly as written (``"15.44 亿元"``,
``"2.9:7.1"``, ``"47.19%"``) with its source document and locator.  This module parses
those strings into a value in the indicator's registry unit and validates every row;
nothing is repaired: a row that does not parse is an error naming file, row and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataValidationError, NoFiguresError
from .numbers import ZERO_CHANGE, Quantity, convert_unit, header_unit, parse_quantity
from .readers import read_csv_table
from .registry import INDICATORS_CSV, indicator_registry
from .vocabulary import suggest

__all__ = [
    "ATTRIBUTES",
    "FIGURE_COLUMNS",
    "GROUPS",
    "LEVELS",
    "VALUE_TYPES",
    "Quantity",
    "RowContext",
    "all_figures",
    "check_figures",
    "convert_unit",
    "figures_path",
    "has_figure_files",
    "load_figures",
    "parse_quantity",
    "region_figures",
    "require_figures",
]

FIGURE_COLUMNS = [
    "region",
    "district",
    "year",
    "level",
    "group",
    "indicator",
    "name_in_source",
    "value_as_written",
    "value_type",
    "attribute",
    "source",
    "locator",
    "note",
]

#: what a figure is: a reported actual, a plan target, a cited standard (a norm the region
#: must meet), a planned quantity, an estimate, the base-year value printed in a plan's
#: target table, or a comparison level the document cites (对照: another region's actual
#: value, e.g. the national average — not a norm, never used to judge)
VALUE_TYPES = ("实际", "目标", "标准", "计划", "预计", "基期", "对照")
#: sub-populations a figure may be about within its region and level (口径): 城镇小学生师比 is
#: ``group=城镇``; empty for the whole population
GROUPS = ("", "城镇", "农村", "城区", "镇区", "乡村", "县城", "公办", "民办", "寄宿生", "随迁子女")
#: school levels and stages (学段) a figure may be about; empty when it is not about one level
LEVELS = (
    "",
    "学前",
    "小学",
    "初中",
    "义务教育",
    "普通高中",
    "中职",
    "高中阶段",
    "高中",
    "高职",
    "高等教育",
    "特殊教育",
    "职业教育",
)
#: plan indicator attributes (规划指标属性)
ATTRIBUTES = ("", "预期性", "约束性")


def with_header_unit(value_as_written: str, name_in_source: str) -> str:
    """A table cell as a reader should see it: the bare number with the unit its header
    gives (``97`` under ``高中阶段毛入学率(%)`` → ``97%``); anything else unchanged.

    >>> with_header_unit("97", "高中阶段毛入学率（%）"), with_header_unit("0.89", "在校生（万人）")
    ('97%', '0.89万人')
    >>> with_header_unit("98%", "毛入学率"), with_header_unit("2.9:7.1", "职普比")
    ('98%', '2.9:7.1')
    """
    try:
        if parse_quantity(value_as_written).unit:
            return value_as_written
        return f"{value_as_written}{header_unit(name_in_source)}"
    except DataValidationError:
        return value_as_written


def figures_path(region: str) -> Path:
    """Path of a region's raw figures file."""
    return paths.FIGURES_DIR / f"{region}.csv"


def region_figures(slug: str) -> pd.DataFrame:
    """Every figure a report on ``slug`` covers, each with the area it is about.

    A region's figures are the rows of its own file (``data/raw/figures/<slug>.csv``, whose
    ``district`` rows are about its districts), the rows of its districts' own files, and —
    for a district or county — the rows of its parent's file whose ``district`` is ``slug``.
    Added columns: ``area`` (the slug the figure is about: its district, else the file's
    region), ``file_region`` (whose file the row is in) and ``bound`` (exact, at_least,
    above, at_most, about, nearly, range: what the qualifier means, see :mod:`eduanalysis.data.bounds`).

    Raises ``UnknownRegionError`` for an unknown slug; a known region without any figure
    gives an empty frame (callers decide whether that is an error).

    Examples
    --------
    >>> f = region_figures("haibowan")
    >>> sorted(set(f["area"])), sorted(set(f["file_region"]))
    (['haibowan'], ['wuhai'])
    >>> int((region_figures("wuhai")["area"] == "haibowan").sum()) == len(f)
    True
    """
    from .bounds import bound_of
    from .regions import children, get_region, load_regions

    info = get_region(slug)
    regions = load_regions()
    frames = []
    for owner in [slug, *children(slug, regions)]:
        if figures_path(owner).exists():
            frames.append(load_figures(owner))
    parent = info["parent"]
    if parent and figures_path(parent).exists():
        upper = load_figures(parent)
        frames.append(upper[upper["district"] == slug])
    frames = [f for f in frames if len(f)]
    if not frames:
        empty = load_figures(slug).iloc[0:0]  # no file, or a file without rows: same columns
        return empty.assign(area=pd.Series(dtype=str), file_region=pd.Series(dtype=str), bound=pd.Series(dtype=str))
    table = pd.concat(frames, ignore_index=True)
    table["file_region"] = table["region"]
    table["area"] = table["district"].where(table["district"] != "", table["region"])
    table["bound"] = table["qualifier"].map(bound_of)
    return table


def has_figure_files(slug: str) -> bool:
    """Whether a region has a figures file of its own or of one of its districts.

    Cheap (files are not parsed), so that a batch planning every region never stops
    because one region's file is broken: that report fails, with the file's message.
    """
    from .regions import children

    return any(figures_path(s).exists() for s in [slug, *children(slug)])


def require_figures(slug: str) -> pd.DataFrame:
    """:func:`region_figures`, but a region without any figure is an error saying what to add.

    Examples
    --------
    >>> require_figures("xian")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    eduanalysis.errors.NoFiguresError: region 'xian' (西安区) has no figures to report: add rows ...
    """
    from .regions import get_region

    table = region_figures(slug)
    if table.empty:
        info = get_region(slug)
        parent = info["parent"]
        where = (
            f"rows with district={slug} in data/raw/figures/{parent}.csv, or a file data/raw/figures/{slug}.csv"
            if parent
            else f"a file data/raw/figures/{slug}.csv"
        )
        raise NoFiguresError(
            f"region {slug!r} ({info['name_zh']}) has no figures to report: add {where} "
            f"(see docs/adding-a-region.md; `eduanalysis validate {slug}` checks them)"
        )
    return table


def load_figures(region: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read, validate and parse one region's reported figures.

    Returns the raw columns plus ``value`` (float, in the registry unit of the
    indicator), ``unit``, ``qualifier`` (以上, 超过, 余 … or empty), ``high`` (the high end of a
    range such as 2—3个, in the same unit; NaN for any other figure), ``name_zh``
    (registry display name) and ``row`` (the line of the CSV, for provenance).  A
    region without a figures file gives an empty frame with the same columns.  A
    non-empty ``district`` must be a region of the registry whose parent is ``region``.
    """
    path = Path(path) if path is not None else figures_path(region)
    if not path.exists():
        return _parse_figures(region, path, None).copy()
    # parsed once per version of the file and of the registries it is validated against:
    # report sections ask for the same figures many times
    from .registry import _versions as registry_versions

    version = (
        tuple(
            (p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else ()
            for p in (path, paths.REGIONS_CSV, paths.SOURCES_CSV)
        )
        + registry_versions()
    )
    return _parse_figures(region, path.resolve(), version).copy()


@lru_cache(maxsize=32)
def _parse_figures(region: str, path: Path, version: tuple | None) -> pd.DataFrame:
    out_columns = [*FIGURE_COLUMNS, "value", "unit", "qualifier", "high", "name_zh", "row"]
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in out_columns})
    table, problems = check_figures(region, path)
    if problems:
        raise DataValidationError(problems[0].message)
    return table[out_columns]


@dataclass(frozen=True)
class RowContext:
    """What a row of a region's data file is checked against: the registries, the region's
    districts, and the documents registered for it (or a region above it).  Shared by the
    figures, claims and any other per-region file with the columns region, district, year,
    level, group, indicator, source and locator."""

    region: str
    registry: pd.DataFrame
    regions: pd.DataFrame
    sources: pd.DataFrame
    children: frozenset
    lineage: frozenset

    @classmethod
    def of(cls, region: str) -> RowContext:
        from .regions import ancestors, load_regions
        from .sources import load_sources

        regions = load_regions()
        lineage = {region, *ancestors(region, regions)} if region in regions.index else {region}
        return cls(
            region,
            indicator_registry(),
            regions,
            load_sources(),
            frozenset(regions.index[regions["parent"] == region]),
            frozenset(lineage),
        )

    def row_problems(self, rec) -> list[tuple[str, str]]:
        """(column, message) for every shared-column rule the row breaks, with suggestions."""
        out = []
        region, regions, children = self.region, self.regions, self.children
        if rec.region != region:
            out.append(("region", f"expected {region!r} (the file's region), found {rec.region!r}"))
        if rec.district and rec.district not in children:
            named = [c for c in children if regions.at[c, "name_zh"] == rec.district]
            if named:  # the Chinese name instead of the slug
                advice = f"write its slug {named[0]!r} ({rec.district})"
            elif rec.district in regions.index:
                other = regions.at[rec.district, "parent"]
                advice = (
                    f"{rec.district!r} is {regions.at[rec.district, 'name_zh']}, a district of {other!r}, not of "
                    f"{region!r}: its rows belong in that region's files"
                    if other
                    else f"{rec.district!r} is a region of its own (no parent): give it its own files"
                )
            else:
                advice = f"add it to regions.csv with parent={region}{suggest(rec.district, children)}"
            out.append(
                (
                    "district",
                    f"{rec.district!r} is not a district of {region!r} in regions.csv (its districts: "
                    f"{', '.join(sorted(children)) or 'none'}); {advice}",
                )
            )
        for column, allowed in (("level", LEVELS), ("group", GROUPS)):
            value = getattr(rec, column)
            if value not in allowed:
                hint = "、".join(allowed[1:]) + " or empty"
                out.append((column, f"expected one of {hint}, found {value!r}{suggest(value, allowed)}"))
        if not re.fullmatch(r"\d{4}(-\d{4})?", rec.year):
            out.append(("year", f"expected a year like 2020 or a span like 2018-2020, found {rec.year!r}"))
        if rec.indicator not in self.registry.index:
            out.append(
                (
                    "indicator",
                    f"{rec.indicator!r} is not in the indicator registry ({INDICATORS_CSV}, or the region's own "
                    f"data/raw/indicators/<slug>.csv){suggest(rec.indicator, self.registry.index)}; add a new "
                    "indicator there (see docs/adding-a-region.md)",
                )
            )
        own = [s for s in self.sources.index if self.sources.at[s, "region"] in self.lineage]
        if not rec.source.strip() or not rec.locator.strip():
            column = "source" if not rec.source.strip() else "locator"
            out.append((column, "columns `source` and `locator` must not be empty (the document and the section)"))
        elif rec.source not in self.sources.index:
            out.append(
                (
                    "source",
                    f"{rec.source!r} is not a document of {paths.SOURCES_CSV.name} (registered for {region!r}: "
                    f"{', '.join(own) or 'none'}){suggest(rec.source, self.sources.index)}; register the document "
                    "there first",
                )
            )
        elif self.sources.at[rec.source, "region"] not in self.lineage:
            out.append(
                (
                    "source",
                    f"document {rec.source!r} belongs to {self.sources.at[rec.source, 'region']!r}, not to "
                    f"{region!r} or a region above it",
                )
            )
        return out


def check_figures(region: str, path: str | Path) -> tuple[pd.DataFrame, list]:
    """Parse a figures file and collect *every* problem instead of stopping at the first.

    Returns the parsed table (rows with problems have NaN ``value``) and a list of
    :class:`~eduanalysis.data.problems.Problem` (file, row, column, value, message).
    :func:`load_figures` raises the first; ``eduanalysis validate`` reports them all.
    """
    from .problems import Problem

    path = Path(path)
    raw = read_csv_table(path, columns=FIGURE_COLUMNS)
    ctx = RowContext.of(region)
    registry = ctx.registry
    problems: list[Problem] = []
    values, units, qualifiers, highs, names = [], [], [], [], []
    for i, rec in enumerate(raw.itertuples(index=False), start=2):
        where = f"{path}, row {i}"

        def problem(column: str, message: str, value: str = "", *, row: int = i, where: str = where) -> None:
            problems.append(Problem(path, row, column, value, f"{where}, column `{column}`: {message}"))

        for column, message in ctx.row_problems(rec):
            problem(column, message, getattr(rec, column, ""))
        for column, allowed, hint in (
            ("value_type", VALUE_TYPES, "/".join(VALUE_TYPES)),
            ("attribute", ATTRIBUTES, "预期性, 约束性 or empty"),
        ):
            value = getattr(rec, column)
            if value not in allowed:
                problem(column, f"expected one of {hint}, found {value!r}{suggest(value, allowed)}", value)
        known_indicator = rec.indicator in registry.index
        value, unit, qualifier, high = float("nan"), "", "", float("nan")
        if known_indicator:
            try:
                qty = parse_quantity(rec.value_as_written)
                unit = registry.at[rec.indicator, "unit"]
                if qty.qualifier in ZERO_CHANGE:  # "与去年一致": a zero change in the indicator's own unit
                    qty = qty._replace(unit=unit)
                elif qty.unit == "" and unit:
                    qty = qty._replace(unit=header_unit(rec.name_in_source, expected=unit))
                value = convert_unit(qty.value, qty.unit, unit)
                if not math.isnan(qty.high):  # a range 2—3个: its high end in the same unit
                    high = convert_unit(qty.high, qty.unit, unit)
                qualifier = qty.qualifier
            except DataValidationError as exc:
                problem("value_as_written", str(exc), rec.value_as_written)
        values.append(value)
        units.append(unit)
        qualifiers.append(qualifier)
        highs.append(high)
        names.append(registry.at[rec.indicator, "name_zh"] if known_indicator else "")
    table = raw.assign(
        value=values, unit=units, qualifier=qualifiers, high=highs, name_zh=names, row=range(2, len(raw) + 2)
    )
    return table, problems


def all_figures(regions: list[str] | None = None) -> pd.DataFrame:
    """Every figure of several regions in one tidy table (default: every region with figures).

    Columns as :func:`region_figures` plus ``report_region`` (the top-level region the
    figure belongs to) and ``area_name``.

    Examples
    --------
    >>> table = all_figures(["yining"])
    >>> table["report_region"].unique().tolist(), int((table["value_type"] == "实际").sum()) > 50
    (['yining'], True)
    """
    from .regions import load_regions, report_regions, resolve_region

    names = load_regions()["name_zh"]
    slugs = [resolve_region(r) for r in regions] if regions else [s for s in report_regions() if has_figure_files(s)]
    frames = [region_figures(s).assign(report_region=s) for s in slugs]
    table = pd.concat([f for f in frames if len(f)], ignore_index=True)
    return table.assign(area_name=table["area"].map(names))
