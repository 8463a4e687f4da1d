"""Growth rates, with 伊宁市's budget series (seed 004) as the worked case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduanalysis import (
    DataValidationError,
    ParameterError,
    compound_rate,
    decreases,
    growth_table,
    pp_change,
    required_rate,
    yoy,
)

# 伊宁市 public-budget education spending 2017–2020, 万元 (seed 004, 三、（一）保障经费投入)
YINING = pd.Series({2017: 122064.0, 2018: 138501.0, 2019: 145654.0, 2020: 150438.0})


def test_yoy_on_yining():
    rates = yoy(YINING)
    assert rates.index.tolist() == [2018, 2019, 2020]
    # independent arithmetic: 138501/122064 − 1 = 0.134659…, 145654/138501 − 1 = 0.051646…,
    # 150438/145654 − 1 = 0.032845…
    assert rates.round(4).tolist() == [0.1347, 0.0516, 0.0328]


def test_compound_rate_on_yining():
    # (150438/122064)^(1/3) − 1 = 0.0721527186649130 (computed independently with
    # Python's decimal module at 30 digits)
    assert compound_rate(122064, 150438, 3) == pytest.approx(0.0721527186649130, rel=1e-12)


def test_gap_is_not_a_zero():
    gappy = pd.Series({2015: 100.0, 2017: 121.0, 2018: 133.1})
    with pytest.raises(DataValidationError, match="years missing between 2015–2017"):
        yoy(gappy)
    rates = yoy(gappy, gaps="annualize")
    assert rates.round(6).tolist() == [0.1, 0.1]


def test_yoy_rejects_missing_and_non_positive():
    with pytest.raises(DataValidationError, match=r"years \[2019\] have missing"):
        yoy(pd.Series({2018: 1.0, 2019: np.nan, 2020: 2.0}))
    with pytest.raises(DataValidationError, match=r"growth needs values > 0, years \[2018\]"):
        yoy(pd.Series({2018: 0.0, 2019: 1.0}))
    with pytest.raises(ParameterError, match="gaps"):
        yoy(YINING, gaps="zero")
    with pytest.raises(DataValidationError, match=r"duplicated years \[2019\]"):
        yoy(pd.Series([1.0, 2.0], index=[2019, 2019]))


def test_required_rate_to_plan_target():
    # 乌海 plan: a rate of 50.8 % in 2020 to reach 55 % by 2025 (illustrative target)
    r = required_rate(50.8, 55.0, 5)
    assert (1 + r) ** 5 * 50.8 == pytest.approx(55.0)
    assert required_rate(10, 8, 2) < 0  # a target below the baseline allows decline
    with pytest.raises(ParameterError):
        required_rate(1, 2, 0)
    with pytest.raises(DataValidationError):
        compound_rate(0, 2, 1)


def test_pp_change():
    out = pp_change(pd.Series({2015: 79.0, 2020: 95.4}))
    assert out.index.tolist() == [2020] and out.iloc[0] == pytest.approx(16.4)


def test_decreases_names_each_fall():
    per_student = pd.Series({2018: 9000.0, 2019: 8800.0, 2020: 9100.0})
    broken = decreases(per_student)
    assert broken[["year", "previous_year", "change"]].values.tolist() == [[2019, 2018, -200.0]]


def test_decreases_across_a_gap_names_the_previous_observed_year():
    out = decreases(pd.Series({2015: 10.0, 2020: 9.0}))
    assert out[["year", "previous_year"]].values.tolist() == [[2020, 2015]]


def test_growth_table_by_group():
    df = pd.DataFrame(
        {
            "region": ["a"] * 3 + ["b"] * 2,
            "year": [2018, 2019, 2020, 2019, 2020],
            "value": [100.0, 110.0, 121.0, 50.0, 40.0],
        }
    )
    out = growth_table(df, by=["region"])
    assert out[["region", "year"]].values.tolist() == [["a", 2019], ["a", 2020], ["b", 2020]]
    assert out["yoy"].round(6).tolist() == [0.1, 0.1, -0.2]
    assert out["previous"].tolist() == [100.0, 110.0, 50.0]
    df.loc[4, "year"] = 2022
    with pytest.raises(DataValidationError, match=r"group \{'region': 'b'\}: yoy: years missing"):
        growth_table(df, by=["region"])
    with pytest.raises(ParameterError, match="not in the frame"):
        growth_table(df, by=["county"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.5, 2.0), min_size=1, max_size=15), st.floats(1.0, 1e6))
def test_chained_yoy_equals_compound_rate(factors, start):
    values = [start]
    for f in factors:
        values.append(values[-1] * f)
    series = pd.Series(values, index=range(2000, 2001 + len(factors)))
    chained = np.prod(1 + yoy(series).to_numpy()) ** (1 / len(factors)) - 1
    assert chained == pytest.approx(compound_rate(values[0], values[-1], len(factors)), rel=1e-9, abs=1e-12)
