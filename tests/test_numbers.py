"""Number reading: what is read unambiguously gets its value, everything else a reason.

The same rules hold in every input: a reported figure (``parse_quantity``), a school-table
cell (``parse_number`` / ``parse_numbers``) and therefore the checks, which recompute from
parsed figures.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduanalysis import DataValidationError
from eduanalysis.data.bounds import bound_of, interval
from eduanalysis.data.figures import FIGURE_COLUMNS, load_figures
from eduanalysis.data.numbers import (
    MAX_INTEGER_DIGITS,
    RANGE_QUALIFIER,
    Quantity,
    convert_unit,
    fold_number_text,
    number_problem,
    parse_number,
    parse_numbers,
    parse_quantity,
)
from eduanalysis.data.schools import read_school_table
from eduanalysis.measures.ratios import Ratio, parse_ratio

FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


@pytest.mark.parametrize(
    "text, value",
    [
        ("0", 0.0),
        ("930.1", 930.1),
        ("1,234", 1234.0),
        ("1,234,567", 1234567.0),
        ("1,234,567.25", 1234567.25),
        ("-2.4", -2.4),
        ("+5", 5.0),
        ("\u22123.5", -3.5),  # U+2212 MINUS SIGN
        ("１２３４", 1234.0),  # full-width digits
        ("１，２３４", 1234.0),  # full-width comma in a correct group
        ("９３０．１", 930.1),  # full-width period
        ("－７", -7.0),  # full-width minus
        (" 12 ", 12.0),
        ("9" * MAX_INTEGER_DIGITS, float("9" * MAX_INTEGER_DIGITS)),
        ("0001", 1.0),
    ],
)
def test_numbers_read_unambiguously(text, value):
    assert number_problem(text) is None
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, reason",
    [
        # a decimal comma, or a thousands separator with a wrong group: never 9301
        ("930,1", r"'930,1': the comma is not a thousands separator .*; write 930\.1 if it is a decimal mark"),
        ("1456,54", r"the comma is not a thousands separator"),
        ("12,34", r"write 12\.34 if it is a decimal mark"),
        ("0,5", r"write 0\.5 if it is a decimal mark"),
        ("1,23,456", r"'1,23,456': the comma is not a thousands separator \(digits in groups of three"),
        ("1,2345", r"the comma is not a thousands separator"),
        ("1234,567.5,1", r"expected a number"),
        ("930，1", r"'930，1': the comma is not a thousands separator"),  # full-width comma: same rule
        # overflow: 20 digits would be a negative int64 count
        ("99999999999999999999", r"20 digits before the decimal point, but at most 15 can be held exactly"),
        ("1" + "0" * MAX_INTEGER_DIGITS, r"16 digits before the decimal point"),
        # non-finite
        ("inf", r"'inf': not a finite number"),
        ("-inf", r"not a finite number"),
        ("Infinity", r"'Infinity': not a finite number"),
        ("nan", r"'nan': not a finite number"),
        ("NaN", r"not a finite number"),
        # scientific notation (Excel's display of long numbers) hides digits
        ("1.2E+05", r"'1\.2E\+05': scientific notation hides digits"),
        ("3e7", r"scientific notation"),
        # Chinese list and sentence marks are not number punctuation
        ("1、2", r"'1、2': 、 separates items of a list"),
        ("1。5", r"'1。5': 。 is not a decimal point"),
        ("1 234", r"a space between digits"),
        ("1.234.567", r"more than one decimal point"),
        ("", r"expected a number, found an empty cell"),
        ("很多", r"expected a number, found '很多'"),
        ("12a", r"expected a number, found '12a'"),
    ],
)
def test_numbers_refused_with_the_reason(text, reason):
    assert number_problem(text) is not None
    with pytest.raises(DataValidationError, match=reason):
        parse_number(text)


def test_the_message_starts_with_where():
    with pytest.raises(DataValidationError, match=r"^t\.csv, row 4, column '面积': '930,1': the comma"):
        parse_number("930,1", "t.csv, row 4, column '面积'")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("930,1 平方米", r"cannot parse '930,1 平方米': '930,1': the comma is not a thousands separator"),
        ("1456,54 万元", r"cannot parse '1456,54 万元': '1456,54': the comma .*write 1456\.54"),
        ("930,1", r"cannot parse '930,1': the comma is not"),
        ("99999999999999999999 人", r"20 digits before the decimal point"),
        ("inf", r"cannot parse 'inf': 'inf': not a finite number"),
        ("Infinity%", r"not a finite number"),
        ("nan 人", r"not a finite number"),
        ("1.2E+05 元", r"'1\.2E\+05': scientific notation"),
        ("1、2 所", r"、 separates items of a list"),
        ("3，5%", r"the comma is not a thousands separator"),
        ("1 234 人", r"a space between digits"),
    ],
)
def test_figures_refuse_what_numbers_refuse(text, reason):
    with pytest.raises(DataValidationError, match=reason):
        parse_quantity(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,234,567 人", Quantity(1234567.0, "人")),
        ("１，２３４ 人", Quantity(1234.0, "人")),
        ("9301 平方米", Quantity(9301.0, "平方米")),
        ("930.1 平方米", Quantity(930.1, "平方米")),
        ("1456.54 万元", Quantity(1456.54, "万元")),
        ("300余万元", Quantity(300.0, "万元", "余")),  # the 余 between number and 万 stays a qualifier
        ("近 3,000 万元", Quantity(3000.0, "万元", "近")),
    ],
)
def test_figures_with_separators_and_qualifiers(text, expected):
    assert parse_quantity(text) == expected


def _figures_file(tmp_path, value):
    defaults = {
        "region": "yining",
        "year": "2020",
        "indicator": "weak_school_area_completed",
        "name_in_source": "校舍面积",
        "value_as_written": value,
        "value_type": "实际",
        "source": "yining_2021_balance_review",
        "locator": "三",
    }
    row = ",".join(f'"{defaults.get(c, "")}"' for c in FIGURE_COLUMNS)
    path = tmp_path / "figures.csv"
    path.write_text(",".join(FIGURE_COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    return path


def _school_file(tmp_path, value):
    path = tmp_path / "schools.csv"
    path.write_text(f'学校名称,学段,在校生数,教学及辅助用房面积\n一小,小学,100,"{value}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("written, value", [("１，２３４", 1234.0), ("930．5", 930.5), ("1,234,567", 1234567.0)])
def test_every_input_reads_a_number_the_same_way(tmp_path, written, value):
    figure = load_figures("yining", _figures_file(tmp_path, f"{written} 平方米"))
    assert figure["value"].item() == value
    assert read_school_table(_school_file(tmp_path, written)).loc[0, "teaching_aux_area"] == value
    assert parse_number(written) == value


@pytest.mark.parametrize(
    "written, reason",
    [
        ("930,1", "the comma is not a thousands separator"),
        ("930，1", "the comma is not a thousands separator"),
        ("1、2", "、 separates items of a list"),
        ("inf", "not a finite number"),
        ("99999999999999999999", "20 digits before the decimal point"),
    ],
)
def test_every_input_refuses_a_number_the_same_way(tmp_path, written, reason):
    with pytest.raises(DataValidationError, match=rf"figures\.csv, row 2, column `value_as_written`: .*{reason}"):
        load_figures("yining", _figures_file(tmp_path, f"{written} 平方米"))
    with pytest.raises(DataValidationError, match=rf"schools\.csv, row 2, column '教学及辅助用房面积': .*{reason}"):
        read_school_table(_school_file(tmp_path, written))


@given(st.integers(min_value=0, max_value=10**MAX_INTEGER_DIGITS - 1), st.booleans())
def test_grouped_integers_round_trip(n, full_width):
    text = f"{n:,}"
    text = text.translate(FULL_WIDTH) if full_width else text
    assert parse_number(text) == n


@given(st.integers(min_value=1000, max_value=10**9), st.integers(min_value=1, max_value=2))
def test_a_comma_that_does_not_group_by_three_is_refused(n, cut):
    digits = str(n)
    text = digits[:-cut] + "," + digits[-cut:]  # "930,1", "1456,54": a decimal comma, or a wrong group
    assert number_problem(text) is not None


_CELL_TEXT = st.text(alphabet="0123456789,.-+ e、。１２，．ａinf", max_size=12)


@given(st.lists(_CELL_TEXT, max_size=8))
def test_vectorised_column_reading_equals_one_cell_at_a_time(cells):
    values, problems = parse_numbers(pd.Series(cells, dtype=object))
    for cell, value, problem in zip(cells, values, problems):
        expected_problem = number_problem(cell.strip())
        assert (problem or None) == expected_problem
        if expected_problem is None:
            assert value == parse_number(cell)
        else:
            assert pd.isna(value)


def test_fold_keeps_chinese_marks_so_they_can_be_named():
    assert fold_number_text("１、２。３") == "1、2。3"


# --- forms a document prints that are not one number (issue #18 part C) ----------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # corpus shandong_2021_plan14: "建设2—3个高水平当代马克思主义研究基地"
        ("2—3个", Quantity(2.0, "个", RANGE_QUALIFIER, 3.0)),
        # 000 第22条: "未来滨河区入住人口约为 6—7 万人" (万 after the high end scales both)
        ("6—7 万人", Quantity(6.0, "万人", RANGE_QUALIFIER, 7.0)),
        # 004 四(五): "按照每年完成 25-30%的培训率推进"
        ("25-30%", Quantity(25.0, "%", RANGE_QUALIFIER, 30.0)),
        # 001 (学校体育): "确保学生学会 1 至 2 项运动技能"
        ("1 至 2 项", Quantity(1.0, "项", RANGE_QUALIFIER, 2.0)),
    ],
)
def test_a_range_reads_as_low_and_high_end(text, expected):
    assert parse_quantity(text) == expected
    low, high = interval(expected.value, bound_of(parse_quantity(text).qualifier), parse_quantity(text).high)
    assert (low, high) == (expected.value, expected.high)


def test_a_range_upside_down_or_in_two_units_is_refused():
    with pytest.raises(DataValidationError, match=r"'3—2个': the low end 3 is above the high end 2"):
        parse_quantity("3—2个")
    with pytest.raises(DataValidationError, match=r"low end is in % but the high end in '人'"):
        parse_quantity("25%-30人")
    with pytest.raises(ValueError, match="a range needs a high end"):
        interval(2.0, "range")


def test_a_fraction_reads_as_a_share():
    # corpus shandong_2021_plan14: "应用型高校科技成果转化率超过1/3" — value 1/3 in unit fraction,
    # which converts to % (33.3 %)
    q = parse_quantity("1/3")
    assert (q.unit, q.qualifier) == ("fraction", "")
    assert q.value == pytest.approx(1 / 3)
    assert convert_unit(q.value, "fraction", "%") == pytest.approx(100 / 3)
    # 三分之一 is read by cn2an: 分母 三, 分子 一
    assert parse_quantity("约三分之一") == Quantity(pytest.approx(1 / 3), "fraction", "约")
    assert parse_quantity("五分之二").value == pytest.approx(0.4)
    assert parse_quantity("超过1/3").qualifier == "超过"  # the corpus sentence: a bound word before it
    with pytest.raises(DataValidationError, match="0 < numerator ≤ denominator"):
        parse_quantity("4/3")


def test_an_inverted_ratio_reads_as_1_to_x():
    # corpus shandong_2021_plan14: "每5所幼儿园配备1名责任督学" — 1 责任督学 for 5 幼儿园, the ratio 1:5
    assert parse_quantity("每5所幼儿园配备1名") == Quantity(pytest.approx(0.2), "ratio", "")
    assert parse_ratio("每5所幼儿园配备1名") == Ratio(1.0, 5.0)
    with pytest.raises(DataValidationError, match="both sides must be greater than 0"):
        parse_quantity("每0所幼儿园配备1名")


def test_与去年一致_reads_as_a_zero_change_in_the_indicators_unit(tmp_path):
    assert parse_quantity("与去年一致") == Quantity(0.0, "", "与去年一致")
    assert parse_quantity("与上年持平").value == 0.0
    assert bound_of("与去年一致") == "exact"
    # in a figures file the zero takes the indicator's registry unit (here ㎡), no header unit needed
    table = load_figures("yining", _figures_file(tmp_path, "与去年一致"))
    assert table["value"].iloc[0] == 0.0
    assert table["qualifier"].iloc[0] == "与去年一致"


def test_a_range_in_a_figures_file_keeps_its_high_end_in_the_registry_unit(tmp_path):
    table = load_figures("yining", _figures_file(tmp_path, "1—1.2 万平方米"))
    assert (table["value"].iloc[0], table["high"].iloc[0]) == (10000.0, 12000.0)
    assert table["qualifier"].iloc[0] == RANGE_QUALIFIER
    exact = load_figures("yining", _figures_file(tmp_path, "9301 平方米"))
    assert exact["high"].isna().all()
