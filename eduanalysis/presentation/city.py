"""The sections of the per-city report (``notebooks/city_report.ipynb``).

Each ``*_section(region)`` shows its heading, tables and charts only when the city's
documents give the data, and returns the tidy data it showed (empty when nothing was
reported).  :func:`coverage` says which sections have data; the report header uses it
for the table of contents.  Every number shown carries its source file, locator and the
line of ``data/raw/figures/<slug>.csv`` it came from.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from ..data.figures import load_figures
from ..data.regions import get_region, load_regions
from ..judgement.assess import assess
from ..judgement.audit import audit, checks_path, load_checks
from ..judgement.standards import get_threshold, indicator_set
from ..measures.growth import compound_rate, required_rate, two_no_decrease, yoy
from .display import heading, note, show_table, source_label
from .plotting import STATUS_COLORS, bar_chart, level_bar_chart, show_figure

__all__ = [
    "SECTIONS",
    "assessments",
    "audit_section",
    "balance_section",
    "coverage",
    "data_appendix",
    "funding_section",
    "plan_section",
    "preschool_section",
    "report_header",
    "staffing_section",
    "summary_section",
]


@dataclass(frozen=True)
class _Rule:
    """How one reported indicator is judged against a standard."""

    indicator: str
    standard: str
    std_indicator: str
    std_level: str  # level of the threshold; "*" = the figure's own level
    transform: str = "identity"  # identity | inverse (1:x → x) | share (a:b → a/(a+b))
    explain: str = ""


RULES = [
    _Rule("preschool_gross_enrolment_rate", "preschool_2020", "preschool_gross_enrolment_rate", "学前"),
    _Rule("puhui_coverage", "preschool_2020", "puhui_coverage", "学前"),
    _Rule("public_kindergarten_share", "preschool_2020", "public_kindergarten_share", "学前"),
    _Rule(
        "staff_child_ratio",
        "kindergarten_staffing_2013",
        "children_per_staff",
        "学前",
        "inverse",
        "教职工:幼儿 1:x 换算为每名教职工对应 x 名幼儿",
    ),
    _Rule("retention_rate", "quality_guarantee_2017", "retention_rate", ""),
    _Rule("disabled_enrolment_rate", "quality_guarantee_2017", "disabled_enrolment_rate", ""),
    _Rule("teacher_exchange_share", "quality_guarantee_2017", "teacher_exchange_share", ""),
    _Rule(
        "counsellor_student_ratio",
        "higher_voc_staffing",
        "students_per_counsellor",
        "高职",
        "inverse",
        "辅导员:学生 1:x 换算为每名专职辅导员对应 x 名学生",
    ),
    _Rule(
        "ideology_teacher_student_ratio",
        "higher_voc_staffing",
        "students_per_ideology_teacher",
        "高职",
        "inverse",
        "思政课教师:学生 1:x 换算为每名专职思政课教师对应 x 名学生",
    ),
    _Rule(
        "vocational_general_ratio",
        "vocational_general_balance",
        "vocational_share",
        "高中阶段",
        "share",
        "职:普 a:b 换算为中职占比 a/(a+b)",
    ),
    _Rule("composite_cv", "basic_balance_2012", "composite_cv", "*"),
]

#: section id -> (Chinese title, indicators that make the section appear)
SECTIONS = {
    "summary": ("一、主要指标与标准对照", None),
    "funding": (
        "二、教育经费投入",
        {
            "edu_budget_expenditure",
            "edu_budget_growth",
            "edu_total_expenditure",
            "per_student_spending_growth",
            "teacher_avg_salary",
        },
    ),
    "balance": ("三、义务教育均衡发展（差异系数）", {"composite_cv"}),
    "preschool": (
        "四、学前教育普及普惠",
        {
            "preschool_gross_enrolment_rate",
            "puhui_coverage",
            "public_kindergarten_share",
            "staff_child_ratio",
        },
    ),
    "staffing": (
        "五、师资配备与结构",
        {
            "student_teacher_ratio",
            "class_teacher_ratio",
            "counsellor_student_ratio",
            "vocational_general_ratio",
            "hs_admissions",
            "fulltime_teachers",
            "staff_count",
            "teacher_exchange_share",
        },
    ),
    "plan": ("六、规划目标与所需增速", None),
    "audit": ("七、数据核对", None),
    "appendix": ("附：全部转录数据", None),
}


def _limits(standard: str, indicator: str) -> dict[str, float]:
    """The threshold per school level (小学/初中) of a standard, from the standards data."""
    return {level: float(get_threshold(standard, indicator, level)["value"]) for level in ("小学", "初中")}


def _figures(region: str) -> pd.DataFrame:
    figures = load_figures(region).copy()
    figures["source_label"] = source_label(figures) if len(figures) else pd.Series(dtype=str)
    return figures


def _has(figures: pd.DataFrame, section: str) -> bool:
    ids = SECTIONS[section][1]
    if section == "balance":
        return bool(figures["indicator"].str.startswith("cv_").any() or (figures["indicator"] == "composite_cv").any())
    if section == "summary":
        return not assessments(figures=figures).empty
    if section == "plan":
        return bool((figures["value_type"] == "目标").any())
    if section == "audit":
        return True
    if section == "appendix":
        return len(figures) > 0
    return bool(figures["indicator"].isin(ids).any())


def _open_section(region: str, section: str) -> pd.DataFrame | None:
    """The region's figures, after showing the section's heading; None (nothing shown)
    when the documents give no data for the section."""
    figures = _figures(region)
    if not _has(figures, section):
        return None
    heading(SECTIONS[section][0], f"sec-{section}")
    return figures


def coverage(region: str) -> pd.DataFrame:
    """Which report sections the city's documents give data for."""
    figures = _figures(region)
    rows = []
    for key, (title, _) in SECTIONS.items():
        if key == "audit":
            n = len(load_checks(region))  # validated, not evaluated: audit_section runs them
            present = n > 0
        elif not len(figures):
            present, n = False, 0
        else:
            present = _has(figures, key)
            ids = SECTIONS[key][1]
            counts = {
                "summary": lambda: len(assessments(figures=figures)),
                "balance": lambda: int(
                    (figures["indicator"].str.startswith("cv_") | (figures["indicator"] == "composite_cv")).sum()
                ),
                "plan": lambda: int((figures["value_type"] == "目标").sum()),
                "appendix": lambda: len(figures),
            }
            n = counts[key]() if key in counts else int(figures["indicator"].isin(ids).sum())
        rows.append({"section": key, "章节": title, "有数据": "有" if present else "文件未报告", "相关数据项": n})
    return pd.DataFrame(rows)


def report_header(region: str) -> pd.Series:
    """Title, scope, table of contents and the coverage table."""
    info = get_region(region)
    figures = _figures(region)
    cov = coverage(region)
    sources = sorted(set(figures["source"])) if len(figures) else []
    scope = (
        f"本报告依据 {len(sources)} 份公开文件（{'、'.join(sources)}）中转录的 {len(figures)} 项数据。"
        if len(figures)
        else "尚未转录本地区文件中的数据。"
    )
    districts = load_regions()
    children = districts.index[districts["parent"] == region].tolist()
    toc = "".join(
        f'<li><a href="#sec-{html.escape(r.section)}">{html.escape(r.章节)}</a></li>'
        for r in cov.itertuples()
        if r.有数据 == "有"
    )
    display(
        HTML(
            f"<h1>{html.escape(info['name_zh'])}教育评价分析报告</h1>"
            f"<p>{html.escape(info['province'])} · {html.escape(info['kind'])} · 地区代码 "
            f"<code>{html.escape(region)}</code>"
            + (f" · 文件涉及的区县：{html.escape('、'.join(districts.loc[children, 'name_zh']))}" if children else "")
            + f"</p><p>{html.escape(scope)}判定所用国家标准见各节；标注“待核对”的标准值尚未与部颁原文核对。</p>"
            f'<nav class="ea-toc"><strong>目录</strong><ol>{toc}</ol></nav>'
        )
    )
    show_table(
        cov.drop(columns="section").rename(columns={"相关数据项": "相关数据（项）"}),
        caption="各章节数据覆盖情况（“文件未报告”的章节不在报告中出现）",
    )
    return info


def _judge_value(value: float, rule: _Rule, level: str) -> tuple[float, dict]:
    if rule.transform == "inverse":
        value = 1.0 / value
    elif rule.transform == "share":
        value = value / (1.0 + value)
    std_level = level if rule.std_level == "*" else rule.std_level
    return value, assess(value, rule.standard, rule.std_indicator, std_level)


def assessments(region: str | None = None, *, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every reported actual value that a national standard applies to, judged.

    Returns one row per figure: 地区, 指标, 年份, 学段, 原文, 比较值, 标准, 判定 (达标/未达标),
    差距 (positive is good), 标准状态 (已核对/待核对), 标准来源, 数据来源, plus ``indicator``.
    """
    figures = _figures(region) if figures is None else figures
    regions = load_regions()
    rows = []
    for rule in RULES:
        subset = figures[(figures["indicator"] == rule.indicator) & (figures["value_type"] == "实际")]
        for rec in subset.itertuples():
            if rule.std_level == "*" and rec.level not in ("小学", "初中"):
                continue
            value, verdict = _judge_value(float(rec.value), rule, rec.level)
            limit = (
                f"{verdict['limit']:g}–{verdict['limit_high']:g}"
                if verdict["comparator"] == "between"
                else f"{verdict['comparator']} {verdict['limit']:g}"
            )
            rows.append(
                {
                    "indicator": rule.indicator,
                    "地区": regions.loc[rec.district, "name_zh"] if rec.district else "全市",
                    "指标": rec.name_zh,
                    "年份": rec.year,
                    "学段": rec.level or "—",
                    "原文": rec.value_as_written,
                    "比较值": round(value, 4),
                    "标准": limit,
                    "判定": "达标" if verdict["met"] else "未达标",
                    "差距": round(verdict["margin"], 4),
                    "标准状态": "已核对" if verdict["confirmed"] else "待核对",
                    "换算说明": rule.explain,
                    "标准来源": verdict["source"],
                    "数据来源": rec.source_label,
                }
            )
    return pd.DataFrame(rows)


def summary_section(region: str) -> pd.DataFrame:
    """Key indicators against the applicable standards, with margins."""
    table = assessments(region)
    if table.empty:
        return table
    heading(SECTIONS["summary"][0], "sec-summary")
    met = int((table["判定"] == "达标").sum())
    note(
        f"可与国家标准对照的 {len(table)} 项数据中，达标 {met} 项，未达标 {len(table) - met} 项。"
        "差距为正表示优于标准（上限类指标为“标准 − 数值”，下限类为“数值 − 标准”）。"
    )
    show_table(
        table.drop(columns=["indicator", "标准来源"]),
        status_column="判定",
        formats={"比较值": "{:g}", "差距": "{:+g}"},
    )
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(table) + 1.2), layout="constrained")
    labels = (table["地区"] + " " + table["指标"] + " " + table["年份"] + " " + table["学段"].replace("—", "")).tolist()
    colors = [STATUS_COLORS[s] for s in table["判定"]]
    ax.barh(range(len(table)), table["差距"], color=colors)
    ax.set_yticks(range(len(table)), labels, fontsize=8)
    ax.axvline(0, color="#333", linewidth=1)
    ax.invert_yaxis()
    ax.set(title="与标准的差距（正值为优于标准）", xlabel="差距（与比较值同单位）")
    show_figure(fig, alt="与标准的差距（正值为优于标准）")
    return table


def funding_section(region: str) -> pd.DataFrame:
    """Spending, its growth, the 两个只增不减 verdict and teacher pay against civil servants."""
    figures = _open_section(region, "funding")
    if figures is None:
        return pd.DataFrame()
    actual = figures[(figures["value_type"] == "实际") & (figures["district"] == "")]
    budget = actual[actual["indicator"] == "edu_budget_expenditure"].copy()
    stated_growth = actual[actual["indicator"] == "edu_budget_growth"]
    result = pd.DataFrame()
    verdict_total = None
    if not budget.empty:
        budget["year_int"] = budget["year"].astype(int)
        budget = budget.sort_values("year_int")
        series = pd.Series(budget["value"].to_numpy(), index=budget["year_int"].to_numpy())
        rates = (
            yoy(series, gaps="annualize").reindex(series.index)
            if len(series) > 1
            else pd.Series(np.nan, index=series.index)
        )
        growth_map = dict(zip(stated_growth["year"].astype(int), stated_growth["value"], strict=False))
        result = pd.DataFrame(
            {
                "年份": series.index,
                "一般公共预算教育支出（万元）": series.to_numpy(),
                "同比增长（%，据相邻年份计算）": (rates * 100).to_numpy(),
                "同比增长（%，文件所述）": [growth_map.get(y, np.nan) for y in series.index],
                "原文": budget["value_as_written"].to_numpy(),
                "来源": budget["source_label"].to_numpy(),
            }
        )
        show_table(
            result,
            caption="一般公共预算教育支出",
            formats={
                "一般公共预算教育支出（万元）": "{:,.0f}",
                "同比增长（%，据相邻年份计算）": "{:.2f}",
                "同比增长（%，文件所述）": "{:.2f}",
            },
        )
        sentences = []
        if len(series) > 1:
            first, last = int(series.index[0]), int(series.index[-1])
            cagr = compound_rate(series.iloc[0], series.iloc[-1], last - first)
            verdict = two_no_decrease(series).iloc[0]
            verdict_total = bool(verdict["met"])
            falls = verdict["breaks"].split("、") if verdict["breaks"] else []
            sentences.append(f"{first}–{last} 年年均增长 {cagr * 100:.2f}%")
            sentences.append("逐年只增不减：达标" if verdict_total else f"{'、'.join(falls)} 年下降：未达标")
        elif growth_map:
            g = next(iter(growth_map.values()))
            verdict_total = g >= 0
            sentences.append(f"文件所述同比增长 {g:.2f}%：{'达标' if verdict_total else '未达标'}")
        if sentences:
            note("；".join(sentences) + "。")
        if len(series) > 1:
            title = f"{get_region(region)['name_zh']}一般公共预算教育支出（{series.index[0]}–{series.index[-1]} 年）"
            fig = bar_chart(
                pd.DataFrame({"年份": series.index.astype(str), "支出": series.to_numpy()}),
                x="年份",
                y="支出",
                title=title,
                xlabel="年份",
                ylabel="万元",
                annotations=pd.Series([f"{r * 100:+.1f}%" if pd.notna(r) else "" for r in rates]),
            )
            show_figure(fig, alt=title)
    total = actual[actual["indicator"].isin(["edu_total_expenditure", "edu_total_expenditure_growth"])]
    if budget.empty and not stated_growth.empty:
        show_table(
            stated_growth[["year", "name_in_source", "value_as_written", "source_label"]].rename(
                columns={
                    "year": "年份",
                    "name_in_source": "文件表述",
                    "value_as_written": "原文",
                    "source_label": "来源",
                }
            ),
            caption="一般公共预算教育支出增长（文件所述）",
        )
    if not total.empty:
        show_table(
            total[["year", "name_zh", "value_as_written", "source_label"]].rename(
                columns={
                    "year": "年份",
                    "name_zh": "指标",
                    "value_as_written": "原文",
                    "source_label": "来源",
                }
            ),
            caption="教育经费总支出",
        )
    per_student = actual[actual["indicator"] == "per_student_spending_growth"]
    verdict_per = None
    if not per_student.empty:
        table = pd.DataFrame(
            {
                "年份": per_student["year"],
                "学段": per_student["level"],
                "生均一般公共预算教育经费增长（%）": per_student["value"],
                "判定（只增不减）": np.where(per_student["value"] >= 0, "达标", "未达标"),
                "来源": per_student["source_label"],
            }
        )
        verdict_per = bool((per_student["value"] >= 0).all())
        show_table(
            table,
            caption="分学段生均一般公共预算教育经费增长",
            status_column="判定（只增不减）",
            formats={"生均一般公共预算教育经费增长（%）": "{:.2f}"},
        )
    parts = []
    if verdict_total is not None:
        parts.append(f"一般公共预算教育支出只增不减：{'达标' if verdict_total else '未达标'}")
    if verdict_per is not None:
        parts.append(
            f"按在校学生人数平均的一般公共预算教育支出只增不减：{'达标' if verdict_per else '未达标'}"
            "（按各学段生均增长率判断）"
        )
    if parts:
        note("“两个只增不减”：" + "；".join(parts) + "。")
    teacher = actual[actual["indicator"] == "teacher_avg_salary"]
    civil = actual[actual["indicator"] == "civil_servant_avg_salary"]
    if not teacher.empty and not civil.empty:
        t, c = teacher.iloc[0], civil.iloc[0]
        ratio = t["value"] / c["value"]
        r = assess(ratio, "teacher_pay", "teacher_pay_vs_civil_servant")
        show_table(
            pd.DataFrame(
                {
                    "年份": [t["year"]],
                    "义务教育教师年平均工资（元）": [t["value"]],
                    "公务员年平均工资（元）": [c["value"]],
                    "教师/公务员": [ratio],
                    "差额（元）": [t["value"] - c["value"]],
                    "判定（不低于公务员）": ["达标" if r["met"] else "未达标"],
                    "来源": [t["source_label"]],
                }
            ),
            caption="义务教育教师工资与当地公务员工资",
            status_column="判定（不低于公务员）",
            formats={
                "义务教育教师年平均工资（元）": "{:,.0f}",
                "公务员年平均工资（元）": "{:,.0f}",
                "教师/公务员": "{:.3f}",
                "差额（元）": "{:+,.0f}",
            },
        )
    amounts = actual[
        (actual["unit"].isin(["万元", "元"]))
        & ~actual["indicator"].isin(
            [
                "edu_budget_expenditure",
                "edu_total_expenditure",
                "teacher_avg_salary",
                "civil_servant_avg_salary",
            ]
        )
    ]
    if not amounts.empty:
        show_table(
            amounts[["year", "level", "name_zh", "value_as_written", "source_label"]].rename(
                columns={
                    "year": "年份",
                    "level": "学段",
                    "name_zh": "项目",
                    "value_as_written": "原文",
                    "source_label": "来源",
                }
            ),
            caption="其他经费投入与补助标准",
            collapsed=True,
        )
    return result


def balance_section(region: str) -> pd.DataFrame:
    """Reported difference coefficients against the 2012 and 2017 thresholds."""
    figures = _open_section(region, "balance")
    if figures is None:
        return pd.DataFrame()
    regions = load_regions()
    out = []
    composite = figures[(figures["indicator"] == "composite_cv") & (figures["value_type"] == "实际")]
    if not composite.empty:
        rows = []
        for rec in composite.itertuples():
            r = assess(float(rec.value), "basic_balance_2012", "composite_cv", rec.level)
            rows.append(
                {
                    "区县": regions.loc[rec.district, "name_zh"] if rec.district else "全市",
                    "学段": rec.level,
                    "年份": rec.year,
                    "综合差异系数": rec.value,
                    "2012年标准": f"≤ {r['limit']:g}",
                    "判定": "达标" if r["met"] else "未达标",
                    "余量": r["margin"],
                    "来源": rec.source_label,
                }
            )
        table = pd.DataFrame(rows)
        out.append(table)
        note("综合差异系数对照《县域义务教育均衡发展督导评估暂行办法》（2012）：小学 ≤ 0.65，初中 ≤ 0.55。")
        show_table(table, status_column="判定", formats={"综合差异系数": "{:.2f}", "余量": "{:+.2f}"})
        title = "各区综合差异系数与 2012 年标准"
        fig = level_bar_chart(
            table,
            category="区县",
            value="综合差异系数",
            title=title,
            thresholds=_limits("basic_balance_2012", "composite_cv"),
            label="标准",
        )
        show_figure(fig, alt=title)
    per = figures[figures["indicator"].str.startswith("cv_") & (figures["value_type"] == "实际")]
    if not per.empty:
        quality = set(indicator_set("quality_balance_2017"))
        rows = []
        for rec in per.itertuples():
            base = rec.indicator[len("cv_") :]
            if base in quality:
                r = assess(float(rec.value), "quality_balance_2017", "indicator_cv", rec.level)
                limit, status, margin = f"≤ {r['limit']:g}", "达标" if r["met"] else "未达标", r["margin"]
            else:
                limit, status, margin = "2017年办法无此项", "—", np.nan
            rows.append(
                {
                    "学段": rec.level,
                    "年份": rec.year,
                    "指标": rec.name_zh,
                    "差异系数": rec.value,
                    "2017年单项标准": limit,
                    "判定": status,
                    "余量": margin,
                    "来源": rec.source_label,
                    "indicator": base,
                }
            )
        table = pd.DataFrame(rows)
        out.append(table)
        note(
            "单项差异系数：2017 年《县域义务教育优质均衡发展督导评估办法》要求小学每项 ≤ 0.50、初中每项 ≤ 0.45，"
            "但它的 7 项指标与 2012 年的 8 项只有 3 项相同；其余各项不按 2017 年标准判断。"
        )
        show_table(
            table.drop(columns="indicator"),
            status_column="判定",
            formats={"差异系数": "{:.4f}", "余量": "{:+.4f}"},
        )
        basic = indicator_set("basic_balance_2012")
        comp_rows = []
        for level, group in table.groupby("学段", sort=False):
            if set(basic) <= set(group["indicator"]):
                value = group.set_index("indicator").loc[basic, "差异系数"].mean()
                r = assess(float(value), "basic_balance_2012", "composite_cv", level)
                comp_rows.append(
                    {
                        "学段": level,
                        "综合差异系数（由8项重算）": value,
                        "2012年标准": f"≤ {r['limit']:g}",
                        "判定": "达标" if r["met"] else "未达标",
                        "余量": r["margin"],
                    }
                )
        if comp_rows:
            show_table(
                pd.DataFrame(comp_rows),
                caption="综合差异系数（8 项单项系数的平均值，文件未直接给出）",
                status_column="判定",
                formats={"综合差异系数（由8项重算）": "{:.4f}", "余量": "{:+.4f}"},
            )
        plot = table.assign(简称=table["指标"].str.replace("差异系数", "", regex=False))
        fig = level_bar_chart(
            plot,
            category="简称",
            value="差异系数",
            title="各项指标校际差异系数",
            thresholds=_limits("quality_balance_2017", "indicator_cv"),
            horizontal=True,
            label="2017单项",
        )
        show_figure(fig, alt="各项指标校际差异系数")
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def _indicator_table(frame: pd.DataFrame, caption: str, collapsed: bool = False) -> None:
    regions = load_regions()
    show_table(
        pd.DataFrame(
            {
                "地区": [regions.loc[d, "name_zh"] if d else "全市" for d in frame["district"]],
                "年份": frame["year"],
                "学段": frame["level"].replace("", "—"),
                "指标": frame["name_zh"],
                "原文": frame["value_as_written"],
                "类型": frame["value_type"] + frame["attribute"].map(lambda a: f"（{a}）" if a else ""),
                "来源": frame["source_label"],
            }
        ),
        caption=caption,
        collapsed=collapsed,
    )


def preschool_section(region: str) -> pd.DataFrame:
    """Gross enrolment, 普惠 coverage, public-kindergarten share and staffing vs standards."""
    figures = _open_section(region, "preschool")
    if figures is None:
        return pd.DataFrame()
    pre = figures[figures["level"] == "学前"]
    _indicator_table(pre, "学前教育相关数据（实际、目标与文件引用的标准）")
    judged = assessments(figures=figures)
    judged = judged[judged["indicator"].isin(SECTIONS["preschool"][1])]
    if not judged.empty:
        show_table(
            judged.drop(columns=["indicator", "标准来源", "数据来源"]),
            status_column="判定",
            caption="对照《县域学前教育普及普惠督导评估办法》（标准待核对）及教职工配备标准",
            formats={"比较值": "{:g}", "差距": "{:+g}"},
        )
    keys = ["preschool_gross_enrolment_rate", "puhui_coverage", "public_kindergarten_share"]
    series = pre[pre["indicator"].isin(keys) & pre["value_type"].isin(["实际", "目标"])]
    series = series[series["year"].str.fullmatch(r"\d{4}")]
    if series["year"].nunique() >= 1 and len(series) >= 2:
        plot = series.assign(年份=series["year"].astype(int), 类型=series["value_type"])
        fig, ax = plt.subplots(figsize=(7.5, 4), layout="constrained")
        sns.lineplot(data=plot, x="年份", y="value", hue="name_zh", style="类型", markers=True, ax=ax)
        for key, limit in ((k, float(get_threshold("preschool_2020", k, "学前")["value"])) for k in keys):
            if key in set(plot["indicator"]):
                ax.axhline(limit, linestyle=":", linewidth=1, color="#888")
                ax.annotate(
                    f"标准 {limit}%",
                    (plot["年份"].min(), limit),
                    fontsize=8,
                    color="#555",
                    xytext=(0, 2),
                    textcoords="offset points",
                )
        ax.set(title="学前教育普及普惠指标（虚线为标准）", ylabel="%", xlabel="年份")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=8)
        show_figure(fig, alt="学前教育普及普惠指标")
    return pre


def staffing_section(region: str) -> pd.DataFrame:
    """Student-teacher and class-teacher ratios, counsellor ratios, 职普比 and admissions."""
    figures = _open_section(region, "staffing")
    if figures is None:
        return pd.DataFrame()
    ids = SECTIONS["staffing"][1] | {
        "ideology_teacher_student_ratio",
        "hs_admissions_general",
        "hs_admissions_vocational",
        "support_staff_count",
        "substitute_teachers",
        "teacher_posts_approved",
        "counsellors_fulltime",
        "ideology_teachers_fulltime",
        "higher_voc_students",
        "teacher_exchange_count",
    }
    part = figures[figures["indicator"].isin(ids)]
    _indicator_table(part, "师资与结构相关数据")
    judged = assessments(figures=figures)
    judged = judged[
        judged["indicator"].isin(
            [
                "counsellor_student_ratio",
                "ideology_teacher_student_ratio",
                "vocational_general_ratio",
                "teacher_exchange_share",
            ]
        )
    ]
    if not judged.empty:
        show_table(
            judged.drop(columns=["indicator", "标准来源", "数据来源"]),
            status_column="判定",
            caption="对照配备标准、“职普大体相当”与教师交流比例",
            formats={"比较值": "{:g}", "差距": "{:+g}"},
        )
    if (figures["indicator"].isin(["student_teacher_ratio", "class_teacher_ratio"])).any():
        note(
            "口径说明：文件中的“生师比”为学生数∶专任教师数，“班师比”为班级数∶教师数；国家编制标准（小学 1:19、"
            "初中 1:13.5、高中 1:12.5）是教职工∶学生之比，口径不同，本报告不以其判定生师比或班师比。"
        )
    if (figures["indicator"] == "vocational_general_ratio").any():
        note("“职普大体相当”在政策原文中没有给出容差；表中以中职占比 40%–60% 判读，是本项目的约定（已标为待核对）。")
    adm = figures[figures["indicator"].isin(["hs_admissions_general", "hs_admissions_vocational"])]
    if not adm.empty:
        plot = adm.assign(
            类别=adm["indicator"].map({"hs_admissions_general": "普通高中", "hs_admissions_vocational": "中职"}),
            口径=adm["year"] + "年" + adm["value_type"],
        )
        fig, ax = plt.subplots(figsize=(6.5, 3.8), layout="constrained")
        sns.barplot(
            data=plot,
            x="口径",
            y="value",
            hue="类别",
            ax=ax,
            palette={"普通高中": "#457b9d", "中职": "#e76f51"},
        )
        ax.set(title="高中阶段招生：普通高中与中职", ylabel="人", xlabel="")
        show_figure(fig, alt="高中阶段招生：普通高中与中职")
    return part


def plan_section(region: str) -> pd.DataFrame:
    """Plan targets with their baseline, the annual rate needed, and progress where known."""
    figures = _open_section(region, "plan")
    if figures is None:
        return pd.DataFrame()
    targets = figures[figures["value_type"] == "目标"]
    rows = []
    for rec in targets.itertuples():
        if not rec.year.isdigit():
            continue
        year = int(rec.year)
        same = figures[
            (figures["indicator"] == rec.indicator)
            & (figures["level"] == rec.level)
            & (figures["district"] == rec.district)
            & figures["year"].str.fullmatch(r"\d{4}")
        ]
        base = same[same["value_type"].isin(["基期", "实际"]) & (same["year"].astype(int) < year)]
        base = base.sort_values(["year", "value_type"], ascending=[False, True]).head(1)
        row = {
            "指标": rec.name_zh,
            "学段": rec.level or "—",
            "目标年份": year,
            "目标": rec.value_as_written,
            "属性": rec.attribute or "—",
            "基期": "—",
            "基期值": np.nan,
            "所需年均增速（%）": np.nan,
            "所需年均增加（百分点）": np.nan,
            "进度": "文件未给出基期",
            "来源": rec.source_label,
        }
        if not base.empty:
            b = base.iloc[0]
            years = year - int(b["year"])
            row.update({"基期": f"{b['year']}年 {b['value_as_written']}", "基期值": b["value"]})
            if b["value"] > 0 and rec.value > 0:
                row["所需年均增速（%）"] = required_rate(b["value"], rec.value, years) * 100
            if rec.unit == "%":
                row["所需年均增加（百分点）"] = (rec.value - b["value"]) / years
            later = same[
                (same["value_type"] == "实际")
                & (same["year"].astype(int) > int(b["year"]))
                & (same["year"].astype(int) <= year)
            ]
            if later.empty:
                row["进度"] = "暂无基期之后的实际数据"
            else:
                last = later.sort_values("year").iloc[-1]
                elapsed = int(last["year"]) - int(b["year"])
                expected = b["value"] + (rec.value - b["value"]) * elapsed / years
                on_track = last["value"] >= expected if rec.value >= b["value"] else last["value"] <= expected
                row["进度"] = (
                    f"{last['year']}年 {last['value_as_written']}，"
                    f"{'达到' if on_track else '落后于'}按线性进度应有的 {expected:.2f}"
                )
        rows.append(row)
    table = pd.DataFrame(rows)
    note(f"规划目标共 {len(table)} 项。所需年均增速 = (目标 ÷ 基期)^(1/年数) − 1；百分比指标另列每年需提高的百分点。")
    show_table(
        table.drop(columns=["基期值"]),
        formats={"所需年均增速（%）": "{:.2f}", "所需年均增加（百分点）": "{:.2f}"},
    )
    return table


def audit_section(region: str) -> pd.DataFrame:
    """All checks with verdicts, inconsistent ones first."""
    if not checks_path(region).exists():
        return pd.DataFrame()
    result = audit(region)
    if result.empty:
        return result
    heading(SECTIONS["audit"][0], "sec-audit")
    counts = result["verdict"].value_counts()
    note(
        f"从文件中可相互推算的数据共设 {len(result)} 项核对：不一致 {counts.get('不一致', 0)} 项，"
        f"无法核对（缺少所需数据）{counts.get('无法核对', 0)} 项，一致 {counts.get('一致', 0)} 项。"
        "按文件所用的小数位数比较；“不一致”是需要核实的线索，不等于数据错误。"
    )
    table = result.rename(
        columns={
            "check_id": "编号",
            "description": "核对内容",
            "year": "年份",
            "stated": "文件所述",
            "recomputed_text": "重新计算",
            "verdict": "结论",
            "reason": "说明",
            "inputs": "依据",
            "locators": "出处",
            "note": "备注",
        }
    )[["编号", "结论", "核对内容", "年份", "文件所述", "重新计算", "说明", "依据", "出处", "备注"]]
    show_table(table, status_column=None)
    return result


def data_appendix(region: str) -> pd.DataFrame:
    """Every transcribed figure with its source and locator (collapsed)."""
    figures = _open_section(region, "appendix")
    if figures is None:
        return pd.DataFrame()
    _indicator_table(
        figures.sort_values(["indicator", "year"]),
        f"全部 {len(figures)} 项转录数据（点击展开）",
        collapsed=True,
    )
    return figures
