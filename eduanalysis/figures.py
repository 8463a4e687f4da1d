"""Reported figures: one row per number a city's documents state.

``data/raw/figures/<slug>.csv`` keeps each figure exactly as written (``"15.44 亿元"``,
``"2.9:7.1"``, ``"47.19%"``) with its source document and locator.  This module parses
those strings into a value in the indicator's registry unit and validates every row;
nothing is repaired: a row that does not parse is an error naming file, row and column.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import paths
from .errors import DataValidationError
from .ratios import parse_ratio
from .registry import indicator_registry

__all__ = [
    "FIGURE_COLUMNS",
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
    "source",
    "locator",
    "note",
]

# unit -> (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "万元": ("money", 1e4),
    "亿元": ("money", 1e8),
    "%": ("percent", 1.0),
    "人": ("people", 1.0),
    "万人": ("people", 1e4),
    "名": ("people", 1.0),
    "所": ("schools", 1.0),
    "个": ("items", 1.0),
    "项": ("items", 1.0),
    "㎡": ("area", 1.0),
    "平方米": ("area", 1.0),
    "万平方米": ("area", 1e4),
    "亩": ("area", 10000 / 15),
    "册": ("books", 1.0),
    "万册": ("books", 1e4),
    "台": ("devices", 1.0),
    "间": ("rooms", 1.0),
    "班": ("classes", 1.0),
    "年": ("years", 1.0),
    "学时": ("hours", 1.0),
    "": ("number", 1.0),
    "ratio": ("ratio", 1.0),
}

_NUMBER_RE = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(.*?)\s*$")


class Quantity(NamedTuple):
    """A parsed figure: ``value`` in ``unit`` (``"ratio"`` for a:b, value = a/b)."""

    value: float
    unit: str


def parse_quantity(text: str) -> Quantity:
    """Parse a figure as written: a number and a unit, or a ratio.

    Full-width digits and punctuation are folded (NFKC); thousands separators are
    allowed; ``平方米`` and ``㎡`` are both accepted.  A ratio ``a:b`` gives
    ``Quantity(a/b, "ratio")``.

    Examples
    --------
    >>> parse_quantity("15.44 亿元")
    Quantity(value=15.44, unit='亿元')
    >>> parse_quantity("４７.１９％")
    Quantity(value=47.19, unit='%')
    >>> parse_quantity("1:211").value == 1 / 211
    True
    """
    if not isinstance(text, str) or not text.strip():
        raise DataValidationError(f"expected a number with a unit, found {text!r}")
    folded = unicodedata.normalize("NFKC", text).replace("\u2236", ":")
    if ":" in folded:
        return Quantity(parse_ratio(folded).quotient, "ratio")
    match = _NUMBER_RE.match(folded)
    if match is None:
        raise DataValidationError(
            f"cannot parse {text!r}: expected a number followed by a unit such as 万元, %, 人"
        )
    number, unit = match.groups()
    unit = unit.replace("m2", "㎡").replace("m²", "㎡")
    if unit not in _UNITS:
        known = ", ".join(u for u in _UNITS if u and u != "ratio")
        raise DataValidationError(f"unknown unit {unit!r} in {text!r}; known units: {known}")
    return Quantity(float(number.replace(",", "")), unit)


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
        raise DataValidationError(
            f"cannot convert {from_unit!r} ({dim_from}) to {to_unit!r} ({dim_to})"
        )
    return round(value * f_from / f_to, 10)


def figures_path(region: str) -> Path:
    """Path of a region's raw figures file."""
    return paths.FIGURES_DIR / f"{region}.csv"


def load_figures(region: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read, validate and parse one region's reported figures.

    Returns the raw columns plus ``value`` (float, in the registry unit of the
    indicator), ``unit``, ``name_zh`` (registry display name) and ``row`` (the line of
    the CSV, for provenance).  A region without a figures file gives an empty frame
    with the same columns.
    """
    path = Path(path) if path is not None else figures_path(region)
    out_columns = [*FIGURE_COLUMNS, "value", "unit", "name_zh", "row"]
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in out_columns})
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if list(raw.columns) != FIGURE_COLUMNS:
        raise DataValidationError(
            f"{path}: header must be {','.join(FIGURE_COLUMNS)}, found {','.join(raw.columns)}"
        )
    registry = indicator_registry()
    values, units, names = [], [], []
    for i, rec in enumerate(raw.itertuples(index=False), start=2):
        where = f"{path}, row {i}"
        if rec.region != region:
            raise DataValidationError(
                f"{where}, column `region`: expected {region!r}, found {rec.region!r}"
            )
        if not re.fullmatch(r"\d{4}(-\d{4})?", rec.year):
            raise DataValidationError(
                f"{where}, column `year`: expected a year like 2020 or a span like 2018-2020,"
                f" found {rec.year!r}"
            )
        if rec.indicator not in registry.index:
            raise DataValidationError(
                f"{where}, column `indicator`: {rec.indicator!r} is not in the indicator registry"
            )
        if not rec.source or not rec.locator:
            raise DataValidationError(f"{where}: columns `source` and `locator` must not be empty")
        try:
            qty = parse_quantity(rec.value_as_written)
            target_unit = registry.at[rec.indicator, "unit"]
            value = convert_unit(qty.value, qty.unit, target_unit)
        except DataValidationError as exc:
            raise DataValidationError(f"{where}, column `value_as_written`: {exc}") from None
        values.append(value)
        units.append(target_unit)
        names.append(registry.at[rec.indicator, "name_zh"])
    table = raw.assign(value=values, unit=units, name_zh=names, row=range(2, len(raw) + 2))
    return table[out_columns]
