"""Audit checks: each kind on hand-made cases, rounding boundaries, the cities' data."""

from __future__ import annotations

import subprocess
import sys

import pytest

from eduanalysis import DataValidationError, load_figures
from eduanalysis.data.figures import FIGURE_COLUMNS
from eduanalysis.judgement.audit import CHECK_COLUMNS, audit, load_checks

FIG = ",".join(FIGURE_COLUMNS) + "\n"


def _figures(tmp_path, rows):
    """rows: (indicator, value_as_written) → a yining figures file; row numbers start at 2."""
    lines = [f"yining,,2020,,,{ind},名称,{value},实际,,yining_2021_balance_review,第一节," for ind, value in rows]
    path = tmp_path / "figures.csv"
    path.write_text(FIG + "\n".join(lines) + "\n", encoding="utf-8")
    return load_figures("yining", path)


def _run(tmp_path, rows, checks):
    figures = _figures(tmp_path, rows)
    path = tmp_path / "checks.csv"
    path.write_text(",".join(CHECK_COLUMNS) + "\n" + "\n".join(checks) + "\n", encoding="utf-8")
    table = load_checks("yining", path, figures=figures)
    return audit("yining", table, figures).set_index("check_id")


def test_share_rounding_at_the_stated_precision(tmp_path):
    rows = [
        ("support_staff_count", "436 人"),
        ("staff_count", "7090 人"),
        ("support_staff_share", "6.1%"),
        ("support_staff_share", "6.15%"),
        ("support_staff_share", "6.2%"),
        ("support_staff_share", "6%"),
    ]
    base = "part=r2:support_staff_count;whole=r3:staff_count"
    out = _run(
        tmp_path,
        rows,
        [
            f"A,share,r4:support_staff_share,{base},一位小数,",  # 6.1495… → 6.1 ✓
            f"B,share,r5:support_staff_share,{base},两位小数,",  # 6.1495… → 6.15 ✓
            f"C,share,r6:support_staff_share,{base},错一位,",  # 6.2 ✗
            f"D,share,r7:support_staff_share,{base},整数,",  # 6 ✓
        ],
    )
    assert out["verdict"].to_dict() == {"C": "不一致", "A": "一致", "B": "一致", "D": "一致"}
    assert out.loc["C", "gap"] == pytest.approx(436 / 7090 * 100 - 6.2)


def test_half_up_boundary_and_truncation_note(tmp_path):
    # 1/8 = 12.5 % exactly: half-up gives 13 %, truncation gives 12 %
    rows = [
        ("support_staff_count", "1 人"),
        ("staff_count", "8 人"),
        ("support_staff_share", "13%"),
        ("support_staff_share", "12%"),
    ]
    base = "part=r2:support_staff_count;whole=r3:staff_count"
    out = _run(
        tmp_path,
        rows,
        [f"A,share,r4:support_staff_share,{base},,", f"B,share,r5:support_staff_share,{base},,"],
    )
    assert out.loc["A", "verdict"] == "一致"
    assert out.loc["B", "verdict"] == "不一致" and "截断则一致" in out.loc["B", "reason"]


def test_ratio_sum_difference_growth(tmp_path):
    rows = [
        ("counsellors_fulltime", "30 名"),
        ("higher_voc_students", "6335 名"),
        ("counsellor_student_ratio", "1:211"),
        ("counsellor_student_ratio", "1:200"),
        ("teacher_avg_salary", "95927 元"),
        ("civil_servant_avg_salary", "79034 元"),
        ("teacher_salary_gap", "1.69 万元"),
        ("edu_budget_expenditure", "100 万元"),
        ("edu_budget_expenditure", "110 万元"),
        ("edu_budget_growth", "10%"),
        ("edu_budget_growth", "减少 2.4%"),
        ("hs_admissions", "3647人"),
        ("hs_admissions_general", "2596人"),
        ("hs_admissions_vocational", "1051人"),
        ("vocational_general_ratio", "2.9:7.1"),
    ]
    out = _run(
        tmp_path,
        rows,
        [
            "R1,ratio,r4:counsellor_student_ratio,a=r2:counsellors_fulltime;b=r3:higher_voc_students,,",
            "R2,ratio,r5:counsellor_student_ratio,a=r2:counsellors_fulltime;b=r3:higher_voc_students,,",
            "D1,difference,r8:teacher_salary_gap,a=r6:teacher_avg_salary;b=r7:civil_servant_avg_salary,,",
            "G1,growth,r11:edu_budget_growth,previous=r9:edu_budget_expenditure;current=r10:edu_budget_expenditure,,",
            "G2,growth,r12:edu_budget_growth,previous=r9:edu_budget_expenditure;current=r10:edu_budget_expenditure,,",
            "S1,sum,r13:hs_admissions,parts=r14:hs_admissions_general+r15:hs_admissions_vocational,,",
            "R3,ratio,r16:vocational_general_ratio,a=r15:hs_admissions_vocational;b=r14:hs_admissions_general,,",
        ],
    )
    v = out["verdict"].to_dict()
    # 6335 / 30 = 211.17 → 1:211 ✓, not 1:200; 95927 − 79034 = 16893 元 = 1.69 万元 ✓;
    # 110/100 − 1 = +10 % ✓, not −2.4 %; 2596 + 1051 = 3647 ✓; 1051/3647 = 28.8 % → 2.9:7.1 ✓
    assert v == {
        "R2": "不一致",
        "G2": "不一致",
        "R1": "一致",
        "D1": "一致",
        "G1": "一致",
        "S1": "一致",
        "R3": "一致",
    }
    assert out.loc["D1", "recomputed"] == pytest.approx(1.6893)


def test_mean_same_pp_difference_exceeds_and_bounds(tmp_path):
    rows = [
        ("cv_books_per_student", "0.40"),
        ("cv_books_per_student", "0.60"),
        ("composite_cv", "0.50"),
        ("composite_cv", "0.52"),
        ("public_kindergarten_share", "50.8%"),
        ("public_kindergarten_share_above_standard", "0.8 个百分点"),
        ("public_kindergarten_share", "51.2%"),
        ("teacher_exchange_share", "超过7%"),
        ("teacher_exchange_count", "80 人"),
        ("fulltime_teachers", "1000 人"),
        ("staff_child_ratio", "1:5.6"),
        ("staff_child_ratio", "1:6"),
    ]
    out = _run(
        tmp_path,
        rows,
        [
            "M1,mean,r4:composite_cv,parts=r2:cv_books_per_student+r3:cv_books_per_student,,",
            "M2,mean,r5:composite_cv,parts=r2:cv_books_per_student+r3:cv_books_per_student,,",
            "P1,pp_difference,r7:public_kindergarten_share_above_standard,"
            "a=r6:public_kindergarten_share;b=std:preschool_2020/public_kindergarten_share/学前,,",
            "E1,same,r8:public_kindergarten_share,a=r6:public_kindergarten_share,,",
            "B1,share,r9:teacher_exchange_share,part=r10:teacher_exchange_count;whole=r11:fulltime_teachers,,",
            "X1,exceeds,r12:staff_child_ratio,a=r12:staff_child_ratio;b=r13:staff_child_ratio,,",
            "X2,exceeds,r13:staff_child_ratio,a=r13:staff_child_ratio;b=r12:staff_child_ratio,,",
        ],
    )
    v = out["verdict"].to_dict()
    assert v["M1"] == "一致" and v["M2"] == "不一致"  # (0.40 + 0.60) / 2 = 0.50
    assert v["P1"] == "一致"  # 50.8 − 50 = 0.8
    assert v["E1"] == "不一致"  # 51.2 vs 50.8
    assert v["B1"] == "一致" and "下限" in out.loc["B1", "reason"]  # 8 % > 7 %
    assert v["X1"] == "一致" and v["X2"] == "不一致"  # 1/5.6 > 1/6


def test_missing_inputs_cannot_be_checked_never_consistent(tmp_path):
    rows = [("edu_budget_expenditure", "319322万元"), ("edu_budget_growth", "3.36%")]
    out = _run(
        tmp_path,
        rows,
        ["G,growth,r3:edu_budget_growth,previous=missing:2020年支出;current=r2:edu_budget_expenditure,,"],
    )
    assert out.loc["G", "verdict"] == "无法核对"
    assert "未报告：2020年支出" in out.loc["G", "reason"]


@pytest.mark.parametrize(
    "line, message",
    [
        ("A,share,r2:staff_count,part=r2:staff_count,,", r"kind 'share' needs roles part, whole"),
        ("A,guess,r2:staff_count,a=r2:staff_count,,", r"column `kind`: expected one of"),
        ("A,same,r9:staff_count,a=r2:staff_count,,", r"figure row 9 does not exist"),
        (
            "A,same,r2:fulltime_teachers,a=r2:staff_count,,",
            r"row 2 holds 'staff_count', not 'fulltime_teachers'",
        ),
        ("A,same,r2:staff_count,a=2,,", r"column `inputs`: expected role=reference|is not r<row>"),
        ("A,same,r2:staff_count,a=std:nope/x/y,,", r"unknown standard 'nope'"),
    ],
)
def test_bad_check_files_name_file_row_and_column(tmp_path, line, message):
    figures = _figures(tmp_path, [("staff_count", "7090 人")])
    path = tmp_path / "checks.csv"
    path.write_text(",".join(CHECK_COLUMNS) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=message):
        load_checks("yining", path, figures=figures)


@pytest.mark.parametrize("region", ["wuhai", "mudanjiang", "mianyang", "yining"])
def test_every_check_in_the_data_resolves(region):
    checks = load_checks(region)
    assert len(checks) >= 3
    result = audit(region)
    assert len(result) == len(checks)
    assert set(result["verdict"]) <= {"一致", "不一致", "无法核对"}
    order = result["verdict"].map({"不一致": 0, "无法核对": 1, "一致": 2}).tolist()
    assert order == sorted(order)  # inconsistent first


def test_known_findings_of_the_documents():
    # independent arithmetic on the seeds (data/raw/README.md, data log)
    y = audit("yining").set_index("check_id")
    assert y.loc["Y01", "verdict"] == "不一致"  # 38887 / 106508 = 36.5 %, stated 78 %
    assert y.loc["Y05", "verdict"] == "不一致"  # 3327 + 451 + 4847 + 86 = 8711 ≠ 8709
    assert y.loc["Y04", "verdict"] == "一致"  # 2008 / 4255 = 47.19 %
    assert y.loc["Y07", "verdict"] == "一致"  # 85 / 95.5 % → 89 schools; 36 / 89 = 40.45 %
    w = audit("wuhai").set_index("check_id")
    assert w.loc["W05", "verdict"] == w.loc["W06", "verdict"] == "一致"  # 6335/30 = 211, 6335/13 = 487
    assert w.loc["W17", "verdict"] == "不一致"  # 31 / 39 = 79.49 %, printed 79.4 %
    assert "截断" in w.loc["W17", "reason"]
    assert w.loc["W19", "verdict"] == "不一致"  # 50.8 % (001) vs 51.2 % (000)
    assert w.loc["W13", "verdict"] == "一致"  # 95927 − 79034 = 16893 元 ≈ 1.69 万元


def test_cli_audit_exit_codes(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "eduanalysis", "audit", "yining"], capture_output=True, text=True)
    assert ok.returncode == 0  # inconsistencies are findings, not errors
    assert "不一致 2 项" in ok.stdout and "[不一致] Y01" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "eduanalysis", "audit", "atlantis"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown region 'atlantis'" in bad.stderr
