"""What it takes to pass: costs, what-if, per-school and county plans (issue 15).

Closed-form cases carry their derivation; small counties are solved by brute force (an
independent enumeration of whole-step additions, judged with formulas written out here)
and must agree with the solvers; every returned plan is re-checked with ``what_if``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import COMPLIANT_PRIMARY_100
from hypothesis import given, settings
from hypothesis import strategies as st

from eduanalysis import DataValidationError, ParameterError
from eduanalysis.judgement.planning import (
    compare_plans,
    county_plan,
    load_costs,
    naive_plan,
    resources,
    school_plan,
    what_if,
)
from eduanalysis.presentation.balance import load_school_table

BASE = COMPLIANT_PRIMARY_100  # tests/conftest.py: meets every 2017 primary threshold
# the closed-form cases add ㎡ one at a time (the default steps are 60 ㎡ of building and
# 100 ㎡ of sports ground, costs.csv); prices rounded for hand arithmetic
ROUND_COSTS = pd.DataFrame(
    {"cost_yuan": [100.0, 1000.0, 1.0], "step": [1.0, 1.0, 1.0]},
    index=["sports_area", "teaching_aux_area", "equipment_value"],
)


def _unit_steps(**prices):
    """Costs with 1-㎡ and 1-元 steps and the given prices (元 per ㎡)."""
    return pd.DataFrame({"cost_yuan": list(prices.values()), "step": [1.0] * len(prices)}, index=list(prices))


def _table(*rows):
    return pd.DataFrame([{**BASE, **r} for r in rows])


# ---------------------------------------------------------------- costs as data
def test_costs_file_documents_every_default():
    costs = load_costs()
    assert set(costs.index) >= {raw for _, raw, _ in resources("quality_2017") + resources("basic_2012")}
    assert (costs["cost_yuan"] > 0).all() and (costs["step"] > 0).all()
    assert (costs["note"].str.len() > 0).all()
    # only equipment is not an assumption (1 元 of equipment value costs 1 元 by definition)
    assert costs.index[~costs["assumption"]].tolist() == ["equipment_value"]
    # figures taken from the seeds say where: 乌海 2019 teacher pay 95,927 元 (seed 000, item 13);
    # 伊宁 49,871.15 万元 ÷ 106,508 ㎡ = 4,682.4 元/㎡ (seed 004, 三、（三）)
    assert costs.loc["pe_art_teachers", "cost_yuan"] == 95927 and "95927" in costs.loc["pe_art_teachers", "source"]
    assert costs.loc["teaching_aux_area", "cost_yuan"] == round(498_711_500 / 106_508)
    # every price without a seed is called an example price to be checked, in the file itself
    unsourced = costs[costs["assumption"] & (costs["source"] == "")]
    assert len(unsourced) and unsourced["note"].str.contains("示例单价，待核对").all()
    # one-off and yearly apart; a new post only where a teacher is hired
    assert set(costs["basis"]) == {"一次性", "每年"}
    assert costs.index[costs["new_post"]].tolist() == costs.index[costs["basis"] == "每年"].tolist()
    # more qualified and 骨干 teachers come from training those in post, priced once, no new post
    for r in ("qualified_teachers", "key_teachers"):
        assert costs.loc[r, "basis"] == "一次性" and not costs.loc[r, "new_post"]
        assert "在岗" in costs.loc[r, "intervention"] or "在职" in costs.loc[r, "intervention"]
    assert (costs["cost_low"] <= costs["cost_yuan"]).all() and (costs["cost_yuan"] <= costs["cost_high"]).all()
    # building in rooms and projects, not single ㎡
    assert costs.loc["teaching_aux_area", "step"] >= 50 and costs.loc["sports_area", "step"] >= 50


def test_costs_overrides_and_refusals():
    costs = load_costs({"sports_area": 450, "key_teachers": 60000})
    assert costs.loc["sports_area", "cost_yuan"] == 450 and not costs.loc["sports_area", "assumption"]
    assert costs.loc["sports_area", "source"] == "用户提供"
    frame = load_costs(pd.DataFrame({"step": [100.0]}, index=["equipment_value"]))
    assert frame.loc["equipment_value", "step"] == 100
    with pytest.raises(ParameterError, match=r"unknown resource\(s\) \['chairs'\]"):
        load_costs({"chairs": 10})
    with pytest.raises(ParameterError, match=r"`cost_yuan` of 'sports_area' must be a finite number > 0, got -1"):
        load_costs({"sports_area": -1})
    with pytest.raises(ParameterError, match="must be a finite number > 0, got 'x'"):
        load_costs({"books": "x"})
    # a user's price outside the default range widens the range, never contradicts it
    assert load_costs({"sports_area": 900}).loc["sports_area", ["cost_low", "cost_high"]].tolist() == [150, 900]


# ---------------------------------------------------------------- what-if
def test_what_if_moves_values_rule_and_coefficients():
    t = _table({"school": "甲", "sports_area": 3000.0}, {"school": "乙", "sports_area": 600.0})
    before = what_if(t)
    # 乙: 6.0 ㎡ is 80 % of 7.5 ㎡ (< 85 %): fails; sports CV = (30 − 6)/(30 + 6) = 0.6667
    assert before.rule["status"].tolist() == ["达标", "未达标"] and not before.schools_pass
    cv = before.coefficients.set_index("indicator")["cv"]
    assert cv["sports_area_per_student"] == pytest.approx(24 / 36)
    after = what_if(t, pd.DataFrame({"school": ["乙"], "level": ["小学"], "sports_area": [400]}))
    # 乙 at 10 ㎡: CV = 20/40 = 0.5, the limit itself (≤ counts as met)
    assert after.passes and after.table.loc[1, "sports_area"] == 1000.0
    assert after.coefficients.set_index("indicator").loc["sports_area_per_student", "cv"] == pytest.approx(0.5)
    assert t.loc[1, "sports_area"] == 600.0  # the caller's table is not modified


def test_what_if_refuses_bad_additions():
    t = _table({"school": "甲"}, {"school": "乙"})
    with pytest.raises(DataValidationError, match=r"additions, row 1: no school \{'school': '丙', 'level': '小学'\}"):
        what_if(t, pd.DataFrame({"school": ["丙"], "level": ["小学"], "sports_area": [1]}))
    with pytest.raises(ParameterError, match=r"unknown resource column\(s\) \['chairs'\]"):
        what_if(t, pd.DataFrame({"school": ["甲"], "level": ["小学"], "chairs": [1]}))
    with pytest.raises(DataValidationError, match=r"row 1, column `sports_area`: expected an amount >= 0, found -5"):
        what_if(t, pd.DataFrame({"school": ["甲"], "level": ["小学"], "sports_area": [-5]}))
    with pytest.raises(ParameterError, match=r"key column\(s\) \['level'\] missing"):
        what_if(t, pd.DataFrame({"school": ["甲"], "sports_area": [5]}))
    with pytest.raises(DataValidationError, match="row 2: school '甲' appears twice"):
        what_if(t, pd.DataFrame({"school": ["甲", "甲"], "level": ["小学"] * 2, "sports_area": [1, 2]}))
    with pytest.raises(ParameterError, match=r"lacks column\(s\) \['multimedia_rooms'\]"):
        what_if(t.drop(columns="multimedia_rooms"))


# ---------------------------------------------------------------- per-school plan, closed form
def test_school_plan_chooses_the_floor_indicator_by_cost():
    # One school of 100: sports 6.0 ㎡ (80 % of 7.5), teaching area 4.0 ㎡ (88.9 % of 4.5).
    # Either indicator may stay at ≥ 85 %, not both below 100 %:
    #   A: sports at the floor: 0.85 × 7.5 × 100 = 637.5 → 638 ㎡ (+38), area to 450 (+50)
    #   B: area at the floor (already 88.9 %): sports to 750 (+150)
    # With 100 元/㎡ sports and 1000 元/㎡ area: A = 3,800 + 50,000 = 53,800; B = 15,000 → B.
    t = _table({"school": "甲", "sports_area": 600.0, "teaching_aux_area": 400.0})
    plan = school_plan(t, costs=ROUND_COSTS)
    row = plan.additions.iloc[0]
    assert (row["sports_area"], row["teaching_aux_area"], row["cost"]) == (150, 0, 15000)
    assert row["at_floor"] == "生均教学及辅助用房面积" and plan.verified
    # with area at 100 元/㎡: A = 3,800 + 5,000 = 8,800 < B = 15,000 → A
    plan = school_plan(t, costs=_unit_steps(sports_area=100, teaching_aux_area=100))
    row = plan.additions.iloc[0]
    assert (row["sports_area"], row["teaching_aux_area"], row["cost"]) == (38, 50, 8800)
    assert row["at_floor"] == "生均体育运动场馆面积" and plan.verified
    # naive: both to 100 % = 150 × 100 + 50 × 1000 = 65,000
    assert naive_plan(t, costs=ROUND_COSTS).total_cost == 65000


def test_whole_teachers_and_rooms_round_up():
    # 250 students, key teachers 2 → 0.8 per 100 (80 %): the floor needs 0.85 × 1.0 × 250 / 100
    # = 2.125 → 3 teachers (+1); full needs 2.5 → 3 (+1): the floor saves nothing here.
    # Rooms 5 → 2.0 per 100 (87 %): already at the floor.  Sports 1875 ㎡ = 7.5 ㎡ exactly.
    t = _table(
        {
            "school": "甲",
            "enrolment": 250,
            "qualified_teachers": 11,
            "key_teachers": 2,
            "pe_art_teachers": 3,
            "teaching_aux_area": 1125.0,
            "sports_area": 1875.0,
            "equipment_value": 500000,
            "multimedia_rooms": 5,
        }
    )
    plan = school_plan(t)
    row = plan.additions.iloc[0]
    assert row["key_teachers"] == 1 and row["multimedia_rooms"] == 0
    assert row["at_floor"] == "每百名学生拥有网络多媒体教室数" and plan.verified
    assert row["cost"] == load_costs().loc["key_teachers", "cost_yuan"]


# ---------------------------------------------------------------- per-school plan vs enumeration
def _rule_passes(values, thresholds, floor=0.85, min_met=6):
    met = values >= thresholds
    return met.sum() >= min_met and all(m or v / t >= floor for m, v, t in zip(met, values, thresholds))


school_strategy = st.fixed_dictionaries(
    {
        "enrolment": st.integers(50, 1500),
        "qualified_teachers": st.floats(0.03, 0.06),
        "key_teachers": st.floats(0.005, 0.015),
        "pe_art_teachers": st.floats(0.005, 0.012),
        "teaching_aux_area": st.floats(3.0, 6.0),
        "sports_area": st.floats(5.0, 9.0),
        "equipment_value": st.floats(1400.0, 2500.0),
        "multimedia_rooms": st.floats(0.015, 0.03),
    }
)


@settings(max_examples=25, deadline=None)
@given(school_strategy)
def test_school_plan_matches_enumeration_and_cannot_be_trimmed(per_student):
    pupils = per_student["enrolment"]
    row = {"school": "甲", "level": "小学", "enrolment": pupils}
    for r, v in per_student.items():
        if r != "enrolment":
            amount = v * pupils
            row[r] = (
                int(round(amount))
                if r in {"qualified_teachers", "key_teachers", "pe_art_teachers", "multimedia_rooms", "equipment_value"}
                else round(amount, 1)
            )
    t = pd.DataFrame([row])
    costs = load_costs(
        pd.DataFrame({"step": [10.0, 5.0, 5.0]}, index=["equipment_value", "sports_area", "teaching_aux_area"])
    )
    plan = school_plan(t, costs=pd.DataFrame({"step": costs["step"]}))
    res = resources("quality_2017")
    thresholds = np.array([4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3])
    raw = np.array([row[r] for _, r, _ in res], dtype=float)
    per = np.array([p for _, _, p in res])
    step = costs.loc[[r for _, r, _ in res], "step"].to_numpy()
    price = costs.loc[[r for _, r, _ in res], "cost_yuan"].to_numpy() * step  # 元 per step

    def value(steps):
        return (raw + steps * step) * per / pupils

    # independent: fewest steps per indicator by counting up, for "full" and "floor"
    def fewest(j, share):
        s = 0
        while not (
            value(np.eye(7)[j] * s)[j] >= share * thresholds[j]
            if share == 1
            else value(np.eye(7)[j] * s)[j] / thresholds[j] >= share
        ):
            s += 1
        return s

    full = np.array([fewest(j, 1) for j in range(7)])
    floor = np.array([fewest(j, 0.85) for j in range(7)])
    best = min(
        float(np.where(np.arange(7) == k, floor, full) @ price) if k is not None else float(full @ price)
        for k in [None, *range(7)]
    )
    assert plan.total_cost == pytest.approx(best) and plan.verified
    added = plan.additions.iloc[0]
    steps = np.array([added[r] / step[j] for j, (_, r, _) in enumerate(res)])
    assert _rule_passes(value(steps), thresholds)
    for j in np.flatnonzero(steps > 0):  # one step less anywhere and the school fails
        assert not _rule_passes(value(steps - np.eye(7)[j]), thresholds)


# ---------------------------------------------------------------- county plan, closed form
def test_county_plan_two_schools_by_hand():
    # Both schools pass the rule; sports 30 and 7.5 ㎡, 100 students each.  Equal weights:
    # CV = (30 − y)/(30 + y) ≤ 0.50  ⟺  y ≥ 10, so 乙 needs 1000 ㎡ (+250); at y = 10 the
    # CV is exactly 0.5 (mean 20, SD 10).  Adding to 甲 only raises the spread.
    t = _table({"school": "甲", "sports_area": 3000.0}, {"school": "乙", "sports_area": 750.0})
    plan = county_plan(t, costs=ROUND_COSTS)
    assert plan.additions["sports_area"].tolist() == [0, 250] and plan.total_cost == 25000
    assert plan.status == "optimal" and plan.verified
    cv = plan.after.coefficients.set_index("indicator").loc["sports_area_per_student", "cv"]
    assert cv == pytest.approx(0.5)
    assert school_plan(t).total_cost == 0  # alone, each school already passes


def _brute_force(table, variables, ranges, costs, limit=0.50):
    """Least cost over a grid of whole-step additions, judged by formulas written here.

    ``variables`` are (row, resource) pairs, ``ranges`` the step counts tried for each.
    The schools' rule: ≥ 6 of 7 met and the rest ≥ 85 %; every indicator's weighted
    CV ≤ ``limit`` (population SD over the weighted mean)."""
    res = resources("quality_2017")
    names = [r for _, r, _ in res]
    per = np.array([p for _, _, p in res])
    thresholds = np.array([4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3])
    raw = table[names].to_numpy(dtype=float)
    w = table["enrolment"].to_numpy(dtype=float)
    step = costs.loc[names, "step"].to_numpy()
    price = costs.loc[names, "cost_yuan"].to_numpy() * step
    grid = np.array(list(itertools.product(*ranges)), dtype=float)  # (g, n_vars)
    amounts = np.repeat(raw[None], len(grid), axis=0)
    cost = np.zeros(len(grid))
    for v, (i, r) in enumerate(variables):
        j = names.index(r)
        amounts[:, i, j] += grid[:, v] * step[j]
        cost += grid[:, v] * price[j]
    y = amounts * per / w[None, :, None]
    met = y >= thresholds
    ok_rule = (met.sum(axis=2) >= 6) & np.all(met | (y / thresholds >= 0.85), axis=2)
    mean = (y * w[None, :, None]).sum(axis=1) / w.sum()
    sd = np.sqrt((w[None, :, None] * (y - mean[:, None, :]) ** 2).sum(axis=1) / w.sum())
    ok = ok_rule.all(axis=1) & np.all(sd / mean <= limit + 1e-12, axis=1)
    best = int(np.argmin(np.where(ok, cost, np.inf)))
    return float(cost[best]), grid[best]


def test_county_plan_three_schools_water_fill_by_hand_and_brute_force():
    # Weights 100, 100, 200; sports 30, 7.5, 7.5 ㎡.  Raising the two low schools to a
    # common level h: with d = 30 − h the mean is 7.5 + 0.75 h and the variance
    # 0.25·(0.75 d)² + 0.75·(0.25 d)² = 0.1875 d², so CV = √0.1875 (30 − h)/(7.5 + 0.75 h)
    # ≤ 0.5  ⟺  h ≥ (30√0.1875 − 3.75)/(√0.1875 + 0.375) = 11.4360: 乙 ≈ +393.6 ㎡,
    # 丙 ≈ +787.2 ㎡ (1,180.8 ㎡ in all, continuous).  The whole-㎡ optimum is brute-forced.
    t = pd.DataFrame(
        [
            {**BASE, "school": "甲", "sports_area": 3000.0},
            {**BASE, "school": "乙", "sports_area": 750.0},
            {
                **BASE,
                "school": "丙",
                "enrolment": 200,
                "sports_area": 1500.0,
                "qualified_teachers": 10,
                "key_teachers": 2,
                "pe_art_teachers": 2,
                "teaching_aux_area": 900.0,
                "equipment_value": 400000,
                "multimedia_rooms": 6,
            },
        ]
    )
    plan = county_plan(t, costs=ROUND_COSTS)
    h = (30 * 0.1875**0.5 - 3.75) / (0.1875**0.5 + 0.375)
    assert h == pytest.approx(11.4360, abs=1e-4)
    added = plan.additions["sports_area"].tolist()
    assert added[0] == 0
    assert added[1] == pytest.approx(100 * h - 750, abs=1.5) and added[2] == pytest.approx(200 * h - 1500, abs=1.5)
    cost, best = _brute_force(
        t, [(1, "sports_area"), (2, "sports_area")], [range(385, 400), range(780, 795)], load_costs(ROUND_COSTS)
    )
    assert plan.total_cost == cost and plan.verified
    # 1-㎡ steps are continuous in the program, so the bound proves the plan only within the
    # rounding of two additions (100 元 each): "near_optimal", never "optimal", although the
    # brute force shows it is the optimum
    group = plan.groups.iloc[0]
    assert plan.status == "near_optimal" and plan.total_cost - group["lower_bound"] <= 2 * 100


def test_county_plan_floor_choice_and_coefficient_interact_brute_force():
    # 甲 is rich in sports ground (30 ㎡); 乙 and 丙 lack sports ground and teaching area.
    # Alone, each would buy what is cheaper; but the sports coefficient forces both far
    # above 7.5 ㎡, so the floor is best spent on teaching area.  Brute force over
    # 10-㎡ sports steps and 5-㎡ area steps (甲 gets nothing: raising the top school
    # can only raise the CV, by the Bhatia–Davis bound Var ≤ (max − m)(m − min)).
    t = _table(
        {"school": "甲", "sports_area": 3000.0},
        {"school": "乙", "sports_area": 600.0, "teaching_aux_area": 400.0},
        {"school": "丙", "sports_area": 700.0, "teaching_aux_area": 420.0},
    )
    costs = pd.DataFrame(
        {"cost_yuan": [1000.0, 300.0], "step": [10.0, 5.0]}, index=["sports_area", "teaching_aux_area"]
    )
    plan = county_plan(t, costs=costs)
    per_school = school_plan(t, costs=costs)
    cost, best = _brute_force(
        t,
        [(1, "sports_area"), (2, "sports_area"), (1, "teaching_aux_area"), (2, "teaching_aux_area")],
        [range(0, 60), range(0, 60), range(0, 11), range(0, 11)],
        load_costs(costs),
    )
    assert plan.total_cost == cost and plan.verified
    assert plan.additions["teaching_aux_area"].tolist() == [0, 0, 0]  # the floor goes to the area
    assert per_school.additions["at_floor"].tolist()[1] == "生均体育运动场馆面积"  # alone: the other way
    assert plan.total_cost > per_school.total_cost


@pytest.mark.parametrize("seed", range(4))
def test_random_small_counties_agree_with_brute_force(seed):
    # three schools, one resource in play (sports ground, 20-㎡ steps), random sizes
    rng = np.random.default_rng(seed)
    pupils = rng.integers(60, 400, 3)
    per = np.array([rng.uniform(20, 35), rng.uniform(6.0, 8.5), rng.uniform(6.5, 9.0)])
    rows = []
    for i, (p, x) in enumerate(zip(pupils, per)):
        scale = p / 100
        rows.append(
            {
                **{
                    k: (v * scale if isinstance(v, float) else int(np.ceil(v * scale)))
                    for k, v in BASE.items()
                    if k not in {"level", "enrolment"}
                },
                "school": f"校{i}",
                "level": "小学",
                "enrolment": int(p),
                "sports_area": round(x * p, 1),
            }
        )
    t = pd.DataFrame(rows)
    costs = pd.DataFrame({"step": [20.0]}, index=["sports_area"])
    plan = county_plan(t, costs=costs)
    cost, _ = _brute_force(
        t, [(1, "sports_area"), (2, "sports_area")], [range(0, 121), range(0, 121)], load_costs(costs)
    )
    assert np.isfinite(cost)
    assert plan.total_cost == cost and plan.verified


# ---------------------------------------------------------------- every plan verified, larger counties
def _county(n, seed, tail=0.8):
    rng = np.random.default_rng(seed)
    pupils = rng.integers(60, 2000, n)
    good = rng.uniform(0.75, 1.3, n)
    t = pd.DataFrame({"school": [f"校{i}" for i in range(n)], "level": "小学", "enrolment": pupils})
    per_student = {
        "qualified_teachers": 0.045,
        "key_teachers": 0.011,
        "pe_art_teachers": 0.010,
        "teaching_aux_area": 4.5,
        "sports_area": 7.5,
        "equipment_value": 2000.0,
        "multimedia_rooms": 0.024,
    }
    for r, v in per_student.items():
        amount = v * good * rng.uniform(0.8, 1.2, n) * pupils
        if r in {"sports_area", "equipment_value"}:
            amount *= rng.lognormal(0, tail, n)
        t[r] = np.round(amount, 1) if r.endswith("area") else np.round(amount).astype(int)
    return t


@pytest.mark.parametrize("seed", range(3))
def test_county_plans_are_verified_and_bounded(seed):
    t = _county(60, seed)
    plan = county_plan(t)
    alone = school_plan(t)
    assert plan.verified and plan.after.passes
    assert not alone.after.coefficients_pass  # heavy tails: the coefficients bind
    assert plan.total_cost >= alone.total_cost
    group = plan.groups.iloc[0]
    assert group["method"] == "milp_conic_cuts" and group["status"] in ("optimal", "near_optimal")
    # the MILP bound is a lower bound; the plan is within 0.01 % of it ("optimal"), or — a
    # group of more than 30 schools — within one step per addition of it ("near_optimal"),
    # with the proven gap stated; here that gap is below 0.1 %
    assert group["lower_bound"] <= plan.total_cost * (1 + 1e-9)
    assert group["gap"] == pytest.approx((plan.total_cost - group["lower_bound"]) / plan.total_cost)
    assert group["gap"] <= (1e-4 if group["status"] == "optimal" else 1e-3)
    # the re-check is the public what_if, with the plan as additions
    keys = ["school", "level"]
    again = what_if(t, plan.additions[keys + plan.resources])
    assert again.passes


def test_demo_county_plan_passes_and_saves_against_naive():
    table = load_school_table("synthetic_demo_county.csv")
    plan, naive = county_plan(table), naive_plan(table)
    # the solver's plan is optimal at training prices; it trains one teacher more than its school
    # has in post, who is counted as a hire (a salary and a post), so optimality is no longer claimed
    assert plan.verified and plan.groups["status"].eq("optimal").all()
    assert plan.additions["beyond_training"].sum() == 1 and plan.status == "feasible"
    # costs.csv: training a 高于规定学历 teacher 20,000 元 once; a new post 95,927 元 a year
    without = county_plan(table.drop(columns="teachers"))  # nothing to tell: no hire counted
    assert without.status == "optimal" and plan.total_cost == without.total_cost - 20000 + 95927
    assert naive.after.passes  # bringing every school to every threshold passes too ...
    assert plan.total_cost < naive.total_cost  # ... at a higher cost: the 85 % floor is used
    # the teaching point is not judged and gets nothing
    point = plan.additions.set_index("school").loc["示例县山口教学点"]
    assert point["cost"] == 0 and point["at_floor"] == ""


# ---------------------------------------------------------------- no plan within the caps
def test_cap_that_a_school_cannot_pass_within():
    t = _table({"school": "甲"}, {"school": "乙", "sports_area": 600.0, "teaching_aux_area": 400.0})
    plan = county_plan(t, caps={"sports_area": 20, "teaching_aux_area": 0})
    # 乙 needs sports ≥ 638 ㎡ (+38) even at the floor and area ≥ 450 (+50) unless at the floor
    assert plan.status == "infeasible" and np.isnan(plan.total_cost) and plan.after is None
    row = plan.binding.iloc[0]
    assert (row["school"], row["kind"]) == ("乙", "school")
    assert "生均教学及辅助用房面积、生均体育运动场馆面积" in row["detail"] and "85%" in row["detail"]


def test_cap_that_a_coefficient_cannot_meet():
    # as in the two-school case, 乙 needs +250 ㎡; with at most +100 it reaches 8.5 ㎡:
    # CV = (30 − 8.5)/(30 + 8.5) = 0.5584 > 0.50
    t = _table({"school": "甲", "sports_area": 3000.0}, {"school": "乙", "sports_area": 750.0})
    plan = county_plan(t, caps={"sports_area": 100})
    assert plan.status == "infeasible"
    row = plan.binding.iloc[0]
    assert (row["level"], row["kind"], row["indicator"]) == ("小学", "coefficient", "sports_area_per_student")
    assert "0.5584" in row["detail"] and "限值 0.5" in row["detail"]
    # per-school caps as a table
    caps = pd.DataFrame({"school": ["乙"], "level": ["小学"], "sports_area": [300]})
    assert county_plan(t, caps=caps, costs=ROUND_COSTS).additions["sports_area"].tolist() == [0, 250]
    with pytest.raises(ParameterError, match=r"caps: 'chairs' is not a resource of this plan"):
        county_plan(t, caps={"chairs": 1})


# ---------------------------------------------------------------- 2012 composite
def _basic_table():
    # two schools; every 2012 indicator equal per student (whole counts for 10 students)
    # except books: 1,000 students with 1 book each, 10 students with 200 each.
    # CV(books) = 6.63, composite = 6.63/8 = 0.83 > 0.65: books must go to the big school
    # (the small one is the top school: adding there only raises the CV, Bhatia–Davis)
    common = {
        "level": "小学",
        "teaching_aux_area": 5.0,
        "sports_area": 8.0,
        "equipment_value": 2500.0,
        "computers": 0.1,
        "teachers": 0.1,
        "qualified_teachers": 0.1,
        "senior_title_teachers": 0.1,
    }
    rows = []
    for name, pupils, books in (("大校", 1000, 1), ("小校", 10, 200)):
        row = {"school": name, "enrolment": pupils, "books": books * pupils}
        row.update({k: (v * pupils if k != "level" else v) for k, v in common.items()})
        rows.append(row)
    t = pd.DataFrame(rows)
    for c in ("computers", "teachers", "qualified_teachers", "senior_title_teachers"):
        t[c] = t[c].round().astype(int)
    return t


def test_basic_2012_composite_plan_agrees_with_brute_force():
    t = _basic_table()
    before = what_if(t, scheme="basic_2012")
    assert before.composite["composite"].item() > 0.65
    plan = county_plan(t, scheme="basic_2012")
    assert plan.verified and plan.after.composite["composite"].item() <= 0.65
    # only books move (every other coefficient is 0)
    others = [r for r in plan.resources if r != "books"]
    assert (plan.additions[others] == 0).all().all() and plan.additions["books"].iloc[1] == 0
    # brute force: fewest books for the big school that bring the composite to ≤ 0.65
    w = np.array([1000.0, 10.0])
    for extra in range(0, 20000):
        y = np.array([1000 + extra, 2000]) / w
        m = np.dot(w, y) / w.sum()
        if np.sqrt(np.dot(w, (y - m) ** 2) / w.sum()) / m / 8 <= 0.65:
            break
    assert plan.additions["books"].iloc[0] == extra
    assert plan.total_cost == extra * load_costs().loc["books", "cost_yuan"]


def test_basic_2012_needs_every_raw_column():
    with pytest.raises(ParameterError, match=r"lacks column\(s\) \['teaching_aux_area'"):
        county_plan(
            pd.DataFrame({"school": ["甲"], "level": ["小学"], "enrolment": [10], "books": [5]}), scheme="basic_2012"
        )
    with pytest.raises(ParameterError, match="scheme must be one of"):
        county_plan(_basic_table(), scheme="2012")


def test_basic_2012_trades_books_against_computers_like_brute_force():
    # books (30 元/册) and computers (5,000 元/台) both spread; the plan's mix of the two
    # must be the cheapest one: brute force over computers added to the big school, with
    # the fewest books for each (bisection, the CV falling as the big school gains)
    t = _basic_table()
    t.loc[0, "computers"], t.loc[1, "computers"], t.loc[1, "books"] = 10, 6, 1200
    plan = county_plan(t, scheme="basic_2012")
    assert plan.verified and plan.status == "local_optimum"
    w = np.array([1000.0, 10.0])

    def cv(y):
        m = np.dot(w, y) / w.sum()
        return np.sqrt(np.dot(w, (y - m) ** 2) / w.sum()) / m

    best = None
    for c in range(0, 400):
        room = 8 * 0.65 - cv(np.array([(10 + c) * 100 / 1000, 60.0]))  # what books may still use
        lo, hi = 0, 200_000
        if room <= 0 or cv(np.array([(1000 + hi) / 1000, 120.0])) > room:
            continue
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if cv(np.array([(1000 + mid) / 1000, 120.0])) <= room else (mid + 1, hi)
        cost = lo * 30 + c * 5000
        best = min(best or (cost, lo, c), (cost, lo, c))
    assert (plan.total_cost, plan.additions["books"].iloc[0], plan.additions["computers"].iloc[0]) == best


def test_compare_plans_equals_the_three_functions():
    t = _county(40, 7)
    together = compare_plans(t)
    for kind, alone in (("county", county_plan(t)), ("school", school_plan(t)), ("naive", naive_plan(t))):
        assert together[kind].total_cost == alone.total_cost and together[kind].verified == alone.verified
        pd.testing.assert_frame_equal(together[kind].additions, alone.additions)


def test_the_long_plan_lists_each_addition_and_adds_up_to_the_total():
    # the school of school_plan's docstring: it needs 550 ㎡ of sports ground (600 in 100-㎡
    # steps) and 100,000 元 of equipment (its doctest); the long form has one row each, and
    # their costs sum to the plan's cost
    t = pd.DataFrame({"school": ["甲"], "level": ["小学"], "enrolment": [400], "qualified_teachers": [20],
                      "key_teachers": [4], "pe_art_teachers": [4], "teaching_aux_area": [1800.0],
                      "sports_area": [2000.0], "equipment_value": [700000], "multimedia_rooms": [10]})  # fmt: skip
    plan = school_plan(t)
    long = plan.long()
    assert sorted(long["resource"]) == ["equipment_value", "sports_area"]
    assert long.set_index("resource")["added"].to_dict() == {"sports_area": 600, "equipment_value": 100000}
    assert long["cost"].sum() == pytest.approx(plan.total_cost)


# ---------------------------------------------------------------- the tolerance stall (issue 20)
def _judge_by_hand(table, added, limit):
    """School rule and every coefficient, with the formulas written out here."""
    res = resources("quality_2017")
    names = [r for _, r, _ in res]
    per = np.array([p for _, _, p in res])
    thresholds = np.array([4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3])  # primary, standards.md §3
    w = table["enrolment"].to_numpy(dtype=float)
    y = (table[names].to_numpy(dtype=float) + added) * per / w[:, None]
    met = y >= thresholds
    rule = (met.sum(axis=1) >= 6) & np.all(met | (y / thresholds >= 0.85), axis=1)
    m = w @ y / w.sum()
    cv = np.sqrt(w @ (y - m) ** 2 / w.sum()) / m
    return bool(rule.all() and np.all(cv <= limit + 1e-12))


def test_a_county_whose_solver_candidate_sits_within_tolerance_of_the_limit_is_proven_optimal():
    # Six primary schools, three teacher coefficients far over 0.50 (s1 has 276 qualified and
    # 187 PE teachers for 868 pupils).  With HiGHS's default feasibility tolerance its branch
    # and bound kept a "plan" one teacher cheaper than any real one — the cone rows violated by
    # less than the tolerance — and stalled at a 0.3–0.5 % gap for its whole time budget.
    # tests/fixtures/stall_county.csv (also timed by benchmarks/bench_planning.py)
    t = pd.read_csv(Path(__file__).parent / "fixtures" / "stall_county.csv")
    plan = county_plan(t, time_limit=30)
    group = plan.groups.iloc[0]
    assert plan.status == "optimal" and plan.verified and group["gap"] <= 1e-4
    assert group["seconds"] < 30
    # independent of the solver: the plan passes, and no single step can be taken away
    costs = load_costs()
    names = plan.resources
    step = costs.loc[names, "step"].to_numpy()
    added = plan.additions[names].to_numpy(dtype=float)
    assert _judge_by_hand(t, added, 0.50)
    for i, j in zip(*np.nonzero(added)):
        fewer = added.copy()
        fewer[i, j] -= step[j]
        assert not _judge_by_hand(t, fewer, 0.50), (t["school"].iloc[i], names[j])


@pytest.mark.parametrize("seed", range(3))
def test_teacher_bound_five_school_counties_agree_with_brute_force(seed):
    # five junior schools (limit 0.45); the fifth is rich in 骨干 teachers (3–8 × the rest),
    # so the key-teacher coefficient binds and whole teachers go to the four others.
    # Brute force: every 0..15 key teachers added to each of the four, judged by hand.
    rng = np.random.default_rng(seed)
    pupils = rng.integers(80, 900, 5)
    per_100 = {"qualified_teachers": 5.3, "key_teachers": 1.0, "pe_art_teachers": 0.9, "multimedia_rooms": 2.4}
    per_pupil = {"teaching_aux_area": 5.8, "sports_area": 10.2, "equipment_value": 2500.0}
    t = pd.DataFrame({"school": [f"校{i}" for i in range(5)], "level": "初中", "enrolment": pupils})
    for r, v in per_100.items():
        t[r] = np.ceil(v * pupils / 100 * rng.uniform(1.0, 1.3, 5)).astype(int)
    for r, v in per_pupil.items():
        t[r] = np.round(v * pupils * rng.uniform(1.0, 1.3, 5), 1)
    t.loc[4, "key_teachers"] = int(np.ceil(pupils[4] / 100 * rng.uniform(3, 8)))
    t.loc[:3, "key_teachers"] = np.ceil(pupils[:4] / 100 * rng.uniform(0.9, 1.1, 4)).astype(int)
    plan = county_plan(t)
    assert plan.verified and plan.status == "optimal"
    assert not school_plan(t).after.coefficients_pass  # the coefficient binds, not just the rule
    res = resources("quality_2017")
    names = [r for _, r, _ in res]
    per = np.array([p for _, _, p in res])
    thresholds = np.array([5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4])  # junior, standards.md §3
    w = pupils.astype(float)
    j = names.index("key_teachers")
    grid = np.array(list(itertools.product(range(16), repeat=4)), dtype=float)
    amounts = np.repeat(t[names].to_numpy(dtype=float)[None], len(grid), axis=0)
    amounts[:, :4, j] += grid
    y = amounts * per / w[None, :, None]
    met = y >= thresholds
    rule = ((met.sum(axis=2) >= 6) & np.all(met | (y / thresholds >= 0.85), axis=2)).all(axis=1)
    mean = (y * w[None, :, None]).sum(axis=1) / w.sum()
    sd = np.sqrt((w[None, :, None] * (y - mean[:, None, :]) ** 2).sum(axis=1) / w.sum())
    ok = rule & np.all(sd / mean <= 0.45 + 1e-12, axis=1)
    assert ok.any()
    fewest = grid[ok].sum(axis=1).min()
    # the plan's key teachers are the fewest the brute force finds; nothing else is needed
    assert plan.additions["key_teachers"].sum() == fewest
    assert plan.total_cost == fewest * load_costs().loc["key_teachers", "cost_yuan"]
