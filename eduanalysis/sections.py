"""The sections of the city report, one call each from ``notebooks/city_report.ipynb``.

Each function displays Chinese tables and figures for one region and returns the
tidy data it showed, so a researcher in JupyterLab can keep working with it.  Values
shown in HTML are escaped.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from .figures import load_figures
from .growth import compound_rate, two_no_decrease, yoy
from .plotting import bar_chart, set_theme, show_figure
from .provenance import provenance_html, region_inputs
from .regions import get_region

__all__ = ["funding_section", "provenance_footer", "report_header", "setup_notebook"]


def setup_notebook() -> None:
    """Theme, Chinese font and pandas display options for a report notebook."""
    set_theme()
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 160)


def report_header(region: str) -> pd.Series:
    """Show the report title and scope; returns the region's registry row."""
    info = get_region(region)
    figures = load_figures(region)
    sources = sorted(set(figures["source"])) if len(figures) else []
    scope = (
        f"本报告依据 {len(sources)} 份公开文件中转录的 {len(figures)} 项数据"
        if len(figures)
        else "尚未转录本地区文件中的数据，以下各节暂无内容"
    )
    display(
        HTML(
            f"<h1>{html.escape(info['name_zh'])}教育评价分析报告</h1>"
            f"<p>{html.escape(info['province'])} · {html.escape(info['kind'])} · "
            f"地区代码 <code>{html.escape(region)}</code></p><p>{html.escape(scope)}。</p>"
        )
    )
    return info


def _source_label(frame: pd.DataFrame) -> pd.Series:
    return frame["source"] + " · " + frame["locator"] + " · 第" + frame["row"].astype(str) + "行"


def funding_section(region: str) -> pd.DataFrame:
    """Education budget expenditure by year, its growth and the 只增不减 verdict.

    Returns the table shown (year, value in 万元, yoy); empty when not reported.
    """
    figures = load_figures(region)
    budget = figures[
        (figures["indicator"] == "edu_budget_expenditure")
        & (figures["district"] == "")
        & (figures["value_type"] == "实际")
    ].copy()
    if budget.empty:
        display(HTML("<p>本地区文件未报告一般公共预算教育支出。</p>"))
        return pd.DataFrame(columns=["year", "value", "yoy"])
    budget["year"] = budget["year"].astype(int)
    budget = budget.sort_values("year")
    series = pd.Series(budget["value"].to_numpy(), index=budget["year"].to_numpy())
    rates = yoy(series, gaps="annualize").reindex(series.index)
    table = pd.DataFrame(
        {
            "年份": series.index,
            "一般公共预算教育支出（万元）": series.to_numpy(),
            "同比增长（%）": (rates * 100).round(2).to_numpy(),
            "原文": budget["value_as_written"].to_numpy(),
            "来源": _source_label(budget).to_numpy(),
        }
    )
    display(
        table.style.format(
            {"一般公共预算教育支出（万元）": "{:,.0f}", "同比增长（%）": "{:.2f}"}, na_rep="—"
        ).hide(axis="index")
    )
    first, last = int(series.index.min()), int(series.index.max())
    verdict = two_no_decrease(series)
    sentences = []
    if last > first:
        cagr = compound_rate(series.iloc[0], series.iloc[-1], last - first)
        sentences.append(f"{first}–{last} 年年均增长 {cagr * 100:.2f}%")
    met = verdict.loc[0, "met"]
    if pd.isna(met):
        sentences.append("不足两年数据，无法判断是否只增不减")
    elif bool(met):
        sentences.append("一般公共预算教育支出逐年只增不减：达标")
    else:
        sentences.append(f"一般公共预算教育支出在 {verdict.loc[0, 'breaks']} 年下降：未达标")
    display(HTML("<p>" + html.escape("；".join(sentences)) + "。</p>"))
    labels = pd.Series([f"{r * 100:+.1f}%" if pd.notna(r) else "" for r in rates])
    title = f"{get_region(region)['name_zh']}一般公共预算教育支出（{first}–{last} 年）"
    fig = bar_chart(
        pd.DataFrame({"年份": series.index.astype(str), "支出": series.to_numpy()}),
        x="年份",
        y="支出",
        title=title,
        xlabel="年份",
        ylabel="万元",
        annotations=labels,
    )
    show_figure(fig, alt=title)
    return pd.DataFrame({"year": series.index, "value": series.to_numpy(), "yoy": rates.to_numpy()})


def provenance_footer(parameters: dict) -> None:
    """Show parameters, input files with SHA-256, package version and run time."""
    region = parameters.get("region")
    files = region_inputs(region) if region else []
    display(HTML(provenance_html(parameters, files)))
