"""``eduanalysis findings --csv``: a path it cannot write is a one-line error, never a traceback."""

from __future__ import annotations

import pandas as pd
from conftest import run_cli


def test_findings_csv_to_a_path_it_cannot_write(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    for target in (blocker / "findings.csv", tmp_path):  # a file where a folder should be; a folder itself
        result = run_cli("findings", "yining", "--csv", str(target), cwd=tmp_path)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("eduanalysis: error:")]
        assert len(errors) == 1 and f"--csv {target}" in errors[0] and "cannot write" in errors[0]


def test_findings_csv_writes_the_table(tmp_path):
    out = tmp_path / "new" / "yining.csv"
    result = run_cli("findings", "yining", "--csv", str(out), cwd=tmp_path)
    assert result.returncode == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert len(table) > 0 and "判定" in table.columns
