"""Sections of the school-level balance report (``notebooks/balance_report.ipynb``).

From one school table (``data/raw/schools/<file>``): per-school indicators, the difference
coefficient of every indicator per level with the composite, the schools that drive each
coefficient, and the 2017 school rule (≥ 6 of 7 indicators met, the rest ≥ 85 %) with the
shortfall each school must close.
"""

from __future__ import annotations

import html
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, display

from .. import paths
from ..data.registry import indicator_info
from ..data.schools import read_school_table
from ..data.synthetic import SYNTHETIC_LABEL
from ..errors import ParameterError
from ..judgement.assess import assess, quality_school_check
from ..judgement.standards import STANDARDS_CSV, get_threshold, indicator_set
from ..measures.coefficients import cv_contributions, difference_coefficients
from ..measures.indicators import school_indicators
from .display import heading, note, show_table
from .plotting import STATUS_COLORS, level_bar_chart, show_figure

__all__ = [
    "STANDARDS_CSV",
    "coefficient_section",
    "contribution_section",
    "load_school_table",
    "quality_rule_section",
    "school_report_header",
    "school_table_path",
]

_LEVELS = ["小学", "初中"]


def school_table_path(name: str) -> Path:
    """A school table of ``data/raw/schools/`` by file name (or an explicit path)."""
    path = Path(name)
    if not path.is_absolute():
        path = paths.SCHOOLS_DIR / name
    if not path.exists():
        known = ", ".join(sorted(p.name for p in paths.SCHOOLS_DIR.glob("*.csv")))
        raise ParameterError(f"school table {name!r} not found; tables in data/raw/schools: {known}")
    return path


def load_school_table(name: str) -> pd.DataFrame:
    """Read, validate and derive indicators for a school table."""
    return school_indicators(read_school_table(school_table_path(name)))


def _is_synthetic(name: str, table: pd.DataFrame) -> bool:
    return "synthetic" in Path(name).name or ("note" in table and (table["note"] == SYNTHETIC_LABEL).any())


def _indicators(table: pd.DataFrame) -> list[str]:
    wanted = list(dict.fromkeys(indicator_set("basic_balance_2012") + indicator_set("quality_balance_2017")))
    return [i for i in wanted if i in table.columns]


def school_report_header(school_table: str, region_label: str = "") -> pd.DataFrame:
    """Title, data description (and the synthetic-data banner), per-school indicators."""
    table = load_school_table(school_table)
    label = region_label or Path(school_table).stem
    display(HTML(f"<h1>县域义务教育校际均衡分析：{html.escape(label)}</h1>"))
    if _is_synthetic(school_table, table):
        display(
            HTML(
                '<p style="border:2px solid #e76f51;padding:.6em;font-weight:600;color:#c44d2f">'
                f"{html.escape(SYNTHETIC_LABEL)}：本报告所用学校均为程序生成的示例，"
                "用于演示计算方法，不代表任何真实地区。</p>"
            )
        )
    counts = table.groupby("level").agg(学校数=("school", "size"), 在校生=("enrolment", "sum"))
    note(
        f"数据文件：data/raw/schools/{Path(school_table).name}；共 {len(table)} 个学校（学段），"
        + "，".join(f"{lvl} {int(r.学校数)} 所、在校生 {int(r.在校生):,} 人" for lvl, r in counts.iterrows())
        + "。九年一贯制学校的小学部和初中部分别计入各学段。"
    )
    inds = _indicators(table)
    show = table[["school", "level", "enrolment", *inds]].rename(
        columns={
            "school": "学校",
            "level": "学段",
            "enrolment": "在校生",
            **{i: indicator_info(i)["name_zh"] for i in inds},
        }
    )
    heading("一、各校指标", "sec-schools")
    show_table(
        show,
        caption="各校生均及每百名学生指标（由原始数量计算）",
        formats={c: "{:.3f}" for c in show.columns if c not in ("学校", "学段", "在校生")},
        collapsed=len(show) > 12,
    )
    return table


def coefficient_section(school_table: str) -> pd.DataFrame:
    """Coefficient per indicator and level, judged; composite of the 2012 set."""
    table = load_school_table(school_table)
    inds = _indicators(table)
    heading("二、差异系数", "sec-cv")
    note(
        "差异系数 = 以在校生数加权的标准差 ÷ 加权平均数（总体标准差）。2012 年基本均衡看 8 项的综合差异系数"
        "（小学 ≤ 0.65，初中 ≤ 0.55）；2017 年优质均衡看 7 项中每一项（小学 ≤ 0.50，初中 ≤ 0.45）。"
    )
    cv = difference_coefficients(table.assign(region="本县"), inds, by=["region", "level"])
    quality = set(indicator_set("quality_balance_2017"))
    rows = []
    for rec in cv.itertuples():
        verdict, margin = "—", np.nan
        if rec.indicator in quality:
            r = assess(float(rec.cv), "quality_balance_2017", "indicator_cv", rec.level)
            verdict, margin = ("达标" if r["met"] else "未达标"), r["margin"]
        rows.append(
            {
                "学段": rec.level,
                "指标": indicator_info(rec.indicator)["name_zh"],
                "学校数": rec.n_schools,
                "在校生": rec.enrolment,
                "加权平均": rec.mean,
                "标准差": rec.sd,
                "差异系数": rec.cv,
                "2017单项判定": verdict,
                "余量": margin,
            }
        )
    out = pd.DataFrame(rows)
    show_table(
        out,
        status_column="2017单项判定",
        formats={
            "在校生": "{:,}",
            "加权平均": "{:.4f}",
            "标准差": "{:.4f}",
            "差异系数": "{:.4f}",
            "余量": "{:+.4f}",
        },
    )
    basic = indicator_set("basic_balance_2012")
    comp = []
    for level in _LEVELS:
        sub = cv[cv["level"] == level].set_index("indicator")
        if sub.empty:
            continue
        if set(basic) <= set(sub.index):
            value = float(sub.loc[basic, "cv"].mean())
            r = assess(value, "basic_balance_2012", "composite_cv", level)
            comp.append(
                {
                    "学段": level,
                    "综合差异系数": value,
                    "2012年标准": f"≤ {r['limit']:g}",
                    "判定": "达标" if r["met"] else "未达标",
                    "余量": r["margin"],
                }
            )
        else:
            missing = [indicator_info(i)["name_zh"] for i in basic if i not in sub.index]
            comp.append(
                {
                    "学段": level,
                    "综合差异系数": np.nan,
                    "2012年标准": "—",
                    "判定": f"无法计算：缺少 {len(missing)} 项指标",
                    "余量": np.nan,
                }
            )
    show_table(
        pd.DataFrame(comp),
        caption="综合差异系数（2012 年 8 项指标的平均）",
        status_column="判定",
        formats={"综合差异系数": "{:.4f}", "余量": "{:+.4f}"},
    )
    thresholds = {lv: float(get_threshold("quality_balance_2017", "indicator_cv", lv)["value"]) for lv in _LEVELS}
    fig = level_bar_chart(
        out,
        category="指标",
        value="差异系数",
        title="各指标校际差异系数",
        thresholds=thresholds,
        horizontal=True,
        label="2017单项",
    )
    show_figure(fig, alt="各指标校际差异系数")
    return out


def contribution_section(school_table: str, top: int = 3) -> pd.DataFrame:
    """The schools contributing most to each coefficient (差异情况)."""
    table = load_school_table(school_table)
    heading("三、哪些学校拉大了差异", "sec-contrib")
    note(
        "每所学校对方差的贡献 = 在校生 × (学校指标 − 全县平均)² ÷ 全县在校生；占比为其在方差中的份额。"
        f"下表列出每个学段、每项指标贡献最大的 {top} 所学校。"
    )
    rows = []
    for level in _LEVELS:
        sub = table[table["level"] == level]
        if sub.empty:
            continue
        for ind in _indicators(table):
            contrib = cv_contributions(pd.Series(sub[ind].to_numpy(), index=sub["school"]), sub["enrolment"].to_numpy())
            for school, rec in contrib.nlargest(top, "share").iterrows():
                rows.append(
                    {
                        "学段": level,
                        "指标": indicator_info(ind)["name_zh"],
                        "学校": school,
                        "在校生": int(rec["weight"]),
                        "学校指标": rec["value"],
                        "与平均之差": rec["deviation"],
                        "方差贡献占比": rec["share"] * 100,
                    }
                )
    out = pd.DataFrame(rows)
    show_table(
        out,
        formats={"学校指标": "{:.3f}", "与平均之差": "{:+.3f}", "方差贡献占比": "{:.1f}%"},
        caption="贡献最大的学校",
        collapsed=len(out) > 30,
    )
    return out


def quality_rule_section(school_table: str) -> pd.DataFrame:
    """The 2017 school rule with each school's shortfall."""
    table = load_school_table(school_table)
    needed = indicator_set("quality_balance_2017")
    heading("四、优质均衡学校达标情况（2017）", "sec-quality")
    missing = [indicator_info(i)["name_zh"] for i in needed if i not in table.columns]
    if missing:
        note("本表缺少优质均衡 7 项指标中的：" + "、".join(missing) + "，无法按学校判定。")
        return pd.DataFrame()
    kind = "school_type" if "school_type" in table.columns else None
    summary, detail = quality_school_check(table, school_type=kind)
    passed = int((summary["passes"] == True).sum())  # noqa: E712 - NA-aware
    judged = int(summary["passes"].notna().sum())
    note(
        f"参评学校 {judged} 所，达标 {passed} 所，未达标 {judged - passed} 所。规则：7 项中至少 6 项达到标准值，"
        "其余不低于标准值的 85%（该规则与第 4–7 项标准值仍待与部颁原文核对）。特殊教育学校和 50 人以下教学点不参评。"
    )
    show_table(
        summary.rename(
            columns={
                "school": "学校",
                "level": "学段",
                "enrolment": "在校生",
                "n_met": "达标项数",
                "failing": "未达标指标",
                "lowest_ratio": "最弱项/标准",
                "passes": "是否达标",
                "status": "判定",
            }
        ).drop(columns="是否达标"),
        status_column="判定",
        formats={"最弱项/标准": "{:.0%}"},
    )
    gaps = detail[detail["shortfall_total"] > 0]
    if not gaps.empty:
        show_table(
            gaps.rename(
                columns={
                    "school": "学校",
                    "level": "学段",
                    "name_zh": "指标",
                    "value": "现值",
                    "threshold": "标准值",
                    "ratio": "现值/标准",
                    "shortfall_total": "需补足",
                    "amount_unit": "单位",
                }
            )[["学校", "学段", "指标", "现值", "标准值", "现值/标准", "需补足", "单位"]],
            caption="各校需补足的缺口（按在校生数折算）",
            formats={"现值": "{:.2f}", "标准值": "{:g}", "现值/标准": "{:.0%}", "需补足": "{:,.1f}"},
        )
        fig, ax = plt.subplots(figsize=(8, 0.3 * summary.shape[0] + 1.5), layout="constrained")
        plot = summary[summary["passes"].notna()]
        ax.barh(
            plot["school"] + "（" + plot["level"] + "）",
            plot["n_met"],
            color=[STATUS_COLORS["达标" if p else "未达标"] for p in plot["passes"]],
        )
        ax.axvline(6, color="#333", linestyle="--", linewidth=1)
        ax.set(title="各校达标指标数（7 项，虚线为 6 项）", xlabel="达标项数", xlim=(0, 7))
        ax.invert_yaxis()
        show_figure(fig, alt="各校达标指标数")
    return summary
