"""Which indicator a drafted row names (issue #18, part D), and the kind/district/year rules
found with it: each rule on the sentence it was found on (seed 002 牡丹江 where it comes from
the seed, quoted verbatim; the synthetic example eduanalysis/data/examples/draft_example.txt
otherwise).

Expected indicators are the transcription's (data/raw/figures/mudanjiang.csv, row named in
each test) or the core vocabulary's id for the words of the sentence, read by hand.  The
synonym table is learned WITHOUT seed 002's transcription, as the benchmark does, so a test
cannot pass by looking its own answer up.
"""

from __future__ import annotations

import pytest

from eduanalysis.data.intake.document import Block, Document
from eduanalysis.data.intake.extract import draft
from eduanalysis.data.intake.synonyms import learn_synonyms

SEED = "mudanjiang_2022_selfeval"


@pytest.fixture(scope="module")
def without_seed():
    return learn_synonyms(exclude_sources=[SEED])


def _draft(sentences, table, *, date="2022-07-25", title="", region="mudanjiang", headings=()):
    blocks = [Block(h, f"标题{i}", kind="heading") for i, h in enumerate(headings)]
    blocks += [Block(s, f"第{i + 1}段") for i, s in enumerate(sentences)]
    return draft(Document(blocks, title=title, date=date), region=region, synonyms=table)


def _row(rows, written):
    hit = rows[rows["value_as_written"] == written]
    assert len(hit) == 1, f"{written}: {len(hit)} rows"
    return hit.iloc[0]


def test_growth_sentences_name_the_growth_indicator(without_seed):
    # seed 002: mudanjiang.csv rows 2–8 (edu_budget_expenditure, edu_budget_growth, 5× per_student_spending_growth)
    text = (
        "按照《关于收付实现制下2021年财政教育投入有关工作的通知》(财办教〔2021〕86号)的要求测算,"
        "2021年全市一般公共预算教育支出319322万元,比上年增长3.36%;中等职业学校、普通高中、普通初中、"
        "普通小学、幼儿园生均一般公共预算教育事业性经费支出较2020年分别增长3.61%、2.51%、4.49%、3.45%、15.6%,"
        '实现教育投入"两个只增不减"工作目标。'
    )
    rows = _draft([text], without_seed)
    assert _row(rows, "319322万元")["indicator"] == "edu_budget_expenditure"
    growth = _row(rows, "3.36%")
    assert growth["indicator"] == "edu_budget_growth"
    # the name carries the subject of the clause before, not words of the document title in 《》
    assert growth["name_in_source"] == "（一般公共预算教育支出）比上年"
    for written in ("3.61%", "2.51%", "4.49%", "3.45%", "15.6%"):
        assert _row(rows, written)["indicator"] == "per_student_spending_growth"


def test_per_student_words_and_a_zero_change_take_the_per_student_growth(without_seed):
    # draft_example.txt: 按在校学生人数平均的 … is 生均; 与去年一致 is a zero change of the same indicator
    text = (
        "2023年，全县一般公共预算教育支出5.62亿元，比上年增长3.8%；"
        "按在校学生人数平均的一般公共预算教育支出，小学比上年增长2.1%，初中与去年一致。"
    )
    rows = _draft([text], without_seed, date="2024-03-01", region="")
    assert _row(rows, "3.8%")["indicator"] == "edu_budget_growth"
    assert _row(rows, "2.1%")["indicator"] == "per_student_spending_growth"
    assert _row(rows, "与去年一致")["indicator"] == "per_student_spending_growth"


def test_a_percentage_is_a_share_not_a_count(without_seed):
    # seed 002, mudanjiang.csv row 17 (teacher_exchange_count 831人) and row 18 (teacher_exchange_share 超过7%)
    text = "2021年以来,我市共交流教师831人,交流教师人数占比符合交流条件教师总人数的比例超过7%。"
    rows = _draft([text], without_seed)
    assert _row(rows, "超过7%")["indicator"] == "teacher_exchange_share"


def test_a_list_pointing_back_maps_member_by_member(without_seed):
    # seed 002: mudanjiang.csv rows 24 (毛入园率 省定 85%), 25 (普惠性幼儿园覆盖率 省定 80%), 73 (标准 50%)
    text = (
        "2021年,全市学前三年毛入园率达到90.7%,普惠性幼儿园覆盖率达到90.3%,公办园在园幼儿占比达到50.3%,"
        "分别高于85%、80%、50%的省定指标。"
    )
    rows = _draft([text], without_seed)
    assert _row(rows, "85%")["indicator"] == "preschool_gross_enrolment_rate"
    assert _row(rows, "80%")["indicator"] == "puhui_coverage"
    assert _row(rows, "50%")["indicator"] == "public_kindergarten_share"


def test_listed_items_with_a_shared_tail_map_one_by_one(without_seed):
    # seed 002: mudanjiang.csv rows 54–56 (school_space_rate, teacher_space_rate, student_space_rate)
    text = (
        '全市中小学校百兆光纤联网率达到100%,"三通两平台"建设完成率100%,'
        "学校空间、教师空间、学生空间开通率分别达到81.67%、95.48%、96.49%。"
    )
    rows = _draft([text], without_seed)
    assert _row(rows, "81.67%")["indicator"] == "school_space_rate"
    assert _row(rows, "95.48%")["indicator"] == "teacher_space_rate"
    assert _row(rows, "96.49%")["indicator"] == "student_space_rate"


def test_the_other_counties_are_not_the_county_named_before_and_a_later_date_is_a_target(without_seed):
    # seed 002 (dated 2022-07-25); mudanjiang.csv rows 44–45 give 林口 100% and 绥芬河 75% to those districts
    text = '"互联网+明厨亮灶"方面,所辖林口县建成率达100%,绥芬河市建成率达75%,其余各县(市)2022年底覆盖率实现100%。'
    rows = _draft([text], without_seed)
    assert list(rows["district"]) == ["linkou", "suifenhe", ""]
    assert list(rows["value_type"]) == ["实际", "实际", "目标"]
    assert "2022年底" in rows.iloc[2]["why"]
    # the same sentence in a report dated after 2022年底 states what was done
    later = _draft([text], without_seed, date="2023-03-01")
    assert later.iloc[2]["value_type"] == "实际"


def test_a_heading_of_plans_makes_what_follows_a_target(without_seed):
    # seed 002, under its heading "四、下一步工作打算"
    text = "落实教师编制动态调整机制,加强统筹,落实好周转编制和按照上年度退休教师数量130~140%的比例招聘补充教师等政策。"
    assert _row(_draft([text], without_seed, headings=["四、下一步工作打算"]), "130~140%")["value_type"] == "目标"
    assert _row(_draft([text], without_seed, headings=["三、工作成效"]), "130~140%")["value_type"] == "实际"


def test_the_subject_carries_over_to_every_member_of_a_qizhong_list(without_seed):
    # draft_example.txt: all four numbers are 专任教师; 特殊教育学校 sets the level, not the indicator
    text = "全县共有专任教师3265人，其中：小学1820人，初中1105人，特殊教育学校40人。"
    rows = _draft([text], without_seed, date="2024-03-01", region="")
    assert rows["indicator"].nunique() == 1
    last = _row(rows, "40人")
    assert last["name_in_source"] == "（专任教师）特殊教育学校"
    assert last["level"] == "特殊教育"


def test_teacher_pay_maps_to_the_core_teacher_salary(without_seed):
    # draft_example.txt; core vocabulary: teacher_avg_salary 教师年平均工资 (curated synonym 教师平均工资收入)
    text = "义务教育教师平均工资收入为9.86万元，不低于当地公务员平均工资收入水平。"
    assert _row(_draft([text], without_seed, date="2024-03-01", region=""), "9.86万元")["indicator"] == (
        "teacher_avg_salary"
    )


@pytest.mark.parametrize("date", ["2023-12-20", "2024-03-01"])
def test_a_titles_single_year_wins_for_an_undated_coefficient(without_seed, date):
    # draft_example.txt: "示例县人民政府2023年度履行教育职责自评报告" — the report covers 2023
    title = "示例县人民政府2023年度履行教育职责自评报告"
    rows = _draft(["全县小学综合差异系数为0.41。"], without_seed, date=date, title=title, region="")
    assert _row(rows, "0.41")["year"] == "2023"


def test_a_span_titled_report_keeps_the_last_complete_year_for_a_coefficient(without_seed):
    # seed 000 乌海 (titled 2019—2020年度, dated 2020-09-28): wuhai.csv rows 84–89 give its coefficients 2019
    title = "关于2019—2020年度履行教育职责自评报告"
    rows = _draft(["海南区校际间差异系数小学为0.59。"], without_seed, date="2020-09-28", title=title, region="")
    assert _row(rows, "0.59")["year"] == "2019"


def test_a_bare_number_in_a_sentence_of_coefficients_is_a_coefficient():
    # seed 004 伊宁: yining.csv rows 80–83 (cv_teachers_per_student, cv_qualified_teachers_per_student)
    table = learn_synonyms(exclude_sources=["yining_2021_balance_review"])
    text = (
        "生均图书册数差异系数为小学 0.0994、初中 0.1404,师生比小学 0.3860、 初中师生比为 0.0536, "
        "生均高于规定学历教师数小学 0.4083、初中 0.0532。"
    )
    rows = _draft([text], table, date="2021-03-18", region="yining")
    assert _row(rows, "0.0994")["indicator"] == "cv_books_per_student"
    assert _row(rows, "0.3860")["indicator"] == "cv_teachers_per_student"
    assert _row(rows, "0.4083")["indicator"] == "cv_qualified_teachers_per_student"
    # a staffing norm 1:350 is no coefficient, even though 师生比 was transcribed as one in seed 004
    plain = _draft(["专职思政课教师师生比不低于1:350。"], table, date="2021-03-18", region="")
    assert not plain.iloc[0]["indicator"].startswith("cv_")


def test_a_name_the_words_spell_out_more_fully_is_preferred():
    # seed 003 绵阳: mianyang.csv row 63 (disabled_enrolment_rate 残疾儿童少年义务教育入学率 95.52%)
    table = learn_synonyms(exclude_sources=["mianyang_2020_selfeval"])
    text = "2019年,残疾儿童少年义务教育入学率为95.52%。"
    assert _row(_draft([text], table, date="2020-08-12", region=""), "95.52%")["indicator"] == (
        "disabled_enrolment_rate"
    )


def test_a_date_or_serial_opening_the_clause_does_not_name_the_figure(without_seed):
    # seed 004 伊宁 "2018-2020 年 拨付资金 2140 万元"; seed 000 乌海 "2. 全市62所公办中小学校、幼儿园"
    rows = _draft(["2018-2020 年 拨付资金 2140 万元。", "2. 全市62所公办中小学校、幼儿园。"], without_seed, region="")
    assert _row(rows, "2140 万元")["name_in_source"] == "拨付资金"
    assert not any(ch.isdigit() for ch in _row(rows, "62所")["indicator"])


def test_a_tables_group_level_names_the_level_specific_indicator():
    # seed 001 乌海 表2 (flattened, the group names after the rows): wuhai.csv rows 217–218 give
    # "（高中阶段教育）毛入学率（%） 97 / 98" the indicator hs_gross_enrolment_rate
    table = learn_synonyms(exclude_sources=["wuhai_2022_plan"])
    text = (
        "表2 乌海市教育事业发展“十四五”主要目标 指标 2020 年 2025 年 在园幼儿数(万人) 1.67 1.8 预期性 "
        "学前三年毛入园率(%) 97 98 预期性 在校生(万人) 4.36 4.6 预期性 九年义务教育巩固率(%) 95 96 约束性 "
        "在校生(万人) 0.89 1 预期性 毛入学率(%) 97 98 预期性 属性 学前教育 九年义务教育 高中阶段教育 高等教育"
    )
    rows = _draft([text], table, date="2022-06-14", title="乌海市“十四五”教育事业发展规划", region="wuhai")
    rate = rows[rows["name_in_source"].str.startswith("毛入学率")]
    assert list(rate["value_as_written"]) == ["97", "98"]
    assert set(rate["level"]) == {"高中阶段"}
    assert set(rate["indicator"]) == {"hs_gross_enrolment_rate"}
    # the second value's name does not carry the first value ("在校生4.36（万人）")
    assert not rows["name_in_source"].str.contains(r"\d").any()
