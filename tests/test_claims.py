"""The documents' own claims: validation of the files, and what the documents say."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from eduanalysis import DataValidationError, paths
from eduanalysis.data.claims import CLAIM_COLUMNS, CLAIMS, claims_path, load_claims, unquoted_claims
from eduanalysis.data.sources import load_sources, source_text

HEADER = ",".join(CLAIM_COLUMNS) + "\n"
CLAIM_REGIONS = sorted(p.stem for p in paths.CLAIMS_DIR.glob("*.csv"))


def _write(tmp_path, lines: list[str]):
    path = tmp_path / "claims.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


# a valid mudanjiang row, the sentence of 002 三(一)
OK = (
    "MC30,mudanjiang,hailin,2021,,,edu_budget_expenditure,未增长,,"
    "我市所辖海林市、宁安市2021年一般公共预算教育支出未实现增长,mudanjiang_2022_selfeval,三、存在问题,"
)


def test_claim_regions_are_found_from_the_files():
    assert CLAIM_REGIONS, "no data/raw/claims/*.csv found"
    assert all(claims_path(r).exists() for r in CLAIM_REGIONS)


@pytest.mark.parametrize("region", CLAIM_REGIONS)
def test_each_claims_file_is_valid(region):
    claims = load_claims(region)
    assert len(claims) > 0
    assert set(claims["claim"]) <= set(CLAIMS)
    assert claims["claim_id"].is_unique
    assert (claims["region"] == region).all()
    # every claim's source is one of the region's registered documents
    sources = load_sources()
    assert set(claims["source"]) <= set(sources.index)


def test_a_region_without_a_file_has_no_claims(tmp_path):
    empty = load_claims("mudanjiang", tmp_path / "none.csv")
    assert empty.empty and [*CLAIM_COLUMNS, "name_zh", "adverse", "row"] == list(empty.columns)


def test_every_problem_is_reported_at_once_with_file_row_and_column(tmp_path):
    path = _write(
        tmp_path,
        [
            OK,
            OK,  # duplicated id
            OK.replace("未增长", "达到").replace("MC30", "MC31"),
            OK.replace(",hailin,", ",haerbin,").replace("MC30", "MC32"),
            OK.replace(",2021,,,", ",2021,小學,,").replace("MC30", "MC33"),
            OK.replace("edu_budget_expenditure", "edu_budget_expendture").replace("MC30", "MC34"),
            OK.replace("mudanjiang_2022_selfeval", "yining_2021_balance_review").replace("MC30", "MC35"),
            OK.replace("我市所辖海林市、宁安市2021年一般公共预算教育支出未实现增长", " ").replace("MC30", "MC36"),
        ],
    )
    with pytest.raises(DataValidationError) as info:
        load_claims("mudanjiang", path)
    message = str(info.value)
    assert message.startswith(f"7 problem(s) in {path}")
    expected = [
        r"row 3, column `claim_id`: 'MC30' is already used in row 2",
        r"row 4, column `claim`: expected one of 达标、未达标",
        r"row 5, column `district`: 'haerbin' is not a district of 'mudanjiang'",
        r"row 6, column `level`: expected one of 学前",
        "did you mean 小学?",
        r"row 7, column `indicator`: 'edu_budget_expendture' is not in the indicator registry",
        "did you mean edu_budget_expenditure or",
        "row 8, column `source`: document 'yining_2021_balance_review' belongs to 'yining'",
        "row 9, column `quote`: must not be empty",
    ]
    for part in expected:
        assert part in message, part


@pytest.mark.parametrize(
    "line, match",
    [
        (OK.replace(",2021,", ",21,"), r"row 2, column `year`: expected a year like 2020"),
        (OK.replace("mudanjiang,hailin", "yining,hailin"), r"row 2, column `region`: expected 'mudanjiang'"),
        (OK.replace("MC30", "MC 30"), r"row 2, column `claim_id`: expected a short id"),
        (
            OK.replace(",三、存在问题,", ", ,"),
            r"row 2, column `locator`: columns `source` and `locator` must not be empty",
        ),
        (OK.replace(",,,edu", ",,城里,edu"), r"row 2, column `group`: expected one of 城镇"),
        (OK.replace("mudanjiang_2022_selfeval", "mdj"), r"row 2, column `source`: 'mdj' is not a document"),
    ],
)
def test_each_rule_names_its_column(tmp_path, line, match):
    with pytest.raises(DataValidationError, match=match):
        load_claims("mudanjiang", _write(tmp_path, [line]))


def test_a_wrong_header_names_the_missing_column(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(HEADER.replace(",quote", "") + OK + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"row 1: the header must be .*missing quote"):
        load_claims("mudanjiang", path)


def test_adverse_follows_the_claim_and_the_indicators_direction(tmp_path):
    rows = [
        OK,  # 未增长: a problem whatever the direction
        OK.replace("未增长", "达标").replace("MC30", "A2"),  # favourable
        OK.replace("未增长", "下降").replace("MC30", "A3"),  # spending (higher is better) fell: a problem
        OK.replace("未增长", "下降").replace("edu_budget_expenditure", "myopia_rate").replace("MC30", "A4"),
        OK.replace("未增长", "高于").replace("edu_budget_expenditure", "staff_count").replace("MC30", "A5"),
    ]
    claims = load_claims("mudanjiang", _write(tmp_path, rows)).set_index("claim_id")
    # myopia_rate is lower-is-better, so 下降 is good; staff_count has no direction
    assert claims["adverse"].to_dict() == {"MC30": True, "A2": False, "A3": True, "A4": False, "A5": None}
    assert claims.loc["A4", "name_zh"] == "儿童青少年近视率"
    assert claims["row"].tolist() == [2, 3, 4, 5, 6]


needs_seeds = pytest.mark.skipif(
    source_text("mudanjiang_2022_selfeval") is None, reason="seed documents not found beside the repository"
)


@needs_seeds
def test_a_quote_not_in_the_document_is_reported(tmp_path):
    wrong = OK.replace("未实现增长", "实现增长")  # the document says the opposite
    claims = load_claims("mudanjiang", _write(tmp_path, [OK, wrong.replace("MC30", "MC99")]))
    missing = unquoted_claims(claims)
    assert missing["claim_id"].tolist() == ["MC99"]
    assert "quote not found in the text of mudanjiang_2022_selfeval" in missing["reason"].iloc[0]


# What the documents themselves state (read from the seeds; each assertion quotes its sentence)


def test_mudanjiang_counties_that_missed_the_spending_rule():
    c = load_claims("mudanjiang")
    # 002 三(一): "我市所辖海林市、宁安市2021年一般公共预算教育支出未实现增长"
    fell = c[(c["claim"] == "未增长") & (c["indicator"] == "edu_budget_expenditure")]
    assert sorted(fell["district"]) == ["hailin", "ningan"] and set(fell["year"]) == {"2021"}
    # the heading of 三(一) "个别县(市)教育投入未实现“两个只增不减”" says the same of the same counties:
    # one row per county for the one admission, not a second 未达标 row each
    per_county = c[c["district"].isin(["hailin", "ningan"]) & (c["indicator"] == "edu_budget_expenditure")]
    assert sorted(per_county["district"]) == ["hailin", "ningan"]
    # ... while 一(一) claims the city met 两个只增不减: both are recorded, neither overwrites the other
    city = c[(c["district"] == "") & (c["reference"] == "两个只增不减")]
    assert set(city["claim"]) == {"达标"}
    assert set(city["indicator"]) == {"edu_budget_expenditure", "per_student_budget_spending"}
    # 一(一): the per-student half grew at each of the five levels
    grew = c[(c["indicator"] == "per_student_budget_spending") & (c["claim"] == "增长")]
    assert sorted(grew["level"]) == sorted(["中职", "普通高中", "初中", "小学", "学前"])


def test_wuhai_problems_the_self_evaluation_admits():
    c = load_claims("wuhai")
    # 000 三(一): "高校专职辅导员和思想政治课专职教师配备比例还未达到要求"
    unmet = c[(c["claim"] == "未达标") & (c["source"] == "wuhai_2020_selfeval")]
    assert set(unmet["indicator"]) == {"counsellor_student_ratio", "ideology_teacher_student_ratio"}
    # 000 第11条: total education spending fell 2.4 % while the budget half grew 10.89 %
    fell = c[c["claim"] == "下降"]
    assert fell["indicator"].tolist() == ["edu_total_expenditure"] and fell["adverse"].tolist() == [True]
    grew = c[(c["indicator"] == "edu_budget_expenditure") & (c["year"] == "2019")]
    assert grew["claim"].tolist() == ["增长"]


def test_yining_and_mianyang_claims_a_naive_rule_would_misread():
    y = load_claims("yining").set_index("claim_id")
    # 004 四(二): "交流率为5%。教师交流率达到了规定要求" (the 2017 rule asks 10 %: the claim is the document's)
    assert y.loc["YC13", ["indicator", "claim", "reference"]].tolist() == ["teacher_exchange_share", "达标", "规定要求"]
    m = load_claims("mianyang").set_index("claim_id")
    # 003 (二十一): "巩固率达到100.87%,超过国家标准"
    assert m.loc["MYC08", ["indicator", "claim", "year"]].tolist() == ["retention_rate", "高于", "2019"]
    # 003 (十三) "保障义务教育教师工资待遇。…责令县市区(园区)制定缩小差距的实施方案并纳入市级教育督导的重要内容":
    # a gap in some unnamed 县市区 is admitted, with no figure, no city average and no year beyond the
    # report period (2019 and 2020 H1) — an admission about part of the city, not a city-wide 未达标
    assert m.loc["MYC06", ["indicator", "claim", "year", "district"]].tolist() == [
        "teacher_avg_salary",
        "存在问题",
        "2019-2020",
        "",
    ]
    assert m.loc["MYC06", "note"].startswith("范围：部分县市区")


# ---- the documents' admissions, ranked and classed (issue #19, item 6) -----------------


def test_a_gap_admitted_in_some_counties_is_an_admission_not_a_city_verdict():
    # 绵阳 003 (十三) "保障义务教育教师工资待遇。…责令县市区(园区)制定缩小差距的实施方案并纳入市级教育督导的重要内容":
    # the standard (standards.md: "average pay of compulsory-education teachers not below local civil servants")
    # is about an area's average; the document names no county, gives no number and no city average, so
    # no 全市 verdict is drawn — the reader sees the admission about 部分县市区 in the document's words
    from eduanalysis.judgement.claims import region_claims
    from eduanalysis.judgement.findings import findings
    from eduanalysis.presentation.summary import _stated_item

    f = findings("mianyang")
    assert f[(f["rule_id"] == "teacher_pay") & (f["verdict"] == "未达标")].empty
    c = region_claims("mianyang").set_index("claim_id").loc["MYC06"]
    assert c["class_zh"] == "问题" and c["scope_zh"] == "部分县市区" and not c["quantified"]
    item = _stated_item(SimpleNamespace(**c.to_dict(), area_label=c["scope_zh"]))
    assert "文件自述：部分县市区存在差距（未给出数值）" in item and "全市" not in item and "2019—2020" in item
    assert "缩小差距的实施方案" in item


def test_the_section_decides_the_class_and_a_commitment_is_not_undone():
    from eduanalysis.judgement.claims import region_claims

    md = region_claims("mudanjiang").set_index("claim_id")
    # 牡丹江 002 三、存在问题（三）: "公办幼儿园在园幼儿占比仅为50.3%,刚刚超过50%的标准" — an admitted
    # problem ("仅为", "刚刚"), recorded as 存在问题, not 高于
    assert md.loc["MC37", ["claim", "class_zh"]].tolist() == ["存在问题", "问题"]
    # 002 一(五)2: "所辖林口县建成率达100%,绥芬河市建成率达75%,其余各县(市)2022年底覆盖率实现100%": the
    # 2022 year-end coverage is a commitment; the shortfall the sentence states is 绥芬河市's 75%
    assert md.loc["MC21", ["claim", "class_zh"]].tolist() == ["承诺", "承诺"]
    assert md.loc["MC21a", ["district", "claim", "quote", "class_zh"]].tolist() == [
        "suifenhe",
        "低于",
        "绥芬河市建成率达75%",
        "问题",
    ]
    my = region_claims("mianyang")
    # 绵阳 003 (二十三) "确保不再新产生大班额" is an undertaking, not a 未完成
    row = my.set_index("claim_id").loc["MYC12"]
    assert row["claim"] == "承诺" and row["class_zh"] == "承诺" and row["adverse"] is False
    # 003 (三十二) "年底前,所有中小学与城市幼儿园专职保安员配备率及一键式紧急报警、视频监控系统达标率能够按期达到
    # 100%" (written in August 2020): commitments, not 未完成
    assert set(my.set_index("claim_id").loc[["MYC18", "MYC19"], "claim"]) == {"承诺"}
    # 003 (八) "2018-2020年规划的102个项目已完工47所、在建41所" in an August 2020 document is progress, and
    # 003 (二十二) "2019年先后对江油市、北川县开展调研,查找差距" is a research visit: neither is a stated problem
    ids = set(my["claim_id"])
    assert not ids & {"MYC02", "MYC10", "MYC11"}
    assert my[my["quote"].str.contains("开展调研|已完工47所")].empty
    # 乌海 000 一: "基本落实的有3项，占比10%" — one grade below 完全落实, not 未完成
    wc = region_claims("wuhai").set_index("claim_id").loc["WC02"]
    assert wc["claim"] != "未完成" and wc["reference"] == "完全落实"
    # quantified problems come first: every 问题 with a number before any in words only
    problems = my[my["class_zh"] == "问题"]
    assert problems["quantified"].tolist() == sorted(problems["quantified"].tolist(), reverse=True)
    assert my["class_zh"].tolist().index("成效") > max(i for i, c in enumerate(my["class_zh"]) if c == "问题")


def test_implied_facts_are_derived():
    # 绵阳 003 (八) "2018-2020年规划的102个项目已完工47所、在建41所": 102 − 47 − 41 = 14 not reported started
    from eduanalysis.judgement.observations import implied_facts

    fact = implied_facts("mianyang").iloc[0]
    assert fact["value"] == 14 and "102 − 47 − 41 = 14" in fact["text"]
