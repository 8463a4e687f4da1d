"""``eduanalysis prepare`` on bad inputs: a message and exit 2, never a traceback, nothing written.

The four cases the issue names run the real command in a subprocess (what a user or cron
sees); the others call :func:`eduanalysis.cli.main` in-process, the same code path.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import tree_digest

from eduanalysis import cli, paths
from eduanalysis.data import prepare as prepare_module
from eduanalysis.data.prepare import prepare


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, folder)
    return folder


def _run(raw, processed):
    return subprocess.run(
        [sys.executable, "-m", "eduanalysis", "prepare", "--raw", str(raw), "--processed", str(processed)],
        capture_output=True,
        text=True,
    )


def _corrupt_xlsx(raw):
    (raw / "schools" / "county.xlsx").write_bytes(b"PK\x03\x04 a cut-off download")
    return r"county\.xlsx: the workbook cannot be read \(BadZipFile"


def _empty_figures(raw):
    (raw / "figures" / "yining.csv").write_bytes(b"")
    return r"figures/yining\.csv: the file is empty; expected a header row and data rows"


def _cut_figures(raw):
    path = raw / "figures" / "wuhai.csv"
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\n", len(data) // 2) + 30])  # a cut in the middle of a row
    return (
        r"figures/wuhai\.csv, row \d+: expected \d+ fields like the header, found \d+ \(the file may have been cut off"
    )


def _unwritable_processed(raw):
    (raw.parent / "a_file").write_text("not a folder", encoding="utf-8")
    return r"--processed .*a_file/processed: .*a_file is a file, not a folder"


@pytest.mark.parametrize("breaks", [_corrupt_xlsx, _empty_figures, _cut_figures, _unwritable_processed])
def test_prepare_command_refuses_with_a_message(raw, breaks):
    before = tree_digest(raw)
    pattern = breaks(raw)
    processed = raw.parent / ("a_file/processed" if breaks is _unwritable_processed else "processed")
    result = _run(raw, processed)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert pd.Series([result.stderr]).str.contains(rf"eduanalysis: error: .*{pattern}").item(), result.stderr
    assert not (raw.parent / "processed").exists()
    breaks_again = tree_digest(raw)
    assert breaks_again != before or breaks is _unwritable_processed  # the test did break something ...
    assert tree_digest(raw) == breaks_again  # ... and prepare changed nothing in raw


def test_gbk_regions_csv_is_read_like_utf8(raw, tmp_path):
    good = prepare(raw, tmp_path / "utf8")
    regions = raw / "regions.csv"
    regions.write_bytes(regions.read_text(encoding="utf-8").encode("gbk"))
    result = _run(raw, tmp_path / "gbk")
    assert result.returncode == 0, result.stderr
    for path in good:
        assert (tmp_path / "gbk" / path.relative_to(tmp_path / "utf8")).read_bytes() == path.read_bytes()


def _main(raw, processed, capsys):
    code = cli.main(["-q", "prepare", "--raw", str(raw), "--processed", str(processed)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "name, content, pattern",
    [
        (
            "old.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
            r"old\.xls: an old Excel workbook \(\.xls\) is not read",
        ),
        ("county.ods", b"PK\x03\x04", r"county\.ods: an OpenDocument spreadsheet \(\.ods\) is not read"),
        ("empty.csv", "学校名称,学段,在校生数\n".encode(), r"empty\.csv: the file has a header but no data rows"),
        (
            "totals.csv",
            "学校名称,学段,在校生数\n一小,小学,10\n小学合计,小学,10\n".encode(),
            r"row 3, .*'小学合计' is a totals",
        ),
        ("gbk.csv", "学校名称,学段,在校生数\n一小,小学,930,1\n".encode("gbk"), r"gbk\.csv, row 2: expected 3 fields"),
    ],
)
def test_prepare_refuses_school_tables(raw, tmp_path, capsys, name, content, pattern):
    (raw / "schools" / name).write_bytes(content)
    code, err = _main(raw, tmp_path / "out", capsys)
    assert code == 2 and pd.Series([err]).str.contains(pattern).item(), err
    assert not (tmp_path / "out").exists()


def test_prepare_ignores_lock_files_and_says_what_else_it_ignores(raw, tmp_path, caplog):
    (raw / "schools" / "~$county.xlsx").write_bytes(b"lock")
    (raw / "schools" / ".DS_Store").write_bytes(b"\0")
    (raw / "schools" / "说明.txt").write_text("notes", encoding="utf-8")
    with caplog.at_level("WARNING", logger="eduanalysis"):
        written = prepare(raw, tmp_path / "out")
    assert {p.name for p in written} >= {"figures.csv", "worked_example_books.csv"}
    assert [r.getMessage() for r in caplog.records] == [
        f"ignored {raw / 'schools' / '说明.txt'}: not a school table (.csv or .xlsx)"
    ]


def test_prepare_logs_plausibility_warnings_and_keeps_the_values(raw, tmp_path, caplog):
    table = "学校名称,学段,在校生数,专任教师数,教学仪器设备值\n一小,小学,400,24,36.5\n"
    (raw / "schools" / "wan.csv").write_text(table, encoding="utf-8")
    with caplog.at_level("WARNING", logger="eduanalysis"):
        prepare(raw, tmp_path / "out")
    assert any("wan.csv, row 2, column '教学仪器设备值'" in r.getMessage() for r in caplog.records)
    assert pd.read_csv(tmp_path / "out" / "schools" / "wan.csv")["equipment_value"].tolist() == [36.5]


def test_prepare_refuses_tables_that_would_overwrite_each_other(raw, tmp_path, capsys):
    shutil.copy(raw / "schools" / "worked_example_books.csv", raw / "schools" / "books.csv")
    frame = pd.read_csv(raw / "schools" / "books.csv")
    frame.to_excel(raw / "schools" / "books.xlsx", index=False)
    code, err = _main(raw, tmp_path / "out", capsys)
    assert code == 2 and "books.xlsx: books.csv has the same name before its suffix" in err, err


def test_prepare_refuses_a_figures_file_of_an_unknown_region(raw, tmp_path, capsys):
    shutil.copy(raw / "figures" / "yining.csv", raw / "figures" / "changchun.csv")
    code, err = _main(raw, tmp_path / "out", capsys)
    assert code == 2 and "changchun.csv: 'changchun' is not a region of" in err, err


def test_prepare_refuses_bad_folders(raw, tmp_path, capsys):
    code, err = _main(tmp_path / "nowhere", tmp_path / "out", capsys)
    assert code == 2 and "--raw" in err and "no such folder" in err
    code, err = _main(raw, raw / "processed", capsys)
    assert code == 2 and "refusing to write processed data inside the raw folder" in err


def test_an_unwritable_processed_folder_is_a_message(raw, tmp_path, capsys, monkeypatch):
    # the tests run as root, for whom chmod does not stop writes: fail the write itself
    def refuse(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(prepare_module, "atomic_write_bytes", refuse)
    code, err = _main(raw, tmp_path / "out", capsys)
    assert code == 2, err
    assert f"--processed {tmp_path / 'out'}: cannot write {tmp_path / 'out'}" in err and "Permission denied" in err


def test_prepare_logs_a_figures_file_that_may_be_cut_inside_its_last_value(raw, tmp_path, caplog):
    path = raw / "figures" / "yining.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\r\n"))
    rows = len(path.read_text(encoding="utf-8").splitlines())
    with caplog.at_level("WARNING", logger="eduanalysis"):
        prepare(raw, tmp_path / "out")
    assert [r.getMessage().split(": ", 1)[0] for r in caplog.records] == [f"{path}, row {rows}"]
    assert "the file does not end with a line break" in caplog.records[0].getMessage()
