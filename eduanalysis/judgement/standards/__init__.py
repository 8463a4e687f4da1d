"""National thresholds as data: ``standards.csv`` and ``indicator_sets.csv``.

Each threshold row names its ``standard`` (e.g. ``basic_balance_2012``), the
``indicator`` id (registry), the ``level`` it applies to (小学/初中/高中/学前/高职/高中阶段,
empty = any level), the ``comparator`` (``<=``, ``>=`` or ``between`` with
``value``..``value_high``), its ``source`` document and ``year``, and ``confirmed``:
``no`` marks figures that rest on secondary sources and still have to be checked
against the official text (shared/reference/standards.md marks them "to confirm").
Reports must show that flag next to any verdict that uses such a row.
"""

from __future__ import annotations

from functools import cache, lru_cache

import pandas as pd

from ...data.registry import indicator_registry
from ...errors import DataValidationError, UnknownStandardError
from ...paths import STANDARDS_CSV, STANDARDS_DIR

__all__ = ["STANDARDS_CSV", "get_threshold", "indicator_set", "load_standards"]

SETS_CSV = STANDARDS_DIR / "indicator_sets.csv"
_COLUMNS = [
    "standard",
    "indicator",
    "level",
    "comparator",
    "value",
    "value_high",
    "per",
    "amount_unit",
    "source",
    "year",
    "confirmed",
    "note",
]
_COMPARATORS = {"<=", ">=", "between"}


@lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    raw = pd.read_csv(STANDARDS_CSV, dtype=str, keep_default_na=False)
    if list(raw.columns) != _COLUMNS:
        raise DataValidationError(f"{STANDARDS_CSV}: header must be {_COLUMNS}")
    registry = indicator_registry()
    for row, rec in enumerate(raw.itertuples(index=False), start=2):
        where = f"{STANDARDS_CSV.name}, row {row}"
        if rec.comparator not in _COMPARATORS:
            raise DataValidationError(
                f"{where}, column `comparator`: expected one of {sorted(_COMPARATORS)}, found {rec.comparator!r}"
            )
        if rec.indicator not in registry.index and rec.standard != "quality_school_rule_2017":
            raise DataValidationError(f"{where}, column `indicator`: {rec.indicator!r} not in registry")
        if rec.confirmed not in {"yes", "no"}:
            raise DataValidationError(f"{where}, column `confirmed`: expected yes/no, found {rec.confirmed!r}")
        if (rec.comparator == "between") != bool(rec.value_high):
            raise DataValidationError(f"{where}, column `value_high`: required for 'between' and only for it")
    table = raw.copy()
    table["value"] = pd.to_numeric(table["value"], errors="raise")
    table["value_high"] = pd.to_numeric(table["value_high"].replace("", None), errors="raise")
    table["per"] = pd.to_numeric(table["per"].replace("", None), errors="raise")
    table["confirmed"] = table["confirmed"] == "yes"
    dup = table.duplicated(["standard", "indicator", "level"])
    if dup.any():
        raise DataValidationError(
            f"{STANDARDS_CSV.name}: duplicated (standard, indicator, level) at rows "
            f"{[int(i) + 2 for i in table.index[dup]]}"
        )
    return table


def load_standards() -> pd.DataFrame:
    """All thresholds as a DataFrame (a copy); ``confirmed`` is a bool column.

    Examples
    --------
    >>> s = load_standards()
    >>> s.query("standard == 'basic_balance_2012'")[["level", "value"]].values.tolist()
    [['小学', 0.65], ['初中', 0.55]]
    """
    return _load().copy()


def get_threshold(standard: str, indicator: str, level: str = "") -> pd.Series:
    """The threshold row for (standard, indicator, level); a row with an empty level
    applies to every level.  Unknown combinations raise ``UnknownStandardError``.

    Examples
    --------
    >>> get_threshold("quality_balance_2017", "sports_area_per_student", "初中")["value"]
    np.float64(10.2)
    """
    rows = _rows()
    for key in ((standard, indicator, level), (standard, indicator, "")):
        if key in rows:
            return rows[key].copy()
    table = _load()  # not found: say what exists
    known = sorted(set(table["standard"]))
    if standard not in known:
        raise UnknownStandardError(f"unknown standard {standard!r}; known: {', '.join(known)}")
    inds = sorted(set(table.loc[table["standard"] == standard, "indicator"]))
    if indicator not in inds:
        raise UnknownStandardError(
            f"standard {standard!r} has no threshold for {indicator!r}; it covers {', '.join(inds)}"
        )
    levels = table.loc[(table["standard"] == standard) & (table["indicator"] == indicator), "level"]
    raise UnknownStandardError(
        f"standard {standard!r}, {indicator!r}: no threshold for level {level!r}; levels: {', '.join(sorted(levels))}"
    )


@lru_cache(maxsize=1)
def _rows() -> dict[tuple[str, str, str], pd.Series]:
    """Threshold rows by (standard, indicator, level): a report looks up ~100 of them, and
    filtering the table for each took ~0.4 s per report.  Keys are unique (checked on load)."""
    table = _load()
    keys = zip(table["standard"], table["indicator"], table["level"])
    return {key: table.iloc[i] for i, key in enumerate(keys)}


@cache
def _sets() -> pd.DataFrame:
    return pd.read_csv(SETS_CSV, dtype={"order": "int64"}, keep_default_na=False)


def indicator_set(name: str) -> list[str]:
    """The indicator ids of a standard's set, in the standard's order.

    Examples
    --------
    >>> len(indicator_set("basic_balance_2012")), len(indicator_set("quality_balance_2017"))
    (8, 7)
    """
    sets = _sets()
    rows = sets[sets["set"] == name].sort_values("order")
    if rows.empty:
        raise UnknownStandardError(f"unknown indicator set {name!r}; known: {', '.join(sorted(set(sets['set'])))}")
    return rows["indicator"].tolist()
