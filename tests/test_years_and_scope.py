"""Years the sources do not give are marked inferred, and figures about part of an area are not
labelled 全市 (issue #19 follow-up: what an inspector found in the rendered city reports)."""

from __future__ import annotations

import pytest

from eduanalysis.data.figures import region_figures
from eduanalysis.judgement.observations import note_scope, observations, year_is_inferred


def _all_obs(region: str, indicator: str, year: str, area: str | None = None):
    o = observations(region)
    o = o[(o["indicator"] == indicator) & (o["year"] == year) & (o["area"] == (area or region))]
    assert len(o) >= 1
    return o


def _obs(region: str, indicator: str, year: str, area: str | None = None) -> dict:
    o = _all_obs(region, indicator, year, area)
    assert len(o) == 1, o
    return o.iloc[0].to_dict()


@pytest.mark.parametrize(
    ("region", "indicator", "year", "area"),
    [
        # 000 第4条 "乌海职业技术学院配备专职辅导员30名，思想政治理论课专职教师13人，在校生6335名": no year
        ("wuhai", "counsellors_fulltime", "2020", None),
        ("wuhai", "ideology_teachers_fulltime", "2020", None),
        ("wuhai", "counsellor_student_ratio", "2020", None),
        # 001 "近年来,教育支出占 GDP 比重仅为 3%": no year
        ("wuhai", "edu_expenditure_gdp_share", "2020", None),
        # 000 第24条 "2019 年民族教育发展专项资金由 50 万元增加到 80 万元；
        # 2020 年民族教育预算资金由 97 万元增至 135 万元":
        # the earlier amounts' years are inferred (the year before)
        ("wuhai", "ethnic_education_funds", "2018", None),
        ("wuhai", "ethnic_education_budget", "2019", None),
        # 001 "全市小学适龄人口入学率 100%": no year
        ("wuhai", "enrolment_rate", "2020", None),
        # 002 "启动74所中小学附设公办幼儿园独立事业单位登记工作": no year
        ("mudanjiang", "attached_kindergartens_registered", "2022", None),
        # 003 (七) "艺术师资配备率达到省教育厅提出的75%要求": no year
        ("mianyang", "art_teacher_staffing_rate", "2020", None),
        # 004 §六 indicator coefficients (no year) and 四(七)
        # "小学入学率达到 100%;初中巩固率 99.71%。残疾儿童少年入学率 100%"
        ("yining", "cv_sports_area_per_student", "2020", None),
        ("yining", "cv_books_per_student", "2020", None),
        ("yining", "enrolment_rate", "2020", None),
        ("yining", "retention_rate", "2020", None),
        ("yining", "disabled_enrolment_rate", "2020", None),
    ],
)
def test_a_year_the_source_does_not_give_is_inferred(region, indicator, year, area):
    assert _all_obs(region, indicator, year, area)["year_inferred"].map(lambda v: v is True).all()


def test_stated_years_stay_stated():
    # 000 第24条 "2019 年民族教育发展专项资金由 50 万元增加到 80 万元": the 80 is 2019's, as written
    assert _obs("wuhai", "ethnic_education_funds", "2019")["year_inferred"] is False
    assert _obs("wuhai", "ethnic_education_budget", "2020")["year_inferred"] is False


def test_yining_composites_derive_an_inferred_year():
    # 004 §六 gives the eight coefficients without a year; the composite computed from them inherits it
    o = observations("yining")
    composite = o[o["indicator"] == "composite_cv"]
    assert len(composite) == 2 and composite["year_inferred"].all()


def test_one_statement_without_a_year_carries_its_own_mark():
    # 乌海 001 正文 "全市普通高中阶段教育毛入学率达98%" (no year) and 表1 "高中阶段毛入学率(%) 93 97"
    # (2015, 2020): the 2020 figure is stated for 2020 by the table, the 98% is marked where it is shown
    o = _obs("wuhai", "hs_gross_enrolment_rate", "2020")
    assert o["year_inferred"] is False
    assert o["value_as_written"] == "98%（年份推断）；97%"


def test_marks_are_read_wherever_they_stand_in_a_note():
    note = "年份推断：原文未写年份；范围：乌海职业技术学院（原文…），不是全市数值"
    assert year_is_inferred(note) and note_scope(note) == "乌海职业技术学院"
    assert not year_is_inferred("年份按汇报时点记") and note_scope("") == ""


def test_college_figures_are_the_colleges_not_the_citys():
    # 000 第4条 "乌海职业技术学院配备专职辅导员30名，思想政治理论课专职教师13人": one college's staff
    for indicator in ("counsellors_fulltime", "ideology_teachers_fulltime", "counsellor_student_ratio"):
        assert _obs("wuhai", indicator, "2020")["scope_zh"] == "乌海职业技术学院"


def test_quality_balance_shares_are_the_citys_and_each_2024_share_is_labelled():
    # 001 专栏6 "2022 年乌达区接受国家义务教育优质均衡发展县评估认定(占比 33.3%);海勃湾区和海南区于 2024 年接受评估
    # 认定(占比 66.7%)。至此,我市三区全部接受国家义务教育优质均衡发展县评估认定(占比 100%;自治区标准为 20%)"
    f = region_figures("wuhai")
    share = f[f["indicator"] == "quality_balance_district_share"]
    # 33.3% is one district of three: the city's share, not 乌达区's own figure
    row = share[share["value_as_written"] == "33.3%"].iloc[0]
    assert row["area"] == "wuhai" and row["year"] == "2022"
    # 2024: 100% is the city's running share; 66.7% is the share of that year's batch (2 of 3 districts)
    targets_2024 = share[(share["year"] == "2024") & (share["value_type"] == "目标")]
    assert targets_2024["value_as_written"].tolist() == ["100%"]
    batch = f[f["indicator"] == "quality_balance_district_share_batch"]
    assert batch[["year", "value_as_written"]].values.tolist() == [["2024", "66.7%"]]


def test_a_plan_total_is_a_plan():
    # 伊宁 004 三(三): "规划分为四个阶梯实施, 实施年限为 2018 至 2021 年。总投资 49871.15 万元,改扩建面积 106508 平方米"
    f = region_figures("yining").set_index("indicator")
    assert f.loc["weak_school_investment", "value_type"] == "计划"
    assert f.loc["weak_school_area_planned", "value_type"] == "计划"


def test_a_stated_decline_is_listed_once_on_the_first_screen():
    # 乌海 000 第11条 "2019年全市教育经费总支出15.44亿元，比上年减少2.4%": shown under 较前期下降, so not
    # repeated under 文件自述的问题
    from eduanalysis.judgement.claims import region_claims
    from eduanalysis.judgement.trends import declines
    from eduanalysis.presentation.summary import _shown_as_decline

    claims = region_claims("wuhai")
    repeated = claims[_shown_as_decline(claims, declines("wuhai"))]
    assert repeated["claim_id"].tolist() == ["WC03"]


def test_a_claim_without_a_year_shows_it_inferred():
    # 绵阳 003 (七) "艺术师资配备率达到省教育厅提出的75%要求": no year; the claims table shows 2020（推断）
    from eduanalysis.judgement.claims import region_claims
    from eduanalysis.presentation.city import _figure_years

    c = region_claims("mianyang").set_index("claim_id", drop=False)
    years = _figure_years(c)
    assert years["MYC01"] == "2020（推断）" and years["MYC06"] == "2019-2020"


def test_plan_targets_carry_their_table_units():
    # 乌海 001 表2: "学前三年毛入园率(%) 97 98" and "在校生(万人) 1.67 1.8" — a bare table number reads with the
    # unit its header gives, not "98" or "1.8"
    from eduanalysis.judgement.targets import plan_targets

    t = plan_targets("wuhai")
    cols = ["target_as_written", "base_as_written"]
    rate = t[(t["indicator"] == "preschool_gross_enrolment_rate") & (t["base_as_written"] != "")]
    assert ["98%", "97%"] in rate[cols].values.tolist()
    pupils = t[t["indicator"] == "preschool_enrolment"]
    assert ["1.8万人", "1.67万人"] in pupils[cols].values.tolist()
