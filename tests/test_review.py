"""Reviewing a draft and accepting it into data/raw/figures (eduanalysis.data.intake.review).

Every test works on a copy of the project's data in a temporary folder (the ``paths`` of
the package pointed at it), so the real ``data/raw/`` is never touched.
"""

from __future__ import annotations

import shutil

import pytest

from eduanalysis import paths
from eduanalysis.data.figures import FIGURE_COLUMNS
from eduanalysis.data.intake.review import accept_draft, load_draft, mark_review
from eduanalysis.errors import DataValidationError, UnknownRegionError

SEEDS = paths.PROJECT_ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not found beside the repository")
DRAFT_HEADER = ",".join([*FIGURE_COLUMNS, "quote", "confidence", "why"])


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of data/raw under tmp_path/project, the package's paths pointed at it."""
    root = tmp_path / "project"
    shutil.copytree(paths.DATA_RAW, root / "data" / "raw")
    (tmp_path / "shared").mkdir()
    if SEEDS.is_dir():
        (tmp_path / "shared" / "seeds").symlink_to(SEEDS)
    raw = root / "data" / "raw"
    for name, value in {
        "PROJECT_ROOT": root,
        "DATA_RAW": raw,
        "FIGURES_DIR": raw / "figures",
        "REGIONS_CSV": raw / "regions.csv",
        "SOURCES_CSV": raw / "sources.csv",
        "CHECKS_DIR": raw / "checks",
        "CLAIMS_DIR": raw / "claims",
    }.items():
        monkeypatch.setattr(paths, name, value)
    return root


def _draft(path, rows: list[str], review: list[str] | None = None):
    header = DRAFT_HEADER + (",review" if review is not None else "")
    lines = [r + (f",{review[i]}" if review is not None else "") for i, r in enumerate(rows)]
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


# the last row of data/raw/figures/yining.csv as transcribed by hand (seed 004: "义务段公办学校
# 专任教师6559人"); removed from the copy, then accepted back
def _split_last_row(project):
    figures = project / "data" / "raw" / "figures" / "yining.csv"
    original = figures.read_bytes()
    lines = original.decode("utf-8").splitlines(keepends=True)
    figures.write_bytes("".join(lines[:-1]).encode("utf-8"))
    return figures, original, lines[-1].rstrip("\n")


def test_load_draft_adds_an_empty_review_column_and_pins_bad_values(tmp_path):
    row = "yining,,2020,初中,,retention_rate,巩固率,99.71%,实际,,yining_2021_balance_review,四,,巩固率99.71%"
    draft = _draft(tmp_path / "d.csv", [row + ",0.8,why"])
    table = load_draft(draft)
    assert table["review"].tolist() == [""]
    assert table["confidence"].tolist() == [0.8]
    bad = _draft(tmp_path / "bad.csv", [row + ",0.8,why", row + ",1.7,why"], review=["ok", "accept"])
    with pytest.raises(DataValidationError) as err:
        load_draft(bad)
    assert "bad.csv, row 2, column `review`: expected accept, edit, reject or empty, found 'ok'" in str(err.value)
    assert "bad.csv, row 3, column `confidence`: expected a number from 0 to 1, found '1.7'" in str(err.value)


def test_no_draft_given_is_a_parameter_error():
    from eduanalysis.errors import ParameterError

    with pytest.raises(ParameterError, match=r"draft: give the path of a draft CSV"):
        load_draft("")


def test_not_a_draft_is_refused(tmp_path):
    other = tmp_path / "figures.csv"
    other.write_text(",".join(FIGURE_COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"figures\.csv: not a draft .*lacks quote, confidence, why"):
        load_draft(other)


def test_mark_review_keeps_the_decision_in_the_draft_file(tmp_path):
    row = "yining,,2020,初中,,retention_rate,巩固率,99.71%,实际,,yining_2021_balance_review,四,,\"巩固率,99.71%\""
    draft = _draft(tmp_path / "d.csv", [row + ",0.8,why", row + ",0.4,why"])
    mark_review(draft, [3], "reject")
    assert load_draft(draft)["review"].tolist() == ["", "reject"]
    assert draft.read_text(encoding="utf-8").splitlines()[0].endswith(",why,review")
    assert load_draft(draft)["quote"].tolist() == ["巩固率,99.71%", "巩固率,99.71%"]  # quoting kept
    with pytest.raises(DataValidationError, match=r"d\.csv: no row\(s\) \[9\]; the draft has rows 2–3"):
        mark_review(draft, [9], "accept")


@needs_seeds
def test_accepted_rows_are_appended_after_validation_and_the_rest_left_out(project, tmp_path):
    figures, original, last = _split_last_row(project)
    assert ",fulltime_teachers,义务段公办学校专任教师,6559 人," in last
    rejected = last.replace("6559 人", "6559 所")  # a wrongly drafted unit
    draft = _draft(
        tmp_path / "draft.csv",
        [last + ",q,0.9,w", rejected + ",q,0.6,w", last + ",q,0.9,w"],
        review=["accept", "reject", ""],
    )
    result = accept_draft(draft, "yining")
    assert (result.added, result.skipped) == (1, 2)
    assert result.first_row == len(original.decode("utf-8").splitlines())  # the row it had before
    assert figures.read_bytes() == original  # exactly the hand-typed file again
    with pytest.raises(DataValidationError, match=r"draft\.csv, row 2: already in .*yining\.csv \(row \d+\)"):
        accept_draft(draft, "yining")


@needs_seeds
def test_accept_refuses_with_every_problem_and_writes_nothing(project, tmp_path):
    figures, _, last = _split_last_row(project)
    before = figures.read_bytes()
    # seed 004: "每百名学生拥有计算机台数差异系数为 小学 0.3542、初中 0.0808": 0.080 only starts a number
    not_printed = (
        "yining,,2020,初中,,cv_computers_per_100,每百名学生拥有计算机台数差异系数,0.080,实际,,"
        "yining_2021_balance_review,六、校际间达到均衡发展要求,"
    )
    bad_level = last.replace(",义务教育,", ",义務教育,")
    other_region = last.replace("yining,", "wuhai,", 1)
    draft = _draft(
        tmp_path / "draft.csv",
        [r + ",q,0.9,w" for r in (not_printed, bad_level, other_region)],
        review=["accept", "edit", "accept"],
    )
    with pytest.raises(DataValidationError) as err:
        accept_draft(draft, "yining")
    message = str(err.value)
    assert "problem(s): nothing was added to" in message
    assert f"{draft}, row 2, column `value_as_written`: '0.080' is not found verbatim" in message
    assert f"{draft}, row 3, column `level`" in message
    assert f"{draft}, row 4, column `region`: expected 'yining' (the file's region), found 'wuhai'" in message
    assert figures.read_bytes() == before
    assert sorted(p.name for p in figures.parent.iterdir()) == sorted(
        p.name for p in (paths.PACKAGE_DIR.parent / "data" / "raw" / "figures").iterdir()
    )  # no file left behind


@needs_seeds
def test_a_drafted_range_is_accepted_as_drafted_and_read_as_an_interval(project, tmp_path):
    # seed 004 四(五): "第六个五年管理周期专任教师继续教育培训工 作将按照每年完成 25-30%的培训率推进" —
    # a range, drafted verbatim; accepted through the checks of hand-typed figures without a rewrite
    from eduanalysis.data.figures import load_figures

    figures, original, _ = _split_last_row(project)
    row = (
        "yining,,2021,义务教育,,teacher_training_rate,第六个五年管理周期专任教师继续教育培训率,25-30%,目标,,"
        "yining_2021_balance_review,四、加强师资队伍建设 /（五）加强教师培训,"
    )
    draft = _draft(tmp_path / "draft.csv", [row + ",按照每年完成 25-30%的培训率推进,0.7,w"], review=["accept"])
    result = accept_draft(draft, "yining")
    assert result.added == 1
    table = load_figures("yining")
    added = table[table["row"] == result.first_row].iloc[0]
    assert (added["value"], added["high"], added["qualifier"]) == (25.0, 30.0, "区间")


def test_accept_needs_a_registered_region_and_a_decision(project, tmp_path):
    row = "yining,,2020,初中,,retention_rate,巩固率,99.71%,实际,,yining_2021_balance_review,四,,q,0.8,w"
    draft = _draft(tmp_path / "d.csv", [row], review=[""])
    with pytest.raises(UnknownRegionError, match=r"unknown region 'atlantis'.*eduanalysis new-region"):
        accept_draft(draft, "atlantis")
    with pytest.raises(DataValidationError, match=r"d\.csv: no row is marked accept or edit in the `review` column"):
        accept_draft(draft, "yining")


# --- the audit on a draft (eduanalysis.judgement.draft_audit) ----------------------------------


def _frame(rows: list[tuple[str, str, str, str]]):
    """Draft rows (district, indicator, name_in_source, value_as_written), year 2020, 实际."""
    import pandas as pd

    n = len(rows)
    return pd.DataFrame(
        {
            "row": range(2, n + 2),
            "district": [r[0] for r in rows],
            "year": ["2020"] * n,
            "level": ["学前"] * n,
            "group": [""] * n,
            "indicator": [r[1] for r in rows],
            "value_type": ["实际"] * n,
            "name_in_source": [r[2] for r in rows],
            "value_as_written": [r[3] for r in rows],
            "review": [""] * n,
        }
    )


def test_draft_audit_sums_all_districts_within_rounding():
    from eduanalysis.judgement.draft_audit import audit_draft

    # 乌海's districts in regions.csv: haibowan, wuda, hainan, city_direct.  Independent arithmetic:
    # 0.52 + 0.31 + 0.27 + 0.14 = 1.24 万人.  Rounding allowance: half of the last printed digit
    # (0.005 万人) for each of the five numbers = 0.025 万人 = 250 人.  A total of 1.25 is 100 人 off
    # (consistent), 1.30 is 600 人 off (not).
    parts = [("haibowan", "0.52万人"), ("wuda", "0.31万人"), ("hainan", "0.27万人"), ("city_direct", "0.14万人")]
    for total, verdict in (("1.24万人", "一致"), ("1.25万人", "一致"), ("1.30万人", "不一致")):
        rows = [("", total), *parts]
        draft = _frame([(d, "preschool_enrolment", "在园幼儿", v) for d, v in rows])
        result = audit_draft(draft, "wuhai")
        assert result[["kind", "verdict"]].values.tolist() == [["sum", verdict]], total
        assert result["recomputed"].iloc[0] == pytest.approx(12400.0)  # 1.24 万人 in 人 (the registry unit)
        assert result["rows"].iloc[0] == "2, 3, 4, 5, 6"


def test_draft_audit_partial_districts_only_may_not_exceed_and_rejected_rows_are_ignored():
    from eduanalysis.judgement.draft_audit import audit_draft

    draft = _frame(
        [
            ("", "preschool_enrolment", "在园幼儿", "5000人"),
            ("haibowan", "preschool_enrolment", "在园幼儿", "3000人"),
            ("wuda", "preschool_enrolment", "在园幼儿", "2500人"),  # 3000 + 2500 = 5500 > 5000
        ]
    )
    result = audit_draft(draft, "wuhai")
    assert result[["kind", "verdict", "recomputed"]].values.tolist() == [["within", "不一致", 5500.0]]
    draft.loc[2, "review"] = "reject"
    assert audit_draft(draft, "wuhai").empty  # one district left: nothing to add up


def test_draft_audit_flags_a_share_above_100_and_an_unreadable_value():
    from eduanalysis.judgement.draft_audit import audit_draft

    draft = _frame(
        [
            ("", "public_kindergarten_share", "公办园在园幼儿占比", "103.5%"),
            ("", "preschool_enrolment", "在园幼儿", "12.8%"),  # a percentage drafted for a count
        ]
    )
    result = audit_draft(draft, "wuhai")
    assert result["kind"].tolist() == ["over_100", "parse"]  # 不一致 first, then 无法核对
    assert result["verdict"].tolist() == ["不一致", "无法核对"]
    assert result["reason"].iloc[0] == "占比超过100%：部分不能大于整体"
    assert "cannot convert '%' (percent) to '人'" in result["reason"].iloc[1]


# --- the review view and the notebook ----------------------------------------------------------


def test_review_table_escapes_marks_the_number_and_orders_by_confidence():
    import pandas as pd

    from eduanalysis.presentation.review import draft_table_html

    draft = pd.DataFrame(
        {
            "row": [2, 3],
            "review": ["accept", ""],
            "confidence": [0.9, 0.3],
            "indicator": ["schools", "<script>alert(1)</script>"],
            "year": ["2020", "2020"],
            "level": ["小学", "初中"],
            "district": ["", ""],
            "value_type": ["实际", "目标"],
            "value_as_written": ["30 所", "1∶13.5"],
            "quote": ["全市小学30所,比上年增加3所", "师生比力争达到1∶13.5"],
            "why": ["w1", "w2"],
        }
    )
    html = draft_table_html(draft)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "全市小学<mark>30所</mark>,比上年增加3所" in html  # the drafted 30, not the 3 after it
    assert "师生比力争达到<mark>1∶13.5</mark>" in html
    assert html.index("师生比") < html.index("全市小学")  # 0.3 before 0.9
    assert '<tr class="low">' in html and html.count('class="low"') == 1
    assert draft_table_html(draft, order="row").index("全市小学") < draft_table_html(draft, order="row").index("师生比")
    from eduanalysis.errors import ParameterError

    with pytest.raises(ParameterError, match=r"order: expected one of confidence, row, found 'size'"):
        draft_table_html(draft, order="size")


@needs_seeds
def test_cli_accept(project, tmp_path):
    import os

    from conftest import run_cli

    figures, original, last = _split_last_row(project)
    draft = _draft(tmp_path / "draft.csv", [last + ",q,0.9,w"], review=["accept"])
    env = {**os.environ, "EDUANALYSIS_ROOT": str(project)}
    result = run_cli("accept", str(draft), "--region", "伊宁", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert f"1 row(s) added to {figures}" in result.stdout
    assert figures.read_bytes() == original
    again = run_cli("accept", str(draft), "--region", "yining", cwd=tmp_path, env=env)
    assert again.returncode == 2 and "already in" in again.stderr


@pytest.mark.e2e
@needs_seeds
def test_review_notebook_runs_shows_the_draft_and_accepts(project, tmp_path, monkeypatch):
    import nbformat
    import papermill

    figures, original, last = _split_last_row(project)
    draft = _draft(tmp_path / "draft.csv", [last + ",专任教师6559人,0.9,w"], review=["accept"])
    monkeypatch.setenv("EDUANALYSIS_ROOT", str(project))  # the kernel's package points at the copy
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(paths.NOTEBOOKS_DIR / "review_draft.ipynb"),
        str(out),
        parameters={"draft": str(draft), "region": "yining", "accept": True},
        kernel_name="python3",
        progress_bar=False,
    )
    outputs = [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    text = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "专任教师<mark>6559人</mark>" in html
    assert "已追加 1 行到 yining.csv" in text
    assert figures.read_bytes() == original  # accepted through the notebook
