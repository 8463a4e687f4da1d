"""Audit checks: each kind on hand-made cases, rounding boundaries, the cities' data."""

from __future__ import annotations

import subprocess
import sys

import pytest

from eduanalysis import DataValidationError, load_figures, paths
from eduanalysis.data.figures import FIGURE_COLUMNS
from eduanalysis.judgement.audit import CHECK_COLUMNS, audit, load_checks, may_exceed_100, over_100
from eduanalysis.judgement.findings import region_audit

FIG = ",".join(FIGURE_COLUMNS) + "\n"
# regions with a checks file, and regions with figures (the over-100 scan needs no checks)
CHECK_REGIONS = sorted(p.stem for p in paths.CHECKS_DIR.glob("*.csv"))
FIGURE_REGIONS = sorted(p.stem for p in paths.FIGURES_DIR.glob("*.csv"))


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
    # a value that matches after truncation is the same figure, not an inconsistency (issue #19, item 5)
    assert out.loc["B", "verdict"] == "一致" and "截断一致" in out.loc["B", "reason"]


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


def test_within_named_parts_do_not_exceed_the_total(tmp_path):
    rows = [
        ("public_kindergarten_projects_completed", "47所"),  # r2
        ("public_kindergarten_projects_underway", "41所"),  # r3
        ("public_kindergarten_projects_completed", "102所"),  # r4: the total, as a count of 所
        ("public_kindergarten_projects_completed", "88所"),  # r5
        ("public_kindergarten_projects_completed", "60所"),  # r6
        ("public_kindergarten_projects_completed", "约85所"),  # r7
        ("public_kindergarten_projects_completed", "近80所"),  # r8
    ]
    parts = "parts=r2:public_kindergarten_projects_completed+r3:public_kindergarten_projects_underway"
    out = _run(
        tmp_path,
        rows,
        [
            f"A,within,r4:public_kindergarten_projects_completed,{parts},,",  # 47 + 41 = 88 ≤ 102
            f"B,within,r5:public_kindergarten_projects_completed,{parts},,",  # 88 = 88
            f"C,within,r6:public_kindergarten_projects_completed,{parts},,",  # 88 > 60
            f"D,within,r7:public_kindergarten_projects_completed,{parts},,",  # 88 ≤ 85 × 1.05 = 89.25
            f"E,within,r8:public_kindergarten_projects_completed,{parts},,",  # 88 > 80 × 1.05 = 84
        ],
    )
    v = out["verdict"].to_dict()
    assert v == {"C": "不一致", "E": "不一致", "A": "一致", "B": "一致", "D": "一致"}
    assert "另有 14 所 文中未列出" in out.loc["A", "reason"]  # 102 − 88 = 14
    assert out.loc["B", "reason"] == "所列部分之和等于总数"
    assert out.loc["C", "gap"] == pytest.approx(88 - 60)
    assert "约数" in out.loc["D", "reason"]


def test_within_refuses_a_total_that_is_a_lower_bound(tmp_path):
    # "5万余名" is more than 50000: parts above it would not contradict it
    figures = _figures(tmp_path, [("online_students_total", "5万余名"), ("online_students_grade9", "4553名")])
    path = tmp_path / "checks.csv"
    path.write_text(
        ",".join(CHECK_COLUMNS) + "\nA,within,r2:online_students_total,parts=r3:online_students_grade9,,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError, match=r"row 2 \(A\), column `target`: a `within` check needs a total"):
        load_checks("yining", path, figures=figures)


def test_within_refuses_parts_in_another_unit(tmp_path):
    rows = [("public_kindergarten_projects_planned", "102个"), ("public_kindergarten_projects_completed", "47所")]
    with pytest.raises(DataValidationError, match=r"check A: inputs must share the target's unit"):
        _run(
            tmp_path,
            rows,
            ["A,within,r2:public_kindergarten_projects_planned,parts=r3:public_kindergarten_projects_completed,,"],
        )


def test_shares_above_100_percent_are_found_without_a_check_row(tmp_path):
    rows = [
        ("support_staff_share", "101%"),  # r2: a part of the staff cannot exceed the staff
        ("retention_rate", "100.87%"),  # r3: 巩固率 may exceed 100 % (pupils moving in)
        ("hs_gross_enrolment_rate", "103%"),  # r4: a gross rate may exceed 100 %
        ("edu_budget_growth", "150%"),  # r5: a growth rate is not a share
        ("support_staff_share", "100%"),  # r6: 100 % is allowed
    ]
    figures = _figures(tmp_path, rows)
    found = over_100(figures).set_index("row")
    assert found.index.tolist() == [2, 3, 4]
    assert found["may_exceed"].tolist() == [False, True, True]
    out = audit("yining", load_checks("yining", tmp_path / "none.csv", figures=figures), figures).set_index("check_id")
    assert out.loc["AUTO-r2", "verdict"] == "不一致" and "部分不能大于整体" in out.loc["AUTO-r2", "reason"]
    assert out.loc["AUTO-r2", "gap"] == pytest.approx(1.0)  # 101 − 100
    assert out.loc["AUTO-r3", "verdict"] == "一致"
    assert out.loc["AUTO-r3", "reason"] == may_exceed_100()["retention_rate"]
    assert set(out["kind"]) == {"over_100"} and len(out) == 3


@pytest.mark.parametrize("region", CHECK_REGIONS)
def test_every_check_in_the_data_resolves(region):
    checks = load_checks(region)
    assert len(checks) > 0
    result = audit(region)
    assert len(result) == len(checks) + len(over_100(load_figures(region)))
    assert set(result["verdict"]) <= {"一致", "不一致", "口径/时点不同", "无法核对"}
    order = result["verdict"].map({"不一致": 0, "口径/时点不同": 1, "无法核对": 2, "一致": 3}).tolist()
    assert order == sorted(order)  # inconsistent first


@pytest.mark.parametrize("region", FIGURE_REGIONS)
def test_every_region_with_figures_can_be_audited(region):
    result = audit(region)  # a region without a checks file still gets the over-100 scan
    assert set(result["check_id"]) >= set(load_checks(region)["check_id"])
    assert result["target_row"].isin(load_figures(region)["row"]).all()


def test_known_findings_of_the_documents():
    # independent arithmetic on the seeds (data/raw/README.md, data log)
    y = audit("yining").set_index("check_id")
    assert y.loc["Y01", "verdict"] == "不一致"  # 38887 / 106508 = 36.5 %, stated 78 %
    assert y.loc["Y05", "verdict"] == "不一致"  # 3327 + 451 + 4847 + 86 = 8711 ≠ 8709
    assert y.loc["Y04", "verdict"] == "一致"  # 2008 / 4255 = 47.19 %
    assert y.loc["Y07", "verdict"] == "一致"  # 85 / 95.5 % → 89 schools; 36 / 89 = 40.45 %
    w = audit("wuhai").set_index("check_id")
    assert w.loc["W05", "verdict"] == w.loc["W06", "verdict"] == "一致"  # 6335/30 = 211, 6335/13 = 487
    # 001 十三五（一）"创建国家级文明校园 1 所，自治区级文明校园 4 所，占比 12.8%；创建市级文明校园 31 所，
    # 占比 79.4%": 5 / 12.8 % → 39 schools, 31 / 39 = 79.487 %, printed 79.4 % — truncated, the same figure
    assert w.loc["W17", "verdict"] == "一致" and "截断" in w.loc["W17", "reason"]
    # 50.8 % (001, the plan of 2022-06-14) vs 51.2 % (000, the self-evaluation of 2020-09-28), both "2020":
    # the self-evaluation was written before 2020 ended — two time points, not an inconsistency
    assert w.loc["W19", "verdict"] == "口径/时点不同" and "2020-09-28" in w.loc["W19", "reason"]
    # 001 正文 "全市普通高中阶段教育毛入学率达 98%,提前实现国家基本普及高中阶段教育的目标" gives no year (reached
    # "ahead of time", so perhaps before 2020) vs 表1 2020 年 97: not shown to be the same time point
    assert w.loc["W20", "verdict"] == "口径/时点不同" and "未写年份" in w.loc["W20", "reason"]
    # 001 正文 "争创自治区高水平专业（群）5个" has no year (an aspiration) vs 专栏11 "2025年…3个左右"
    assert w.loc["W39", "verdict"] == "口径/时点不同" and "未写年份" in w.loc["W39", "reason"]
    assert w.loc["W13", "verdict"] == "一致"  # 95927 − 79034 = 16893 元 ≈ 1.69 万元
    # 000 第5条 "对126所中小学幼儿园实施6轮全覆盖查访" vs 第2条 62 公办 + 42 民办 = 104: the check's own note
    # says 126 may count 校区/教学点 — 口径不同, not 不一致
    assert w.loc["W53", "verdict"] == "口径/时点不同" and w.loc["W53", "recomputed"] == 104
    assert "校区" in w.loc["W53", "reason"]
    # 000 第6条 "5万余名学生" vs 001 表1 2020: 4.36 万 + 0.89 万 = 5.25 万 ≥ 5 万
    assert w.loc["W54", "verdict"] == "一致" and w.loc["W54", "recomputed"] == pytest.approx(5.25)
    # 004 四(六) "配备教研员36人,领导班子成员2人,专职教研员30人": 2 + 30 = 32 ≤ 36 — the two kinds named need
    # not be all of them (as 专任 + 教辅 ≤ 教职工), so no inconsistency
    assert y.loc["Y13", "kind"] == "within"
    assert y.loc["Y13", "verdict"] == "一致" and y.loc["Y13", "recomputed"] == 32
    # 004 五(一) 8709 graduates: one row for the stated figure (Y05, 8,711 ≠ 8709); the 升学率 "100%" from the
    # same counts is not a second verdict on 8709
    assert "Y06" not in y.index and (y["stated"] == "8709 人").sum() == 1
    # 004 三(三) 78 % fits 38887 ÷ (38887 + 10984) = 77.98 %, the area completed or started
    assert y.loc["Y20", "verdict"] == "一致" and y.loc["Y20", "recomputed"] == pytest.approx(77.975, abs=1e-3)
    # 6559 专任教师 + 436 教辅工勤 = 6995 ≤ 7090 教职工
    assert y.loc["Y16", "verdict"] == "一致" and y.loc["Y16", "recomputed"] == 6995
    m = audit("mudanjiang").set_index("check_id")
    assert m.loc["M18", "verdict"] == "一致"  # 5 independent agencies + 5 posts = 10 县(市)区
    my = audit("mianyang").set_index("check_id")
    # 003 (二十一) 巩固率 100.87 %, figures row 56: above 100 % but not an inconsistency
    assert my.loc["AUTO-r56", "verdict"] == "一致" and "流入" in my.loc["AUTO-r56", "reason"]


def test_cli_audit_exit_codes(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "eduanalysis", "audit", "yining"], capture_output=True, text=True)
    assert ok.returncode == 0  # inconsistencies are findings, not errors
    # the CLI prints the report's view, one row per stated figure: 伊宁 004 五（一）8709 初中毕业生 against
    # 3327 + 451 + 4847 + 86 = 8711 is the one 不一致; 三（三）“占总规划78%” is 口径/时点不同, not 不一致
    assert "不一致 1 项，口径/时点不同 1 项" in ok.stdout and "[不一致] Y05" in ok.stdout
    assert "[口径/时点不同] Y01" in ok.stdout and "[不一致] Y01" not in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "eduanalysis", "audit", "atlantis"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown region 'atlantis'" in bad.stderr


def test_audit_says_what_a_stated_figure_is_set_against():
    # 乌海 公办园在园幼儿占比 2020: 50.8 % in the plan (001 十三五（三）), 51.2 % in the self-evaluation
    # (000 第15条): the other statement, not a recomputation
    w = region_audit("wuhai").set_index("check_id")
    assert w.loc["W19", "compared_text"] == "另一处为 51.2%"
    # 伊宁 004 三（三）: 38887 ㎡ "占总规划78%" of 106508 ㎡ is 36.51 %; 38887 ÷ (38887 + 10984) = 77.98 % fits
    # the 78 %: one row and one verdict for the one stated figure — 口径/时点不同, naming both readings
    y = region_audit("yining")
    assert (y["stated"] == "78%").sum() == 1
    y = y.set_index("check_id")
    assert "Y20" not in y.index
    assert y.loc["Y01", "compared_text"] == "重新计算 36.51%" and y.loc["Y01", "verdict"] == "口径/时点不同"
    assert "77.98%" in y.loc["Y01", "explanation"] and "另一口径" in y.loc["Y01", "explanation"]
    # 牡丹江 "教职工与在园幼儿比为1:5.6,高于1:6": the claim's margin in the reader's words, not "差 0.0119"
    m = region_audit("mudanjiang").set_index("check_id")
    assert m.loc["M05", "compared_text"] == "1:5.6 与 1:6 相比，1:x 中的 x 少 0.4"
    assert m.loc["M02", "compared_text"] == "比所比数值高 5.7 个百分点"  # 90.7 % against the 85 % 省定指标
    for slug in ("wuhai", "yining", "mudanjiang", "mianyang"):  # one row per stated figure everywhere
        assert not region_audit(slug).duplicated(["area", "target_row"]).any(), slug
