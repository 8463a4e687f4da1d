"""Reported figures: parsing every unit and ratio form; prepare is deterministic and safe."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import tree_digest

from eduanalysis import DataValidationError, load_figures, load_regions, parse_quantity, paths
from eduanalysis.data.figures import FIGURE_COLUMNS, Quantity, convert_unit, figures_path
from eduanalysis.data.prepare import prepare
from eduanalysis.data.registry import indicator_registry


@pytest.mark.parametrize(
    "text, expected",
    [
        ("15.44 亿元", Quantity(15.44, "亿元")),
        ("122064 万元", Quantity(122064.0, "万元")),
        ("95927 元", Quantity(95927.0, "元")),
        ("47.19%", Quantity(47.19, "%")),
        ("４７.１９％", Quantity(47.19, "%")),  # full-width digits and percent sign
        ("3.2 万人", Quantity(3.2, "万人")),
        ("1,234 人", Quantity(1234.0, "人")),
        ("56 所", Quantity(56.0, "所")),
        ("106508 平方米", Quantity(106508.0, "平方米")),
        ("4.5 ㎡", Quantity(4.5, "㎡")),
        ("0.3636", Quantity(0.3636, "")),
        ("360 学时", Quantity(360.0, "学时")),
        ("5万余名", Quantity(5.0, "万名", "余")),  # 乌海 000 第6条
        ("超过7%", Quantity(7.0, "%", "超过")),  # 牡丹江 一（三）3
        ("95%以上", Quantity(95.0, "%", "以上")),
        ("近 3000 万元", Quantity(3000.0, "万元", "近")),
        ("12 年左右", Quantity(12.0, "年", "左右")),
        ("8000 多人次", Quantity(8000.0, "人次", "多")),
        ("0.8 个百分点", Quantity(0.8, "个百分点")),
    ],
)
def test_parse_units(text, expected):
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    "text, quotient",
    [("1:211", 1 / 211), ("2.9:7.1", 2.9 / 7.1), ("16.0:1", 16.0), ("4∶6", 4 / 6), ("1：5.6", 1 / 5.6)],
)
def test_parse_ratio_forms(text, quotient):
    q = parse_quantity(text)
    assert q.unit == "ratio" and q.value == pytest.approx(quotient)


@pytest.mark.parametrize(
    "text, message",
    [
        ("很多", "cannot parse"),
        ("12 公顷", "unknown unit '公顷'"),
        ("", "expected a number"),
        ("1:0", "greater than 0"),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(DataValidationError, match=message):
        parse_quantity(text)


def test_negating_words_give_a_negative_change():
    # 乌海 000 第11条: 教育经费总支出 "比上年减少 2.4%"
    assert parse_quantity("减少 2.4%") == Quantity(-2.4, "%", "减少")


def test_table_cells_take_the_unit_of_their_header():
    # 乌海 001 表1 prints 幼儿在园人数（万人） 1.24 → 12,400 人
    figures = load_figures("wuhai")
    row = figures[(figures.indicator == "preschool_enrolment") & (figures.year == "2015")].iloc[0]
    assert row["value_as_written"] == "1.24" and row["value"] == 12400.0 and row["unit"] == "人"
    target = figures[(figures.indicator == "avg_schooling_years_labour") & (figures.year == "2025")]
    assert target["value"].item() == 12.0 and target["qualifier"].item() == "左右"
    assert target["attribute"].item() == "预期性" and target["value_type"].item() == "目标"


def test_unitless_number_without_header_unit_is_an_error(tmp_path):
    header = ",".join(FIGURE_COLUMNS) + "\n"
    path = tmp_path / "f.csv"
    path.write_text(
        header + "yining,,2017,,,edu_budget_expenditure,投入,122064,实际,,yining_2021_balance_review,三,\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DataValidationError,
        match=r"row 2, column `value_as_written`: the number has no unit, and `name_in_source` does not end with a "
        r"table header unit such as （万元）",
    ):
        load_figures("yining", path)


@pytest.mark.parametrize("header", ["（㎡）", "(㎡)", "（平方米）", "（m2）"])
def test_area_units_in_a_table_header(tmp_path, header):
    # a table printing its unit once in the header, e.g. 生均教学及辅助用房面积（㎡）; NFKC turns ㎡ into "m2"
    path = tmp_path / "f.csv"
    name = f"生均教学及辅助用房面积{header}"
    row = f"yining,,2020,小学,,teaching_aux_area_per_student,{name},6.2,实际,,yining_2021_balance_review,六,\n"
    path.write_text(",".join(FIGURE_COLUMNS) + "\n" + row, encoding="utf-8")
    figures = load_figures("yining", path)
    assert figures.loc[0, "value"] == 6.2 and figures.loc[0, "unit"] == "㎡"


def test_unit_conversion():
    assert convert_unit(15.44, "亿元", "万元") == 154400.0
    assert convert_unit(5, "万名", "人") == 50000.0
    assert convert_unit(257, "所", "所") == 257 and convert_unit(276, "家", "所") == 276
    assert convert_unit(3.2, "万人", "人") == 32000.0
    assert convert_unit(106508, "平方米", "万平方米") == pytest.approx(10.6508)
    with pytest.raises(DataValidationError, match="cannot convert '万元' \\(money\\) to '人'"):
        convert_unit(1, "万元", "人")


def test_every_raw_figure_parses_and_is_in_the_registry():
    registry = indicator_registry()
    total = 0
    for slug in load_regions().index:
        figures = load_figures(slug)
        total += len(figures)
        assert figures["indicator"].isin(registry.index).all()
        assert figures["value"].notna().all()
        assert (figures["source"].str.len() > 0).all() and (figures["locator"].str.len() > 0).all()
    # the four cities' transcriptions: several hundred figures (issue 4)
    assert total >= 500


def test_figures_file_errors_name_file_row_column(tmp_path):
    header = ",".join(FIGURE_COLUMNS) + "\n"
    good = "yining,,2017,,,edu_budget_expenditure,投入,122064 万元,实际,,yining_2021_balance_review,三、（一）,\n"
    cases = [
        (good.replace("122064 万元", "很多万元"), r"row 2, column `value_as_written`: cannot parse"),
        (good.replace("2017", "17年"), r"row 2, column `year`: expected a year"),
        (good.replace("edu_budget_expenditure", "edu_magic"), r"row 2, column `indicator`: 'edu_magic'"),
        (good.replace("yining,", "wuhai,", 1), r"row 2, column `region`: expected 'yining'"),
        (good.replace("122064 万元", "3 人"), r"row 2, column `value_as_written`: cannot convert '人'"),
        (good.replace("三、（一）", ""), r"row 2, column `locator`: columns `source` and `locator` must not be empty"),
        (good.replace("实际", "猜测"), r"row 2, column `value_type`: expected one of 实际/目标"),
        (
            good.replace("实际,,", "实际,大约,"),
            r"row 2, column `attribute`: expected one of 预期性, 约束性 or empty, found .大约.",
        ),
        (
            good.replace("yining,,", "yining,haibowan,"),
            r"row 2, column `district`: 'haibowan' is not a district of",
        ),
    ]
    for i, (row, pattern) in enumerate(cases):
        path = tmp_path / f"case{i}.csv"
        path.write_text(header + good + row.replace(",\n", ",\n"), encoding="utf-8")
        pattern = pattern.replace("row 2", "row 3")
        with pytest.raises(DataValidationError, match=rf"case{i}\.csv, {pattern}"):
            load_figures("yining", path)


def test_malformed_csv_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.csv"
    good = "yining,,2017,,,edu_budget_expenditure,投入,122064 万元,实际,,yining_2021_balance_review,三,\n"
    path.write_text(",".join(FIGURE_COLUMNS) + "\n" + good + ",".join(["x"] * 14) + "\n" + good, encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"broken\.csv, row 3: expected 13 fields like the header, found 14"):
        load_figures("yining", path)
    path.write_text(",".join(FIGURE_COLUMNS) + "\n" + good + good[:40] + "\n", encoding="utf-8")
    with pytest.raises(
        DataValidationError,
        match=r"broken\.csv, row 3: expected 13 fields like the header, found 7 \(the file may have been cut off",
    ):
        load_figures("yining", path)



def test_prepare_is_deterministic_and_leaves_raw_untouched(tmp_path):
    before = tree_digest(paths.DATA_RAW)
    first = prepare(processed=tmp_path / "a")
    second = prepare(processed=tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()
    assert tree_digest(paths.DATA_RAW) == before
    names = {p.relative_to(tmp_path / "a").as_posix() for p in first}
    assert {"figures.csv", "schools/worked_example_books.csv", "schools/synthetic_demo_county.csv"} <= names


def test_prepare_writes_nothing_on_bad_input(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    out = tmp_path / "processed"
    prepare(raw, out)
    good = tree_digest(out)
    bad = raw / "schools" / "broken.csv"
    bad.write_text("学校名称,学段,在校生数\n一小,小学,零\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"broken\.csv, row 2, column '在校生数'"):
        prepare(raw, out)
    assert tree_digest(out) == good


def test_prepare_cli_exit_code_on_bad_input(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    with open(raw / "figures" / "yining.csv", "a", encoding="utf-8") as fh:
        fh.write("yining,,2021,,,edu_budget_expenditure,投入,很多,实际,,yining_2021_balance_review,三,\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "eduanalysis",
            "prepare",
            "--raw",
            str(raw),
            "--processed",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "yining.csv, row" in result.stderr and "column `value_as_written`" in result.stderr
    assert not (tmp_path / "out").exists()


def test_figures_path_is_under_data_raw():
    assert figures_path("yining") == paths.FIGURES_DIR / "yining.csv"


@pytest.mark.parametrize(
    ("level", "hint"),
    [
        ("小學", r"did you mean 小学\?"),  # Traditional spelling
        ("中学", r"did you mean 初中（初级中学）或 普通高中"),  # ambiguous: the document must say which
        ("小学校", r"did you mean 小学"),
    ],
)
def test_unknown_level_names_row_and_suggests(tmp_path, level, hint):
    path = tmp_path / "figures.csv"
    row = f"yining,,2020,{level},,retention_rate,巩固率,95%,实际,,yining_2021_balance_review,四,\n"
    path.write_text(",".join(FIGURE_COLUMNS) + "\n" + row, encoding="utf-8")
    with pytest.raises(
        DataValidationError, match=rf"figures\.csv, row 2, column `level`: expected one of .*found '{level}'.*{hint}"
    ):
        load_figures("yining", path)


def test_unknown_indicator_points_at_the_registry_and_suggests(tmp_path):
    path = tmp_path / "figures.csv"
    row = "yining,,2020,初中,,retention_rat,巩固率,95%,实际,,yining_2021_balance_review,四,\n"
    path.write_text(",".join(FIGURE_COLUMNS) + "\n" + row, encoding="utf-8")
    with pytest.raises(
        DataValidationError,
        match=r"row 2, column `indicator`: 'retention_rat' .*indicators\.csv.*did you mean retention_rate",
    ):
        load_figures("yining", path)
