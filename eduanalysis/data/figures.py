"""Reported figures: one row per number a city's documents state.

``data/raw/figures/<slug>.csv`` keeps each figure exactly as written (``"15.44 亿元"``,
``"2.9:7.1"``, ``"47.19%"``) with its source document and locator.  This module parses
those strings into a value in the indicator's registry unit and validates every row;
nothing is repaired: a row that does not parse is an error naming file, row and column.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .. import paths
from ..errors import DataValidationError
from ..measures.ratios import parse_ratio
from .readers import read_csv_table
from .registry import INDICATORS_CSV, indicator_registry

__all__ = [
    "ATTRIBUTES",
    "FIGURE_COLUMNS",
    "VALUE_TYPES",
    "Quantity",
    "convert_unit",
    "figures_path",
    "load_figures",
    "parse_quantity",
]

FIGURE_COLUMNS = [
    "region",
    "district",
    "year",
    "level",
    "indicator",
    "name_in_source",
    "value_as_written",
    "value_type",
    "attribute",
    "source",
    "locator",
    "note",
]

#: what a figure is: a reported actual, a plan target, a cited standard, a planned
#: quantity, an estimate, or the base-year value printed in a plan's target table
VALUE_TYPES = ("实际", "目标", "标准", "计划", "预计", "基期")
#: plan indicator attributes (规划指标属性)
ATTRIBUTES = ("", "预期性", "约束性")

# unit -> (dimension, factor to the dimension's base unit).  Counts of different things
# get different dimensions so that 所 never converts into 人.
_UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "亿元": ("money", 1e8),
    "元/生/年": ("money", 1.0),
    "%": ("percent", 1.0),
    "个百分点": ("percentage_points", 1.0),
    "人": ("people", 1.0),
    "名": ("people", 1.0),
    "人次": ("person_times", 1.0),
    "所": ("institutions", 1.0),
    "个": ("items", 1.0),
    "项": ("items", 1.0),
    "家": ("institutions", 1.0),  # 所 and 家 both count institutions
    "支": ("teams", 1.0),
    "所次": ("times", 1.0),
    "家次": ("times", 1.0),
    "次": ("times", 1.0),
    "场": ("events", 1.0),
    "场次": ("events", 1.0),
    "期": ("sessions", 1.0),
    "件": ("documents", 1.0),
    "节": ("lessons", 1.0),
    "套": ("sets", 1.0),
    "倍": ("multiple", 1.0),
    "㎡": ("area", 1.0),
    "平方米": ("area", 1.0),
    "册": ("books", 1.0),
    "台": ("devices", 1.0),
    "间": ("rooms", 1.0),
    "班": ("classes", 1.0),
    "年": ("years", 1.0),
    "学时": ("hours", 1.0),
    "": ("number", 1.0),
    "ratio": ("ratio", 1.0),
}
# 万 (10⁴) in front of any unit: 万元, 万人, 万人次, 万平方米, 万册 ...
_UNITS.update(
    {
        "万" + u: (d, f * 1e4)
        for u, (d, f) in list(_UNITS.items())
        if u not in {"", "ratio", "%"} and not u.startswith(("亿", "元/"))
    }
)
_UNITS["万"] = ("money", 1e4)  # "2844 万" (万元 with the 元 left out) — flagged in the row's note

_PREFIXES = ("不低于", "不少于", "超过", "高于", "达到", "近", "约")
_NEGATING = ("减少", "下降")  # "比上年减少 2.4%" is a change of −2.4 %
_HEADER_UNIT_RE = re.compile(r"\(([^()]+)\)\s*$")  # after NFKC, （） are ()
_SUFFIXES = ("以上", "以内", "以下", "左右")
_NUMBER_RE = re.compile(r"^([-+]?\d[\d,]*(?:\.\d+)?)\s*(万)?\s*(余|多)?\s*(.*?)$")


class Quantity(NamedTuple):
    """A parsed figure: ``value`` in ``unit`` (``"ratio"`` for a:b, value = a/b).

    ``qualifier`` keeps words that make the number a bound or an approximation
    (``超过``, ``以上``, ``余``, ``左右`` …), so "95%以上" is never read as exactly 95.
    """

    value: float
    unit: str
    qualifier: str = ""


def parse_quantity(text: str) -> Quantity:
    """Parse a figure as written: a number and a unit, or a ratio.

    Full-width digits and punctuation are folded (NFKC); thousands separators are
    allowed; ``平方米`` and ``㎡`` are both accepted; ``万`` multiplies any unit.
    Qualifiers before the number (超过, 不低于, 近, 约 …) or after it (余, 多, 以上,
    以内, 左右) are kept in ``qualifier``.  A ratio ``a:b`` gives
    ``Quantity(a/b, "ratio")``.

    Examples
    --------
    >>> parse_quantity("15.44 亿元")
    Quantity(value=15.44, unit='亿元', qualifier='')
    >>> parse_quantity("４７.１９％")
    Quantity(value=47.19, unit='%', qualifier='')
    >>> parse_quantity("5万余名")
    Quantity(value=5.0, unit='万名', qualifier='余')
    >>> parse_quantity("超过7%")
    Quantity(value=7.0, unit='%', qualifier='超过')
    >>> parse_quantity("减少 2.4%")
    Quantity(value=-2.4, unit='%', qualifier='减少')
    >>> parse_quantity("1:211").value == 1 / 211
    True
    """
    if not isinstance(text, str) or not text.strip():
        raise DataValidationError(f"expected a number with a unit, found {text!r}")
    folded = unicodedata.normalize("NFKC", text).replace("\u2236", ":").strip()
    if ":" in folded:
        return Quantity(parse_ratio(folded).quotient, "ratio")
    qualifiers = []
    sign = 1.0
    for word in _NEGATING:
        if folded.startswith(word):
            qualifiers.append(word)
            sign = -1.0
            folded = folded[len(word) :].strip()
            break
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            qualifiers.append(prefix)
            folded = folded[len(prefix) :].strip()
            break
    suffix = ""
    for candidate in _SUFFIXES:
        if folded.endswith(candidate):
            suffix = candidate
            folded = folded[: -len(candidate)].strip()
            break
    match = _NUMBER_RE.match(folded)
    if match is None:
        raise DataValidationError(f"cannot parse {text!r}: expected a number followed by a unit such as 万元, %, 人")
    number, wan, approx, unit = match.groups()
    unit = unit.strip().replace("m2", "㎡").replace("m²", "㎡")
    if wan:
        unit = "万" + unit
    if approx:
        qualifiers.append(approx)
    if suffix:
        qualifiers.append(suffix)
    if unit not in _UNITS:
        known = ", ".join(u for u in _UNITS if u and u != "ratio" and not u.startswith("万"))
        raise DataValidationError(
            f"unknown unit {unit!r} in {text!r}; known units: {known} (and 万 before any of them)"
        )
    return Quantity(sign * float(number.replace(",", "")), unit, "".join(qualifiers))


def convert_unit(value: float, from_unit: str, to_unit: str) -> float:
    """Convert between units of one dimension (万元 → 亿元, 万人 → 人 ...).

    >>> convert_unit(15.44, "亿元", "万元")
    154400.0
    """
    try:
        dim_from, f_from = _UNITS[from_unit]
        dim_to, f_to = _UNITS[to_unit]
    except KeyError as exc:
        raise DataValidationError(f"unknown unit {exc.args[0]!r}") from None
    if dim_from != dim_to:
        raise DataValidationError(f"cannot convert {from_unit!r} ({dim_from}) to {to_unit!r} ({dim_to})")
    return round(value * f_from / f_to, 10)


def _header_unit(name: str, where: str) -> str:
    """The unit a table prints once in its header, e.g. ``在校生（万人）`` → ``万人``."""
    match = _HEADER_UNIT_RE.search(unicodedata.normalize("NFKC", name))
    unit = match.group(1).strip() if match else ""
    if unit not in _UNITS or unit == "":
        raise DataValidationError(
            f"{where}: the number has no unit, and `name_in_source` does not end with a table "
            f"header unit such as （万人） or （%）"
        )
    return unit


def figures_path(region: str) -> Path:
    """Path of a region's raw figures file."""
    return paths.FIGURES_DIR / f"{region}.csv"


def load_figures(region: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read, validate and parse one region's reported figures.

    Returns the raw columns plus ``value`` (float, in the registry unit of the
    indicator), ``unit``, ``qualifier`` (以上, 超过, 余 … or empty), ``name_zh``
    (registry display name) and ``row`` (the line of the CSV, for provenance).  A
    region without a figures file gives an empty frame with the same columns.  A
    non-empty ``district`` must be a region of the registry whose parent is ``region``.
    """
    path = Path(path) if path is not None else figures_path(region)
    if not path.exists():
        return _parse_figures(region, path, None).copy()
    # parsed once per version of the file and of the registries it is validated against:
    # report sections ask for the same figures many times
    version = tuple(
        (p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else ()
        for p in (path, paths.REGIONS_CSV, paths.SOURCES_CSV, INDICATORS_CSV)
    )
    return _parse_figures(region, path.resolve(), version).copy()


@lru_cache(maxsize=32)
def _parse_figures(region: str, path: Path, version: tuple | None) -> pd.DataFrame:
    from .regions import ancestors, load_regions
    from .sources import load_sources

    out_columns = [*FIGURE_COLUMNS, "value", "unit", "qualifier", "name_zh", "row"]
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in out_columns})
    raw = read_csv_table(path, columns=FIGURE_COLUMNS)
    registry = indicator_registry()
    regions = load_regions()
    sources = load_sources()
    children = set(regions.index[regions["parent"] == region])
    lineage = {region, *ancestors(region, regions)} if region in regions.index else {region}
    own_sources = [s for s in sources.index if sources.at[s, "region"] in lineage]
    values, units, qualifiers, names = [], [], [], []
    for i, rec in enumerate(raw.itertuples(index=False), start=2):
        where = f"{path}, row {i}"
        if rec.region != region:
            raise DataValidationError(f"{where}, column `region`: expected {region!r}, found {rec.region!r}")
        if rec.district and rec.district not in children:
            raise DataValidationError(
                f"{where}, column `district`: {rec.district!r} is not a district of {region!r} in "
                f"regions.csv (known: {', '.join(sorted(children)) or 'none'})"
            )
        if rec.value_type not in VALUE_TYPES:
            raise DataValidationError(
                f"{where}, column `value_type`: expected one of {'/'.join(VALUE_TYPES)}, found {rec.value_type!r}"
            )
        if rec.attribute not in ATTRIBUTES:
            raise DataValidationError(
                f"{where}, column `attribute`: expected 预期性, 约束性 or empty, found {rec.attribute!r}"
            )
        if not re.fullmatch(r"\d{4}(-\d{4})?", rec.year):
            raise DataValidationError(
                f"{where}, column `year`: expected a year like 2020 or a span like 2018-2020, found {rec.year!r}"
            )
        if rec.indicator not in registry.index:
            raise DataValidationError(
                f"{where}, column `indicator`: {rec.indicator!r} is not in the indicator registry"
            )
        if not rec.source or not rec.locator:
            raise DataValidationError(f"{where}: columns `source` and `locator` must not be empty")
        if rec.source not in sources.index:
            raise DataValidationError(
                f"{where}, column `source`: {rec.source!r} is not a document of {paths.SOURCES_CSV.name} "
                f"(registered for {region!r}: {', '.join(own_sources) or 'none'}); register the document there first"
            )
        if sources.at[rec.source, "region"] not in lineage:
            raise DataValidationError(
                f"{where}, column `source`: document {rec.source!r} belongs to "
                f"{sources.at[rec.source, 'region']!r}, not to {region!r} or a region above it"
            )
        try:
            qty = parse_quantity(rec.value_as_written)
            target_unit = registry.at[rec.indicator, "unit"]
            if qty.unit == "" and target_unit:
                qty = qty._replace(unit=_header_unit(rec.name_in_source, where))
            value = convert_unit(qty.value, qty.unit, target_unit)
        except DataValidationError as exc:
            raise DataValidationError(f"{where}, column `value_as_written`: {exc}") from None
        values.append(value)
        units.append(target_unit)
        qualifiers.append(qty.qualifier)
        names.append(registry.at[rec.indicator, "name_zh"])
    table = raw.assign(value=values, unit=units, qualifier=qualifiers, name_zh=names, row=range(2, len(raw) + 2))
    return table[out_columns]
