"""The one CSV reader of raw inputs: encodings, cut-off files, non-text files, malformed rows.

Each refusal names the file (and row or line) and says what to do; regions.csv and the
check files go through the same reader as figures and sources.
"""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

from eduanalysis import DataValidationError, paths
from eduanalysis.data.readers import IncompleteFileWarning, decode_text, read_csv_table
from eduanalysis.data.regions import load_regions
from eduanalysis.judgement.audit import CHECK_COLUMNS, checks_path, load_checks

TEXT = "slug,name_zh\nyining,伊宁市\nwuhai,乌海市\n"


def _write(tmp_path, data: bytes, name="t.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_encodings_read_the_same_table(tmp_path, encoding):
    table = read_csv_table(_write(tmp_path, TEXT.encode(encoding)))
    assert table.to_dict("list") == {"slug": ["yining", "wuhai"], "name_zh": ["伊宁市", "乌海市"]}


@pytest.mark.parametrize(
    "data, pattern",
    [
        (b"", r"t\.csv: the file is empty; expected a header row and data rows"),
        (b"\n\n  \n", r"t\.csv: the file is empty"),
        # cut off in the middle of a UTF-8 character (伊 is 3 bytes)
        (TEXT.encode()[:-9], r"t\.csv, line 3: the file ends in the middle of a character: it was cut off"),
        (TEXT.encode("gbk")[:-2], r"t\.csv, line 3: the file \(GBK text\) ends in the middle of a character"),
        ("\ufeff".encode("utf-16")[:2] + TEXT.encode("utf-16-le")[:-1], r"UTF-16 file must have an even number"),
        # cut inside a quoted value: the rest of the file would silently become one field
        (b'slug,note\nyining,"abc\nwuhai,x\n', r"t\.csv: the file ends inside a quoted value"),
        (b'slug,note\nyining,"ab"c\n', r"t\.csv, line 2: not a valid CSV row"),
        # not text at all
        (b"PK\x03\x04" + b"\x00" * 40, r"t\.csv: this is an Excel workbook \(\.xlsx\), not a CSV text file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, r"this is an old Excel workbook \(\.xls\)"),
        (TEXT.encode("utf-16-le"), r"t\.csv, line 1: the file contains NUL bytes.*UTF-16 without its byte-order mark"),
        # a UTF-8 file with one damaged byte is not silently read as GBK mojibake
        (
            ("slug,name_zh\n" + "伊宁市乌海市," * 3 + "\n").encode()[:-20] + b"\xff" + b"x\n",
            r"UTF-8 text with a damaged",
        ),
        (b"slug\n\x80abc\n", r"neither UTF-8, UTF-16 nor GBK text; .*CSV UTF-8"),
        # wrong separators
        ("slug\tname_zh\nyining\t伊宁市\n".encode(), r"row 1: the columns are separated by tabs, not commas"),
        ("slug;name_zh\nyining;伊宁市\n".encode(), r"row 1: the columns are separated by semicolons"),
        # header problems
        (b"slug,,kind\nyining,x,y\n", r"row 1, column 2: the column has no name"),
        (b"slug,name_zh,slug\na,b,c\n", r"row 1, column 3: the column name 'slug' appears twice"),
        # rows
        (TEXT.replace("yining,伊宁市\n", "yining,伊宁市\n\n").encode(), r"row 3: the row is empty; remove blank rows"),
        (TEXT.replace("wuhai,乌海市", "wuhai,乌海市,x").encode(), r"row 3: expected 2 fields .*double quotes"),
        ((TEXT + "mianyang\n").encode(), r"row 4: expected 2 fields .*found 1 \(the file may have been cut off"),
    ],
)
def test_refusals_name_the_file_and_place(tmp_path, data, pattern):
    with pytest.raises(DataValidationError, match=pattern):
        read_csv_table(_write(tmp_path, data))


def test_trailing_blank_lines_are_not_rows(tmp_path):
    assert len(read_csv_table(_write(tmp_path, (TEXT + "\n\n").encode()))) == 2


def test_header_only(tmp_path):
    path = _write(tmp_path, b"slug,name_zh\n")
    assert read_csv_table(path).empty
    with pytest.raises(DataValidationError, match=r"t\.csv: the file has a header but no data rows"):
        read_csv_table(path, require_rows=True)


def test_header_must_match_when_given(tmp_path):
    path = _write(tmp_path, TEXT.encode())
    with pytest.raises(DataValidationError, match=r"row 1: the header must be slug,name_zh,kind; .*missing kind"):
        read_csv_table(path, columns=["slug", "name_zh", "kind"])


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataValidationError, match=r"nope\.csv: file not found"):
        read_csv_table(tmp_path / "nope.csv")
    with pytest.raises(DataValidationError, match=r"is a folder, expected a file"):
        read_csv_table(tmp_path)


def test_short_gbk_text_that_is_valid_utf8_is_read_as_utf8():
    # a known limit of guessing: two GBK characters can form valid UTF-8; any real table
    # (a header of Chinese names) has far more and is read as GBK, as the next line shows
    assert decode_text(paths.REGIONS_CSV, "学校".encode("gbk"))[1] == "utf-8"
    assert decode_text(paths.REGIONS_CSV, paths.REGIONS_CSV.read_text("utf-8").encode("gbk"))[1] == "gbk"


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_regions_csv_in_another_encoding_is_read(tmp_path, encoding):
    path = tmp_path / "regions.csv"
    path.write_bytes(paths.REGIONS_CSV.read_text(encoding="utf-8").encode(encoding))
    pd.testing.assert_frame_equal(load_regions(path), load_regions(paths.REGIONS_CSV))


@pytest.mark.parametrize(
    "data, pattern",
    [
        (b"", r"regions\.csv: the file is empty"),
        (b"slug,name_zh,province,parent,kind\n", r"regions\.csv: the file has a header but no data rows"),
        (b"slug\n\x80abc\n", r"regions\.csv: the file is neither UTF-8, UTF-16 nor GBK"),
        (b"slug,name\nx,y\n", r"regions\.csv, row 1: the header must be slug,name_zh,province,parent,kind"),
    ],
)
def test_regions_csv_refusals(tmp_path, data, pattern):
    with pytest.raises(DataValidationError, match=pattern):
        load_regions(_write(tmp_path, data, "regions.csv"))


def test_checks_file_goes_through_the_same_reader(tmp_path):
    original = checks_path("yining")
    gbk = _write(tmp_path, original.read_text(encoding="utf-8").encode("gbk"), "yining.csv")
    pd.testing.assert_frame_equal(load_checks("yining", gbk), load_checks("yining", original))
    text = original.read_text(encoding="utf-8")
    cut = _write(tmp_path, text[: text.index("\n", len(text) // 2) + 12].encode(), "cut.csv")
    with pytest.raises(DataValidationError, match=r"cut\.csv, row \d+: expected 6 fields .*cut off"):
        load_checks("yining", cut)
    empty = _write(tmp_path, b"", "empty.csv")
    with pytest.raises(DataValidationError, match=r"empty\.csv: the file is empty"):
        load_checks("yining", empty)
    wrong = _write(tmp_path, b"check_id,kind\nY01,share\n", "wrong.csv")
    with pytest.raises(DataValidationError, match=rf"wrong\.csv, row 1: the header must be {','.join(CHECK_COLUMNS)}"):
        load_checks("yining", wrong)


def test_raw_inputs_are_all_read_by_the_reader(tmp_path):
    # every raw CSV of the project reads without a problem (and a copy in GBK the same)
    for path in sorted(paths.DATA_RAW.rglob("*.csv")):
        table = read_csv_table(path)
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        copy.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
        pd.testing.assert_frame_equal(read_csv_table(copy), table)


def test_checks_references_typed_full_width_read_like_ascii(tmp_path):
    original = checks_path("yining")
    text = original.read_text(encoding="utf-8")
    header, first, rest = text.split("\n", 2)
    full_width = first.replace(",r", ",ｒ", 1).replace(":", "：").replace(";", "；").replace("=", "＝")
    assert full_width != first
    path = _write(tmp_path, "\n".join([header, full_width, rest]).encode(), "yining.csv")
    pd.testing.assert_frame_equal(load_checks("yining", path), load_checks("yining", original))


def test_the_header_must_be_the_first_row(tmp_path):
    with pytest.raises(DataValidationError, match=r"t\.csv, row 1: the row is empty; the header .* must be the first"):
        read_csv_table(_write(tmp_path, b"\n" + TEXT.encode()))


def test_a_file_without_its_final_line_break_is_flagged(tmp_path):
    # a cut inside the last value ("乌海市" → "乌海") leaves the right number of fields
    path = _write(tmp_path, TEXT[:-2].encode())
    with pytest.warns(IncompleteFileWarning, match=r"t\.csv, row 3: the file does not end with a line break"):
        table = read_csv_table(path)
    assert table["name_zh"].tolist() == ["伊宁市", "乌海"]  # kept as written, never repaired
    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # given a list, the flag goes there and is not warned
        read_csv_table(path, problems=found)
    assert [(p.row, p.rule, p.severity) for p in found] == [(3, "final_line_break", "warning")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_csv_table(_write(tmp_path, TEXT.replace("\n", "\r\n").encode(), "crlf.csv"))
