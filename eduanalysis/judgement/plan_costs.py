"""Unit costs of the additions a plan makes: data, with a low–high range, one-off or yearly.

``costs.csv`` (beside this module) holds one row per resource: the unit in which it is
added (``step``: one teacher, one room, 60 ㎡ of building, a 10,000 元 batch of
equipment), the price per unit with a low–high range, whether the cost falls once
(``一次性``: building, rooms, equipment, training a teacher already in post) or every
year (``每年``: the salary of a new post), what the intervention is (``intervention``:
training and recognising teachers in post is priced as training, not as a hire) and
whether it creates a new staffing post (``new_post``, 编制).  Every price that no seed
document gives is an assumption, marked ``assumption = yes`` and called 示例单价/待核对 in
the file's notes and in the report.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataValidationError, ParameterError
from ..measures.indicators import DERIVATIONS

__all__ = ["BASIS_ONE_OFF", "BASIS_YEARLY", "COSTS_CSV", "load_costs"]

COSTS_CSV = Path(__file__).with_name("costs.csv")
BASIS_ONE_OFF, BASIS_YEARLY = "一次性", "每年"
_COLUMNS = [
    "resource",
    "name_zh",
    "unit",
    "step",
    "cost_yuan",
    "cost_low",
    "cost_high",
    "basis",
    "intervention",
    "new_post",
    "assumption",
    "source",
    "note",
]
_NUMBERS = ("step", "cost_yuan", "cost_low", "cost_high")


@lru_cache(maxsize=1)
def _costs_file() -> pd.DataFrame:
    table = pd.read_csv(COSTS_CSV, dtype=str, keep_default_na=False)
    if list(table.columns) != _COLUMNS:
        raise DataValidationError(f"{COSTS_CSV.name}: header must be {_COLUMNS}, found {list(table.columns)}")
    known = {raw for raw, _ in DERIVATIONS.values()}
    for row, rec in enumerate(table.itertuples(index=False), start=2):
        where = f"{COSTS_CSV.name}, row {row} ({rec.resource})"
        if rec.resource not in known:
            raise DataValidationError(f"{where}, column `resource`: not a resource of any indicator")
        for column in ("assumption", "new_post"):
            if getattr(rec, column) not in {"yes", "no"}:
                raise DataValidationError(
                    f"{where}, column `{column}`: expected yes/no, found {getattr(rec, column)!r}"
                )
        if rec.basis not in {BASIS_ONE_OFF, BASIS_YEARLY}:
            raise DataValidationError(
                f"{where}, column `basis`: expected {BASIS_ONE_OFF} or {BASIS_YEARLY}, found {rec.basis!r}"
            )
        for column in _NUMBERS:
            try:
                value = float(getattr(rec, column))
            except ValueError:
                value = math.nan
            if not (math.isfinite(value) and value > 0):
                raise DataValidationError(
                    f"{where}, column `{column}`: expected a number > 0, found {getattr(rec, column)!r}"
                )
        if not float(rec.cost_low) <= float(rec.cost_yuan) <= float(rec.cost_high):
            raise DataValidationError(f"{where}: expected cost_low <= cost_yuan <= cost_high")
    for column in _NUMBERS:
        table[column] = table[column].astype(float)
    table["assumption"] = table["assumption"] == "yes"
    table["new_post"] = table["new_post"] == "yes"
    return table.set_index("resource")


def load_costs(costs: dict[str, float] | pd.Series | pd.DataFrame | None = None) -> pd.DataFrame:
    """Unit costs per resource: the defaults of ``costs.csv``, with the user's overrides.

    Parameters
    ----------
    costs : dict or Series {resource: 元 per unit}, or DataFrame, optional
        Overrides.  A DataFrame may carry ``cost_yuan``, ``cost_low``, ``cost_high`` and/or
        ``step`` (the unit in which additions are made) indexed by resource.  An
        overridden price is no longer marked as the project's assumption; a price
        outside the default range widens the range to include it.

    Returns
    -------
    DataFrame indexed by resource: ``name_zh``, ``unit``, ``step``, ``cost_yuan`` (元 per
    unit, not per step), ``cost_low``, ``cost_high``, ``basis`` (每年 / 一次性),
    ``intervention``, ``new_post`` (bool), ``assumption`` (bool), ``source``, ``note``.

    Examples
    --------
    >>> c = load_costs({"sports_area": 450})
    >>> float(c.loc["sports_area", "cost_yuan"]), bool(c.loc["sports_area", "assumption"])
    (450.0, False)
    >>> c.loc["pe_art_teachers", "basis"], bool(c.loc["pe_art_teachers", "new_post"])  # a new post, paid yearly
    ('每年', True)
    >>> c.loc["key_teachers", ["basis", "intervention"]].tolist()  # trained, not hired
    ['一次性', '在岗教师培养认定']
    """
    table = _costs_file().copy()
    if costs is None:
        return table
    if isinstance(costs, pd.DataFrame):
        frame = costs
    else:
        frame = pd.DataFrame({"cost_yuan": pd.Series(costs, dtype="object")})
    unknown = [r for r in frame.index if r not in table.index]
    if unknown:
        raise ParameterError(f"costs: unknown resource(s) {unknown}; known: {', '.join(table.index)}")
    unknown_cols = [c for c in frame.columns if c not in _NUMBERS]
    if unknown_cols:
        raise ParameterError(f"costs: unknown column(s) {unknown_cols}; settable: {', '.join(_NUMBERS)}")
    for column in _NUMBERS:
        if column not in frame.columns:
            continue
        for resource, value in frame[column].items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue  # a DataFrame row that sets another column only
            if not isinstance(value, (int, float, np.number)) or not math.isfinite(value) or value <= 0:
                raise ParameterError(f"costs: `{column}` of {resource!r} must be a finite number > 0, got {value!r}")
            table.loc[resource, column] = float(value)
            if column != "step":
                table.loc[resource, "assumption"] = False
                table.loc[resource, "source"] = "用户提供"
    table["cost_low"] = table[["cost_low", "cost_yuan"]].min(axis=1)
    table["cost_high"] = table[["cost_high", "cost_yuan"]].max(axis=1)
    return table
