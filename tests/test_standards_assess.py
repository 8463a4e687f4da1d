"""Standards as data, verdicts with signed margins, and the 2017 school rule."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalysis import (
    DataValidationError,
    UnknownStandardError,
    assess,
    assess_frame,
    get_threshold,
    indicator_registry,
    indicator_set,
    load_standards,
    quality_school_check,
)


def test_every_threshold_has_source_and_known_indicator():
    table = load_standards()
    registry = indicator_registry()
    assert (table["source"].str.len() > 0).all()
    rule_rows = table["standard"] == "quality_school_rule_2017"
    assert table.loc[~rule_rows, "indicator"].isin(registry.index).all()
    for set_name in ("basic_balance_2012", "quality_balance_2017"):
        assert all(i in registry.index for i in indicator_set(set_name))


def test_thresholds_from_the_reference():
    # shared/reference/standards.md §2, §3, §4, §5
    assert get_threshold("basic_balance_2012", "composite_cv", "小学")["value"] == 0.65
    assert get_threshold("basic_balance_2012", "composite_cv", "初中")["value"] == 0.55
    assert get_threshold("quality_balance_2017", "indicator_cv", "小学")["value"] == 0.50
    assert get_threshold("quality_balance_2017", "indicator_cv", "初中")["value"] == 0.45
    expected_2017 = {
        "qualified_teachers_per_100": (4.2, 5.3),
        "key_teachers_per_100": (1.0, 1.0),
        "pe_art_teachers_per_100": (0.9, 0.9),
        "teaching_aux_area_per_student": (4.5, 5.8),
        "sports_area_per_student": (7.5, 10.2),
        "equipment_value_per_student": (2000, 2500),
        "multimedia_rooms_per_100": (2.3, 2.4),
    }
    for ind, (primary, junior) in expected_2017.items():
        assert get_threshold("quality_balance_2017", ind, "小学")["value"] == primary
        assert get_threshold("quality_balance_2017", ind, "初中")["value"] == junior
    assert get_threshold("staffing_norm_2014", "students_per_staff", "小学")["value"] == 19
    assert get_threshold("preschool_2020", "puhui_coverage", "学前")["value"] == 80


def test_unconfirmed_items_are_flagged():
    # standards.md marks 2017 indicators 4–7, the 6-of-7 rule, the 85 % floor and the
    # preschool thresholds "(to confirm)"; indicators 1–3 are confirmed
    assert not get_threshold("quality_balance_2017", "sports_area_per_student", "小学")["confirmed"]
    assert get_threshold("quality_balance_2017", "key_teachers_per_100", "小学")["confirmed"]
    rule = load_standards().query("standard == 'quality_school_rule_2017'")
    assert not rule["confirmed"].any()
    assert not get_threshold("preschool_2020", "preschool_gross_enrolment_rate", "学前")["confirmed"]
    assert not get_threshold("vocational_general_balance", "vocational_share", "高中阶段")["confirmed"]


def test_unknown_standard_messages():
    with pytest.raises(UnknownStandardError, match="unknown standard 'basic_2099'; known: "):
        get_threshold("basic_2099", "composite_cv", "小学")
    with pytest.raises(UnknownStandardError, match="has no threshold for 'books_per_student'"):
        get_threshold("basic_balance_2012", "books_per_student", "小学")
    with pytest.raises(UnknownStandardError, match="no threshold for level '高中'"):
        get_threshold("basic_balance_2012", "composite_cv", "高中")


def test_assess_margins_are_signed_positive_good():
    # 乌海 district composites (standards.md §2): primary 0.52/0.44/0.59 all compliant
    for cv in (0.52, 0.44, 0.59):
        r = assess(cv, "basic_balance_2012", "composite_cv", "小学")
        assert r["met"] and r["margin"] == pytest.approx(0.65 - cv)
    r = assess(0.60, "basic_balance_2012", "composite_cv", "初中")
    assert not r["met"] and r["margin"] == pytest.approx(-0.05)
    r = assess(92.0, "preschool_2020", "preschool_gross_enrolment_rate", "学前")
    assert r["met"] and r["margin"] == pytest.approx(7.0) and r["confirmed"] is False
    # a range: 职 share 29 % (乌海 2.9:7.1 → 2.9 / (2.9 + 7.1)) is 11 points below the 40 % bound
    r = assess(29.0, "vocational_general_balance", "vocational_share", "高中阶段")
    assert not r["met"] and r["margin"] == pytest.approx(-11.0)
    assert assess(50.0, "vocational_general_balance", "vocational_share", "高中阶段")["margin"] == (pytest.approx(10.0))
    assert r["source"].startswith("国家政策")


def test_assess_boundary_counts_as_met():
    assert assess(0.65, "basic_balance_2012", "composite_cv", "小学")["met"]
    assert assess(4.2, "quality_balance_2017", "qualified_teachers_per_100", "小学")["met"]


def test_assess_rejects_non_numbers():
    with pytest.raises(DataValidationError, match="finite number"):
        assess(float("nan"), "basic_balance_2012", "composite_cv", "小学")


def test_assess_frame():
    frame = pd.DataFrame(
        {
            "district": ["海勃湾区", "海南区", "乌达区"],
            "level": ["初中"] * 3,
            "indicator": ["composite_cv"] * 3,
            "value": [0.46, 0.40, 0.57],
        }
    )
    out = assess_frame(frame, "basic_balance_2012")
    assert out["met"].tolist() == [True, True, False]
    assert out["margin"].round(2).tolist() == [0.09, 0.15, -0.02]
    frame.loc[1, "value"] = None
    with pytest.raises(DataValidationError, match=r"row 1 \(position 1\), column `value` is missing"):
        assess_frame(frame, "basic_balance_2012")


def _school(name, level="小学", enrolment=400, **overrides):
    base = {  # every primary threshold met with room to spare
        "qualified_teachers_per_100": 5.0,
        "key_teachers_per_100": 1.5,
        "pe_art_teachers_per_100": 1.0,
        "teaching_aux_area_per_student": 5.0,
        "sports_area_per_student": 8.0,
        "equipment_value_per_student": 2500.0,
        "multimedia_rooms_per_100": 3.0,
    }
    base.update(overrides)
    return {"school": name, "level": level, "enrolment": enrolment, **base}


def test_quality_school_rule():
    schools = pd.DataFrame(
        [
            _school("全达标小学"),
            _school("一项略低小学", sports_area_per_student=6.5),  # 6.5/7.5 = 0.867 ≥ 0.85
            _school("一项过低小学", sports_area_per_student=6.0),  # 6.0/7.5 = 0.80 < 0.85
            _school("两项未达小学", key_teachers_per_100=0.95, pe_art_teachers_per_100=0.85),
            _school(
                "初中甲",
                level="初中",
                enrolment=1000,
                multimedia_rooms_per_100=2.1,
                qualified_teachers_per_100=5.3,
                teaching_aux_area_per_student=5.8,
                sports_area_per_student=10.2,
            ),
        ]
    )
    summary, detail = quality_school_check(schools)
    s = summary.set_index("school")
    assert s["passes"].tolist() == [True, True, False, False, True]
    assert s["n_met"].tolist() == [7, 6, 6, 5, 6]
    assert s.loc["一项过低小学", "failing"] == "生均体育运动场馆面积"
    assert s.loc["一项过低小学", "lowest_ratio"] == pytest.approx(0.8)
    d = detail.set_index(["school", "indicator"])
    # shortfall by hand: (7.5 − 6.0) ㎡ × 400 students = 600 ㎡
    assert d.loc[("一项过低小学", "sports_area_per_student"), "shortfall_total"] == pytest.approx(600)
    assert d.loc[("一项过低小学", "sports_area_per_student"), "amount_unit"] == "㎡"
    # (2.4 − 2.1) rooms per 100 × 1000 students / 100 = 3 rooms (2.1/2.4 = 0.875 ≥ 0.85)
    assert d.loc[("初中甲", "multimedia_rooms_per_100"), "shortfall_total"] == 3
    # (1.0 − 0.95) × 400 / 100 = 0.2 teachers → 1 teacher (counts round up)
    assert d.loc[("两项未达小学", "key_teachers_per_100"), "shortfall_total"] == 1
    assert d.loc[("全达标小学", "sports_area_per_student"), "shortfall_total"] == 0


def test_quality_school_rule_exclusions_and_errors():
    schools = pd.DataFrame(
        [
            _school("特校", school_type="特殊教育学校"),
            _school("某教学点", enrolment=30, school_type="教学点", sports_area_per_student=1.0),
            _school("普通小学", school_type="完全小学"),
        ]
    )
    summary, _ = quality_school_check(schools, school_type="school_type")
    assert summary["status"].tolist() == ["不参评（特殊教育学校）", "不参评（教学点）", "达标"]
    bad = pd.DataFrame([_school("某校", level="高中")])
    msg = r"row 1 \(school: 某校\), column `level`: expected 小学 or 初中"
    with pytest.raises(DataValidationError, match=msg):
        quality_school_check(bad)
    bad = pd.DataFrame([_school("某校", sports_area_per_student=None)])
    msg = r"row 1 \(school: 某校\), column `sports_area_per_student`"
    with pytest.raises(DataValidationError, match=msg):
        quality_school_check(bad)


def _rule_by_loop(schools):
    """The 2017 rule school by school, written out plainly (the reference for the
    vectorised check): ≥ 6 of 7 met, every other one ≥ 85 % of its threshold."""
    out = []
    for rec in schools.to_dict("records"):
        met, low = 0, []
        for ind in indicator_set("quality_balance_2017"):
            t = float(get_threshold("quality_balance_2017", ind, rec["level"])["value"])
            if rec[ind] >= t:
                met += 1
            else:
                low.append(rec[ind] / t)
        out.append((met, met >= 6 and all(r >= 0.85 for r in low), min(low) if low else None))
    return out


@pytest.mark.parametrize("seed", range(3))
def test_vectorised_rule_agrees_with_a_plain_loop(seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    n = 300
    frame = pd.DataFrame(
        {
            "school": [f"校{i}" for i in range(n)],
            "level": rng.choice(["小学", "初中"], n),
            "enrolment": rng.integers(50, 2000, n),
        }
    )
    for ind in indicator_set("quality_balance_2017"):
        junior = float(get_threshold("quality_balance_2017", ind, "初中")["value"])
        primary = float(get_threshold("quality_balance_2017", ind, "小学")["value"])
        base = np.where(frame["level"] == "初中", junior, primary)
        frame[ind] = base * rng.uniform(0.78, 1.15, n)
    frame.loc[::17, "sports_area_per_student"] = (
        np.where(frame.loc[::17, "level"] == "初中", 10.2, 7.5) * 0.85
    )  # exactly at the floor: counts as reaching it
    summary, detail = quality_school_check(frame)
    expected = _rule_by_loop(frame)
    assert summary["n_met"].tolist() == [m for m, _, _ in expected]
    assert summary["passes"].tolist() == [p for _, p, _ in expected]
    lowest = [x if x is not None else float("nan") for _, _, x in expected]
    assert summary["lowest_ratio"].to_numpy() == pytest.approx(lowest, nan_ok=True)
    assert len(detail) == 7 * n and detail["school"].iloc[7] == "校1"


def test_quality_school_rule_dtypes_and_text_values():
    schools = pd.DataFrame([_school("甲"), _school("乙", school_type="特殊教育学校")])
    summary, detail = quality_school_check(
        schools.assign(school_type=["完全小学", "特殊教育学校"]), school_type="school_type"
    )
    assert str(summary["n_met"].dtype) == "Int64" and str(summary["passes"].dtype) == "boolean"
    assert summary["passes"].isna().tolist() == [False, True] and len(detail) == 7  # no detail for 乙
    bad = pd.DataFrame([_school("某校", key_teachers_per_100="很多")])
    with pytest.raises(
        DataValidationError,
        match=r"row 1 \(school: 某校\), column `key_teachers_per_100`: expected a number >= 0, found '很多'",
    ):
        quality_school_check(bad)
    bad = pd.DataFrame([_school("某校", enrolment=0)])
    with pytest.raises(DataValidationError, match=r"row 1 \(school: 某校\), column `enrolment`: must be > 0, found 0"):
        quality_school_check(bad)
