"""Difference coefficients (差异系数) of school indicators across a county's schools.

For one indicator, one county and one level (primary or junior), over schools
i = 1..n with enrolment P_i (在校生数) and indicator value X_i, with P = Σ P_i:

    mean  X̄ = Σ P_i X_i / P                 (enrolment-weighted; for a per-student
                                              indicator, total resource / total students)
    SD    S  = sqrt( Σ P_i (X_i − X̄)² / P )  (population form, weighted)
    CV       = S / X̄

Each term P_i (X_i − X̄)² / P is the school's 差异情况, its contribution to the variance
S²; the contributions sum to S².  The composite (综合差异系数) is the plain mean of the
indicator coefficients of a standard's indicator set, per county and level.

Conventions, decided once for every function here:

- weights are enrolments and must be > 0: a school with no students has no
  per-student indicator (a closed school is removed by the caller, explicitly);
- values must be finite and >= 0 (all indicators are amounts per student);
- NaN in a value or a weight is an error naming the row, never dropped;
- two pandas Series (values and weights) are aligned on their index labels: the same
  labels in another order are matched label by label, different labels are refused
  (never combined by position); arrays and lists are taken by position;
- zero spread (every school has the same value) gives SD and CV exactly 0 and every
  contribution exactly 0: the moments are computed about one school's value, so equal
  values leave no rounding residue (not a CV of 1e-16 with "shares" of noise);
- one school has no spread: :func:`weighted_cv` gives 0, but a *between-school*
  coefficient does not exist for a level with one school, so
  :func:`difference_coefficients` gives NaN there with ``status`` saying so;
- a weighted mean of 0 (every school has none of the resource) leaves CV undefined:
  an error by default, or NaN with ``status`` saying why in the grouped table;
- the CV is unchanged when values or weights are scaled (per student vs per 100
  students), but not when a ratio is inverted (生师比 vs 师生比).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DataValidationError, ParameterError

__all__ = [
    "STATUS_OK",
    "STATUS_SINGLE_SCHOOL",
    "STATUS_ZERO_MEAN",
    "coefficient_columns",
    "composite_coefficient",
    "cv_contributions",
    "grouped_contributions",
    "difference_coefficients",
    "weighted_cv",
    "weighted_moments",
]

#: ``status`` of a row of :func:`difference_coefficients`
STATUS_OK = "ok"
STATUS_ZERO_MEAN = "mean is 0: CV undefined"
STATUS_SINGLE_SCHOOL = "one school: no between-school coefficient"


def _labels(index: pd.Index, positions: np.ndarray, limit: int = 5) -> str:
    shown = [str(index[p]) for p in positions[:limit]]
    more = f" and {len(positions) - limit} more" if len(positions) > limit else ""
    return ", ".join(shown) + more


def _aligned(values, weights, name: str):
    """Match two pandas Series on their index labels; refuse labels that differ."""
    if not (isinstance(values, pd.Series) and isinstance(weights, pd.Series)):
        return values, weights
    if values.index.equals(weights.index):
        return values, weights
    if values.index.has_duplicates or weights.index.has_duplicates:
        raise ParameterError(
            f"`{name}` and `weights` are Series with different indexes and duplicate labels, so they "
            "cannot be matched school by school; give both the same index (or pass arrays)"
        )
    only_values = values.index.difference(weights.index)
    only_weights = weights.index.difference(values.index)
    if len(only_values) or len(only_weights):
        raise ParameterError(
            f"`{name}` and `weights` are Series with different index labels: only in `{name}`: "
            f"{_labels(only_values, np.arange(len(only_values))) or 'none'}; only in `weights`: "
            f"{_labels(only_weights, np.arange(len(only_weights))) or 'none'}; "
            "align them on the school (or pass arrays, which are taken by position)"
        )
    return values, weights.reindex(values.index)


def _as_arrays(values, weights, *, name: str = "values") -> tuple[np.ndarray, np.ndarray, pd.Index]:
    values, weights = _aligned(values, weights, name)
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(len(values))
    try:
        x = np.asarray(values, dtype="float64")
        w = np.asarray(weights, dtype="float64")
    except (TypeError, ValueError) as exc:
        raise DataValidationError(f"`{name}` and `weights` must be numeric: {exc}") from None
    if x.ndim != 1 or w.ndim != 1 or len(x) != len(w):
        raise ParameterError(f"`{name}` and `weights` must be 1-D of equal length, got shapes {x.shape} and {w.shape}")
    if len(x) == 0:
        raise DataValidationError(f"`{name}` is empty: a coefficient needs at least one school")
    _check(x, w, index, where="")
    return x, w, index


def _moments(x: np.ndarray, w: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Weighted mean, deviations and contributions, computed about ``x[0]``.

    Shifting by one school's value first makes equal values give deviations of exactly
    0 (the mean of a constant is the constant itself), and improves accuracy when the
    spread is small against the level.
    """
    total = w.sum()
    shifted = x - x[0]
    offset = np.dot(w, shifted) / total
    deviation = shifted - offset
    contribution = w * deviation**2 / total
    return float(x[0] + offset), deviation, contribution


def _check(x: np.ndarray, w: np.ndarray, index: pd.Index, *, where: str, value_name: str = "value") -> None:
    """Validate values and weights; messages name the offending rows (index labels)."""
    for arr, label in ((x, value_name), (w, "enrolment (weight)")):
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            raise DataValidationError(
                f"{where}{label} is missing or not finite at row(s) {_labels(index, bad)}; "
                "fill or remove those schools explicitly"
            )
    bad = np.flatnonzero(w <= 0)
    if bad.size:
        raise DataValidationError(
            f"{where}enrolment (weight) must be > 0, but row(s) {_labels(index, bad)} have "
            f"{w[bad[0]]:g}; a school without students has no per-student indicator"
        )
    bad = np.flatnonzero(x < 0)
    if bad.size:
        raise DataValidationError(
            f"{where}{value_name} must be >= 0, but row(s) {_labels(index, bad)} have {x[bad[0]]:g}"
        )


def weighted_moments(values, weights) -> tuple[float, float]:
    """Enrolment-weighted mean and population standard deviation.

    Parameters
    ----------
    values : array-like of float, >= 0
        Indicator value of each school (e.g. books per student).
    weights : array-like of float, > 0
        Enrolment (在校生数) of each school.

    Returns
    -------
    (mean, sd) : tuple of float

    Examples
    --------
    >>> weighted_moments([1.0, 3.0], [1, 3])
    (2.5, 0.8660254037844386)
    >>> weighted_moments([0.1 + 0.2] * 3, [7, 11, 13])  # equal values: SD exactly 0
    (0.30000000000000004, 0.0)
    """
    x, w, _ = _as_arrays(values, weights)
    mean, _, contribution = _moments(x, w)
    return mean, float(np.sqrt(contribution.sum()))


def weighted_cv(values, weights) -> float:
    """Difference coefficient (差异系数): enrolment-weighted CV of an indicator.

    ``CV = S / X̄`` with the weighted mean and weighted population SD (see the module
    docstring).  0 means every school has the same value; the 2012 standard accepts a
    composite up to 0.65 (primary) / 0.55 (junior), the 2017 standard each indicator's
    CV up to 0.50 / 0.45.

    Raises ``DataValidationError`` for NaN, negative values, non-positive enrolments,
    an empty input, or a weighted mean of 0 (CV undefined).

    Examples
    --------
    The published worked example (5 primary schools, books per student):

    >>> students = [45, 37, 89, 76, 55]
    >>> books = [279, 137, 935, 160, 402]
    >>> per_student = [b / s for b, s in zip(books, students)]
    >>> round(weighted_cv(per_student, students), 2)
    0.52
    >>> weighted_cv([4.5], [300])  # one school: no spread (see difference_coefficients)
    0.0
    >>> weighted_cv([2 / 3] * 4, [45, 37, 89, 76])  # zero spread: exactly 0
    0.0
    """
    mean, sd = weighted_moments(values, weights)
    if mean == 0:
        raise DataValidationError("the weighted mean is 0 (no school has any of this resource): CV is undefined")
    return sd / mean


def cv_contributions(values, weights) -> pd.DataFrame:
    """Each school's contribution to a difference coefficient (差异情况).

    Returns one row per school (the index of ``values`` if it is a Series) with
    ``weight``, ``value``, ``deviation`` (X_i − X̄), ``contribution``
    (P_i (X_i − X̄)² / P; these sum to S²) and ``share`` (contribution / S², summing to
    1), sorted as given.  Sort by ``share`` to see which schools drive the coefficient.

    Zero spread (all values equal, or one school): every deviation and contribution is
    exactly 0 and so is every share, because no school drives a spread that does not
    exist.  Two Series are matched on their index (see the module docstring).

    Examples
    --------
    >>> c = cv_contributions(pd.Series([1.0, 3.0], index=["甲校", "乙校"]), [1, 3])
    >>> c["contribution"].round(4).tolist(), c["share"].tolist()
    ([0.5625, 0.1875], [0.75, 0.25])
    >>> cv_contributions([0.7, 0.7, 0.7], [10, 20, 30])["share"].tolist()
    [0.0, 0.0, 0.0]
    """
    x, w, index = _as_arrays(values, weights)
    _, deviation, contribution = _moments(x, w)
    variance = contribution.sum()
    share = contribution / variance if variance > 0 else np.zeros_like(contribution)
    return pd.DataFrame(
        {
            "weight": w,
            "value": x,
            "deviation": deviation,
            "contribution": contribution,
            "share": share,
        },
        index=index,
    )


def _require_columns(schools: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in schools.columns]
    if missing:
        raise ParameterError(f"columns {missing} are not in the school table; it has {list(schools.columns)}")


def _groups_and_weights(schools: pd.DataFrame, by: list[str], weight: str):
    """Group codes and keys, the checked weights, each group's total weight and school count."""
    codes, keys = _group_codes(schools, by)
    w = schools[weight].to_numpy(dtype="float64")
    _check(np.zeros(1), w, schools.index, where=f"column `{weight}`: ")
    total_w = np.bincount(codes, weights=w, minlength=len(keys))
    return codes, keys, w, total_w, np.bincount(codes, minlength=len(keys))


def _group_codes(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code per row and the (sorted) group keys, one row per code."""
    if not by:
        return np.zeros(len(frame), dtype=np.intp), pd.DataFrame(index=[0])
    parts = [pd.factorize(frame[c], sort=True) for c in by]
    for (codes, _), column in zip(parts, by):
        if (codes < 0).any():
            bad = np.flatnonzero(codes < 0)
            raise DataValidationError(
                f"grouping columns {list(by)} are missing at row(s) {_labels(frame.index, bad)} (column `{column}`)"
            )
    if len(by) == 1:
        codes, uniques = parts[0]
        keys = pd.DataFrame({by[0]: np.asarray(uniques)})
    else:
        sizes = [len(u) for _, u in parts]
        combined = np.ravel_multi_index([c for c, _ in parts], sizes)
        codes, uniq_combined = pd.factorize(combined, sort=True)
        unravelled = np.unravel_index(uniq_combined, sizes)
        keys = pd.DataFrame({c: np.asarray(u)[pos] for c, (_, u), pos in zip(by, parts, unravelled)})
    return codes.astype(np.intp, copy=False), keys


def _grouped_moments(x, w, codes, n_groups, total_w) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and SD per group, about one school's value of each group (any
    member will do): equal values then give deviations of exactly 0, so zero spread is
    CV 0, not 1e-16."""
    ref = np.empty(n_groups)
    ref[codes] = x
    offset = np.bincount(codes, weights=w * (x - ref[codes]), minlength=n_groups) / total_w
    m = ref + offset
    dev = x - m[codes]
    return m, np.sqrt(np.bincount(codes, weights=w * dev * dev, minlength=n_groups) / total_w)


def coefficient_columns(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The difference coefficient of every column of a 2-D array over one group of schools.

    Arrays in, array out, without validation, for inner loops (the planner re-checks
    thousands of candidate plans): the same arithmetic as
    :func:`difference_coefficients`, so both give identical numbers.  NaN where a
    coefficient does not exist (one school, or a weighted mean of 0).

    Examples
    --------
    >>> coefficient_columns(np.array([[1.0, 2.0], [3.0, 2.0]]), np.array([1.0, 3.0])).tolist()
    [0.34641016151377546, 0.0]
    """
    values = np.asarray(values, dtype="float64")
    w = np.asarray(weights, dtype="float64")
    n, k = values.shape
    codes = np.zeros(n, dtype=np.intp)
    total = np.array([w.sum()])
    out = np.empty(k)
    for j in range(k):
        m, sd = _grouped_moments(values[:, j], w, codes, 1, total)
        out[j] = np.nan if n < 2 or m[0] == 0 else sd[0] / m[0]
    return out


def difference_coefficients(
    schools: pd.DataFrame,
    indicators: Sequence[str],
    *,
    weight: str = "enrolment",
    by: Sequence[str] = ("region", "level"),
    on_zero_mean: str = "raise",
) -> pd.DataFrame:
    """Difference coefficients per group and indicator, from a wide school table.

    Parameters
    ----------
    schools : DataFrame
        One row per school (or school section, for 九年一贯制 schools): the ``by``
        columns, the ``weight`` column (enrolment) and one column per indicator.
    indicators : list of str
        Indicator columns to compute.
    weight : str
        Enrolment column (在校生数).
    by : sequence of str
        Grouping columns, e.g. ``("region", "level")``; empty for one group.
    on_zero_mean : {"raise", "nan"}
        A group whose weighted mean is 0 has no CV: raise, or give NaN with the reason
        in ``status``.

    A group with one school has no between-school coefficient: its ``cv`` is NaN and
    its ``status`` says so (:data:`STATUS_SINGLE_SCHOOL`), whatever ``on_zero_mean``
    says; its ``mean`` is the school's value and its ``sd`` is 0.  A group whose
    schools all have the same value has ``sd`` and ``cv`` exactly 0.

    Returns
    -------
    DataFrame
        Tidy: the ``by`` columns, ``indicator``, ``n_schools``, ``enrolment``, ``mean``,
        ``sd``, ``cv``, ``status`` ("ok", or why the CV is NaN: :data:`STATUS_ZERO_MEAN`,
        :data:`STATUS_SINGLE_SCHOOL`); sorted by group then indicator in the order given.

    Examples
    --------
    >>> df = pd.DataFrame({"level": ["小学"] * 5,
    ...                    "enrolment": [45, 37, 89, 76, 55],
    ...                    "books": [279 / 45, 137 / 37, 935 / 89, 160 / 76, 402 / 55]})
    >>> out = difference_coefficients(df, ["books"], by=["level"])
    >>> out[["level", "n_schools", "enrolment"]].values.tolist()
    [['小学', 5, 302]]
    >>> round(float(out["mean"].iloc[0]), 4), round(float(out["cv"].iloc[0]), 2)
    (6.3344, 0.52)
    >>> one = difference_coefficients(df.head(1), ["books"], by=["level"])
    >>> one[["n_schools", "cv", "status"]].values.tolist()
    [[1, nan, 'one school: no between-school coefficient']]
    """
    if on_zero_mean not in {"raise", "nan"}:
        raise ParameterError(f"`on_zero_mean` must be 'raise' or 'nan', got {on_zero_mean!r}")
    by = list(by)
    indicators = list(indicators)
    if not indicators:
        raise ParameterError("`indicators` is empty: name at least one indicator column")
    _require_columns(schools, [*by, weight, *indicators])
    if len(schools) == 0:
        raise DataValidationError("the school table is empty")
    codes, keys, w, total_w, n_schools = _groups_and_weights(schools, by, weight)
    n_groups = len(keys)
    k = len(indicators)
    mean = np.empty((n_groups, k))
    sd = np.empty((n_groups, k))
    for j, name in enumerate(indicators):
        x = schools[name].to_numpy(dtype="float64")
        _check(x, w, schools.index, where=f"column `{name}`: ", value_name="value")
        mean[:, j], sd[:, j] = _grouped_moments(x, w, codes, n_groups, total_w)
    zero = mean == 0
    single = np.broadcast_to((n_schools == 1)[:, None], zero.shape)
    if (zero & ~single).any() and on_zero_mean == "raise":
        g, j = np.argwhere(zero & ~single)[0]
        raise DataValidationError(
            f"column `{indicators[j]}`: the weighted mean is 0 in group "
            f"{keys.iloc[g].to_dict()}: CV is undefined (pass on_zero_mean='nan' to keep going)"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(zero | single, np.nan, sd / mean)
    # group-major, indicators in the order given: row g*k + j
    out = keys.loc[keys.index.repeat(k)].reset_index(drop=True)
    integral = bool(np.all(w == np.round(w)))
    out["indicator"] = np.tile(np.asarray(indicators, dtype=object), n_groups)
    out["n_schools"] = np.repeat(n_schools, k)
    out["enrolment"] = np.repeat(total_w.astype("int64") if integral else total_w, k)
    out["mean"] = mean.ravel()
    out["sd"] = sd.ravel()
    out["cv"] = cv.ravel()
    out["status"] = np.select(
        [single.ravel(), zero.ravel()],
        [STATUS_SINGLE_SCHOOL, STATUS_ZERO_MEAN],
        STATUS_OK,
    )
    return out


def grouped_contributions(
    schools: pd.DataFrame,
    indicators: Sequence[str],
    *,
    weight: str = "enrolment",
    by: Sequence[str] = ("region", "level"),
    top: int | None = None,
) -> pd.DataFrame:
    """Every school's contribution to every coefficient of a wide table, per group.

    The grouped form of :func:`cv_contributions` (same definitions: ``contribution`` =
    P_i (X_i − X̄)² / P, summing to S² within a group; ``share`` = contribution / S²).
    With ``top``, only the ``top`` largest shares of each group and indicator are kept,
    and groups without a spread (one school, or all values equal) give no rows at all:
    no school drives a spread that does not exist.

    Returns the ``by`` columns, ``indicator``, ``row`` (the school's index label),
    ``weight``, ``value``, ``deviation``, ``contribution`` and ``share``; sorted by group,
    indicator (in the order given) and, with ``top``, decreasing share.

    Examples
    --------
    >>> t = pd.DataFrame({"level": ["小学"] * 3 + ["初中"] * 2, "enrolment": [1, 3, 2, 5, 5],
    ...                   "x": [1.0, 3.0, 9.0, 4.0, 4.0]})
    >>> out = grouped_contributions(t, ["x"], by=["level"], top=1)
    >>> out[["level", "row", "share"]].round(3).values.tolist()  # 初中: equal values, no rows
    [['小学', 2, 0.633]]

    (By hand: mean 28/6; contributions 1·(11/3)², 3·(5/3)², 2·(13/3)² in sixths, i.e.
    13.44, 8.33, 37.56 of 59.33: row 2 holds 0.633.)
    """
    by = list(by)
    indicators = list(indicators)
    _require_columns(schools, [*by, weight, *indicators])
    if top is not None and (not isinstance(top, int) or top < 1):
        raise ParameterError(f"`top` must be a positive integer or None, got {top!r}")
    codes, keys, w, total_w, n_schools = _groups_and_weights(schools, by, weight)
    n_groups = len(keys)
    parts = []
    for j, name in enumerate(indicators):
        x = schools[name].to_numpy(dtype="float64")
        _check(x, w, schools.index, where=f"column `{name}`: ", value_name="value")
        m, _ = _grouped_moments(x, w, codes, n_groups, total_w)
        dev = x - m[codes]
        contribution = w * dev * dev / total_w[codes]
        variance = np.bincount(codes, weights=contribution, minlength=n_groups)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(variance[codes] > 0, contribution / variance[codes], 0.0)
        rows = np.arange(len(x))
        if top is not None:
            order = np.lexsort((-share, codes))
            start = np.searchsorted(codes[order], np.arange(n_groups))
            rank = np.arange(len(order)) - start[codes[order]]
            keep = order[(rank < top) & (variance[codes[order]] > 0) & (n_schools[codes[order]] > 1)]
            rows = keep
        parts.append(
            pd.DataFrame(
                {
                    "_group": codes[rows],
                    "_j": j,
                    "indicator": name,
                    "row": schools.index[rows],
                    "weight": w[rows],
                    "value": x[rows],
                    "deviation": dev[rows],
                    "contribution": contribution[rows],
                    "share": share[rows],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["_group", "_j", "share"], ascending=[True, True, False], kind="stable")
    if by:
        out = pd.concat(
            [keys.iloc[out["_group"].to_numpy()].reset_index(drop=True), out.reset_index(drop=True)], axis=1
        )
    return out.drop(columns=["_group", "_j"]).reset_index(drop=True)


def composite_coefficient(
    coefficients: pd.DataFrame,
    indicator_set: Sequence[str],
    *,
    by: Sequence[str] = ("region", "level"),
) -> pd.DataFrame:
    """Composite difference coefficient (综合差异系数): mean of the set's indicator CVs.

    ``coefficients`` is the tidy output of :func:`difference_coefficients` (or any
    frame with the ``by`` columns, ``indicator`` and ``cv``).  Every indicator of the
    set must be present once per group with a defined CV; otherwise the error names the
    group and what is missing (a composite of fewer indicators is not the standard's).

    Returns the ``by`` columns, ``n_indicators`` and ``composite``.

    Examples
    --------
    >>> cv = pd.DataFrame({"level": ["小学"] * 2, "indicator": ["a", "b"], "cv": [0.4, 0.6]})
    >>> composite_coefficient(cv, ["a", "b"], by=["level"])["composite"].round(10).tolist()
    [0.5]
    """
    by = list(by)
    indicator_set = list(indicator_set)
    missing = [c for c in [*by, "indicator", "cv"] if c not in coefficients.columns]
    if missing:
        raise ParameterError(f"columns {missing} are not in the coefficient table")
    subset = coefficients[coefficients["indicator"].isin(indicator_set)]
    rows = []
    groups = subset.groupby(by, sort=True) if by else [((), subset)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        label = dict(zip(by, key))
        dup = group["indicator"][group["indicator"].duplicated()].tolist()
        if dup:
            raise DataValidationError(f"group {label}: indicators {dup} appear more than once")
        absent = [i for i in indicator_set if i not in set(group["indicator"])]
        if absent:
            raise DataValidationError(
                f"group {label}: the composite needs all {len(indicator_set)} indicators, missing {absent}"
            )
        undefined = group.loc[group["cv"].isna(), "indicator"].tolist()
        if undefined:
            raise DataValidationError(f"group {label}: CV undefined for {undefined}")
        rows.append({**label, "n_indicators": len(group), "composite": group["cv"].mean()})
    if not rows and by:
        raise DataValidationError(f"no coefficients for the indicator set {indicator_set}")
    return pd.DataFrame(rows)
