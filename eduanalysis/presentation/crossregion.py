"""The cross-region comparison (``notebooks/cross_region.ipynb``): like with like, for N regions.

Reads each region's findings and observations (one row per figure however often stated):

- only indicators that do not grow with a region's size are compared side by side
  (rates, shares, ratios, coefficients, growth rates, per-student amounts); totals
  (spending, enrolment, counts) are listed apart, in one unit (亿元, 万人) and with their
  year, and are not charted against each other;
- every value carries its year (marked when inferred); each place shows its latest year, the
  one its own report leads with, and a row whose places report different years is marked;
- a value that is a bound ("97%以上") is flagged (下限), and drawn with "≥";
- a region whose figures are only about its districts (乌海's difference coefficients) is
  shown through its districts (乌海市·海勃湾区 …), never as a city average;
- a figure its own report marks 数据存疑 (two documents disagree) shows both values and
  that mark here too, and a verdict shown is the one of the region's findings.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display

from ..data.figures import region_figures
from ..data.regions import load_regions, report_regions
from ..data.registry import indicator_registry
from ..judgement.findings import findings, observations
from .display import empty_section, note, show_table
from .labels import fmt_num, verdict_label
from .plotting import show_figure

__all__ = ["ComparableIndicators", "comparison", "cross_region_header", "inputs", "regions_compared", "totals_section"]

#: kinds of indicator that can be compared across regions of different size
ComparableIndicators = ("rate", "share", "ratio", "coefficient", "growth", "pp_change", "school_indicator")
_SIZE_KINDS = ("amount", "count")
#: how a value that is a bound, not a number, is flagged beside it ("97%以上" is at least 97 %)
_BOUND_FLAG = {
    "at_least": "（下限）",
    "above": "（下限）",
    "at_most": "（上限）",
    "about": "（约数）",
    "nearly": "（约数）",
}
#: amounts per person are comparable even though their kind is "amount"
_PER_PERSON_UNITS = ("元",)


def regions_compared() -> list[str]:
    """The top-level regions that have figures (their districts come with them)."""
    return [s for s in report_regions() if len(region_figures(s))]


def _table() -> pd.DataFrame:
    regions = load_regions()
    registry = indicator_registry()
    frames = []
    for region in regions_compared():
        obs = observations(region)
        if obs.empty:
            continue
        found = findings(region)  # one finding per figure: the verdict its own report shows
        key = ["area", "level", "group", "year", "indicator"]
        verdicts = {tuple(r[k] for k in key): verdict_label(r) for _, r in found.iterrows()}
        obs = obs.assign(
            region=region,
            region_name=regions.at[region, "name_zh"],
            place=[
                regions.at[region, "name_zh"]
                if a == region
                else f"{regions.at[region, 'name_zh']}·{regions.at[a, 'name_zh']}"
                for a in obs["area"]
            ],
            verdict=[
                verdicts.get(tuple(k), "") for k in obs[["area", "level", "group", "year", "indicator"]].values.tolist()
            ],
        )
        frames.append(obs)
    if not frames:
        return pd.DataFrame()
    data = pd.concat(frames, ignore_index=True)
    data = data.join(registry[["name_zh", "kind"]], on="indicator")
    data = data[data["year"].str.fullmatch(r"\d{4}")]
    return data


def _latest(data: pd.DataFrame) -> pd.DataFrame:
    """One value per place and indicator: the latest year, the one the place's own report leads
    with (乌海's 巩固率 is 95 % in 2020, not the 93.2 % of 2019); the table marks rows whose places
    report different years."""
    data = data.assign(_y=data["year"].str[-4:].astype(int))
    latest = data.groupby(["indicator", "level", "group", "place"])["_y"].transform("max")
    return data[data["_y"] == latest].drop(columns="_y").reset_index(drop=True)


def mentioned_without_figures(slug: str, with_data: list[str]) -> list[str]:
    """A region's districts and counties its documents name but give no figure for, in file order
    (绵阳 003 (十三) "游仙区、北川县等设立教师质量奖" names 游仙区 without a number).

    >>> "游仙区" in mentioned_without_figures("mianyang", ["fucheng", "yanting"])
    True
    """
    from ..data.regions import children
    from ..data.sources import load_sources, source_text

    sources = load_sources()
    texts = [source_text(s) or "" for s in sources.index[sources["region"] == slug]]
    regions = load_regions()
    return [
        regions.at[c, "name_zh"]
        for c in children(slug)
        if c not in with_data
        and "非行政区" not in regions.at[c, "kind"]
        and any(regions.at[c, "name_zh"] in t for t in texts)
    ]


def cross_region_header() -> pd.DataFrame:
    """Title, the regions compared, and each region's verdict counts."""
    regions = load_regions()
    slugs = regions_compared()
    display(HTML("<h1>各地区教育指标对比</h1>"))
    rows = []
    for slug in slugs:
        f = findings(slug)
        applied = f[f["applicability"] == "适用"]["verdict"].value_counts()
        figs = region_figures(slug)
        years = figs.loc[figs["value_type"] == "实际", "year"].str[-4:]
        areas = sorted((set(figs["area"]) | set(f["area"])) - {slug})
        rows.append(
            {
                "地区": regions.at[slug, "name_zh"],
                "类型": regions.at[slug, "kind"],
                "所含区县（有数据）": "、".join(regions.loc[areas, "name_zh"]) or "—",
                "文件提及、无数值的区县": "、".join(mentioned_without_figures(slug, areas)) or "—",
                "数据项": len(figs),
                "实际数据年份": f"{years.min()}–{years.max()}" if len(years) else "—",
                "达标": int(applied.get("达标", 0)),
                "未达标": int(applied.get("未达标", 0)),
                "无法判定": int(applied.get("无法判定", 0)),
                "数据存疑": int(applied.get("数据存疑", 0)),
            }
        )
    note(
        f"对比 {len(slugs)} 个地区：{'、'.join(regions.loc[slugs, 'name_zh'])}。各地文件覆盖的年份不同，"
        "每个数值都标出年份；判定栏沿用各地区报告的判定（对照适用标准的项目）。"
    )
    table = pd.DataFrame(rows)
    show_table(table, caption="各地区概况（判定为对照适用标准的项数）")
    return table


def comparison(min_regions: int = 2) -> pd.DataFrame:
    """Indicators reported by at least ``min_regions`` regions, comparable across sizes."""
    data = _table()
    if data.empty:
        empty_section("shared", "尚无可对比的数据。")
        return data
    comparable = data[
        data["kind"].isin(ComparableIndicators) | (data["kind"].eq("amount") & data["unit"].isin(_PER_PERSON_UNITS))
    ]
    latest = _latest(comparable)
    counts = latest.groupby(["indicator", "level", "group"])["region"].nunique()
    keep = counts[counts >= min_regions].index
    shared = latest.set_index(["indicator", "level", "group"]).loc[keep].reset_index()
    if shared.empty:
        empty_section("shared", f"没有 {min_regions} 个以上地区共同报告的可比指标。")
        return shared
    shared["显示"] = [
        (r.value_as_written if r.basis == "文件数值" else f"{fmt_num(r.value, r.unit)}（计算）")
        + _BOUND_FLAG.get(r.bound, "")
        + f"（{r.year}{'，年份推断' if r.year_inferred else ''}）"
        + (f" {r.verdict}" if r.verdict else "")
        + ("（文件中两处数值不同）" if r.conflict and "数据存疑" not in r.verdict else "")
        for r in shared.itertuples()
    ]
    wide = shared.pivot_table(index=["name_zh", "level", "group"], columns="place", values="显示", aggfunc="first")
    years = shared.groupby(["name_zh", "level", "group"])["year"].nunique()
    wide.insert(0, "年份一致", ["是" if years.loc[idx] == 1 else "否（年份不同）" for idx in wide.index])
    wide = wide.reset_index().rename(columns={"name_zh": "指标", "level": "学段", "group": "口径"}).fillna("—")
    wide["学段"] = wide["学段"].replace("", "—")
    wide["口径"] = wide["口径"].replace("", "全体")
    show_table(wide, caption="各地区数值（括号内为年份）")
    # the chart draws one number per place: a figure two documents state differently has none
    doubtful = shared[(shared["conflict"] != "") | shared["verdict"].str.contains("数据存疑")]
    if len(doubtful):
        note(
            "以下数值文件中有两处不同或被各自报告标为“数据存疑”，表中列出、图中不画："
            + "、".join(f"{p}{n}" for p, n in zip(doubtful["place"], doubtful["name_zh"]))
            + "。图中“≥”表示文件所写为下限（如“以上”“超过”）。"
        )
    _chart(shared[(shared["unit"] == "%") & ~shared.index.isin(doubtful.index)])
    return shared


def _chart(rates: pd.DataFrame) -> None:
    """One small bar chart per indicator (%), each region or district a bar, its year in the label."""
    if rates.empty:
        return
    groups = list(rates.groupby(["name_zh", "level", "group"], sort=False))
    ncols = min(3, len(groups))
    nrows = math.ceil(len(groups) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.4 * ncols, 0.5 * rates["place"].nunique() * nrows + 1.6 * nrows),
        layout="constrained",
        squeeze=False,
    )
    for ax, ((name, level, group), part) in zip(axes.flat, groups):
        labels = [f"{p}（{y}）" for p, y in zip(part["place"], part["year"])]
        ax.barh(labels, part["value"], color="#457b9d")
        for y, (v, bound) in enumerate(zip(part["value"], part["bound"])):
            shown = ("≥" if bound in ("at_least", "above") else "") + f"{v:.1f}"
            ax.annotate(shown, (v, y), xytext=(2, 0), textcoords="offset points", va="center", fontsize=7)
        ax.set_title(f"{name}{'（' + level + '）' if level else ''}{'（' + group + '）' if group else ''}", fontsize=9)
        ax.set_xlabel("%", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.margins(x=0.2)
        ax.invert_yaxis()
    for ax in list(axes.flat)[len(groups) :]:
        ax.set_visible(False)
    fig.suptitle("各地区共同报告的百分比指标（括号内为年份）", fontsize=11)
    plt.close(fig)
    show_figure(fig, alt="各地区共同报告的百分比指标")


def totals_section() -> pd.DataFrame:
    """Totals that grow with a region's size: listed in one unit with their year, not compared."""
    data = _table()
    if data.empty:
        empty_section("totals", "尚无规模指标。")
        return data
    totals = data[data["kind"].isin(_SIZE_KINDS) & ~data["unit"].isin(_PER_PERSON_UNITS)]
    totals = totals[
        totals["indicator"].isin(
            ["edu_budget_expenditure", "edu_total_expenditure", "compulsory_enrolment", "preschool_enrolment"]
        )
    ]
    if totals.empty:
        empty_section("totals", "各地区文件未报告经费总额或在校生数。")
        return totals
    rows = []
    for r in totals.sort_values(["indicator", "place", "year"]).itertuples():
        value, unit = (
            (r.value / 1e4, "亿元")
            if r.unit == "万元"
            else ((r.value / 1e4, "万人") if r.unit == "人" else (r.value, r.unit))
        )
        rows.append(
            {
                "指标": r.name_zh,
                "地区": r.place,
                "年份": r.year,
                "数值": fmt_num(value, unit, 2),
                "文件原文": r.value_as_written + ("（文件中两处数值不同）" if r.conflict else ""),
            }
        )
    table = pd.DataFrame(rows)
    show_table(table, caption="规模指标（统一单位）", collapsed=len(table) > 15)
    return table


def inputs() -> list:
    """The files the comparison reads (for the provenance footer)."""
    from ..data.provenance import region_inputs

    return sorted({p for slug in regions_compared() for p in region_inputs(slug)})
