"""School-table intake: encodings, headers, and an error per rule naming file/row/column."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalysis import DataValidationError, paths, weighted_cv
from eduanalysis.data.problems import problems_frame
from eduanalysis.data.readers import IncompleteFileWarning
from eduanalysis.data.school_rules import PlausibilityWarning, load_rules
from eduanalysis.data.schools import COLUMNS, check_school_table, read_school_table, school_table_problems
from eduanalysis.data.synthetic import DEMO_FILE, SYNTHETIC_LABEL, make_demo_county
from eduanalysis.measures.indicators import school_indicators

HEADER = "学校名称,学段,在校生数,图书册数\n"


def _write(tmp_path, text, name="t.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_worked_example_file_gives_the_published_coefficient():
    # the file transcribes shared/reference/standards.md §1 exactly; published CV 0.52
    table = school_indicators(read_school_table(paths.SCHOOLS_DIR / "worked_example_books.csv"))
    assert table["enrolment"].sum() == 302 and table["books"].sum() == 1913
    assert round(weighted_cv(table["books_per_student"], table["enrolment"]), 2) == 0.52


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_encodings(tmp_path, encoding):
    path = _write(tmp_path, HEADER + "第一小学,小学,100,2500\n", encoding=encoding)
    table = read_school_table(path)
    assert table.loc[0, "school"] == "第一小学" and table.loc[0, "books"] == 2500


def test_english_headers_and_xlsx(tmp_path):
    frame = pd.DataFrame({"school": ["A小学"], "level": ["小学"], "enrolment": [120], "key_teachers": [2]})
    path = tmp_path / "schools.xlsx"
    frame.to_excel(path, index=False)
    table = read_school_table(path)
    assert table.loc[0, "enrolment"] == 120 and table["enrolment"].dtype == "int64"
    assert school_indicators(table).loc[0, "key_teachers_per_100"] == pytest.approx(2 / 120 * 100)


def test_thousands_separators(tmp_path):
    path = _write(tmp_path, HEADER + '第一小学,小学,"1,200","30,000"\n')
    assert read_school_table(path).loc[0, "books"] == 30000


@pytest.mark.parametrize(
    "text, pattern",
    [
        ("学校名称,学段,在校生数,桌椅数\n一小,小学,10,5\n", r"t\.csv, row 1: unknown column '桌椅数'"),
        ("学校名称,学段,图书册数\n一小,小学,5\n", r"row 1: required column\(s\) missing: 在校生数"),
        (
            "学校名称,学段,在校生数,students\n一小,小学,10,10\n",
            r"row 1: columns '在校生数' and 'students' both mean 在校生数",
        ),
        (HEADER + "一小,小学,10,很多\n", r"row 2, column '图书册数': expected a number, found '很多'"),
        (HEADER + "一小,小学,10,5\n二小,小学,12,-3\n", r"row 3, column '图书册数': must be >= 0, found '-3'"),
        (
            HEADER + "一小,小学,0,5\n",
            r"row 2, column '在校生数': must be a positive integer, but row 2 "
            r"\(学校名称: 一小\) has 0",
        ),
        (HEADER + "一小,小学,10.5,5\n", r"row 2, column '在校生数': expected a whole number"),
        (
            HEADER + "一小,小学,10,5\n一小,小学,12,6\n",
            r"row 3, column '学校名称': school '一小' \(小学\) "
            r"already appears in row 2",
        ),
        (HEADER + "一小,高中,10,5\n", r"row 2, column '学段': expected 小学 or 初中, found '高中'"),
        (HEADER + ",小学,10,5\n", r"row 2, column '学校名称': must not be empty"),
    ],
)
def test_bad_input_names_file_row_column(tmp_path, text, pattern):
    with pytest.raises(DataValidationError, match=pattern):
        read_school_table(_write(tmp_path, text))


def test_same_name_in_two_levels_is_a_nine_year_school(tmp_path):
    path = _write(tmp_path, HEADER + "实验学校,小学,500,10000\n实验学校,初中,300,9000\n")
    assert read_school_table(path)["level"].tolist() == ["小学", "初中"]


def test_not_csv_or_xlsx(tmp_path):
    with pytest.raises(DataValidationError, match=r"expected a \.csv or \.xlsx"):
        read_school_table(_write(tmp_path, "x", name="t.txt"))


def test_synthetic_file_is_reproducible_and_labelled():
    committed = DEMO_FILE.read_text(encoding="utf-8")
    regenerated = make_demo_county().to_csv(index=False, lineterminator="\n")
    assert committed == regenerated
    assert "synthetic" in DEMO_FILE.name
    table = read_school_table(DEMO_FILE)
    assert (table["note"] == SYNTHETIC_LABEL).all()
    assert set(table["level"]) == {"小学", "初中"}
    derived = school_indicators(table)
    for column in [
        "qualified_teachers_per_100",
        "multimedia_rooms_per_100",
        "computers_per_100",
        "senior_title_teachers_per_student",
        "teachers_per_student",
    ]:
        assert derived[column].gt(0).all()


# --- plausibility: totals rows, parts larger than their whole, units (eduanalysis/data/school_rules.csv)

PARTS = ["高于规定学历教师数", "中级及以上专业技术职务教师数", "县级以上骨干教师数", "体育艺术专任教师数"]
TEACHERS = ",".join(["学校名称", "学段", "在校生数", "专任教师数", *PARTS]) + "\n"


@pytest.mark.parametrize(
    "row, column",
    [
        ("小学合计,小学,1000,60,50,30,10,8", "学校名称"),
        ("合计,,1000,60,50,30,10,8", "学校名称"),
        ("全县,小学,1000,60,50,30,10,8", "学校名称"),
        ("初中小计,初中,1000,60,50,30,10,8", "学校名称"),
        ("总计,小学,1000,60,50,30,10,8", "学校名称"),
        ("一小,合计,1000,60,50,30,10,8", "学段"),
    ],
)
def test_a_totals_row_is_not_a_school(tmp_path, row, column):
    text = TEACHERS + "一小,小学,400,24,20,12,4,3\n二小,小学,600,36,30,18,6,5\n" + row + "\n"
    name = row.split(",")[0] if column == "学校名称" else "合计"
    with pytest.raises(
        DataValidationError, match=rf"t\.csv, row 4, column '{column}': '{name}' is a totals row, not a school"
    ):
        read_school_table(_write(tmp_path, text))


def test_a_totals_row_in_the_region_column(tmp_path):
    text = "县区,学校名称,学段,在校生数\n甲县,一小,小学,400\n合计,全部学校,小学,400\n"
    with pytest.raises(DataValidationError, match=r"row 3, column '县区': '合计' is a totals row"):
        read_school_table(_write(tmp_path, text))


def test_school_names_that_only_look_like_totals_are_schools(tmp_path):
    # 全县 alone is a totals label; a school whose name starts with it is not
    text = HEADER + "全县第一小学,小学,100,2500\n县中心小学,小学,120,3000\n"
    assert read_school_table(_write(tmp_path, text))["school"].tolist() == ["全县第一小学", "县中心小学"]


@pytest.mark.parametrize(
    "column, rule",
    [
        ("高于规定学历教师数", "高于规定学历"),
        ("中级及以上专业技术职务教师数", "中级"),
        ("县级以上骨干教师数", "骨干"),
        ("体育艺术专任教师数", "PE and art"),
    ],
)
def test_a_part_larger_than_its_whole_is_refused(tmp_path, column, rule):
    values = {
        "高于规定学历教师数": 20,
        "中级及以上专业技术职务教师数": 12,
        "县级以上骨干教师数": 4,
        "体育艺术专任教师数": 3,
    }
    values[column] = 220  # the case: 220 in a school of 22 full-time teachers
    cells = ",".join(str(values[c]) for c in PARTS)
    text = TEACHERS + f"一小,小学,400,22,{cells}\n"
    with pytest.raises(
        DataValidationError,
        match=rf"t\.csv, row 2, column '{column}': 220 is more than 专任教师数 \(22\) in the same row: .*{rule}",
    ):
        read_school_table(_write(tmp_path, text))


def test_a_part_equal_to_its_whole_is_fine(tmp_path):
    table = read_school_table(_write(tmp_path, TEACHERS + "一小,小学,400,22,22,22,22,22\n"))
    assert table.loc[0, "qualified_teachers"] == 22


def test_implausible_but_possible_values_are_flagged_and_kept(tmp_path):
    text = "学校名称,学段,在校生数,专任教师数,教学仪器设备值\n教学点,小学,3,4,30000\n一小,小学,400,24,36.5\n"
    with pytest.warns(PlausibilityWarning) as flags:
        table = read_school_table(_write(tmp_path, text))
    messages = [str(f.message) for f in flags]
    assert len(messages) == 2
    assert "row 2, column '专任教师数': 4 is more than 在校生数 (3)" in messages[0]
    assert "row 3, column '教学仪器设备值': 36.5 for 400 pupils is 0.09125 per pupil, below 10" in messages[1]
    assert "万元" in messages[1]
    assert table["teachers"].tolist() == [4, 24] and table["equipment_value"].tolist() == [30000.0, 36.5]


def test_the_project_tables_break_no_rule(recwarn):
    for path in sorted(paths.SCHOOLS_DIR.glob("*.csv")):
        _, problems = check_school_table(path)
        assert problems == []
    read_school_table(DEMO_FILE)
    assert not [w for w in recwarn if issubclass(w.category, PlausibilityWarning)]


def test_every_problem_is_listed_and_the_first_is_raised(tmp_path):
    text = TEACHERS + "一小,小学,400,22,220,12,4,3\n二小,小学,很多,22,20,12,4,3\n小学合计,小学,400,22,20,12,4,99\n"
    path = _write(tmp_path, text)
    _, problems = check_school_table(path)
    found = problems_frame(problems)
    assert found[["row", "column", "rule"]].values.tolist() == [
        [4, "学校名称", "total_row_school"],
        [3, "在校生数", "number"],
        [2, "高于规定学历教师数", "qualified_within_teachers"],
        [4, "体育艺术专任教师数", "pe_art_within_teachers"],
    ]
    assert found.loc[1, "value"] == "很多" and (found["severity"] == "error").all()
    with pytest.raises(DataValidationError, match=r"row 2, column '高于规定学历教师数': 220 .*\(and 3 more errors"):
        read_school_table(path)


def test_rules_file_is_validated(tmp_path):
    header = "rule_id,kind,column,reference,parameter,severity,explanation\n"
    bad = [
        ("r,between,teachers,,,error,x\n", r"row 2 \(r\), column `kind`: expected one of not_total, at_most"),
        ("r,at_most,teachers,pupils,,error,x\n", r"row 2 \(r\): 'pupils' is not a school-table column"),
        ("r,at_most,teachers,enrolment,,fatal,x\n", r"column `severity`: expected error or warning"),
        ("r,per_student_at_least,books,,many,warning,x\n", r"column `parameter`: expected a number"),
        ("r,not_total,school,,合计(,error,x\n", r"column `parameter`: not a regular expression"),
    ]
    for i, (row, pattern) in enumerate(bad):
        path = _write(tmp_path, header + row, name=f"rules{i}.csv")
        with pytest.raises(DataValidationError, match=pattern):
            load_rules(path, known_columns=tuple(COLUMNS))


# --- numbers in school cells (the rules of eduanalysis.data.numbers)


@pytest.mark.parametrize(
    "cell, pattern",
    [
        ('"930,1"', r"'930,1': the comma is not a thousands separator"),
        ("99999999999999999999", r"'99999999999999999999': 20 digits before the decimal point"),
        ("inf", r"'inf': not a finite number"),
        ("Infinity", r"'Infinity': not a finite number"),
        ("nan", r"'nan': not a finite number"),
        ("1.2E+05", r"'1\.2E\+05': scientific notation"),
        ("1、2", r"'1、2': 、 separates items of a list"),
        ("", r"expected a number, found an empty cell"),
    ],
)
def test_number_cells_are_read_strictly(tmp_path, cell, pattern):
    with pytest.raises(DataValidationError, match=rf"t\.csv, row 2, column '图书册数': {pattern}"):
        read_school_table(_write(tmp_path, HEADER + f"一小,小学,100,{cell}\n"))


def test_overflowing_enrolment_is_not_a_negative_number(tmp_path):
    with pytest.raises(DataValidationError, match=r"row 2, column '在校生数': '99999999999999999999': 20 digits"):
        read_school_table(_write(tmp_path, HEADER + "一小,小学,99999999999999999999,10\n"))
    largest = "9" * 15  # the most digits a count may have: held exactly, positive
    assert read_school_table(_write(tmp_path, HEADER + f"一小,小学,{largest},10\n")).loc[0, "enrolment"] == int(largest)


def test_full_width_numbers_and_headers(tmp_path):
    text = "学校名称,学段,在校生数,体育、艺术专任教师数\n一小,小学,１，２００,１２\n"
    table = read_school_table(_write(tmp_path, text))
    assert table.loc[0, "enrolment"] == 1200 and table.loc[0, "pe_art_teachers"] == 12


# --- files: header only, encodings, spreadsheets that are not read, broken workbooks


def test_header_only_table_is_refused(tmp_path):
    with pytest.raises(DataValidationError, match=r"t\.csv: the file has a header but no data rows"):
        read_school_table(_write(tmp_path, HEADER))
    path = tmp_path / "t.xlsx"
    pd.DataFrame(columns=["学校名称", "学段", "在校生数"]).to_excel(path, index=False)
    with pytest.raises(DataValidationError, match=r"t\.xlsx: the file has a header but no data rows"):
        read_school_table(path)


@pytest.mark.parametrize("encoding", ["utf-16", "gbk", "utf-8-sig"])
def test_encodings_are_those_of_every_raw_csv(tmp_path, encoding):
    text = paths.SCHOOLS_DIR.joinpath("worked_example_books.csv").read_text(encoding="utf-8")
    table = read_school_table(_write(tmp_path, text, encoding=encoding))
    pd.testing.assert_frame_equal(table, read_school_table(paths.SCHOOLS_DIR / "worked_example_books.csv"))


@pytest.mark.parametrize("suffix", [".xls", ".XLS", ".ods", ".et", ".xlsb"])
def test_other_spreadsheet_formats_get_advice(tmp_path, suffix):
    path = _write(tmp_path, "x", name=f"schools{suffix}")
    with pytest.raises(
        DataValidationError, match=rf"schools\{suffix}: .* is not read; .*save it as \.xlsx .*CSV UTF-8"
    ):
        read_school_table(path)


def _workbook_bytes(tmp_path):
    path = tmp_path / "good.xlsx"
    pd.DataFrame({"学校名称": ["一小"], "学段": ["小学"], "在校生数": [100]}).to_excel(path, index=False)
    return path.read_bytes()


@pytest.mark.parametrize(
    "make, pattern",
    [
        (lambda good: b"PK\x03\x04 not really a zip", r"the workbook cannot be read \(BadZipFile"),
        (lambda good: good[: len(good) // 2], r"the workbook cannot be read .*damaged or cut off"),
        (lambda good: HEADER.encode(), r"is not an Excel workbook .*a CSV text file renamed \.xlsx\?"),
        (
            lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
            r"old Excel workbook \(\.xls\) under an \.xlsx",
        ),
        (lambda good: b"", r"t\.xlsx: the file is empty"),
    ],
)
def test_broken_or_misnamed_workbooks_are_refused(tmp_path, make, pattern):
    path = _write(tmp_path, "", name="t.xlsx")
    path.write_bytes(make(_workbook_bytes(tmp_path)))
    with pytest.raises(DataValidationError, match=rf"t\.xlsx: .*{pattern}|{pattern}"):
        read_school_table(path)


def test_a_workbook_under_a_csv_name_is_refused(tmp_path):
    path = _write(tmp_path, "", name="t.csv")
    path.write_bytes(_workbook_bytes(tmp_path))
    with pytest.raises(DataValidationError, match=r"t\.csv: this is an Excel workbook \(\.xlsx\), not a CSV"):
        read_school_table(path)


def test_workbook_with_two_filled_sheets_is_refused(tmp_path):
    path = tmp_path / "t.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"学校名称": ["一小"], "学段": ["小学"], "在校生数": [100]}).to_excel(
            writer, sheet_name="小学", index=False
        )
        pd.DataFrame({"学校名称": ["一中"], "学段": ["初中"], "在校生数": [90]}).to_excel(
            writer, sheet_name="初中", index=False
        )
        pd.DataFrame({"说明": ["合成示例"]}).iloc[:0].to_excel(writer, sheet_name="说明", index=False)
    with pytest.raises(DataValidationError, match=r"data on 2 sheets \(小学、初中\); put one school table per file"):
        read_school_table(path)


def test_workbook_rows_are_spreadsheet_rows(tmp_path):
    path = tmp_path / "t.xlsx"
    frame = pd.DataFrame({"学校名称": ["一小", "二小"], "学段": ["小学", "小学"], "在校生数": [100, 90]})
    frame["专任教师数"] = [6, 5]
    frame["县级以上骨干教师数"] = [2, 50]
    frame.to_excel(path, index=False)
    with pytest.raises(DataValidationError, match=r"t\.xlsx, row 3, column '县级以上骨干教师数': 50 is more than"):
        read_school_table(path)


def test_a_workbook_header_must_be_in_the_first_row(tmp_path):
    # rows are named as the spreadsheet numbers them, so nothing above the header is skipped
    path = tmp_path / "t.xlsx"
    pd.DataFrame({"学校名称": ["一小"], "学段": ["小学"], "在校生数": [100]}).to_excel(path, index=False, startrow=2)
    with pytest.raises(DataValidationError, match=r"t\.xlsx, row 1: the row is empty; the header"):
        read_school_table(path)


def test_a_table_cut_inside_its_last_number_is_flagged(tmp_path):
    # 图书册数 41656 cut to 416: the row still has every field; only the missing line break shows
    path = _write(tmp_path, HEADER + "一小,小学,1844,41656\n二小,小学,145,416")
    table, problems = check_school_table(path)
    assert [(p.row, p.rule, p.severity) for p in problems] == [(3, "final_line_break", "warning")]
    with pytest.warns(IncompleteFileWarning, match=r"t\.csv, row 3: the file does not end with a line break"):
        assert read_school_table(path)["books"].tolist() == [41656, 416]


def test_school_table_problems_lists_file_level_problems_too(tmp_path):
    broken = _write(tmp_path, "", name="t.xlsx")
    broken.write_bytes(b"PK\x03\x04 cut")
    [problem] = school_table_problems(broken)
    assert (problem.row, problem.rule, problem.severity) == (0, "file", "error")
    assert "the workbook cannot be read" in problem.message
    bad = _write(tmp_path, HEADER + "一小,小学,100,inf\n合计,小学,100,5\n")
    assert [(p.row, p.rule) for p in school_table_problems(bad)] == [(3, "total_row_school"), (2, "number")]
