"""When a standard applies to a figure and when it is only a reference — one table, read here.

``judgement/applicability.csv`` has one row per case:

- ``scope``: what the standard is made for (``rules.csv``'s scope: 任意, 县域, 学校, 参照,
  判读 — a band that is this report's reading of words without a number —, 口径不同), or
  文件引用 for a norm the document itself cites;
- ``area``: 区县 (a county-level area: 县、县级市、市辖区), 城市, or ``*``;
- ``held``: 是 when the document holds this area to the standard (it cites the same
  value, or says the figure is "高于……标准" by a difference that gives the standard's value),
  否 when it does not, ``*`` for either;
- ``applicability``: 适用 (a verdict on this area) or 参照 (shown, not this area's verdict);
- ``rank``: which standard a figure is judged against when several could be — the row
  with 适用 and the lowest rank; the others are shown beside it as context;
- ``shortfall``: ``no`` where no "需增加 N 人" may be drawn from the verdict;
- ``basis``: the reason in the reader's words (the reports quote it).

Applicability is decided per area, year and standard: when the document holds an area to a
standard for one of its figures of a year, every figure of that area and year judged
against that standard has the same status (:func:`eduanalysis.judgement.findings.findings`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..data.readers import read_csv_table
from ..errors import DataValidationError

__all__ = [
    "APPLICABILITY_CSV",
    "PROVINCIAL_CSV",
    "Applicability",
    "applicability",
    "applicability_table",
    "provincial_versions",
]

APPLICABILITY_CSV = Path(__file__).with_name("applicability.csv")
#: regions reviewed under a provincial version of a national standard, as their documents say
PROVINCIAL_CSV = Path(__file__).with_name("provincial.csv")
_PROVINCIAL_COLUMNS = ["region", "standard", "title", "source", "locator", "quote"]
_COLUMNS = ["scope", "area", "held", "applicability", "rank", "shortfall", "basis"]
_ALLOWED = {
    "area": ("区县", "城市", "*"),
    "held": ("是", "否", "*"),
    "applicability": ("适用", "参照"),
    "shortfall": ("yes", "no"),
}


@lru_cache(maxsize=1)
def applicability_table() -> pd.DataFrame:
    """The applicability table, checked (cached).

    Examples
    --------
    >>> t = applicability_table()
    >>> t[t["scope"] == "判读"][["applicability", "shortfall"]].values.tolist()
    [['参照', 'no']]
    """
    table = read_csv_table(APPLICABILITY_CSV, columns=_COLUMNS, require_rows=True)
    for i, rec in enumerate(table.itertuples(index=False), start=2):
        for column, allowed in _ALLOWED.items():
            if getattr(rec, column) not in allowed:
                raise DataValidationError(
                    f"{APPLICABILITY_CSV.name}, row {i}, column `{column}`: expected one of "
                    f"{', '.join(allowed)}, found {getattr(rec, column)!r}"
                )
        if not rec.rank.isdigit():
            raise DataValidationError(
                f"{APPLICABILITY_CSV.name}, row {i}, column `rank`: expected a whole number, found {rec.rank!r}"
            )
    return table.assign(rank=table["rank"].astype(int))


class Applicability(NamedTuple):
    """One case of the table: status (适用/参照), rank, whether a shortfall may be drawn, basis."""

    status: str
    rank: int
    shortfall: bool
    basis: str


def applicability(scope: str, county_level: bool, held: bool) -> Applicability:
    """The case of the table that fits a standard's scope, the area and whether the document
    holds the area to the standard (the first matching row).

    Examples
    --------
    >>> applicability("县域", county_level=False, held=False).status  # a 县域 rule on a city
    '参照'
    >>> applicability("县域", county_level=False, held=True).status  # the city holds itself to it
    '适用'
    >>> applicability("判读", county_level=True, held=False).shortfall
    False
    """
    table = applicability_table()
    area = "区县" if county_level else "城市"
    hit = table[
        (table["scope"] == scope) & table["area"].isin([area, "*"]) & table["held"].isin(["是" if held else "否", "*"])
    ]
    if hit.empty:
        raise DataValidationError(
            f"{APPLICABILITY_CSV.name}: no row for scope {scope!r}, area {area}, held {'是' if held else '否'}; "
            "add one (every scope of rules.csv needs a case for each area and held)"
        )
    row = hit.iloc[0]
    return Applicability(row["applicability"], int(row["rank"]), row["shortfall"] == "yes", row["basis"])


@lru_cache(maxsize=1)
def provincial_versions() -> pd.DataFrame:
    """Regions whose documents say they were reviewed under a provincial version of a national
    standard (``judgement/provincial.csv``): the findings cite that version beside the national one.

    Examples
    --------
    >>> p = provincial_versions().set_index("region")
    >>> p.loc["yining", "title"]
    '《新疆维吾尔自治区县域义务教育均衡发展督导评估暂行办法》'
    """
    from ..data.sources import load_sources
    from .standards import load_standards

    table = read_csv_table(PROVINCIAL_CSV, columns=_PROVINCIAL_COLUMNS)
    known_standards = set(load_standards()["standard"])
    known_sources = set(load_sources().index)
    for i, rec in enumerate(table.itertuples(index=False), start=2):
        if rec.standard not in known_standards:
            raise DataValidationError(
                f"{PROVINCIAL_CSV.name}, row {i}, column `standard`: {rec.standard!r} is not in standards.csv"
            )
        if rec.source not in known_sources:
            raise DataValidationError(
                f"{PROVINCIAL_CSV.name}, row {i}, column `source`: {rec.source!r} is not in data/raw/sources.csv"
            )
    return table
