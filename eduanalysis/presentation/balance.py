"""The school-level balance report (``notebooks/balance_report.ipynb``): what judgement computed, shown.

:class:`BalanceReport` reads one school table (``data/raw/schools/<file>``, CSV or XLSX)
once and holds, as DataFrames, everything the report shows: per-school indicators, the
difference coefficients per level (and county) with their verdicts, the schools that
drive each coefficient, the 2017 school rule, and the least-cost plan to pass
(达标测算).  Its methods only display.  A table of more than :data:`FULL_TABLE_ROWS`
schools is shown as summaries, distributions and the top rows, with the full table as a
download (a ZIP holding a UTF-8 CSV that Excel opens), so a county of 10,000 schools
renders in seconds into a page of a few MB.
"""

from __future__ import annotations

import base64
import html
import io
import zipfile
from functools import cache, cached_property
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
from ..judgement.judge import judge, judge_array
from ..judgement.plan_types import counted_schools
from ..judgement.planning import COSTS_CSV, compare_plans, county_plan, load_costs, resources
from ..judgement.school_rule import quality_school_check
from ..judgement.standards import STANDARDS_CSV, get_threshold, indicator_set
from ..measures.coefficients import STATUS_OK, STATUS_SINGLE_SCHOOL, difference_coefficients, grouped_contributions
from ..measures.indicators import school_indicators
from .balance_plan import PlanSections
from .balance_rule import RuleSections
from .display import note, show_table
from .labels import fmt_num
from .plotting import LEVEL_COLORS, show_figure

__all__ = [
    "COSTS_CSV",
    "DOWNLOAD_LIMIT",
    "FULL_TABLE_ROWS",
    "STANDARDS_CSV",
    "BalanceReport",
    "download_link",
    "load_school_table",
    "school_table_path",
]

#: tables longer than this are summarised, with the full table as a download
FULL_TABLE_ROWS = 60
_LEVELS = ["小学", "初中"]
_QUALITY_ORDER = {i: k for k, i in enumerate(indicator_set("quality_balance_2017"))}
_TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
_STATUS_ZH = {
    STATUS_OK: "",
    STATUS_SINGLE_SCHOOL: "仅 1 所学校，不存在校际差异系数",
    "mean is 0: CV undefined": "各校均为 0，差异系数无定义",
}


def school_table_path(name: str) -> Path:
    """A school table of ``data/raw/schools/`` by file name (or an explicit path)."""
    path = Path(name)
    if not path.is_absolute():
        path = paths.SCHOOLS_DIR / name
    if not path.exists():
        known = ", ".join(sorted(p.name for p in paths.SCHOOLS_DIR.iterdir() if p.suffix.lower() in _TABLE_SUFFIXES))
        raise ParameterError(f"school table {name!r} not found; tables in data/raw/schools: {known}")
    return path


def load_school_table(name: str) -> pd.DataFrame:
    """Read, validate and derive indicators for a school table."""
    return school_indicators(read_school_table(school_table_path(name)))


#: a download larger than this (compressed) is not embedded, so the page stays small
DOWNLOAD_LIMIT = 2_500_000


def download_link(frame: pd.DataFrame, filename: str, label: str, *, limit: int | None = DOWNLOAD_LIMIT) -> str:
    """An offline download link: ``frame`` as a UTF-8 (BOM) CSV inside a ZIP, as a data URI.

    Numbers are rounded to 4 decimals.  A ZIP above ``limit`` bytes is not
    embedded; the paragraph then says how large the table is and where to get it.
    """
    buffer = io.BytesIO()
    compact = frame.round(4)  # rounding first is faster than a float format
    for column in compact.columns:  # whole-number floats (people, rooms, 0 gaps) without ".0"
        values = compact[column]
        if values.dtype.kind == "f" and bool(((values % 1 == 0) | values.isna()).all()):
            compact[column] = values.astype("Int64")
    text = compact.to_csv(index=False)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{filename}.csv", text.encode("utf-8-sig"))
    size = len(buffer.getvalue())
    shown = fmt_num(size / 1024, "KB", 0) if size < 2**20 else fmt_num(size / 2**20, "MB", 1)
    if limit is not None and size > limit:
        return (
            f'<p class="ea-download">{html.escape(label)}：完整表格 {len(frame):,} 行（压缩后约 {shown}），'
            "超过本页可嵌入的大小，未嵌入；请在 JupyterLab 中运行本报告的笔记本导出。</p>"
        )
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<p class="ea-download"><a download="{html.escape(filename)}.zip" '
        f'href="data:application/zip;base64,{data}">⬇ {html.escape(label)}</a>'
        f"（{len(frame):,} 行，ZIP 压缩的 CSV，{shown}）</p>"
    )


def _limit_line(ax, level: str, limit: float) -> None:
    """A level's coefficient limit as a dashed vertical line, in the level's colour."""
    ax.axvline(limit, color=LEVEL_COLORS[level], linestyle="--", linewidth=1.3, label=f"{level}限值 {limit:g}")


def _show_indicator_chart(fig, ax, names: list[str], title: str, xlabel: str) -> None:
    """Finish a chart with one row per indicator (first at the top) and display it."""
    ax.set_yticks(np.arange(len(names)), names, fontsize=8)
    ax.invert_yaxis()
    ax.set(title=title, xlabel=xlabel)
    ax.legend(fontsize=8)
    plt.close(fig)
    show_figure(fig, alt=title)


@cache
def _unit(indicator: str) -> str:
    unit = indicator_info(indicator)["unit"] or ("人" if "teachers" in indicator else "")
    if indicator.endswith("_per_100"):
        return f"{unit}/百生" if unit else "每百生"
    return f"{unit}/生" if unit else "每生"


def _cite(source: str) -> str:
    """``wuhai_2020_selfeval：二、（四）…`` → the registered document's title and issuer."""
    from ..data.sources import load_sources

    sid, sep, where = source.partition("：")
    sources = load_sources()
    if not sep or sid not in sources.index:
        return source
    doc = sources.loc[sid]
    return f"{doc['issuer']}《{doc['title']}》{where}"


@cache
def _name(indicator: str) -> str:
    return indicator_info(indicator)["name_zh"]


class BalanceReport(RuleSections, PlanSections):
    """One school table, judged: the DataFrames behind the balance report.

    Attributes (DataFrames unless stated): ``table`` (raw counts and indicators),
    ``coefficients`` (one row per group and indicator with ``limit_2017``, ``verdict``),
    ``composite`` (2012, per group), ``contributions`` (top schools per coefficient),
    ``rule`` and ``rule_detail`` (2017 school rule, or None), ``plans`` (dict of
    :class:`~eduanalysis.judgement.planning.Plan`: ``county``, ``school``, ``naive``,
    ``basic_2012``; computed on first use).

    ``costs`` overrides unit costs ({resource: 元}); ``caps`` bounds the additions per
    school ({resource: amount}); ``cv_margin`` keeps each coefficient that far below its
    limit; ``include_excluded`` counts special-education schools and teaching points under
    50 pupils in the coefficients (the 2017 standard leaves them out; default False, and
    the report says which); ``plan_years`` and ``budget_per_year`` (元; 0: the least that
    works) lay the plan out over years; ``time_limit`` bounds each group's solve (s).
    """

    def __init__(
        self,
        school_table: str,
        region_label: str = "",
        *,
        costs=None,
        caps=None,
        cv_margin: float = 0.0,
        include_excluded: bool = False,
        plan_years: int = 0,
        budget_per_year: float = 0.0,
        time_limit: float = 20.0,
    ):
        self.source = school_table_path(school_table)
        self.table = load_school_table(school_table)
        from ..data.school_tables import school_table_info

        self.table_info = school_table_info(self.source.name)
        self.label = region_label or self.table_info["label"]
        self.costs = load_costs(costs or None)
        self.cost_overrides = costs or None
        self.caps = caps or None
        self.cv_margin = cv_margin
        self.include_excluded = include_excluded
        self.plan_years = plan_years
        self.budget_per_year = budget_per_year
        self.time_limit = time_limit
        self.by = ["region", "level"] if "region" in self.table.columns else ["level"]
        wanted = dict.fromkeys(indicator_set("basic_balance_2012") + indicator_set("quality_balance_2017"))
        self.indicators = [i for i in wanted if i in self.table.columns]
        self.large = len(self.table) > FULL_TABLE_ROWS
        # the 2017 standard's resource indicators leave out special-education schools and
        # teaching points under 50 pupils (standards.md §3); the 2012 text here says nothing
        # of them, so both sets use the same schools (待核对)
        self.counted = counted_schools(self.table, "quality_2017", include_excluded)

    # ------------------------------------------------------------------ judged tables
    @cached_property
    def coefficients(self) -> pd.DataFrame:
        if not self.indicators:
            return pd.DataFrame()
        cv = difference_coefficients(self.table[self.counted], self.indicators, by=self.by, on_zero_mean="nan")
        quality = set(indicator_set("quality_balance_2017"))
        limits = {lv: float(get_threshold("quality_balance_2017", "indicator_cv", lv)["value"]) for lv in _LEVELS}
        cv["limit_2017"] = np.where(cv["indicator"].isin(quality), cv["level"].map(limits), np.nan)
        judged = (cv["indicator"].isin(quality) & (cv["status"] == STATUS_OK)).to_numpy()
        met, margin = judge_array(cv["cv"].to_numpy(dtype=float), "<=", cv["limit_2017"].to_numpy(dtype=float))
        cv["verdict"] = np.select(
            [judged & met, judged, cv["indicator"].isin(quality)], ["达标", "未达标", "无法判定"], "—"
        )
        cv["margin"] = np.where(judged, margin, np.nan)
        cv["note"] = cv["status"].map(_STATUS_ZH).fillna(cv["status"])
        return cv

    @cached_property
    def composite(self) -> pd.DataFrame:
        basic = indicator_set("basic_balance_2012")
        rows = []
        for key, group in self.coefficients.groupby(self.by, sort=True) if len(self.coefficients) else []:
            key = key if isinstance(key, tuple) else (key,)
            level = dict(zip(self.by, key))["level"]
            limit = float(get_threshold("basic_balance_2012", "composite_cv", level)["value"])
            sub = group.set_index("indicator")
            missing = [i for i in basic if i not in sub.index]
            undefined = [i for i in basic if i in sub.index and sub.loc[i, "status"] != STATUS_OK]
            row = {**dict(zip(self.by, key)), "composite": np.nan, "limit": limit, "margin": np.nan}
            if missing:
                row["verdict"] = f"无法计算：缺少 {len(missing)} 项指标"
            elif undefined:
                row["verdict"] = "无法计算：" + _STATUS_ZH.get(sub.loc[undefined[0], "status"], "差异系数缺失")
            else:
                value = float(sub.loc[basic, "cv"].mean())
                verdict = judge(value, "<=", limit)
                row.update(composite=value, margin=verdict.margin, verdict=verdict.verdict)
            rows.append(row)
        return pd.DataFrame(rows)

    @cached_property
    def contributions(self) -> pd.DataFrame:
        """The three schools contributing most to each coefficient with a spread (差异情况)."""
        if not self.indicators:
            return pd.DataFrame()
        counted = self.table[self.counted].reset_index(drop=True)
        top = grouped_contributions(counted, self.indicators, by=self.by, top=3)
        top.insert(len(self.by) + 1, "school", counted["school"].to_numpy()[top["row"].to_numpy()])
        top["enrolment"] = top["weight"].astype("int64")
        return top.drop(columns=["row", "weight", "contribution"])

    @cached_property
    def has_quality_set(self) -> bool:
        return all(i in self.table.columns for i in indicator_set("quality_balance_2017"))

    @cached_property
    def _rule(self):
        if not self.has_quality_set:
            return None, None
        kind = "school_type" if "school_type" in self.table.columns else None
        summary, detail = quality_school_check(self.table, school_type=kind)
        if "region" in self.table.columns:
            summary.insert(0, "region", self.table["region"].to_numpy())
        return summary, detail

    @property
    def rule(self) -> pd.DataFrame | None:
        return self._rule[0]

    @property
    def rule_detail(self) -> pd.DataFrame | None:
        return self._rule[1]

    @cached_property
    def can_plan(self) -> bool:
        return all(raw in self.table.columns for _, raw, _ in resources("quality_2017"))

    @cached_property
    def plans(self) -> dict:
        if not self.can_plan:
            return {}
        costs = self.cost_overrides
        out = compare_plans(
            self.table,
            costs=costs,
            caps=self.caps,
            time_limit=self.time_limit,
            include_excluded=self.include_excluded,
            cv_margin=self.cv_margin,
        )
        if all(raw in self.table.columns for _, raw, _ in resources("basic_2012")):
            out["basic_2012"] = county_plan(self.table, scheme="basic_2012", costs=costs, time_limit=self.time_limit)
        return out

    # ------------------------------------------------------------------ display
    def _download(self, frame: pd.DataFrame, stem: str, label: str) -> None:
        display(HTML(download_link(frame, f"{self.source.stem}_{stem}", label)))

    def header(self) -> None:
        """Title, data description and the synthetic-data banner."""
        display(HTML(f"<h1>县域义务教育校际均衡分析：{html.escape(self.label)}</h1>"))
        t = self.table
        if "synthetic" in self.source.name or ("note" in t and (t["note"] == SYNTHETIC_LABEL).any()):
            display(
                HTML(
                    '<p style="border:2px solid #e76f51;padding:.6em;font-weight:600;color:#c44d2f">'
                    f"{html.escape(SYNTHETIC_LABEL)}：本报告所用学校均为程序生成的示例，"
                    "用于演示计算方法，不代表任何真实地区。</p>"
                )
            )
        two_sections = t[[c for c in ("region", "school") if c in t]].duplicated().any()
        counts = t.groupby("level").agg(n=("school", "size"), pupils=("enrolment", "sum"))
        regions = f"{t['region'].nunique()} 个区县，" if "region" in t.columns else ""
        note(
            # the file name is for maintainers: the provenance footer records it (parameter school_table)
            f"{self.label}：学校表{regions}共 {len(t):,} 个学校（学段），"
            + "，".join(f"{lvl} {int(r.n):,} 所、在校生 {int(r.pupils):,} 人" for lvl, r in counts.iterrows())
            + "。"
            # said only where a school has sections in both levels (a nine-year school)
            + ("九年一贯制学校的小学部和初中部分别计入各学段。" if two_sections else "")
        )
        left_out = int((~self.counted).sum())
        if left_out:
            note(
                f"特殊教育学校和 50 人以下的教学点共 {left_out:,} 所："
                + (
                    "按报告参数计入差异系数（2017 年办法规定资源配置指标不含这类学校）。"
                    if self.include_excluded
                    else "按 2017 年办法不计入资源配置指标的差异系数，也不参加学校达标判定；"
                    "2012 年办法对此未作规定，本报告两套差异系数用同一口径（待核对）。"
                )
            )
        singles = self.coefficients[self.coefficients["status"] == STATUS_SINGLE_SCHOOL] if self.indicators else []
        if len(singles):
            groups = "、".join(sorted({"".join(str(r[c]) for c in self.by) for _, r in singles.iterrows()}))
            note(
                f"注意：{groups} 只有 1 所学校，校际差异系数不存在，本报告对其不作差异系数判定"
                "（1 所学校的系数为 0 并不表示均衡）。",
                kind="ea-warning",
            )

    def schools(self) -> None:
        """Per-school indicators: the table itself, or distributions and a download."""
        inds = self.indicators
        named = {"school": "学校", "level": "学段", "enrolment": "在校生（人）", "region": "区县"}
        named.update({i: f"{_name(i)}（{_unit(i)}）" for i in inds})
        keys = [c for c in ("region", "school", "level", "enrolment") if c in self.table.columns]
        full = self.table[keys + inds].rename(columns=named)
        if not self.large:
            show_table(
                full,
                caption="各校生均及每百名学生指标（由原始数量计算）",
                formats={named[i]: "{:.3f}" for i in inds},
                collapsed=len(full) > 12,
            )
            return
        rows = []
        for level, group in self.table.groupby("level", sort=False):
            for ind in inds:
                q = group[ind].quantile([0, 0.25, 0.5, 0.75, 1]).to_numpy()
                rows.append(
                    {
                        "学段": level,
                        "指标": _name(ind),
                        "单位": _unit(ind),
                        "学校数": len(group),
                        "最小值": q[0],
                        "四分之一位": q[1],
                        "中位数": q[2],
                        "四分之三位": q[3],
                        "最大值": q[4],
                    }
                )
        show_table(
            pd.DataFrame(rows),
            caption=f"各校指标的分布（{len(self.table):,} 个学校，完整表格见下方下载）",
            formats={c: "{:,.3f}" for c in ("最小值", "四分之一位", "中位数", "四分之三位", "最大值")},
        )
        self._download(full, "各校指标", "下载各校指标完整表")

    def show_coefficients(self, coefficients: pd.DataFrame | None = None) -> None:
        """The coefficient table with 2017 verdicts, the 2012 composite and a chart."""
        cv = self.coefficients if coefficients is None else coefficients
        if cv.empty:
            note("本表没有可计算差异系数的指标。")
            return
        groups = cv[self.by].drop_duplicates()
        table = pd.DataFrame(
            {
                **({"区县": cv["region"]} if "region" in cv else {}),
                "学段": cv["level"],
                "指标": cv["indicator"].map(_name),
                "单位": cv["indicator"].map(_unit),
                "学校数（所）": cv["n_schools"],
                "在校生（人）": cv["enrolment"],
                "加权平均": cv["mean"],
                "标准差": cv["sd"],
                "差异系数": cv["cv"],
                "2017年限值": cv["limit_2017"].map(lambda v: "—" if pd.isna(v) else f"≤ {v:g}"),
                "2017单项判定": cv["verdict"],
                "余量": cv["margin"],
                "说明": cv["note"],
            }
        )
        formats = {
            "在校生（人）": "{:,}",
            "加权平均": "{:,.4f}",
            "标准差": "{:,.4f}",
            "差异系数": "{:.4f}",
            "余量": "{:+.4f}",
        }
        if len(groups) <= 4:
            show_table(table, status_column="2017单项判定", formats=formats)
        else:
            failing = table[table["2017单项判定"] == "未达标"]
            summary = (
                table[table["2017年限值"] != "—"]
                .groupby(["学段", "指标"], sort=False)
                .agg(
                    区县数=("差异系数", "size"),
                    中位数=("差异系数", "median"),
                    最大值=("差异系数", "max"),
                    未达标区县数=("2017单项判定", lambda s: int((s == "未达标").sum())),
                )
                .reset_index()
            )
            show_table(
                summary,
                caption=f"{len(groups):,} 个区县学段的差异系数概况（2017 年 7 项）",
                formats={"中位数": "{:.4f}", "最大值": "{:.4f}"},
            )
            show_table(
                failing.head(30),
                caption="未达标的差异系数（至多列出 30 项）",
                status_column="2017单项判定",
                formats=formats,
            )
            self._download(table, "差异系数", "下载全部差异系数")
        comp = self.composite
        if not comp.empty:
            show_table(
                comp.rename(
                    columns={
                        "region": "区县",
                        "level": "学段",
                        "composite": "综合差异系数",
                        "verdict": "判定",
                        "margin": "余量",
                    }
                )
                .assign(**{"2012年限值": comp["limit"].map(lambda v: f"≤ {v:g}")})
                .drop(columns="limit")
                .head(30),
                caption="综合差异系数（2012 年 8 项指标差异系数的平均）",
                status_column="判定",
                formats={"综合差异系数": "{:.4f}", "余量": "{:+.4f}"},
            )
        self._coefficient_chart(cv)

    def _coefficient_chart(self, cv: pd.DataFrame) -> None:
        quality = cv[cv["limit_2017"].notna() & (cv["status"] == STATUS_OK)]
        if quality.empty:
            return
        names = [_name(i) for i in indicator_set("quality_balance_2017")]
        fig, ax = plt.subplots(figsize=(8.5, 0.5 * len(names) + 1.5), layout="constrained")
        levels = [lv for lv in _LEVELS if lv in set(quality["level"])]
        for k, level in enumerate(levels):
            sub = quality[quality["level"] == level]
            pos = np.arange(len(names)) + (k - (len(levels) - 1) / 2) * 0.38
            order = sub["indicator"].map(_QUALITY_ORDER).to_numpy()
            if sub.groupby("indicator").size().max() == 1:
                ax.barh(pos[order], sub["cv"], height=0.36, color=LEVEL_COLORS[level], label=level)
            else:  # several counties: their spread, one dot per county
                ax.scatter(sub["cv"], pos[order], s=8, alpha=0.5, color=LEVEL_COLORS[level], label=level)
            _limit_line(ax, level, float(get_threshold("quality_balance_2017", "indicator_cv", level)["value"]))
        _show_indicator_chart(fig, ax, names, "2017 年 7 项指标的校际差异系数", "差异系数（无单位，越小越均衡）")

    def show_contributions(self, contributions: pd.DataFrame | None = None) -> None:
        """The schools that drive each coefficient."""
        frame = self.contributions if contributions is None else contributions
        if frame.empty:
            note("没有可分解的差异（每个学段至少需要 2 所学校、且指标取值不全相同）。")
            return
        table = pd.DataFrame(
            {
                **({"区县": frame["region"]} if "region" in frame else {}),
                "学段": frame["level"],
                "指标": frame["indicator"].map(_name),
                "学校": frame["school"],
                "在校生（人）": frame["enrolment"],
                "学校指标": frame["value"],
                "单位": frame["indicator"].map(_unit),
                "与平均之差": frame["deviation"],
                "方差贡献占比（%）": frame["share"] * 100,
            }
        )
        formats = {"学校指标": "{:,.3f}", "与平均之差": "{:+,.3f}", "方差贡献占比（%）": "{:.1f}"}
        if not self.large:
            show_table(table, formats=formats, caption="每个系数贡献最大的 3 所学校", collapsed=len(table) > 30)
            return
        failing = self.coefficients.loc[self.coefficients["verdict"] == "未达标", [*self.by, "indicator"]]
        key = [*self.by, "indicator"]
        hot = frame.merge(failing, on=key) if len(failing) else frame
        shown = table.loc[hot.index if len(failing) else frame.nlargest(30, "share").index]
        shown = shown.sort_values("方差贡献占比（%）", ascending=False).head(30)
        show_table(shown, formats=formats, caption="贡献最大的学校（未达标的系数优先，至多 30 行）")
        self._download(table, "差异贡献", "下载每个系数贡献最大的 3 所学校")

    # ------------------------------------------------------------------ helpers the plan sections use
    _cite = staticmethod(lambda source: _cite(source))
    _limit_line = staticmethod(lambda ax, level, limit: _limit_line(ax, level, limit))
    _indicator_chart = staticmethod(
        lambda fig, ax, names, title, xlabel: _show_indicator_chart(fig, ax, names, title, xlabel)
    )
