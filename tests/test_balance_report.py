"""The balance report's presentation: summaries for large tables, downloads, caveats, XLSX jobs."""

from __future__ import annotations

import base64
import io
import re
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from eduanalysis import paths
from eduanalysis.presentation import balance, plan_numbers
from eduanalysis.running import plan_jobs, render_notebook

sys.path.insert(0, str(paths.PROJECT_ROOT / "benchmarks"))
from school_tables import make_school_table  # seeded generator shared with the benchmarks


@pytest.fixture
def shown(monkeypatch):
    """Collect what a report method displays (HTML strings; figures as their alt text)."""
    out: list[str] = []

    def capture(obj, *args, **kwargs):
        data = getattr(obj, "data", "")
        out.append(data if isinstance(data, str) else f"<figure {getattr(obj, 'metadata', {})}>")

    import eduanalysis.presentation.balance_plan as plan_module
    import eduanalysis.presentation.balance_rule as rule_module
    import eduanalysis.presentation.display as display_module
    import eduanalysis.presentation.plotting as plotting_module

    monkeypatch.setattr(balance, "display", capture)
    monkeypatch.setattr(display_module, "display", capture)
    monkeypatch.setattr(plotting_module, "show_figure", lambda fig, alt, **kw: out.append(f"<figure {alt}>"))
    for module in (balance, rule_module, plan_module):
        monkeypatch.setattr(module, "show_figure", lambda fig, alt, **kw: out.append(f"<figure {alt}>"), raising=False)
    return out


def _rows(html_text: str) -> int:
    return html_text.count("<tr") - html_text.count("<thead")


def _unzip(link_html: str) -> pd.DataFrame:
    data = re.search(r'href="data:application/zip;base64,([^"]+)"', link_html).group(1)
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(data))) as archive:
        (name,) = archive.namelist()
        return pd.read_csv(io.BytesIO(archive.read(name)), encoding="utf-8-sig")


def test_download_link_holds_the_whole_table():
    frame = pd.DataFrame({"学校": ["甲", "<乙>"], "投入（万元）": [1.5, 2.0]})
    link = balance.download_link(frame, "方案", "下载方案")
    assert 'download="方案.zip"' in link and "2 行" in link and "&lt;" not in link  # names escaped in attributes
    assert _unzip(link).equals(frame)


def test_large_table_is_summarised_with_downloads(tmp_path, shown):
    path = tmp_path / "big.csv"
    make_school_table(300, seed=3).to_csv(path, index=False)
    report = balance.BalanceReport(str(path))
    assert report.large
    report.schools()
    report.show_coefficients()
    report.show_contributions()
    report.show_rule()
    report.show_plan()
    tables = [h for h in shown if "<table" in h]
    assert tables and max(_rows(t) for t in tables) <= balance.FULL_TABLE_ROWS
    links = [h for h in shown if "data:application/zip" in h]
    by_name = {re.search(r'download="([^"]+)"', h).group(1): _unzip(h) for h in links}
    assert len(by_name["big_各校指标.zip"]) == 300
    assert len(by_name["big_学校达标.zip"]) == 300
    plan = report.plans["county"]
    downloaded = by_name["big_达标测算方案.zip"]
    assert len(downloaded) == int((plan.additions["cost"] > 0).sum())
    # one-off and yearly apart in the download too; together they are the plan's first-year total
    assert downloaded["一次性投入（元）"].sum() == pytest.approx(plan.one_off_cost)
    assert downloaded["每年支出（元/年）"].sum() == pytest.approx(plan.yearly_cost)
    assert (downloaded["原因"].str.len() > 0).all()  # every school that gets something says why
    assert any("各校达标指标数的分布" in h for h in shown)  # a histogram, not one bar per school


def test_one_school_level_says_no_coefficient_exists(tmp_path, shown):
    table = make_school_table(6, seed=1)
    table["学段"] = ["小学"] * 5 + ["初中"]
    path = tmp_path / "small.csv"
    table.to_csv(path, index=False)
    report = balance.BalanceReport(str(path))
    junior = report.coefficients[report.coefficients["level"] == "初中"]
    assert junior["cv"].isna().all() and (junior["verdict"].isin(["无法判定", "—"])).all()
    assert (junior["note"] == "仅 1 所学校，不存在校际差异系数").all()
    assert report.composite.set_index("level").loc["初中", "verdict"].startswith("无法计算")
    report.header()
    assert any("初中 只有 1 所学校，校际差异系数不存在" in h for h in shown)
    report.show_coefficients()
    (table,) = [h for h in shown if "<table" in h and "2017单项判定" in h]
    header = re.findall(r"<th[^>]*>(.*?)</th>", table.split("</thead>")[0])
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in table.split("</thead>")[1].split("</tr>")]
    junior = [dict(zip(header, r)) for r in rows if r and r[0] == "初中"]
    assert junior and all(r["差异系数"] == "—" and r["2017单项判定"] != "达标" for r in junior)


def test_zero_spread_indicator_has_no_contributors(tmp_path):
    table = make_school_table(8, seed=2)
    table["学段"] = "小学"
    table["图书册数"] = table["在校生数"] * 30  # every school exactly 30 books per student
    path = tmp_path / "flat.csv"
    table.to_csv(path, index=False)
    report = balance.BalanceReport(str(path))
    cv = report.coefficients.set_index("indicator").loc["books_per_student"]
    assert cv["cv"] == 0.0 and cv["sd"] == 0.0
    assert "books_per_student" not in set(report.contributions["indicator"])


def test_plan_jobs_include_xlsx_tables(tmp_path, monkeypatch):
    frame = pd.DataFrame({"学校名称": ["甲", "乙"], "学段": ["小学"] * 2, "在校生数": [100, 200], "图书册数": [10, 20]})
    frame.to_csv(tmp_path / "a.csv", index=False)
    frame.to_excel(tmp_path / "b.xlsx", index=False)
    frame.to_csv(tmp_path / "b.csv", index=False)
    (tmp_path / "notes.txt").write_text("not a table", encoding="utf-8")
    monkeypatch.setattr(paths, "SCHOOLS_DIR", tmp_path)
    jobs = {j.name: j for j in plan_jobs() if j.kind == "balance"}
    assert set(jobs) == {"balance_a", "balance_b_csv", "balance_b_xlsx"}
    assert jobs["balance_b_xlsx"].parameters == {"school_table": "b.xlsx"}
    assert any(p.endswith("costs.csv") for p in jobs["balance_a"].inputs)


@pytest.mark.e2e
def test_an_xlsx_table_renders_a_balance_report(tmp_path):
    table = make_school_table(40, seed=4)
    path = tmp_path / "县表.xlsx"
    table.to_excel(path, index=False)
    out = tmp_path / "xlsx.html"
    render_notebook(paths.NOTEBOOKS_DIR / "balance_report.ipynb", {"school_table": str(path)}, out, title="XLSX")
    page = out.read_text(encoding="utf-8")
    assert "县表.xlsx" in page and 'id="sec-plan"' in page and "达标测算" in page
    assert "data:application/zip;base64," in page and "Traceback" not in page
    assert np.isfinite(float(re.search(r"一次性投入 ([\d,.]+) ?万元", page).group(1).replace(",", "")))


# ---------------------------------------------------------------- the summary an official reads first
def _heavy_county(tmp_path, n=40, seed=5):
    """A county whose sports ground and equipment are spread so far apart that bringing each
    school to every threshold alone still leaves those coefficients over their limits."""
    from eduanalysis.data.schools import COLUMNS

    table = make_school_table(n, seed=seed)
    rng = np.random.default_rng(seed)
    for column in ("sports_area", "equipment_value"):
        header = COLUMNS[column][0]
        table[header] = np.round(table[header] * rng.lognormal(0, 1.2, n), -2 if column == "equipment_value" else 1)
    path = tmp_path / "heavy.csv"
    table.to_csv(path, index=False)
    return path


def test_summary_never_prints_a_negative_saving(tmp_path, shown):
    report = balance.BalanceReport(str(_heavy_county(tmp_path)), plan_years=0)
    naive = report.plans["naive"]
    assert not naive.after.passes  # the precondition: the naive plan fails the coefficients
    report.show_summary()
    report.show_plan()
    text = "".join(shown)
    assert "不可直接比较节省" in text or "不与它比较节省" in text
    assert "节省 −" not in text and not re.search(r"节省 [−-]", text)
    plan = report.plans["county"]
    assert f"一次性投入 {plan_numbers.wan(plan.one_off_cost)}" in text


def test_summary_states_one_off_yearly_posts_and_the_saving(shown):
    report = balance.BalanceReport("synthetic_demo_county.csv", plan_years=3)
    report.show_summary()
    text = "".join(shown)
    plan, naive = report.plans["county"], report.plans["naive"]
    assert naive.after.passes and plan.verified
    assert f"一次性投入 {plan_numbers.wan(plan.one_off_cost)}" in text
    assert (f"新增编制 {plan.new_posts:,} 个" in text) if plan.new_posts else ("不需新增编制" in text)
    assert f"节省 {plan_numbers.wan(naive.total_cost - plan.total_cost)}" in text
    # the schedule at the least budget that works: spending never above it
    phased = report.schedule
    assert phased.status == "optimal" and (phased.by_year["spending"] <= phased.budget_per_year + 1e-6).all()
    assert f"分 3 年完成，每年预算至少需要 {plan_numbers.wan(phased.min_budget_per_year)}" in text
    assert "示例单价，待核对" in text


def test_a_teaching_point_under_50_is_left_out_of_the_coefficients_and_says_so(shown):
    # the demo county's 示例县山口教学点 has fewer than 50 pupils (standards.md §3 leaves such
    # points out of the 2017 resource indicators)
    report = balance.BalanceReport("synthetic_demo_county.csv")
    point = report.table["school"] == "示例县山口教学点"
    assert point.any() and not report.counted[point.to_numpy()].any()
    report.header()
    assert any("按 2017 年办法不计入资源配置指标的差异系数" in h for h in shown)
    counted = balance.BalanceReport("synthetic_demo_county.csv", include_excluded=True)
    assert counted.counted.all()
    assert not report.coefficients["cv"].equals(counted.coefficients["cv"])


# ---------------------------------------------------------------- printed numbers add up (issue 20 follow-up)
def _tables(html_parts: list[str]) -> dict[str, list[list[str]]]:
    """Every displayed table as rows of cell texts, keyed by its caption ("" when none)."""
    from bs4 import BeautifulSoup

    out = {}
    for part in html_parts:
        soup = BeautifulSoup(part, "html.parser")
        caption = soup.find(class_="ea-caption")  # one show_table call: its caption, then its table
        for table in soup.find_all("table"):
            rows = [[c.get_text(strip=True) for c in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]
            out[caption.get_text(strip=True) if caption else ""] = rows
    return out


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("−", "-"))


def _half_up(value: float) -> Decimal:
    # independent oracle: the exact total rounded half-up to 0.1 with decimal arithmetic
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_parts_add_up_to_the_rounded_total():
    # the inspector's row: 473.4 + 57.6 printed beside 530.9; the parts must add to the total
    assert plan_numbers.parts_to_total([473.44, 57.56]).tolist() == [473.4, 57.6]
    rng = np.random.default_rng(20)
    for _ in range(300):
        values = rng.uniform(0, 600, size=rng.integers(1, 12)).round(4)
        got = plan_numbers.parts_to_total(values)
        assert sum(Decimal(repr(float(g))).quantize(Decimal("0.1")) for g in got) == _half_up(float(values.sum()))
        assert np.all(np.abs(got - values) < 0.1 + 1e-9)  # every part within one printed unit


def test_every_plan_table_adds_up_to_its_printed_total(shown):
    report = balance.BalanceReport("synthetic_demo_county.csv", plan_years=3)
    report.show_plan()
    report.show_schedule()
    tables = _tables(shown)
    text = "".join(shown)
    # the totals table: the least-cost plan's one-off and yearly money, as printed
    totals = tables["三种做法的投入（一次性投入与每年支出分列）"]
    head = totals[0]
    plan_row = totals[1]
    one_off, yearly = (
        _dec(plan_row[head.index("一次性投入（万元）")]),
        _dec(plan_row[head.index("每年新增工资（万元/年）")]),
    )
    plan = report.plans["county"]
    assert one_off == _half_up(plan.one_off_cost / 1e4) and yearly == _half_up(plan.yearly_cost / 1e4)
    # by resource: the rows add up to the plan's totals
    by = tables["按资源分列的新增数量与投入"]
    col = {name: by[0].index(name) for name in ("一次性投入（万元）", "每年支出（万元/年）")}
    assert sum(_dec(r[col["一次性投入（万元）"]]) for r in by[1:]) == one_off
    assert sum(_dec(r[col["每年支出（万元/年）"]]) for r in by[1:]) == yearly
    # by school (every school that needs money is listed: 10 of them), the same totals
    (caption,) = [c for c in tables if c.startswith("需要投入的全部")]
    schools = tables[caption]
    col = {name: schools[0].index(name) for name in ("一次性投入（万元）", "每年支出（万元/年）")}
    assert sum(_dec(r[col["一次性投入（万元）"]]) for r in schools[1:]) == one_off
    assert sum(_dec(r[col["每年支出（万元/年）"]]) for r in schools[1:]) == yearly
    # the schedule: each year's parts add to its spending, the years to the stated N-year total
    years = tables["各年支出与预算"]
    col = {name: years[0].index(name) for name in ("一次性投入（万元）", "新增编制工资（万元）", "当年支出（万元）")}
    for row in years[1:]:
        assert _dec(row[col["一次性投入（万元）"]]) + _dec(row[col["新增编制工资（万元）"]]) == _dec(
            row[col["当年支出（万元）"]]
        ), row
    stated = re.search(r"3 年合计支出 ([\d,.]+) ?万元", text)
    assert sum(_dec(r[col["当年支出（万元）"]]) for r in years[1:]) == _dec(stated.group(1))
    assert _dec(stated.group(1)) == _half_up(float(report.schedule.by_year["spending"].sum()) / 1e4)


# ---------------------------------------------------------------- a failing value never prints as its threshold
def test_failing_value_rounds_toward_failing():
    assert plan_numbers.toward_failing(0.896, 0.9) == "0.89"  # the inspector's 十三小学 row printed 0.90
    rng = np.random.default_rng(7)
    for threshold in (0.9, 4.2, 1.0, 2000.0):
        for value in threshold - rng.uniform(1e-9, threshold / 3, size=200):
            printed = float(plan_numbers.toward_failing(value, threshold).replace(",", ""))
            assert printed < threshold and value - printed < 0.01 + 1e-12 or printed <= value
    for value in (0.5004, 0.50000001):  # an "at most" limit: printed strictly above it
        assert float(plan_numbers.toward_failing(value, 0.5, 3, at_least=False)) > 0.5


def test_gap_table_never_prints_a_failing_value_at_its_threshold(shown):
    report = balance.BalanceReport("synthetic_demo_county.csv")
    report.show_rule()
    (caption,) = [c for c in _tables(shown) if c.startswith("各校需补足的缺口")]
    gaps = _tables(shown)[caption]
    col = {name: gaps[0].index(name) for name in ("学校", "指标", "现值", "标准值")}
    assert len(gaps) > 5
    for row in gaps[1:]:  # every row of this table is a shortfall: the value is below the standard
        assert _dec(row[col["现值"]]) < _dec(row[col["标准值"]]), row
    pe = [r for r in gaps[1:] if r[col["学校"]] == "示例县第十三小学" and "体育、艺术" in r[col["指标"]]]
    assert [r[col["现值"]] for r in pe] == ["0.89"]  # 0.896 per 100 pupils beside 0.9


# ---------------------------------------------------------------- counting schools and sections
def test_schools_and_sections_are_counted_apart(shown):
    report = balance.BalanceReport("synthetic_demo_county.csv")
    rule = report.rule
    judged = rule[rule["passes"].notna()]
    failing = judged[~judged["passes"].astype(bool)]
    # independent counts: distinct school names, and rows (sections)
    assert judged["school"].nunique() < len(judged)  # the demo has a school with 小学 and 初中 sections
    report.show_summary()
    text = "".join(shown)
    assert f"参评学校 {judged['school'].nunique()} 所（{len(judged)} 个学段" in text
    assert f"其中 {failing['school'].nunique()} 所学校的 {len(failing)} 个学段未达到" in text
    assert f"参评学校 {len(judged)} 所" not in text
    one = pd.DataFrame({"school": ["甲", "乙"], "level": ["小学", "初中"]})
    assert plan_numbers.count_schools(one, pd.Series([False, True])).startswith("参评学校 2 所，其中 1 所未达到")


# ---------------------------------------------------------------- page 1 of the worked example
def test_worked_example_summary_states_its_result_and_empty_sections_say_why(shown):
    # the published worked example: 5 primary schools, books per pupil, CV ≈ 0.515
    # (standards.md §1: published as 0.52); the 2012 standard limits only the composite
    report = balance.BalanceReport("worked_example_books.csv")
    report.header()
    report.show_summary()
    text = "".join(shown)
    assert "小学生均图书册数的差异系数为 0.515" in text
    assert "综合差异系数无法计算（缺少 7 项指标），因此不作达标判定" in text
    assert "worked_example_books.csv" not in text and "数据文件" not in text  # the label, not the file
    assert report.label in text
    assert "九年一贯制" not in text  # five primary schools: no school has two sections to explain
    shown.clear()
    report.show_costs()
    assert shown == []  # nothing is priced: no unit-cost table
    report.show_schedule()
    report.show_method_appendix()
    assert len(shown) == 2 and "因此不作分年安排" in shown[0] and "本附录无内容" in shown[1]
    assert all("ea-empty" in part for part in shown)  # marked so the HTML export leaves the sections out


def test_shortfall_totals_add_up_to_the_rows_printed(shown):
    report = balance.BalanceReport("synthetic_demo_county.csv")
    report.show_rule()
    tables = _tables(shown)
    (total_caption,) = [c for c in tables if c.startswith("把每所学校每项补足到标准值需要的合计")]
    (rows_caption,) = [c for c in tables if c.startswith("各校需补足的缺口")]
    totals, rows = tables[total_caption], tables[rows_caption]
    t_col = {n: totals[0].index(n) for n in ("学段", "指标", "补足到标准值合计", "未达标准值的学校（所）")}
    r_col = {n: rows[0].index(n) for n in ("学段", "指标", "需补足")}
    assert len(totals) > 2
    for total in totals[1:]:
        key = (total[t_col["学段"]], total[t_col["指标"]])
        parts = [r for r in rows[1:] if (r[r_col["学段"]], r[r_col["指标"]]) == key]
        assert len(parts) == int(total[t_col["未达标准值的学校（所）"]])
        assert sum(_dec(r[r_col["需补足"]]) for r in parts) == _dec(total[t_col["补足到标准值合计"]]), key


def test_appendix_says_why_a_plan_with_hires_is_not_called_optimal(shown):
    # the demo county's plan trains one teacher more than a school has in post (test_plan_budget,
    # test_planning): the appendix says the groups were solved at training prices
    report = balance.BalanceReport("synthetic_demo_county.csv")
    assert report.plans["county"].additions["beyond_training"].sum() == 1
    report.show_method_appendix()
    text = "".join(shown)
    assert "方案中有 1 名教师超出有关学校在岗可培养的人数" in text and "不再保证是最低成本" in text
