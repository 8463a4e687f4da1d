"""The indicator registry: one row per canonical indicator id.

Each id (English snake_case) carries its Chinese display name, the unit values are
stored in, the direction ("higher" or "lower" is better, "target" where closeness to a
norm matters, "none" for plain counts) and its kind (amount, rate, share, ratio, count,
coefficient, growth, pp_change, school_indicator, or status for a state the documents
state without a number, which only claims use).

Two layers, both data:

- the **core vocabulary** shipped with the package, ``eduanalysis/data/indicators.csv``:
  what Chinese county and city education statistics and evaluation reports generally use;
- **region-local indicators**, ``data/raw/indicators/<slug>.csv`` (same columns): what
  one region's documents report and nobody else does.  A region declares them in its own
  data, without editing the package.

An id is defined once: a local file that repeats a core id, or another local file's id,
is an error naming both places.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataValidationError
from ..paths import PACKAGE_DIR

__all__ = [
    "DIRECTIONS",
    "INDICATORS_CSV",
    "INDICATOR_COLUMNS",
    "KINDS",
    "indicator_info",
    "indicator_registry",
    "local_indicator_files",
]

INDICATORS_CSV = PACKAGE_DIR / "data" / "indicators.csv"
INDICATOR_COLUMNS = ["id", "name_zh", "unit", "direction", "kind"]
DIRECTIONS = ("higher", "lower", "target", "none")
KINDS = (
    "amount",
    "rate",
    "share",
    "ratio",
    "count",
    "coefficient",
    "growth",
    "pp_change",
    "school_indicator",
    "status",  # a state stated without a number (a reform 未落实, 学校布局待优化): claims only
)
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def local_indicator_files() -> list[Path]:
    """The region-local registry files present (``data/raw/indicators/*.csv``), sorted."""
    folder = paths.DATA_RAW / "indicators"
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def _versions() -> tuple:
    files = [INDICATORS_CSV, *local_indicator_files()]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def _check(table: pd.DataFrame, path: Path) -> None:
    from .numbers import UNITS

    for row, rec in enumerate(table.itertuples(index=False), start=2):
        where = f"{path}, row {row} ({rec.id})"
        if not _ID_RE.match(rec.id):
            raise DataValidationError(
                f"{where}, column `id`: expected lower-case snake_case ASCII (e.g. school_bus_service_rate), "
                f"found {rec.id!r}"
            )
        if not rec.name_zh:
            raise DataValidationError(f"{where}, column `name_zh`: must not be empty (the Chinese display name)")
        if rec.direction not in DIRECTIONS:
            raise DataValidationError(
                f"{where}, column `direction`: expected one of {list(DIRECTIONS)}, found {rec.direction!r}"
            )
        if rec.kind not in KINDS:
            raise DataValidationError(f"{where}, column `kind`: expected one of {list(KINDS)}, found {rec.kind!r}")
        if rec.unit not in UNITS:
            known = "、".join(u for u in UNITS if u and not u.startswith("万"))
            raise DataValidationError(
                f"{where}, column `unit`: {rec.unit!r} is not a known unit; use one of {known}, 万 before a "
                "unit (万元, 万人), `ratio` for a:b, or empty for a pure number"
            )


@lru_cache(maxsize=4)
def _load(versions: tuple) -> pd.DataFrame:
    from .readers import read_csv_table

    frames = []
    origin: dict[str, str] = {}
    for path in [INDICATORS_CSV, *local_indicator_files()]:
        table = read_csv_table(path, columns=INDICATOR_COLUMNS)
        _check(table, path)
        for row, ident in enumerate(table["id"], start=2):
            here = f"{path.name} row {row}" if path == INDICATORS_CSV else f"data/raw/indicators/{path.name} row {row}"
            if ident in origin:
                raise DataValidationError(
                    f"{path}, row {row}, column `id`: {ident!r} is already defined ({origin[ident]}); "
                    "an indicator id is defined once — use the existing one or choose another id"
                )
            origin[ident] = here
        frames.append(table.assign(scope="core" if path == INDICATORS_CSV else path.stem))
    return pd.concat(frames, ignore_index=True).set_index("id")


def indicator_registry() -> pd.DataFrame:
    """The core vocabulary and every region-local indicator, indexed by id (a copy).

    Column ``scope`` says where an id is defined: ``core`` or the local file's stem.

    Examples
    --------
    >>> reg = indicator_registry()
    >>> reg.loc["edu_budget_expenditure", ["name_zh", "scope"]].tolist()
    ['一般公共预算教育支出', 'core']
    """
    return _load(_versions()).copy()


def indicator_info(indicator_id: str) -> pd.Series:
    """Return the registry row of one indicator; unknown ids raise ``DataValidationError``."""
    from .vocabulary import suggest

    table = _load(_versions())
    if indicator_id not in table.index:
        raise DataValidationError(
            f"indicator id {indicator_id!r} is not in the registry ({INDICATORS_CSV.name} or "
            f"data/raw/indicators/){suggest(indicator_id, table.index)}"
        )
    return table.loc[indicator_id]
