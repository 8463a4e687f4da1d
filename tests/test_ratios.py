"""Ratios in the forms the documents write them."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduanalysis import DataValidationError, Ratio, format_ratio, parse_ratio, ratio_to_float, shares
from eduanalysis.measures.ratios import per_hundred, per_one


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1:211", Ratio(1.0, 211.0)),  # 师生比 form
        ("2.9:7.1", Ratio(2.9, 7.1)),  # 乌海 职普比
        ("16.0:1", Ratio(16.0, 1.0)),  # 伊宁 城镇小学生师比
        ("4∶6", Ratio(4.0, 6.0)),  # U+2236 RATIO
        ("1∶5.6", Ratio(1.0, 5.6)),
        ("1：15", Ratio(1.0, 15.0)),  # U+FF1A full-width colon
        ("１２：１", Ratio(12.0, 1.0)),  # full-width digits
        (" 1 : 350 ", Ratio(1.0, 350.0)),
    ],
)
def test_parse_forms(text, expected):
    assert parse_ratio(text) == expected


@pytest.mark.parametrize("text", ["1:", ":3", "1/211", "a:b", "1:2:3", "", "1:0", "0:5", "-1:2"])
def test_malformed_quotes_input(text):
    with pytest.raises(DataValidationError, match=repr(text).replace("(", r"\(")[:6].replace("[", r"\[")):
        parse_ratio(text)


def test_not_a_string():
    with pytest.raises(DataValidationError, match="must be a string"):
        parse_ratio(16.0)


def test_conversions():
    r = parse_ratio("2.9:7.1")
    assert r.shares() == pytest.approx((0.29, 0.71))
    assert ratio_to_float("16.0:1") == 16.0
    assert parse_ratio("1:211").inverse == 211.0
    assert parse_ratio("2:10").normalized() == Ratio(1.0, 5.0)
    assert parse_ratio("2:10").normalized("consequent") == Ratio(0.2, 1.0)
    assert format_ratio(16.04) == "16.0:1"
    assert format_ratio(1 / 211, side="antecedent", precision=0) == "1:211"
    assert per_hundred(0.054) == pytest.approx(5.4)
    assert per_one(4.2) == pytest.approx(0.042)


@given(st.floats(0.01, 1000), st.floats(0.01, 1000))
def test_round_trip_quotient(a, b):
    text = f"{a}:{b}"
    assert parse_ratio(text).quotient == pytest.approx(a / b)
    assert ratio_to_float(format_ratio(a / b, precision=12)) == pytest.approx(a / b, rel=1e-9)


def test_shares():
    out = shares(pd.Series({"普通高中": 71.0, "中职": 29.0}))
    assert out.tolist() == pytest.approx([0.71, 0.29])
    with pytest.raises(DataValidationError, match=r"parts \['中职'\] are missing"):
        shares(pd.Series({"普通高中": 71.0, "中职": None}))
    with pytest.raises(DataValidationError, match="sum to 0"):
        shares(pd.Series({"a": 0.0}))
    with pytest.raises(DataValidationError, match="negative"):
        shares(pd.Series({"a": -1.0, "b": 2.0}))
