"""The cross-city comparison (``notebooks/cross_city.ipynb``).

Only indicators that at least two cities report are compared, each value with its year:
the documents cover different years (乌海 2019–2020, 绵阳 2019–2020, 牡丹江 2021, 伊宁 2020),
so a difference between cities may be a difference between years.
"""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from ..data.figures import load_figures
from ..data.regions import load_regions, report_regions
from .display import heading, note, show_table
from .plotting import show_figure

__all__ = ["all_figures", "cross_city_header", "shared_indicators", "shared_section"]


def all_figures() -> pd.DataFrame:
    """Reported actual city-level figures of every city, one row per figure."""
    regions = load_regions()
    frames = []
    for slug in report_regions():
        figures = load_figures(slug)
        if len(figures):
            frames.append(figures.assign(city=regions.loc[slug, "name_zh"]))
    data = pd.concat(frames, ignore_index=True)
    return data[(data["value_type"] == "实际") & (data["district"] == "")]


def shared_indicators(min_cities: int = 2) -> pd.DataFrame:
    """Latest value of each (indicator, level) reported by at least ``min_cities`` cities."""
    data = all_figures()
    data = data[data["year"].str.fullmatch(r"\d{4}")]
    latest = data.sort_values("year").groupby(["indicator", "level", "city"], as_index=False).tail(1)
    counts = latest.groupby(["indicator", "level"])["city"].nunique()
    keep = counts[counts >= min_cities].index
    shared = latest.set_index(["indicator", "level"]).loc[keep].reset_index()
    return shared.sort_values(["indicator", "level", "city"]).reset_index(drop=True)


def cross_city_header() -> pd.DataFrame:
    regions = load_regions()
    cities = [regions.loc[s, "name_zh"] for s in report_regions()]
    display(HTML("<h1>四市教育指标对比</h1>"))
    note(
        f"对比范围：{'、'.join(cities)}。只列出至少两个城市的文件都报告了的指标（城市整体、实际值），"
        "并标出每个数值的年份：各市文件覆盖的年份不同，数值差异可能来自年份差异。"
    )
    data = all_figures()
    cover = data.groupby("city").agg(
        数据项=("indicator", "size"), 年份范围=("year", lambda y: f"{min(y)[:4]}–{max(y)[-4:]}")
    )
    show_table(cover.reset_index().rename(columns={"city": "城市"}), caption="各市转录数据概况")
    return cover


def shared_section(min_cities: int = 2) -> pd.DataFrame:
    shared = shared_indicators(min_cities)
    heading("一、多市共同报告的指标", "sec-shared")
    if shared.empty:
        note("没有两个以上城市共同报告的指标。")
        return shared
    shared = shared.assign(显示=shared["value_as_written"] + "（" + shared["year"] + "）")
    wide = shared.pivot_table(index=["name_zh", "level"], columns="city", values="显示", aggfunc="first")
    wide = wide.reset_index().rename(columns={"name_zh": "指标", "level": "学段"}).fillna("—")
    wide["学段"] = wide["学段"].replace("", "—")
    show_table(wide, caption="各市数值（括号内为年份）")
    rates = shared[shared["unit"] == "%"]
    if not rates.empty:
        plot = rates.assign(
            label=rates["name_zh"] + rates["level"].map(lambda lv: f"（{lv}）" if lv else ""),
            城市=rates["city"] + "（" + rates["year"] + "）",
        )
        fig, ax = plt.subplots(figsize=(9, 0.55 * plot["label"].nunique() * 2 + 1.5), layout="constrained")
        sns.barplot(data=plot, y="label", x="value", hue="city", ax=ax)
        for patch in ax.patches:
            width = patch.get_width()
            if width and width == width:
                ax.annotate(
                    f"{width:.1f}",
                    (width, patch.get_y() + patch.get_height() / 2),
                    va="center",
                    fontsize=7,
                    xytext=(2, 0),
                    textcoords="offset points",
                )
        ax.set(title="多市共同报告的百分比指标（年份见上表）", xlabel="%", ylabel="")
        ax.legend(fontsize=8, title="")
        show_figure(fig, alt="多市共同报告的百分比指标")
    sources = shared[["city", "name_zh", "year", "value_as_written", "source", "locator", "row"]].rename(
        columns={
            "city": "城市",
            "name_zh": "指标",
            "year": "年份",
            "value_as_written": "原文",
            "source": "来源文件",
            "locator": "位置",
            "row": "数据行",
        }
    )
    show_table(sources, caption="每个数值的出处（点击展开）", collapsed=True)
    display(HTML(f"<p>{html.escape('数据行指 data/raw/figures/<城市>.csv 中的行号。')}</p>"))
    return shared
