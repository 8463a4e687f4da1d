"""Bad command-line values are refused before anything runs: exit 2, one line naming the
option and what it expects, no traceback, nothing written into the output folder."""

from __future__ import annotations

import pytest

from eduanalysis.cli import main


def _refused(capsys, argv: list[str], option: str, expected: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert option in err and expected in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_jobs_must_be_a_positive_whole_number(capsys, tmp_path, value):
    out = tmp_path / "out"
    _refused(
        capsys,
        ["batch", "--regions", "yining", "--jobs", value, "--output-dir", str(out)],
        "--jobs",
        f"expected a whole number of at least 1, got {value!r}",
    )
    assert not out.exists()


@pytest.mark.parametrize("command", [["batch", "--regions", "yining"], ["report", "yining"]])
@pytest.mark.parametrize("value", ["0", "-5"])
def test_timeout_must_be_a_positive_whole_number(capsys, tmp_path, command, value):
    out = tmp_path / "out"
    _refused(
        capsys,
        [*command, "--timeout", value, "--output-dir", str(out)],
        "--timeout",
        "expected a whole number of at least 1",
    )
    assert not out.exists()


@pytest.mark.parametrize("value", ["", ",,", " , "])
def test_an_empty_selection_is_not_read_as_every_report(capsys, tmp_path, value):
    out = tmp_path / "out"
    _refused(capsys, ["batch", "--regions", value, "--output-dir", str(out)], "--regions", "names no report")
    assert not out.exists()


def test_a_regions_file_without_names_is_refused(capsys, tmp_path):
    listing = tmp_path / "regions.txt"
    listing.write_text("# nothing selected yet\n\n", encoding="utf-8")
    _refused(
        capsys,
        ["batch", "--regions-file", str(listing), "--output-dir", str(tmp_path / "out")],
        "--regions-file",
        "names no report",
    )


@pytest.mark.parametrize("value", ["notanaddress", "tcp://host", "http://host:8786", "tcp://host:port"])
def test_scheduler_address_is_checked_before_connecting(capsys, tmp_path, value):
    _refused(
        capsys,
        ["batch", "--regions", "yining", "--scheduler", value, "--output-dir", str(tmp_path / "o")],
        "--scheduler",
        "expected a Dask scheduler address like tcp://HOST:8786",
    )
