"""Growth rates: year on year, compound, required to reach a target, "只增不减".

Rates are fractions (0.05 = 5 %).  Inputs are Series indexed by integer year; values
must be finite and positive for rates (a base of 0 has no growth rate).  A missing
year is a gap, never a zero: functions that need consecutive years raise on a gap
unless told otherwise (``gaps="annualize"`` spreads the change over the gap as a
compound annual rate).  Tidy frames are handled by :func:`growth_table`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DataValidationError, ParameterError

__all__ = [
    "compound_rate",
    "decreases",
    "growth_table",
    "pp_change",
    "required_rate",
    "yoy",
]


def _check_series(series: pd.Series, name: str, *, positive: bool) -> pd.Series:
    if not isinstance(series, pd.Series):
        raise ParameterError(f"`{name}` must be a pandas Series indexed by year, got {type(series)}")
    try:
        years = pd.Index(series.index).astype("int64")
    except (TypeError, ValueError):
        raise ParameterError(
            f"`{name}` must be indexed by integer years, found index {list(series.index)[:5]}"
        ) from None
    if years.has_duplicates:
        dup = sorted(set(years[years.duplicated()]))
        raise DataValidationError(f"`{name}`: duplicated years {dup}")
    values = pd.Series(pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64"), years)
    bad = values.index[~np.isfinite(values.to_numpy())].tolist()
    if bad:
        raise DataValidationError(
            f"`{name}`: years {bad} have missing or non-numeric values; drop them explicitly "
            "(a missing year is a gap, not a zero)"
        )
    if positive and (values <= 0).any():
        bad = values.index[values <= 0].tolist()
        raise DataValidationError(f"`{name}`: growth needs values > 0, years {bad} are <= 0")
    return values.sort_index()


def compound_rate(start: float, end: float, years: float) -> float:
    """Compound annual growth rate from ``start`` to ``end`` over ``years`` years.

    ``(end / start) ** (1 / years) - 1``.

    Examples
    --------
    >>> round(compound_rate(100, 121, 2), 10)
    0.1
    """
    if years <= 0:
        raise ParameterError(f"`years` must be > 0, got {years}")
    if not (start > 0 and end > 0):
        raise DataValidationError(f"compound rate needs positive start and end, got start={start}, end={end}")
    return float((end / start) ** (1.0 / years) - 1.0)


def required_rate(baseline: float, target: float, years: float) -> float:
    """Annual rate needed to move from ``baseline`` to a plan ``target`` in ``years`` years.

    Same formula as :func:`compound_rate`; a negative result means the target allows a
    decline (e.g. a 大班额 share to bring down).

    Examples
    --------
    >>> round(required_rate(50.8, 55.0, 5), 4)
    0.016
    """
    return compound_rate(baseline, target, years)


def yoy(series: pd.Series, *, gaps: str = "raise") -> pd.Series:
    """Year-on-year growth rate for every year that has a predecessor.

    Parameters
    ----------
    series : Series indexed by year, values > 0.
    gaps : {"raise", "annualize"}
        What to do when a year is missing between two observed years: raise
        ``DataValidationError`` naming the gap, or give the compound annual rate over
        the gap for the year after it.

    Returns
    -------
    Series named ``yoy`` indexed by the years after the first.

    Examples
    --------
    >>> yoy(pd.Series({2018: 100.0, 2019: 110.0, 2020: 99.0})).round(3).tolist()
    [0.1, -0.1]
    """
    if gaps not in {"raise", "annualize"}:
        raise ParameterError(f"`gaps` must be 'raise' or 'annualize', got {gaps!r}")
    values = _check_series(series, "series", positive=True)
    years = values.index.to_numpy()
    span = np.diff(years)
    if gaps == "raise" and (span > 1).any():
        holes = [f"{a}–{b}" for a, b, s in zip(years[:-1], years[1:], span) if s > 1]
        raise DataValidationError(
            f"yoy: years missing between {', '.join(holes)}; pass gaps='annualize' to use the "
            "compound annual rate over a gap"
        )
    v = values.to_numpy()
    rates = (v[1:] / v[:-1]) ** (1.0 / span) - 1.0
    return pd.Series(rates, index=pd.Index(years[1:], name="year"), name="yoy")


def pp_change(series: pd.Series) -> pd.Series:
    """Percentage-point change of a rate or share between consecutive observations.

    Values are in percent (47.19 for 47.19 %); the result is in percentage points and
    is indexed by the later year.  Gaps are allowed: the change is between the two
    observed years (the index says which).

    Examples
    --------
    >>> pp_change(pd.Series({2015: 79.0, 2020: 95.4})).round(1).tolist()
    [16.4]
    """
    values = _check_series(series, "series", positive=False)
    diff = values.diff().iloc[1:]
    diff.index.name = "year"
    return diff.rename("pp_change")


def decreases(series: pd.Series) -> pd.DataFrame:
    """The years in which a series fell below the previous observed year ("只增不减" breaks).

    Returns a DataFrame with columns ``year``, ``previous_year``, ``previous``, ``value``,
    ``change`` (value − previous); empty when the series never decreases.  A gap in
    the years is reported in ``previous_year`` rather than hidden.

    Examples
    --------
    >>> decreases(pd.Series({2018: 5.0, 2019: 4.0, 2020: 6.0}))[["year", "change"]]
       year  change
    0  2019    -1.0
    """
    values = _check_series(series, "series", positive=False)
    prev = values.shift(1)
    mask = values < prev
    out = pd.DataFrame(
        {
            "year": values.index[mask],
            "previous_year": values.index.to_series().shift(1)[mask].astype("int64").to_numpy(),
            "previous": prev[mask].to_numpy(),
            "value": values[mask].to_numpy(),
        }
    )
    out["change"] = out["value"] - out["previous"]
    return out


def growth_table(
    frame: pd.DataFrame,
    *,
    value: str = "value",
    year: str = "year",
    by: Sequence[str] = (),
    gaps: str = "raise",
) -> pd.DataFrame:
    """Year-on-year rates on a tidy frame, per group.

    Returns the columns of ``by`` plus ``year``, ``value``, ``previous`` and ``yoy``
    (one row per year that has a predecessor within its group).

    Examples
    --------
    >>> df = pd.DataFrame({"level": ["小学"] * 2 + ["初中"] * 2,
    ...                    "year": [2019, 2020, 2019, 2020], "value": [10., 11., 20., 19.]})
    >>> growth_table(df, by=["level"])["yoy"].round(2).tolist()
    [-0.05, 0.1]
    """
    missing = [c for c in [value, year, *by] if c not in frame.columns]
    if missing:
        raise ParameterError(f"growth_table: columns {missing} not in the frame {list(frame.columns)}")
    pieces = []
    groups = frame.groupby(list(by), sort=True) if by else [((), frame)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        label = dict(zip(by, key))
        series = pd.Series(group[value].to_numpy(), index=group[year].to_numpy())
        try:
            rates = yoy(series, gaps=gaps)
        except DataValidationError as exc:
            raise DataValidationError(f"group {label}: {exc}") from None
        values = _check_series(series, "series", positive=True)
        piece = pd.DataFrame(
            {
                **{k: [v] * len(rates) for k, v in label.items()},
                year: rates.index.to_numpy(),
                value: values.loc[rates.index].to_numpy(),
                "previous": values.shift(1).loc[rates.index].to_numpy(),
                "yoy": rates.to_numpy(),
            }
        )
        pieces.append(piece)
    if not pieces:
        return pd.DataFrame(columns=[*by, year, value, "previous", "yoy"])
    return pd.concat(pieces, ignore_index=True)
