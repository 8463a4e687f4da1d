"""Findings: each verdict class of issue #12, built on the documents' own sentences.

Every expected number below is worked out by hand from the quoted sentence (seeds in
``../shared/seeds``, registered in ``data/raw/sources.csv``) and the threshold in
``shared/reference/standards.md``; the comment next to each says how.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from eduanalysis.data.bounds import Interval, bound_of, interval
from eduanalysis.judgement.claims import _names_limit
from eduanalysis.judgement.findings import (
    FINDING_COLUMNS,
    VERDICTS,
    findings,
    observations,
    two_no_decrease,
)
from eduanalysis.judgement.judge import judge
from eduanalysis.judgement.targets import plan_targets
from eduanalysis.presentation.labels import shortfall_label, value_label


@pytest.fixture(scope="module")
def wuhai():
    return findings("wuhai")


def _one(table: pd.DataFrame, **where) -> pd.Series:
    rows = table
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, (where, rows[["area", "year", "indicator", "verdict"]])
    return rows.iloc[0]


def test_columns_and_verdict_vocabulary(wuhai):
    assert list(wuhai.columns) == FINDING_COLUMNS
    assert set(wuhai["verdict"]) <= set(VERDICTS)
    assert set(wuhai["applicability"]) <= {"适用", "参照"}
    assert set(wuhai["standard_status"]) <= {"已核对", "待核对", "文件引用"}


# ---- bound semantics -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifier", "bound", "expected"),
    [
        ("超过", "above", Interval(7.0, math.inf)),  # 牡丹江 002: "…比例超过7%"
        ("以上", "at_least", Interval(7.0, math.inf)),  # 乌海 001: "98%以上"
        ("以内", "at_most", Interval(-math.inf, 7.0)),  # 乌海 001: "15%以内"
        ("不超过", "at_most", Interval(-math.inf, 7.0)),  # contains 超过, but is its negation
        ("不高于", "at_most", Interval(-math.inf, 7.0)),
        ("近", "nearly", Interval(6.65, 7.0)),  # 乌海 000: "近 3000 万元" — within 5 % below
        ("左右", "about", Interval(6.65, 7.35)),  # 乌海 001: "3 个左右" — ±5 %
        ("余", "above", Interval(7.0, math.inf)),  # 乌海 000: "5万余名"
        ("", "exact", Interval(7.0, 7.0)),
        ("减少", "exact", Interval(7.0, 7.0)),  # a sign, not a bound
    ],
)
def test_bounds(qualifier, bound, expected):
    assert bound_of(qualifier) == bound
    got = interval(7.0, bound)
    assert got.low == pytest.approx(expected.low) and got.high == pytest.approx(expected.high)


def test_a_lower_bound_below_the_threshold_cannot_be_judged():
    # 牡丹江 002 一（三）3: "交流教师人数占比符合交流条件教师总人数的比例超过7%"; the 2017 rule asks ≥ 10 %
    # (unconfirmed).  "More than 7 %" may or may not reach 10 %: 无法判定, not a flat 未达标 by −3.
    row = _one(findings("mudanjiang"), indicator="teacher_exchange_share")
    assert row["bound"] == "above" and row["verdict"] == "无法判定"
    assert math.isnan(row["margin"]) and "下限（超过）" in row["reason"]
    assert row["standard_status"] == "待核对"


def test_a_lower_bound_above_the_threshold_passes_with_a_guaranteed_margin():
    # "95%以上" against ≥ 80 % holds for every value the words allow: 达标 by at least 15 points.
    assert tuple(judge(interval(95.0, "at_least"), ">=", 80.0)) == ("达标", 15.0, True)
    # "近 3000" (at most 3000, at least 2850) against ≥ 3000: never reaches it
    assert judge(interval(3000.0, "nearly"), ">=", 3000.0).verdict == "无法判定"
    assert judge(interval(3000.0, "nearly"), ">=", 3100.0).verdict == "未达标"


def test_a_range_is_judged_over_its_whole_interval():
    # 伊宁 004 四(五): "每年完成 25-30%的培训率" read as [25, 30] (numbers.parse_quantity → bound range):
    # against ≥ 20 every value in it passes; against ≥ 28 part of it does not, so no verdict is drawn
    from eduanalysis.data.numbers import parse_quantity

    q = parse_quantity("25-30%")
    span = interval(q.value, bound_of(q.qualifier), q.high)
    assert span == Interval(25.0, 30.0)
    assert tuple(judge(span, ">=", 20.0))[:2] == ("达标", 5.0)
    assert judge(span, ">=", 28.0).verdict == "无法判定"
    assert judge(span, ">=", 31.0).verdict == "未达标"


# ---- baselines and later rules -------------------------------------------------------


def test_a_baseline_older_than_the_standard_is_not_judged(wuhai):
    # 乌海 001 表1: "九年义务教育巩固率(%) 93 95" (2015, 2020); the 95 % rule is of 2017.
    row = _one(wuhai, indicator="retention_rate", year="2015")
    assert row["verdict"] == "无法判定" and "早于该标准（2017 年）" in row["reason"]
    # 乌海 000 第19条: "2019年义务教育巩固率93.2%" is judged: 95 − 93.2 = 1.8 points short, as a reference;
    # 001 表1 gives 95 for 2020 (达标), so the superseded 2019 asks for no "需提高 1.8 个百分点"
    row = _one(wuhai, indicator="retention_rate", year="2019")
    assert row["verdict"] == "未达标" and row["margin"] == pytest.approx(-1.8)
    assert row["applicability"] == "参照" and math.isnan(row["shortfall"])
    assert "2020 年已达标，本年缺口不再计算" in row["note"] and row["margin_unit"] == "个百分点"


# ---- duplicates and conflicting statements -------------------------------------------


def test_two_documents_disagreeing_give_one_finding_judged_over_both_values(wuhai):
    # 乌海 000 第15条 "公办幼儿园在园幼儿占比51.2%" vs 001 "公办园在园幼儿占比达到 50.8%", both 2020: one
    # finding; both values reach 50 %, so it passes, by the less favourable 50.8 − 50 = 0.8 points
    rows = wuhai[(wuhai["indicator"] == "public_kindergarten_share") & (wuhai["year"] == "2020")]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["verdict"] == "达标" and row["margin"] == pytest.approx(0.8) and row["margin_is_bound"]
    assert "不同数值" in row["reason"] and "51.2%" in row["reason"] and "50.8%" in row["reason"]
    assert set(row["sources"].split("；")) == {"wuhai_2020_selfeval", "wuhai_2022_plan"}


def test_statements_on_both_sides_of_a_threshold_are_a_doubt():
    from eduanalysis.judgement.verdicts import _judge

    obs = {"conflict": "49%（甲）；51%（乙）", "value": 49.0, "bound": "exact", "year": "2020", "value_as_written": ""}
    verdict, reason, margin, _ = _judge(
        obs, None, comparator=">=", low=50.0, high=None, iv=Interval(49.0, 51.0), plausible=(100.0, ""), year=""
    )
    assert verdict == "数据存疑" and math.isnan(margin) and "结论不同" in reason


def test_the_same_figure_stated_twice_counts_once(wuhai):
    # 2020 三类残疾儿童入学率 95 % appears in 000 and in 001: one finding citing both documents
    rows = wuhai[(wuhai["indicator"] == "disabled_enrolment_rate_three_kinds") & (wuhai["year"] == "2020")]
    assert len(rows) == 1 and len(rows.iloc[0]["sources"].split("；")) == 2
    # "全市视障、听障、智障三类残疾儿童入学率达到95%": three kinds only, the 2017 rule counts every
    # disabled child — a narrower measure, so a reference that says so
    row = rows.iloc[0]
    assert row["applicability"] == "参照" and row["limit"] == 95.0 and "口径较窄" in row["note"]


# ---- implausible values --------------------------------------------------------------


def test_a_retention_rate_above_100_percent_is_doubtful_not_good():
    # 绵阳 003 (二十一): "2019年全市九年义务教育巩固率达到100.87%,超过国家标准" — above 100 % because
    # pupils moved in; it says nothing about retention: 数据存疑, and no "+5.87" margin.
    row = _one(findings("mianyang"), indicator="retention_rate")
    assert row["verdict"] == "数据存疑" and math.isnan(row["margin"]) and "100%" in row["reason"]


# ---- both halves of 两个只增不减 -----------------------------------------------------


def test_two_no_decrease_needs_both_halves():
    # 乌海 000 第11条: budget spending +10.89 %; per-student growth 学前 86.62 %, 小学 4.77 %,
    # 初中 8.46 %, 普高 9.04 % — both halves hold in 2019.
    t = two_no_decrease(findings("wuhai")).set_index(["area", "year"])
    assert t.loc[("wuhai", "2019"), ["total", "per_student", "verdict"]].tolist() == ["达标", "达标", "达标"]
    # 伊宁 004 三（一） gives the totals 2017–2020 and only says "小学、初中生均教育事业费2018-2020年逐年增长":
    # a claim without a number cannot be verified, so the per-student half — and the whole — is 无法判定.
    t = two_no_decrease(findings("yining"))
    assert set(t["total"]) == {"达标"} and set(t["per_student"]) == {"无法判定"} and set(t["verdict"]) == {"无法判定"}
    assert t["reason"].str.contains("文件称增长，但未给出数值").all()


def test_a_county_the_document_says_missed_the_rule():
    # 牡丹江 002 三（一）: "我市所辖海林市、宁安市2021年一般公共预算教育支出未实现增长" — the report used to say
    # 两个只增不减 达标 for the city and nothing about the counties.
    f = findings("mudanjiang")
    t = two_no_decrease(f).set_index("area")
    assert t.loc["mudanjiang", "verdict"] == "达标"  # the city: +3.36 %, and every level's per-student growth
    for county in ("hailin", "ningan"):
        assert t.loc[county, "verdict"] == "未达标"
        row = _one(f, area=county, rule_id="budget_growth")
        assert row["basis"] == "文件自述" and "未实现增长" in row["claim"]


def test_growth_derived_from_consecutive_years():
    # 伊宁 004 三（一）: 122064 万元 (2017) → 138501 万元 (2018): 138501 / 122064 − 1 = 0.134659…
    row = _one(findings("yining"), indicator="edu_budget_growth", year="2018")
    assert row["basis"] == "计算" and row["value"] == pytest.approx(13.4659, abs=1e-4)
    assert row["verdict"] == "达标" and row["margin_unit"] == "个百分点"


# ---- districts are never pooled ------------------------------------------------------


def test_composites_are_judged_per_district_and_level(wuhai):
    # 乌海 000 第20条: 海勃湾区 0.52/0.46, 乌达区 0.44/0.40, 海南区 0.59/0.37 (小学/初中) — each against
    # the 2012 limit of its level (0.65 / 0.55), applicable to a 市辖区.
    comp = wuhai[wuhai["indicator"] == "composite_cv"]
    assert sorted(comp["area"].unique()) == ["haibowan", "hainan", "wuda"]
    assert "wuhai" not in set(comp["area"])  # no city-wide composite pooled from districts
    limits = dict(zip(comp["level"], comp["limit"]))
    assert limits == {"小学": 0.65, "初中": 0.55}
    margins = {(r.area, r.level): round(r.margin, 2) for r in comp.itertuples()}
    assert margins[("hainan", "小学")] == 0.06 and margins[("haibowan", "初中")] == 0.09
    assert set(comp["applicability"]) == {"适用"}


def test_composite_recomputed_only_from_one_areas_eight_coefficients():
    # 伊宁 004 六: the eight primary coefficients average to 0.475413 (by hand: 3.80330 / 8)
    row = _one(findings("yining"), indicator="composite_cv", level="小学")
    assert row["basis"] == "计算" and row["value"] == pytest.approx(0.4754125)
    assert row["verdict"] == "达标"


def test_2012_indicator_coefficients_are_not_judged_against_2017_lines_except_shared_ones():
    yining = findings("yining")
    judged = set(yining.loc[yining["indicator"].str.startswith("cv_"), "indicator"])
    # only the indicators both schemes share (生均高于规定学历教师数 is the 2017 per-100 indicator ÷ 100,
    # and scaling leaves a coefficient unchanged), and only as a reference
    assert judged == {
        "cv_teaching_aux_area_per_student",
        "cv_sports_area_per_student",
        "cv_equipment_value_per_student",
        "cv_qualified_teachers_per_student",
    }
    assert set(yining.loc[yining["indicator"].str.startswith("cv_"), "applicability"]) == {"参照"}


# ---- shortfalls in natural units -----------------------------------------------------


def test_staffing_shortfall_in_people(wuhai):
    # 乌海 000 二（一）4: 30 counsellors, 13 ideology teachers, 6335 students, "1:211和1:487".
    # ≥ 1 counsellor per 200: ceil(6335 / 200) = 32 → 2 more; ≥ 1 teacher per 350: ceil(6335 / 350) = 19 → 6 more.
    row = _one(wuhai, indicator="counsellor_student_ratio")
    assert row["compared_low"] == pytest.approx(211.0) and row["verdict"] == "未达标"
    assert (row["shortfall"], row["shortfall_unit"]) == (2.0, "人")
    row = _one(wuhai, indicator="ideology_teacher_student_ratio")
    assert (row["shortfall"], row["shortfall_unit"]) == (6.0, "人")
    assert "文件亦引用此标准" in row["note"]  # the document cites the same 1:350: one finding, not two


def test_a_comparison_level_is_not_a_standard(wuhai):
    # 乌海 001 二、主要问题: "教育支出占 GDP 比重仅为 3%,距离国家 4.11%、自治区 4%的支出水平还有一定的差距" —
    # national and regional *actual* levels (对照), not norms: no verdict.
    assert "edu_expenditure_gdp_share" not in set(wuhai["indicator"])


def test_reference_standards_for_a_city_and_document_norms():
    md = findings("mudanjiang")
    # 牡丹江 002 一（四）1: "全市学前三年毛入园率达到90.7%…分别高于85%、80%、50%的省定指标" — the 2020
    # 县域 standard is made for counties, but the document holds the city to the same 85 % (省定指标): one
    # finding, applicable, with the document's norm noted — not judged twice.
    row = _one(md, indicator="preschool_gross_enrolment_rate")
    assert row["applicability"] == "适用" and row["verdict"] == "达标" and row["margin"] == pytest.approx(5.7)
    assert "省定指标" in row["note"]
    # "专任教师比例为1:11,高于规定的1:15": no national threshold in the reference, judged against
    # the document's own norm: 11 children per teacher ≤ 15, 4 fewer.
    row = _one(md, indicator="teacher_child_ratio")
    assert row["standard_status"] == "文件引用" and row["verdict"] == "达标" and row["margin"] == pytest.approx(4.0)
    # the margin is x of 1:x, so it carries the unit of x (children per teacher), never a bare "+4"
    assert row["margin_unit"] == "名在园幼儿/名专任教师"
    # "教职工与在园幼儿比为1:5.6,高于1:6": the national rule on the same indicator names the unit
    norm = md[(md["indicator"] == "staff_child_ratio") & (md["rule_id"] == "document_norm")].iloc[0]
    assert norm["margin"] == pytest.approx(0.4) and norm["margin_unit"] == "名幼儿/名教职工"


# ---- plan targets --------------------------------------------------------------------


def test_no_negative_required_growth_when_the_target_is_already_met():
    t = plan_targets("wuhai")
    # 乌海 001 专栏5: 普惠性幼儿园覆盖率 "稳定在95%以上" by 2025; 2020 baseline 95.4 %: already met
    row = _one(t, indicator="puhui_coverage", target_year=2025)
    assert row["status"] == "基期已达到目标" and math.isnan(row["required_pp_per_year"])
    assert (t["required_rate"].dropna() >= 0).all() or (
        t.loc[t["required_rate"] < 0, "status"].str.contains("下降")
    ).all()
    # 表2: 巩固率 95 → 96 in five years: (96 − 95) / 5 = 0.2 points a year
    assert _one(t, indicator="retention_rate", target_year=2025)["required_pp_per_year"] == pytest.approx(0.2)


def test_observations_are_shared_with_cross_region():
    obs = observations("wuhai").set_index(["area", "year", "indicator"])
    assert obs.loc[("wuhai", "2020", "public_kindergarten_share"), "conflict"]


def test_a_related_norm_of_another_measure_is_shown_but_not_judged():
    # 伊宁 004 五（一）三: "优质高中总招生人数4255人，优质高中面向薄弱初中招生2008人，占总录取人数的47.19%";
    # the rule it cites is "不低于50%的招生指标直接分配到初中学校" — another measure (data log item 3)
    row = _one(findings("yining"), indicator="quality_hs_weak_school_share")
    assert row["verdict"] == "无法判定" and "口径不同" in row["reason"] and row["limit"] == 50.0


def test_the_vocational_band_is_a_convention_so_only_a_reference():
    # "职普比大体相当" has no tolerance in the policy: the 40–60 % band is this project's reading
    row = _one(findings("mudanjiang"), indicator="vocational_general_ratio")
    assert row["applicability"] == "参照" and row["verdict"] == "达标" and row["margin"] == pytest.approx(0.0)


def test_a_vocational_share_below_the_band_is_a_reading_without_admissions_to_add(wuhai):
    # 乌海 000 二（二）第9条: "2019年全市高中阶段招生3647人。其中，普高招生2596人，职高招生1051人，
    # 职普比2.9:7.1". 2.9/(2.9+7.1) = 29 % against the 40 % floor of the band: −11 points.  The policy
    # (standards.md §5: 职普比 "大体相当", roughly 5:5) gives no number; the 40–60 % band is this report's
    # reading, so it is only a reference and yields no "需增加 N 人" (issue #19, item 3).
    row = _one(wuhai, indicator="vocational_general_ratio", year="2019")
    assert row["verdict"] == "未达标" and row["applicability"] == "参照"
    assert row["margin"] == pytest.approx(-11.0)
    assert math.isnan(row["shortfall"]) and shortfall_label(row) == "—"
    assert "判读约定" in row["applicability_basis"] and "不据此测算" in row["applicability_basis"]


def test_a_share_over_a_wider_denominator_is_only_a_floor_of_the_standards_share():
    # 伊宁 004 四（二）: "全市专任教师为6559人，…教师交流330人，交流率为5%" — 330 ÷ 6559 over *all* full-time
    # teachers; the 2017 rule counts "符合交流条件教师总数", a subset, so the rule's share is ≥ 5 %:
    # it may or may not reach 10 % → 无法判定, not 未达标 by 5 points (nor a shortfall in people).
    row = _one(findings("yining"), indicator="teacher_exchange_share")
    assert row["compared_low"] == pytest.approx(5.0) and math.isinf(row["compared_high"])
    assert row["verdict"] == "无法判定" and math.isnan(row["shortfall"])
    assert "符合交流条件教师" in row["note"] and "不低于文件数值" in row["reason"]


def test_a_city_that_measures_itself_against_a_county_standard_is_held_to_it(wuhai):
    # 乌海 001 十三五（三）: "公办园在园幼儿占比达到50.8%,高于国家和自治区标准0.8个百分点" — 50.8 − 0.8 = 50,
    # the 2020 县域 standard's 50 %: the city holds itself to it, as 牡丹江 does with "高于…85%…的省定指标",
    # so the standard applies (适用), not only as a reference; the same for 普惠 95.4 % "高于…15.4个百分点" (80 %).
    for indicator, limit in (("public_kindergarten_share", 50.0), ("puhui_coverage", 80.0)):
        row = _one(wuhai, indicator=indicator, year="2020")
        assert row["limit"] == limit and row["applicability"] == "适用" and row["verdict"] == "达标"
        assert "衡量本地区" in row["note"]
    # words whose difference does not give the rule's limit leave it a reference
    assert _names_limit("达到50.8%,高于国家和自治区标准0.8个百分点", 50.0)
    assert not _names_limit("达到50.8%,高于国家和自治区标准0.8个百分点", 55.0)


def test_a_verdict_from_words_alone_shows_no_compared_value():
    # 牡丹江 002 三（一）: 海林市、宁安市 "未实现…增长" — no amount, so no number is compared: "—", not "—–—"
    md = findings("mudanjiang")
    row = md[(md["basis"] == "文件自述") & (md["verdict"] == "未达标")].iloc[0]
    assert value_label(row) == "—"


def test_table_cells_read_with_their_header_unit(wuhai):
    # 乌海 001 表1: "高中阶段毛入学率(%) 93 97" — the cells are bare numbers; a reader sees 93%, not 93
    row = _one(wuhai, indicator="retention_rate", year="2015")
    assert row["value_as_written"] == "93%"


# ---- applicability as data, each figure judged once (issue #19, items 2–3) -------------


def test_one_status_per_area_year_and_standard(wuhai):
    # 乌海 001 十三五（三）: "公办园在园幼儿占比达到50.8%,高于国家和自治区标准0.8个百分点,普惠性幼儿园覆盖率
    # 95.4%,高于国家和自治区标准15.4个百分点" — the city measures itself against the 2020 普及普惠 standard
    # (standards.md §4: 毛入园率 ≥ 85%, 普惠 ≥ 80%, 公办园 ≥ 50%).  Its 2020 学前三年入园率 97 % (表1) is judged
    # against the same standard in the same year, so it gets the same status: 适用, never 参照 beside 适用.
    judged = wuhai[(wuhai["standard"] == "preschool_2020") & (wuhai["year"] == "2020")]
    assert set(judged["indicator"]) == {
        "preschool_three_year_enrolment_rate",
        "public_kindergarten_share",
        "puhui_coverage",
    }
    assert set(judged["applicability"]) == {"适用"}
    enrolment = _one(judged, indicator="preschool_three_year_enrolment_rate")
    assert enrolment["verdict"] == "达标" and enrolment["margin"] == pytest.approx(12.0)  # 97 − 85
    # and in every region: an area, year and standard never carry two statuses
    for slug in ("wuhai", "mudanjiang", "mianyang", "yining"):
        f = findings(slug)
        f = f[f["standard"] != ""]
        assert (f.groupby(["area", "year", "standard"])["applicability"].nunique() == 1).all(), slug


def test_each_figure_is_judged_once_against_its_most_specific_standard():
    # 牡丹江 002 一（四）1: "教职工与在园幼儿比为1:5.6,高于1:6" — the document holds itself to 1:6 (a norm
    # it cites); the national 《幼儿园教职工配备标准（暂行）》 (standards.md §4: 1:5 to 1:7, per kindergarten,
    # to confirm) is another standard for the same figure.  One verdict, against 1:6 (5.6 ≤ 6: 达标, 0.4
    # fewer children per staff member); 1:7 is shown beside it as context, not counted as a second verdict.
    md = findings("mudanjiang")
    rows = md[md["indicator"] == "staff_child_ratio"]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["standard_status"] == "文件引用" and row["limit"] == pytest.approx(6.0)
    assert row["verdict"] == "达标" and row["margin"] == pytest.approx(0.4)
    assert "≤ 7" in row["context"] and "参照" in row["context"]
    for slug in ("wuhai", "mudanjiang", "mianyang", "yining"):  # never two verdicts for one figure
        f = findings(slug)
        assert not f.duplicated(["area", "level", "group", "year", "indicator"]).any(), slug


def test_every_scope_has_a_case_in_the_applicability_table():
    from eduanalysis.judgement.applicability import applicability
    from eduanalysis.judgement.rules import SCOPES

    for scope in (*SCOPES, "文件引用"):
        for county in (True, False):
            for held in (True, False):
                assert applicability(scope, county, held).status in {"适用", "参照"}
    # the cases the issue names: a 县域 rule on a city is a reference unless the city holds itself to it
    assert applicability("县域", False, False).status == "参照"
    assert applicability("县域", False, True).status == "适用"
    assert applicability("县域", True, False).status == "适用"


def test_a_year_the_document_does_not_give_is_shown_as_inferred(wuhai):
    # 乌海 000 第20条: "海勃湾区、乌达区、海南区校际间差异系数小学分别为0.52、0.44、0.59，中学分别为0.46、0.40、0.37，
    # 符合国家标准" — no year; the self-evaluation covers 2019—2020, so 2019 is our inference, marked as such
    from eduanalysis.presentation.labels import year_label

    comp = wuhai[wuhai["indicator"] == "composite_cv"]
    assert comp["year_inferred"].all()
    assert {year_label(r) for _, r in comp.iterrows()} == {"2019（推断）"}
    # a year the document states is not marked: 表1 "九年义务教育巩固率(%) 93 95" (2015, 2020)
    stated = _one(wuhai, indicator="retention_rate", year="2020")
    assert not stated["year_inferred"] and year_label(stated) == "2020"


def test_a_junior_retention_rate_against_the_nine_year_rule_says_so():
    # 伊宁 004 四（七）: "初中巩固率99.71%"; the 2017 rule is on 九年义务教育巩固率 ≥ 95 % (standards.md §3):
    # another 口径, judged only as a reference, and the finding says which figure met which rule
    row = _one(findings("yining"), indicator="retention_rate")
    assert row["level"] == "初中" and row["applicability"] == "参照" and row["verdict"] == "达标"
    assert "初中巩固率" in row["note"] and "九年义务教育巩固率" in row["note"]


def test_a_region_reviewed_under_a_provincial_rule_cites_it():
    # 伊宁 004 开头: "并对照《新疆维吾尔自治区县域义务教育均衡发展督导评估暂行办法》进行了自查自评" — the 2012
    # composite limits (standards.md §2: 小学 ≤ 0.65, 初中 ≤ 0.55) are read as that provincial version's
    comp = findings("yining")
    comp = comp[comp["indicator"] == "composite_cv"]
    assert len(comp) == 2
    assert comp["standard_source"].str.startswith("《新疆维吾尔自治区县域义务教育均衡发展督导评估暂行办法》").all()
    assert comp["standard_source"].str.contains("教育部《县域义务教育均衡发展督导评估暂行办法》").all()
    assert comp["note"].str.contains("待核对").all()  # its thresholds are taken from the national rule
    wuhai = findings("wuhai")  # a region whose documents cite no provincial version keeps the national one
    assert not wuhai["standard_source"].str.contains("新疆").any()


def test_a_ratio_for_one_college_is_not_labelled_the_whole_city(wuhai):
    # 乌海 000 第4条: "乌海职业技术学院配备专职辅导员30名，思想政治理论课专职教师13人，在校生6335名，师生比分别为
    # 1:211和1:487" — one college's ratio: the finding names the college, the report does not say 全市
    from eduanalysis.presentation.labels import place_label

    row = _one(wuhai, indicator="counsellor_student_ratio")
    assert row["scope_zh"] == "乌海职业技术学院"
    assert place_label({**row, "area_label": "全市"}) == "乌海职业技术学院"
    assert set(wuhai.loc[wuhai["indicator"] == "composite_cv", "scope_zh"]) == {""}  # district figures keep their area


def test_a_context_standard_shows_the_comparison_without_a_verdict():
    # 牡丹江 002 一(四)1: "全市幼儿园教职工与在园幼儿比为1:5.6" is judged against the document's own 1:6; the
    # 2013 《幼儿园教职工配备标准（暂行）》 ("full-day kindergartens 教职工:幼儿 1:5 to 1:7 (to confirm)",
    # standards.md) is context: compared, no verdict word, marked 待核对 and listed for the appendix
    f = findings("mudanjiang")
    row = f[(f["indicator"] == "staff_child_ratio") & (f["context"] != "")].iloc[0]
    assert "幼儿园教职工配备标准" in row["context"] and "标准待核对" in row["context"]
    assert not any(word in row["context"] for word in ("：达标", "：未达标", "：无法判定"))
    assert row["context_standards"] == "《幼儿园教职工配备标准（暂行）》|2013|待核对"
