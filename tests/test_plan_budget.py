"""A plan a county can budget from (issue 20): one-off and yearly costs apart, new posts,
why each school gets what it gets, a safety margin below each limit, which schools count
in the coefficients, and the plan laid out over years within a yearly budget.

Expected values are derived by hand in the comments or enumerated by brute force here;
unit prices are those of ``costs.csv`` (pe_art_teachers 95,927 元 per year: 乌海 2019 average
teacher pay, seed wuhai_2020_selfeval 二、（四）第13条; key_teachers 30,000 元 once and
multimedia_rooms 50,000 元 once: the file's example prices).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import COMPLIANT_PRIMARY_100

from eduanalysis import ParameterError
from eduanalysis.judgement.planning import county_plan, phased_plan, schedule_plan, school_plan, what_if

PE_SALARY, KEY_TRAINING, ROOM = 95927.0, 30000.0, 50000.0

BASE = COMPLIANT_PRIMARY_100  # tests/conftest.py: meets every 2017 primary threshold


def _needy(name: str) -> dict:
    # no PE teacher, no 骨干 teacher, no rooms: each needs 1 PE teacher (0.9 per 100 → 1),
    # 1 key teacher (1.0 per 100; 85 % would still need 1) and rooms: 3 to meet 2.3 per 100,
    # or 2 (2.0 = 87 %) if rooms are the one indicator left at the 85 % floor — the only
    # floor choice that saves anything, so 2 rooms
    return {**BASE, "school": name, "pe_art_teachers": 0, "key_teachers": 0, "multimedia_rooms": 0}


# ---------------------------------------------------------------- one-off and yearly apart
def test_one_off_and_yearly_costs_and_new_posts_are_apart():
    plan = school_plan(pd.DataFrame([_needy("甲"), BASE | {"school": "乙"}]))
    row = plan.additions.iloc[0]
    assert (row["pe_art_teachers"], row["key_teachers"], row["multimedia_rooms"]) == (1, 1, 2)
    assert row["cost_one_off"] == KEY_TRAINING + 2 * ROOM  # training and rooms: once
    assert row["cost_yearly"] == PE_SALARY  # the new PE post: every year
    assert row["new_posts"] == 1 and plan.new_posts == 1  # a trained teacher is no new post
    assert (plan.one_off_cost, plan.yearly_cost) == (130000.0, PE_SALARY)
    assert plan.total_cost == plan.one_off_cost + plan.yearly_cost
    by = plan.cost_by_resource().set_index("resource")
    assert by.loc["pe_art_teachers", "basis"] == "每年" and by.loc["multimedia_rooms", "basis"] == "一次性"
    # ranges from costs.csv: PE 70,000–120,000 per year; training 15,000–60,000; rooms 30,000–80,000
    assert plan.cost_range() == {"one_off": (15000 + 2 * 30000, 60000 + 2 * 80000), "yearly": (70000, 120000)}


def test_each_school_says_why_it_gets_what_it_gets():
    # 甲 rich in sports ground (30 ㎡), 乙 at 7.5 ㎡ passes the rule alone, but the sports
    # coefficient (30 − y)/(30 + y) ≤ 0.50 needs y ≥ 10: 乙 gets 300 ㎡ (100-㎡ steps) to
    # lower it, from (30 − 7.5)/(30 + 7.5) = 0.600 to (30 − 10.5)/(30 + 10.5) = 0.4815
    t = pd.DataFrame([BASE | {"school": "甲", "sports_area": 3000.0}, _needy("乙") | {"sports_area": 750.0}])
    plan = county_plan(t)
    reason = plan.additions.set_index("school").loc["乙", "reason"]
    assert reason.startswith("本校达标所需：")
    assert "体育、艺术专任教师 1 人" in reason
    assert "为降低生均体育运动场馆面积差异系数另加体育运动场馆 300 ㎡（本学段该系数由 0.600 降至 0.482）" in reason
    assert plan.additions.set_index("school").loc["甲", "reason"] == ""


def test_a_coefficient_above_its_limit_is_never_shown_on_it():
    # the reason text rounds a coefficient up: 0.5004 reads 0.501, never 0.500
    from eduanalysis.judgement.plan_school import _ceil3

    assert _ceil3(0.5004) == "0.501" and _ceil3(0.5) == "0.500" and _ceil3(0.48148) == "0.482"


def test_safety_margin_below_each_limit():
    # with a margin of 0.05 the sports coefficient must reach 0.45: (30 − y)/(30 + y) ≤ 0.45
    # ⟺ y ≥ 16.5/1.45 = 11.38 ㎡ → 乙 at 1,138 ㎡ → +388 → 400 in 100-㎡ steps
    t = pd.DataFrame([BASE | {"school": "甲", "sports_area": 3000.0}, BASE | {"school": "乙"}])
    assert county_plan(t).additions["sports_area"].tolist() == [0, 300]
    plan = county_plan(t, cv_margin=0.05)
    assert plan.additions["sports_area"].tolist() == [0, 400] and plan.cv_margin == 0.05
    cv = plan.after.coefficients.set_index("indicator").loc["sports_area_per_student", "cv"]
    assert cv == pytest.approx((30 - 11.5) / (30 + 11.5)) and cv <= 0.45
    with pytest.raises(ParameterError, match="cv_margin"):
        county_plan(t, cv_margin=0.6)


def test_small_teaching_points_and_special_schools_stay_out_of_the_coefficients():
    # standards.md §3: the 2017 resource indicators exclude special-education schools and
    # teaching points under 50 students.  A teaching point of 30 with 30 ㎡ of sports ground per
    # pupil would push the sports coefficient of 甲 and 乙 (7.5 ㎡ each: CV 0) far over 0.50.
    t = pd.DataFrame(
        [
            BASE | {"school": "甲"},
            BASE | {"school": "乙"},
            BASE | {"school": "点", "enrolment": 30, "sports_area": 900.0, "school_type": "教学点"},
        ]
    )
    t["school_type"] = t["school_type"].fillna("完全小学")
    standard = what_if(t)
    assert standard.coefficients_pass and standard.coefficients["cv"].max() == pytest.approx(0.0)
    counted = what_if(t, include_excluded=True)
    cv = counted.coefficients.set_index("indicator").loc["sports_area_per_student", "cv"]
    # weights 100, 100, 30; values 7.5, 7.5, 30: mean 10.435, CV = √(Σw(y−m)²/Σw)/m
    w, y = np.array([100, 100, 30.0]), np.array([7.5, 7.5, 30.0])
    m = w @ y / w.sum()
    assert cv == pytest.approx(np.sqrt(w @ (y - m) ** 2 / w.sum()) / m) and cv > 0.5
    assert county_plan(t).total_cost == 0
    assert county_plan(t, include_excluded=True).total_cost > 0  # the two schools must catch up
    assert county_plan(t, include_excluded=True).additions.set_index("school").loc["点", "cost"] == 0


# ---------------------------------------------------------------- the plan over years
def _two_needy():
    return pd.DataFrame([_needy("甲"), _needy("乙")])


def _brute_schedule(units, years, budget):
    """Every way to give each unit (one_off, yearly) a year: least total over the years within
    the budget, and the least budget any schedule needs."""
    best, least_budget = np.inf, np.inf
    for assign in itertools.product(range(years), repeat=len(units)):
        spend = np.zeros(years)
        for (one_off, yearly), y in zip(units, assign):
            spend[y] += one_off
            spend[y:] += yearly
        least_budget = min(least_budget, spend.max())
        if spend.max() <= budget + 1e-6:
            best = min(best, spend.sum())
    return best, least_budget


@pytest.mark.parametrize(("years", "budget"), [(3, 200000), (2, 250000), (2, 300000), (3, 100000), (1, 500000)])
def test_phased_plan_agrees_with_brute_force(years, budget):
    t = _two_needy()
    plan = county_plan(t)
    # each school: 1 PE post, 1 key teacher trained, 2 rooms (see _needy)
    assert plan.additions[["pe_art_teachers", "key_teachers", "multimedia_rooms"]].values.tolist() == [[1, 1, 2]] * 2
    units = [(0.0, PE_SALARY)] * 2 + [(KEY_TRAINING, 0.0)] * 2 + [(ROOM, 0.0)] * 4
    best, least_budget = _brute_schedule(units, years, budget)
    phased = phased_plan(t, years=years, budget_per_year=budget)
    assert phased.min_budget_per_year == pytest.approx(least_budget)
    if np.isfinite(best):
        assert phased.status == "optimal" and phased.total_cost == pytest.approx(best)
        assert (phased.by_year["spending"] <= budget + 1e-6).all()
        # everything the plan adds is scheduled, once
        added = phased.schedule.groupby(["school", "resource"])["added"].sum()
        for school in ("甲", "乙"):
            assert added[(school, "multimedia_rooms")] == 2 and added[(school, "pe_art_teachers")] == 1
        assert phased.by_year["new_posts"].sum() == 2
    else:
        assert phased.status == "infeasible" and np.isnan(phased.total_cost)
        assert f"每年预算至少需要 {least_budget / 1e4:,.1f} 万元" in phased.binding


def test_posts_come_as_late_as_the_budget_allows():
    # 3 years, a budget of 250,000: the rooms and training (260,000 once) cannot all fall in
    # one year; the two posts (191,854 a year) come in the last year, leaving 58,146 there
    phased = phased_plan(_two_needy(), years=3, budget_per_year=250000)
    assert phased.by_year["new_posts"].tolist() == [0, 0, 2]
    assert phased.total_cost == pytest.approx(2 * KEY_TRAINING + 4 * ROOM + 2 * PE_SALARY)


def test_phased_plan_refuses_bad_parameters():
    plan = county_plan(_two_needy())
    with pytest.raises(ParameterError, match="years must be a whole number >= 1, got 0"):
        schedule_plan(plan, years=0, budget_per_year=1e6)
    with pytest.raises(ParameterError, match="budget_per_year must be >= 0"):
        schedule_plan(plan, years=2, budget_per_year=-5)


def test_training_beyond_the_teachers_in_post_is_flagged():
    # 甲 has 2 full-time teachers, neither a 骨干 teacher, and needs 1 key teacher per 100
    # pupils: 300 pupils → 3 key teachers; only 2 can be trained, so 1 must be hired, which
    # the training price does not cover — the plan says so instead of hiding it
    row = BASE | {"school": "甲", "enrolment": 300, "teachers": 2, "key_teachers": 0, "qualified_teachers": 13,
                  "pe_art_teachers": 3, "teaching_aux_area": 1350.0, "sports_area": 2250.0,
                  "equipment_value": 600000, "multimedia_rooms": 7}  # fmt: skip
    plan = school_plan(pd.DataFrame([row]))
    got = plan.additions.iloc[0]
    assert got["key_teachers"] == 3 and got["beyond_training"] == 1
    assert "其中 1 人按新聘计（每年工资，占新增编制）" in got["reason"]
    # without a teachers column nothing can be told, and nothing is claimed
    blind = school_plan(pd.DataFrame([{k: v for k, v in row.items() if k != "teachers"}]))
    assert blind.additions["beyond_training"].iloc[0] == 0
    # the hire is counted, not left out: the same additions, but 1 of the 3 key teachers costs a
    # new post's salary (costs.csv `teachers`: 95,927 元 a year, 乌海 2019 average wage) instead
    # of the training price (costs.csv `key_teachers`: 30,000 元 once)
    assert blind.additions["key_teachers"].iloc[0] == 3
    assert plan.one_off_cost == blind.one_off_cost - 30000
    assert plan.yearly_cost == blind.yearly_cost + 95927
    assert plan.new_posts == blind.new_posts + 1
    by = plan.cost_by_resource().set_index("resource")
    assert by.loc["key_teachers", "added"] == 2 and by.loc["hired_teachers", "added"] == 1
    assert by.loc["hired_teachers", "basis"] == "每年" and by.loc["hired_teachers", "new_posts"] == 1
    # priced as training by the solver, the plan is no longer proven least-cost once a hire is counted
    assert blind.status == "optimal" and plan.status == "feasible"
    # a plan over 2 years schedules the hire as a post (salary every year from the year it is added)
    phased = schedule_plan(plan, years=2, budget_per_year=None)
    assert phased.by_year["new_posts"].sum() == plan.new_posts
    assert phased.by_year["one_off"].sum() == pytest.approx(plan.one_off_cost)
