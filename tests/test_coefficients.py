"""Difference coefficients: golden example, edge cases, independent cross-check, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.weightstats import DescrStatsW

from eduanalysis import (
    DataValidationError,
    ParameterError,
    composite_coefficient,
    cv_contributions,
    difference_coefficients,
    indicator_set,
    weighted_cv,
    weighted_moments,
)
from eduanalysis.measures.coefficients import STATUS_OK, STATUS_SINGLE_SCHOOL, STATUS_ZERO_MEAN

# ---------------------------------------------------------------- golden: published example
# Source: 县域义务教育校际均衡指标计算方法(以生均图书册数为例), worked example quoted in
# shared/reference/standards.md §1: 5 primary schools; contributions ≈ 0.003, 0.85, 5.13,
# 4.50, 0.17 (sum ≈ 10.65), S ≈ 3.26, CV ≈ 0.515, published as 0.52.


def test_worked_example_cv(worked_example):
    per_student = worked_example["books"] / worked_example["students"]
    mean, sd = weighted_moments(per_student, worked_example["students"])
    assert mean == pytest.approx(1913 / 302)  # county total ÷ county enrolment = 6.33
    assert round(mean, 2) == 6.33
    assert round(sd, 2) == 3.26
    cv = weighted_cv(per_student, worked_example["students"])
    assert round(cv, 3) == 0.515
    assert round(cv, 2) == 0.52


def test_worked_example_contributions(worked_example):
    # the published table rounds books per student to 2 decimals before computing
    rounded = pd.Series([6.20, 3.70, 10.51, 2.11, 7.31], index=worked_example["school"])
    contrib = cv_contributions(rounded, worked_example["students"].to_numpy())
    assert contrib["contribution"].round(2).tolist() == [0.00, 0.85, 5.13, 4.50, 0.17]
    assert round(contrib["contribution"].sum(), 2) == 10.66  # published "≈ 10.65" (truncated)
    assert contrib["contribution"].sum() == pytest.approx(10.65, abs=0.01)
    assert contrib["share"].sum() == pytest.approx(1.0)
    # 小学3 and 小学4 drive the coefficient: ~90 % of the variance
    top = contrib["share"].nlargest(2)
    assert list(top.index) == ["小学3", "小学4"] and top.sum() > 0.9


def test_contributions_sum_to_variance(worked_example):
    x = worked_example["books"] / worked_example["students"]
    _, sd = weighted_moments(x, worked_example["students"])
    assert cv_contributions(x, worked_example["students"])["contribution"].sum() == pytest.approx(sd**2)


def test_published_2023_table_identity():
    # standards.md §1: published tables print mean, SD and CV; CV = SD ÷ mean exactly.
    x, w = [2.0, 4.0, 6.0], [100, 200, 100]
    mean, sd = weighted_moments(x, w)
    assert weighted_cv(x, w) == sd / mean


# ---------------------------------------------------------------- edge cases, decided
def test_single_school_is_zero():
    assert weighted_cv([4.5], [300]) == 0.0
    c = cv_contributions([4.5], [300])
    assert c["share"].tolist() == [0.0]


def test_constant_values_give_zero():
    assert weighted_cv([3.0, 3.0, 3.0], [10, 20, 30]) == 0.0


def test_zero_spread_is_exactly_zero_with_no_contributions():
    # 279/45 = 6.2 per student in every school: before the fix the weighted mean came out
    # 1 ulp away from 6.2, giving CV ≈ 1e-16 and one school "driving" ~49 % of nothing
    x = pd.Series([279 / 45] * 4, index=["甲", "乙", "丙", "丁"])
    w = [45, 37, 89, 76]
    mean, sd = weighted_moments(x, w)
    assert mean == 279 / 45 and sd == 0.0
    assert weighted_cv(x, w) == 0.0
    c = cv_contributions(x, w)
    assert (c["deviation"] == 0).all() and (c["contribution"] == 0).all() and (c["share"] == 0).all()


@settings(max_examples=300, deadline=None)
@given(st.floats(1e-6, 1e6), st.lists(st.integers(1, 5000), min_size=2, max_size=60))
def test_constant_values_give_exactly_zero(c, w):
    # exact equality, not approx: equal values leave no rounding residue
    assert weighted_cv([c] * len(w), w) == 0.0
    assert (cv_contributions([c] * len(w), w)["share"] == 0.0).all()
    table = pd.DataFrame({"level": "小学", "enrolment": w, "x": c})
    out = difference_coefficients(table, ["x"], by=["level"])
    assert out["cv"].item() == 0.0 and out["sd"].item() == 0.0 and out["mean"].item() == c


# ---------------------------------------------------------------- Series are matched on the index
def test_series_in_another_order_are_aligned_on_the_index():
    values = pd.Series([1.0, 3.0], index=["甲校", "乙校"])
    weights = pd.Series([3, 1], index=["乙校", "甲校"])  # same schools, other order
    # by label: 甲校 has weight 1, 乙校 weight 3 → mean 2.5, SD √0.75 (by hand)
    assert weighted_moments(values, weights) == pytest.approx((2.5, 0.75**0.5))
    c = cv_contributions(values, weights)
    assert c.index.tolist() == ["甲校", "乙校"] and c["weight"].tolist() == [1.0, 3.0]
    # positional pairing would have given weights 3, 1 → mean 1.5
    assert weighted_moments(values, weights.to_numpy())[0] == pytest.approx(1.5)


def test_series_with_different_labels_are_refused():
    values = pd.Series([1.0, 3.0], index=["甲校", "乙校"])
    with pytest.raises(
        ParameterError, match=r"different index labels: only in `values`: 乙校; only in `weights`: 丙校"
    ):
        weighted_cv(values, pd.Series([1, 3], index=["甲校", "丙校"]))
    with pytest.raises(ParameterError, match=r"only in `values`: 乙校, 甲校; only in `weights`: 0, 1"):
        cv_contributions(values, pd.Series([1, 3]))
    with pytest.raises(ParameterError, match="duplicate labels"):
        weighted_cv(values, pd.Series([1, 3], index=["甲校", "甲校"]))


def test_zero_total_enrolment_raises():
    with pytest.raises(DataValidationError, match=r"enrolment \(weight\) must be > 0.*row\(s\) 0, 1"):
        weighted_cv([1.0, 2.0], [0, 0])


def test_zero_enrolment_school_raises_naming_it():
    x = pd.Series([1.0, 2.0, 3.0], index=["一小", "二小", "三小"])
    with pytest.raises(DataValidationError, match=r"row\(s\) 二小 have 0; a school without students"):
        weighted_cv(x, [10, 0, 5])


def test_zero_mean_raises():
    with pytest.raises(DataValidationError, match="weighted mean is 0.*CV is undefined"):
        weighted_cv([0.0, 0.0], [10, 20])


def test_nan_value_raises_naming_row():
    x = pd.Series([1.0, np.nan], index=["一小", "二小"])
    with pytest.raises(DataValidationError, match=r"value is missing or not finite at row\(s\) 二小"):
        weighted_cv(x, [10, 20])


def test_nan_weight_raises():
    with pytest.raises(DataValidationError, match=r"enrolment \(weight\) is missing"):
        weighted_cv([1.0, 2.0], [10, np.nan])


def test_negative_value_raises():
    with pytest.raises(DataValidationError, match=r"must be >= 0, but row\(s\) 1 have -2"):
        weighted_cv([1.0, -2.0], [10, 20])


def test_empty_and_mismatched_inputs():
    with pytest.raises(DataValidationError, match="empty"):
        weighted_cv([], [])
    with pytest.raises(ParameterError, match="equal length"):
        weighted_cv([1.0, 2.0], [1])


# ---------------------------------------------------------------- independent cross-check
@pytest.mark.parametrize("seed", range(5))
def test_moments_match_statsmodels(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 500))
    x = rng.gamma(2.0, 3.0, n)
    w = rng.integers(1, 3000, n).astype(float)
    stats = DescrStatsW(x, weights=w, ddof=0)
    mean, sd = weighted_moments(x, w)
    assert mean == pytest.approx(stats.mean, rel=1e-12)
    assert sd == pytest.approx(stats.std, rel=1e-10)


# ---------------------------------------------------------------- properties (STYLE.md §4)
values = st.lists(st.floats(0.01, 1e4, allow_nan=False), min_size=1, max_size=40)


@st.composite
def schools(draw):
    x = draw(values)
    w = draw(st.lists(st.integers(1, 5000), min_size=len(x), max_size=len(x)))
    return np.array(x), np.array(w, dtype=float)


@settings(max_examples=200, deadline=None)
@given(schools(), st.floats(1e-3, 1e3))
def test_scaling_values_leaves_cv_unchanged(data, k):
    x, w = data
    assert weighted_cv(x * k, w) == pytest.approx(weighted_cv(x, w), rel=1e-9, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(schools(), st.floats(1e-3, 1e3))
def test_scaling_weights_leaves_cv_unchanged(data, k):
    x, w = data
    assert weighted_cv(x, w * k) == pytest.approx(weighted_cv(x, w), rel=1e-9, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(schools(), st.randoms(use_true_random=False))
def test_permuting_schools_leaves_cv_unchanged(data, rnd):
    x, w = data
    order = list(range(len(x)))
    rnd.shuffle(order)
    assert weighted_cv(x[order], w[order]) == pytest.approx(weighted_cv(x, w), rel=1e-9, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(schools(), st.data())
def test_duplicating_a_school_equals_doubling_its_weight(data, draw):
    x, w = data
    i = draw.draw(st.integers(0, len(x) - 1))
    dup_x, dup_w = np.append(x, x[i]), np.append(w, w[i])
    doubled = w.copy()
    doubled[i] *= 2
    assert weighted_cv(dup_x, dup_w) == pytest.approx(weighted_cv(x, doubled), rel=1e-9, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(values, st.integers(1, 5000))
def test_equal_weights_give_unweighted_population_cv(x, w):
    x = np.array(x)
    expected = np.std(x, ddof=0) / np.mean(x)
    assert weighted_cv(x, [w] * len(x)) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_inverting_a_ratio_changes_the_cv():
    # standards.md §5: per 100 keeps the CV, inverting (生师比 vs 师生比) does not
    x, w = np.array([0.05, 0.06, 0.08]), np.array([300.0, 500.0, 200.0])
    assert weighted_cv(100 * x, w) == pytest.approx(weighted_cv(x, w))
    assert weighted_cv(1 / x, w) != pytest.approx(weighted_cv(x, w))


# ---------------------------------------------------------------- grouped form
@pytest.fixture
def two_counties():
    return pd.DataFrame(
        {
            "region": ["甲县"] * 3 + ["乙县"] * 2,
            "level": ["小学", "小学", "初中", "小学", "小学"],
            "enrolment": [100, 300, 500, 200, 200],
            "books": [10.0, 20.0, 30.0, 5.0, 15.0],
            "area": [4.0, 4.0, 6.0, 3.0, 5.0],
        }
    )


def test_grouped_matches_scalar(two_counties):
    out = difference_coefficients(two_counties, ["books", "area"])
    assert list(out.columns) == [
        "region",
        "level",
        "indicator",
        "n_schools",
        "enrolment",
        "mean",
        "sd",
        "cv",
        "status",
    ]
    # groups sorted, indicators in the order given
    assert out[["region", "level", "indicator"]].values.tolist() == [
        ["乙县", "小学", "books"],
        ["乙县", "小学", "area"],
        ["甲县", "初中", "books"],
        ["甲县", "初中", "area"],
        ["甲县", "小学", "books"],
        ["甲县", "小学", "area"],
    ]
    row = out[(out.region == "甲县") & (out.level == "小学") & (out.indicator == "books")].iloc[0]
    assert row["cv"] == pytest.approx(weighted_cv([10.0, 20.0], [100, 300]))
    assert row["mean"] == pytest.approx(17.5) and row["n_schools"] == 2 and row["enrolment"] == 400
    # one school: no between-school coefficient (NaN with the reason, not a "达标" 0.0)
    single = out[(out.region == "甲县") & (out.level == "初中")]
    assert single["cv"].isna().all() and single["n_schools"].tolist() == [1, 1]
    assert single["status"].tolist() == [STATUS_SINGLE_SCHOOL] * 2
    assert single["mean"].tolist() == [30.0, 6.0] and single["sd"].tolist() == [0.0, 0.0]
    assert (out.loc[out["n_schools"] > 1, "status"] == STATUS_OK).all()
    # 乙县: equal weights, values 5 and 15 → mean 10, population SD 5 → CV 0.5 (by hand)
    assert out.query("region == '乙县' and indicator == 'books'")["cv"].item() == pytest.approx(0.5)


def test_grouped_rejects_nan_naming_column_and_row(two_counties):
    two_counties.loc[3, "area"] = np.nan
    with pytest.raises(DataValidationError, match=r"column `area`: value is missing .* row\(s\) 3"):
        difference_coefficients(two_counties, ["books", "area"])


def test_grouped_zero_mean_raise_or_explain(two_counties):
    two_counties["computers"] = [0.0, 0.0, 2.0, 1.0, 1.0]
    with pytest.raises(DataValidationError, match=r"`computers`: the weighted mean is 0 in group"):
        difference_coefficients(two_counties, ["computers"])
    out = difference_coefficients(two_counties, ["computers"], on_zero_mean="nan")
    bad = out[out["status"] == STATUS_ZERO_MEAN]
    assert bad[["region", "level"]].values.tolist() == [["甲县", "小学"]]
    assert bad["status"].item() == "mean is 0: CV undefined" and np.isnan(bad["cv"].item())


def test_one_school_with_zero_value_is_single_not_an_error(two_counties):
    # 甲县 初中 has one school: "no coefficient" wins over "mean 0" and does not raise
    two_counties["computers"] = [1.0, 2.0, 0.0, 1.0, 1.0]
    out = difference_coefficients(two_counties, ["computers"]).set_index(["region", "level"])
    assert out.loc[("甲县", "初中"), "status"] == STATUS_SINGLE_SCHOOL


def test_grouped_unknown_column(two_counties):
    with pytest.raises(ParameterError, match=r"columns \['chairs'\] are not in the school table"):
        difference_coefficients(two_counties, ["chairs"])


def test_grouped_missing_group_key(two_counties):
    two_counties.loc[1, "region"] = None
    with pytest.raises(DataValidationError, match=r"grouping columns .* missing at row\(s\) 1"):
        difference_coefficients(two_counties, ["books"])


def test_grouped_agrees_with_loop_on_random_data():
    rng = np.random.default_rng(7)
    n = 2000
    df = pd.DataFrame(
        {
            "region": rng.choice([f"县{i}" for i in range(30)], n),
            "level": rng.choice(["小学", "初中"], n),
            "enrolment": rng.integers(20, 2000, n),
            "a": rng.gamma(3.0, 2.0, n),
        }
    )
    out = difference_coefficients(df, ["a"]).set_index(["region", "level"])["cv"]
    for (region, level), g in df.groupby(["region", "level"]):
        assert out[(region, level)] == pytest.approx(weighted_cv(g["a"], g["enrolment"]), rel=1e-12)


# ---------------------------------------------------------------- composite
def test_composite_is_mean_of_indicator_cvs():
    ids = indicator_set("basic_balance_2012")
    # 伊宁市 primary-school coefficients (seed 004, 四、… 差异系数): the composite of the 8
    cvs = [0.3636, 1.2059, 0.5141, 0.3542, 0.0994, 0.3860, 0.4083, 0.4718]
    table = pd.DataFrame({"level": "小学", "indicator": ids, "cv": cvs})
    out = composite_coefficient(table, ids, by=["level"])
    assert out["composite"].item() == pytest.approx(sum(cvs) / 8)  # 0.4754125, by hand
    assert out["n_indicators"].item() == 8


def test_composite_requires_the_whole_set():
    ids = indicator_set("basic_balance_2012")
    table = pd.DataFrame({"level": "小学", "indicator": ids[:7], "cv": [0.3] * 7})
    with pytest.raises(DataValidationError, match=r"needs all 8 indicators, missing \['senior_title"):
        composite_coefficient(table, ids, by=["level"])


@pytest.mark.parametrize("seed", range(3))
def test_coefficient_columns_equal_the_grouped_table_exactly(seed):
    # the planner's inner-loop form must give the very numbers the report judges with
    from eduanalysis.measures.coefficients import coefficient_columns

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 300))
    values = rng.gamma(2.0, 3.0, (n, 4))
    values[:, 3] = 2 / 3  # zero spread: exactly 0 in both
    w = rng.integers(1, 3000, n).astype(float)
    frame = pd.DataFrame(values, columns=list("abcd")).assign(w=w)
    table = difference_coefficients(frame, list("abcd"), weight="w", by=[])
    assert coefficient_columns(values, w).tolist() == table["cv"].tolist()
    assert (
        coefficient_columns(values[:1], w[:1]).tolist() == [np.nan] * 4
        or np.isnan(coefficient_columns(values[:1], w[:1])).all()
    )


def test_grouped_contributions_match_the_scalar_form():
    from eduanalysis.measures.coefficients import grouped_contributions

    rng = np.random.default_rng(11)
    n = 400
    df = pd.DataFrame(
        {
            "region": rng.choice(["甲县", "乙县", "丙县"], n),
            "level": rng.choice(["小学", "初中"], n),
            "enrolment": rng.integers(20, 2000, n),
            "a": rng.gamma(3.0, 2.0, n),
            "b": 5.0,  # no spread anywhere
        }
    )
    full = grouped_contributions(df, ["a", "b"])
    top = grouped_contributions(df, ["a", "b"], top=3)
    assert (full.loc[full["indicator"] == "b", "share"] == 0).all() and "b" not in set(top["indicator"])
    for (region, level), g in df.groupby(["region", "level"]):
        scalar = cv_contributions(g["a"], g["enrolment"])
        mine = full[(full.region == region) & (full.level == level) & (full.indicator == "a")].set_index("row")
        assert mine["share"].sum() == pytest.approx(1.0)
        assert mine.loc[scalar.index, "contribution"].to_numpy() == pytest.approx(scalar["contribution"].to_numpy())
        best = top[(top.region == region) & (top.level == level)]["row"].tolist()
        assert best == scalar["share"].nlargest(3).index.tolist()
    with pytest.raises(ParameterError, match="`top` must be a positive integer"):
        grouped_contributions(df, ["a"], top=0)
