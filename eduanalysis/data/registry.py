"""The indicator registry: one row per canonical indicator id.

Each id (English snake_case) carries its Chinese display name, the unit values are
stored in, the direction ("higher" or "lower" is better, or "target" where closeness to
a norm matters) and its kind (amount, rate, share, ratio, count, coefficient ...).
The registry is data (``eduanalysis/data/indicators.csv``), not code.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..errors import DataValidationError
from ..paths import PACKAGE_DIR

__all__ = ["INDICATORS_CSV", "indicator_registry", "indicator_info"]

INDICATORS_CSV = PACKAGE_DIR / "data" / "indicators.csv"
_COLUMNS = ["id", "name_zh", "unit", "direction", "kind"]
_DIRECTIONS = {"higher", "lower", "target", "none"}


@lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    table = pd.read_csv(INDICATORS_CSV, dtype=str, keep_default_na=False)
    if list(table.columns) != _COLUMNS:
        raise DataValidationError(f"{INDICATORS_CSV}: header must be {_COLUMNS}, found {list(table.columns)}")
    for row, (ident, direction) in enumerate(zip(table["id"], table["direction"]), start=2):
        if direction not in _DIRECTIONS:
            raise DataValidationError(
                f"{INDICATORS_CSV}, row {row} ({ident}), column `direction`: expected one of "
                f"{sorted(_DIRECTIONS)}, found {direction!r}"
            )
    duplicated = table["id"][table["id"].duplicated()].tolist()
    if duplicated:
        raise DataValidationError(f"{INDICATORS_CSV}: duplicated indicator ids {duplicated}")
    return table.set_index("id")


def indicator_registry() -> pd.DataFrame:
    """Return the registry as a DataFrame indexed by indicator id (a copy).

    Examples
    --------
    >>> reg = indicator_registry()
    >>> reg.loc["edu_budget_expenditure", "name_zh"]
    '一般公共预算教育支出'
    """
    return _load().copy()


def indicator_info(indicator_id: str) -> pd.Series:
    """Return the registry row of one indicator; unknown ids raise ``DataValidationError``."""
    table = _load()
    if indicator_id not in table.index:
        raise DataValidationError(f"indicator id {indicator_id!r} is not in the registry {INDICATORS_CSV.name}")
    return table.loc[indicator_id]
