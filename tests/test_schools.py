"""School-table intake: encodings, headers, and an error per rule naming file/row/column."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalysis import DataValidationError, paths, weighted_cv
from eduanalysis.data.schools import read_school_table
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
