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
from ..judgement.planning import COSTS_CSV, compare_plans, county_plan, load_costs, resources
from ..judgement.school_rule import quality_school_check
from ..judgement.standards import STANDARDS_CSV, get_threshold, indicator_set
from ..measures.coefficients import STATUS_OK, STATUS_SINGLE_SCHOOL, difference_coefficients, grouped_contributions
from ..measures.indicators import school_indicators
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


def _wan(value: float) -> str:
    return fmt_num(value / 1e4, "万元", 1)


class BalanceReport:
    """One school table, judged: the DataFrames behind the balance report.

    Attributes (DataFrames unless stated): ``table`` (raw counts and indicators),
    ``coefficients`` (one row per group and indicator with ``limit_2017``, ``verdict``),
    ``composite`` (2012, per group), ``contributions`` (top schools per coefficient),
    ``rule`` and ``rule_detail`` (2017 school rule, or None), ``plans`` (dict of
    :class:`~eduanalysis.judgement.planning.Plan`: ``county``, ``school``, ``naive``,
    ``basic_2012``; computed on first use).

    ``costs`` overrides unit costs ({resource: 元}); ``time_limit`` bounds the county
    plan's solve (s).
    """

    def __init__(self, school_table: str, region_label: str = "", *, costs=None, time_limit: float = 20.0):
        self.source = school_table_path(school_table)
        self.table = load_school_table(school_table)
        from ..data.school_tables import school_table_info

        self.table_info = school_table_info(self.source.name)
        self.label = region_label or self.table_info["label"]
        self.costs = load_costs(costs or None)
        self.cost_overrides = costs or None
        self.time_limit = time_limit
        self.by = ["region", "level"] if "region" in self.table.columns else ["level"]
        wanted = dict.fromkeys(indicator_set("basic_balance_2012") + indicator_set("quality_balance_2017"))
        self.indicators = [i for i in wanted if i in self.table.columns]
        self.large = len(self.table) > FULL_TABLE_ROWS

    # ------------------------------------------------------------------ judged tables
    @cached_property
    def coefficients(self) -> pd.DataFrame:
        if not self.indicators:
            return pd.DataFrame()
        cv = difference_coefficients(self.table, self.indicators, by=self.by, on_zero_mean="nan")
        quality = set(indicator_set("quality_balance_2017"))
        limits = {lv: float(get_threshold("quality_balance_2017", "indicator_cv", lv)["value"]) for lv in _LEVELS}
        cv["limit_2017"] = np.where(cv["indicator"].isin(quality), cv["level"].map(limits), np.nan)
        judged = cv["indicator"].isin(quality) & (cv["status"] == STATUS_OK)
        cv["verdict"] = np.select(
            [judged & (cv["cv"] <= cv["limit_2017"]), judged, cv["indicator"].isin(quality)],
            ["达标", "未达标", "无法判定"],
            "—",
        )
        cv["margin"] = np.where(judged, cv["limit_2017"] - cv["cv"], np.nan)
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
                row.update(composite=value, margin=limit - value, verdict="达标" if value <= limit else "未达标")
            rows.append(row)
        return pd.DataFrame(rows)

    @cached_property
    def contributions(self) -> pd.DataFrame:
        """The three schools contributing most to each coefficient with a spread (差异情况)."""
        if not self.indicators:
            return pd.DataFrame()
        top = grouped_contributions(self.table, self.indicators, by=self.by, top=3)
        top.insert(len(self.by) + 1, "school", self.table["school"].to_numpy()[top["row"].to_numpy()])
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
        out = compare_plans(self.table, costs=costs, time_limit=self.time_limit)
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
        counts = t.groupby("level").agg(n=("school", "size"), pupils=("enrolment", "sum"))
        regions = f"{t['region'].nunique()} 个区县，" if "region" in t.columns else ""
        note(
            f"数据文件：{self.source.name}；{regions}共 {len(t):,} 个学校（学段），"
            + "，".join(f"{lvl} {int(r.n):,} 所、在校生 {int(r.pupils):,} 人" for lvl, r in counts.iterrows())
            + "。九年一贯制学校的小学部和初中部分别计入各学段。"
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

    def show_rule(self, rule: pd.DataFrame | None = None) -> None:
        """The 2017 school rule: counts, distribution, the weakest schools, the gaps."""
        summary = self.rule if rule is None else rule
        if summary is None:
            missing = [_name(i) for i in indicator_set("quality_balance_2017") if i not in self.table.columns]
            note("本表缺少优质均衡 7 项指标中的：" + "、".join(missing) + "，无法按学校判定。")
            return
        judged = summary[summary["passes"].notna()]
        passed = int(judged["passes"].astype(bool).sum())
        note(
            f"参评学校 {len(judged):,} 所，达标 {passed:,} 所，未达标 {len(judged) - passed:,} 所。"
            "规则：7 项中至少 6 项达到标准值，其余不低于标准值的 85%（该规则与第 4–7 项标准值仍待与部颁原文核对）。"
            "特殊教育学校和 50 人以下教学点不参评。"
        )
        table = summary.rename(
            columns={
                "region": "区县",
                "school": "学校",
                "level": "学段",
                "enrolment": "在校生（人）",
                "n_met": "达标项数（项）",
                "failing": "未达标指标",
                "lowest_ratio": "最弱项/标准",
                "status": "判定",
            }
        ).drop(columns="passes")
        formats = {"最弱项/标准": "{:.0%}", "在校生（人）": "{:,}"}
        if not self.large:
            show_table(table, status_column="判定", formats=formats)
        else:
            weakest = table[table["判定"] == "未达标"].sort_values("最弱项/标准").head(20)
            show_table(
                weakest, caption="最弱的 20 所未达标学校（按最弱项与标准之比）", status_column="判定", formats=formats
            )
            # the failing indicators are exactly the 需补足 columns above 0: their names, repeated on
            # every row, would be a fifth of the page at 100,000 schools
            self._download(
                self._with_gaps(table).drop(columns="未达标指标"),
                "学校达标",
                "下载各校达标判定与各项缺口完整表（“需补足”大于 0 的各项即该校未达标的指标）",
            )
        self._rule_chart(judged)
        self._gaps()

    def _with_gaps(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rule table with one shortfall column per indicator (to the full threshold)."""
        detail = self.rule_detail
        judged = self.rule["passes"].notna().to_numpy()
        k = len(indicator_set("quality_balance_2017"))
        gaps = np.full((len(table), k), np.nan)
        gaps[judged] = detail["shortfall_total"].to_numpy().reshape(-1, k)
        units = detail["amount_unit"].astype(str).to_numpy()[:k]
        names = detail["name_zh"].astype(str).to_numpy()[:k]
        extra = pd.DataFrame(gaps, columns=[f"需补足：{n}（{u}）" for n, u in zip(names, units)], index=table.index)
        return pd.concat([table, extra], axis=1)

    def _rule_chart(self, judged: pd.DataFrame) -> None:
        fig, ax = plt.subplots(figsize=(7.5, 3.6), layout="constrained")
        levels = [lv for lv in _LEVELS if lv in set(judged["level"])]
        for k, level in enumerate(levels):
            counts = (
                judged.loc[judged["level"] == level, "n_met"].astype(int).value_counts().reindex(range(8), fill_value=0)
            )
            ax.bar(
                np.arange(8) + (k - (len(levels) - 1) / 2) * 0.4,
                counts.to_numpy(),
                width=0.38,
                color=LEVEL_COLORS[level],
                label=level,
            )
        ax.axvline(5.5, color="#333", linestyle="--", linewidth=1)
        ax.text(5.6, ax.get_ylim()[1] * 0.92, "≥ 6 项", fontsize=8)
        ax.set(title="各校达标指标数的分布（7 项）", xlabel="达标项数（项）", ylabel="学校数（所）", xticks=range(8))
        ax.legend(fontsize=8)
        plt.close(fig)
        show_figure(fig, alt="各校达标指标数的分布")

    def _gaps(self) -> None:
        detail = self.rule_detail
        gaps = detail[detail["shortfall_total"] > 0]
        if gaps.empty:
            return
        total = (
            gaps.groupby(["level", "name_zh", "amount_unit"], sort=False)
            .agg(schools=("school", "size"), total=("shortfall_total", "sum"))
            .reset_index()
            .rename(
                columns={
                    "level": "学段",
                    "name_zh": "指标",
                    "amount_unit": "单位",
                    "schools": "未达标准值的学校（所）",
                    "total": "补足到标准值合计",
                }
            )
        )
        show_table(
            total,
            caption="把每所学校每项补足到标准值需要的合计（不利用 85% 的余地，见下一节）",
            formats={"补足到标准值合计": "{:,.1f}"},
        )
        table = gaps.rename(
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
        )[["学校", "学段", "指标", "现值", "标准值", "现值/标准", "需补足", "单位"]]
        formats = {"现值": "{:,.2f}", "标准值": "{:g}", "现值/标准": "{:.0%}", "需补足": "{:,.1f}"}
        if len(table) <= FULL_TABLE_ROWS:
            show_table(table, caption="各校需补足的缺口（按在校生数折算）", formats=formats, collapsed=len(table) > 12)

    # ------------------------------------------------------------------ 达标测算
    def show_costs(self) -> None:
        """The unit costs the plan uses, assumptions marked."""
        names = [raw for _, raw, _ in resources("quality_2017")]
        costs = self.costs.loc[names]
        show_table(
            pd.DataFrame(
                {
                    "资源": costs["name_zh"],
                    "单位": costs["unit"],
                    "单位成本（元）": costs["cost_yuan"],
                    "计": costs["basis"],
                    "性质": np.where(
                        costs["assumption"], "假设", np.where(costs["source"] == "用户提供", "用户提供", "定义")
                    ),
                    "依据与说明": (costs["source"].map(_cite) + "；" + costs["note"]).str.strip("；"),
                }
            ),
            caption="测算所用单位成本（标“假设”的为本报告的默认假设，可在笔记本参数中替换）",
            formats={"单位成本（元）": "{:,.0f}"},
        )

    def show_plan(self) -> None:
        """The least-cost plan: cost, saving, who needs most, the plan table, how the coefficients move."""
        if not self.can_plan:
            missing = [raw for _, raw, _ in resources("quality_2017") if raw not in self.table.columns]
            note(f"本表缺少测算所需的 {len(missing)} 项原始数量（如教师数、面积、设备值），无法测算达标所需投入。")
            return
        plan, alone, naive = self.plans["county"], self.plans["school"], self.plans["naive"]
        if plan.status == "infeasible":
            note("在给定的追加上限内不存在达标方案。约束如下：", kind="ea-warning")
            show_table(
                plan.binding.rename(
                    columns={"school": "学校", "level": "学段", "region": "区县", "detail": "说明"}
                ).drop(columns=["kind", "indicator"])
            )
            return
        self._plan_summary(plan, alone, naive)
        self._plan_by_resource(plan)
        self._plan_schools(plan)
        self._plan_coefficients(plan)
        basic = self.plans.get("basic_2012")
        if basic is not None:
            self._plan_2012(basic)

    def _plan_summary(self, plan, alone, naive) -> None:
        rows = [
            ("最低成本方案（每校达标且各项差异系数达标）", plan.total_cost, plan.after.passes),
            ("各校单独最优（只看学校达标）", alone.total_cost, alone.after.passes),
            ("逐项补足到标准值（不利用 85% 余地）", naive.total_cost, naive.after.passes),
        ]
        show_table(
            pd.DataFrame(
                {
                    "方案": [r[0] for r in rows],
                    "总投入（万元）": [r[1] / 1e4 for r in rows],
                    "复核：学校与差异系数": ["全部达标" if r[2] else "仍有未达标" for r in rows],
                }
            ),
            caption="三种测算的总投入（教师按一年工资计，校舍、场地、设备按一次性投入计）",
            formats={"总投入（万元）": "{:,.1f}"},
        )
        saving = naive.total_cost - plan.total_cost
        text = (
            f"最低成本方案共需投入 {_wan(plan.total_cost)}；与把每所学校每项都补足到标准值的做法"
            f"（{_wan(naive.total_cost)}）相比节省 {_wan(saving)}"
            + (f"（{saving / naive.total_cost:.1%}）" if naive.total_cost > 0 else "")
            + "。"
        )
        if not naive.after.passes:
            text += "注意：逐项补足的做法本身并不能使全部差异系数达标。"
        if plan.total_cost > alone.total_cost:
            text += (
                f"为使差异系数达标，比各校单独最优多投入 {_wan(plan.total_cost - alone.total_cost)}，"
                "追加部分集中在指标最低的学校。"
            )
        note(text)
        groups = plan.groups
        method = {
            "per_school_enumeration": "各校枚举（差异系数未构成约束）",
            "milp_conic_cuts": "混合整数规划（HiGHS）",
            "single_school": "单校（无差异系数）",
        }
        status = {
            "optimal": "最优",
            "feasible": "可行（未证明最优）",
            "time_limit": "达到时间上限，给出可行方案",
            "local_optimum": "局部最优",
        }
        parts = [
            f"{''.join(str(r[c]) for c in self.by)}：{method.get(r['method'], r['method'])}，"
            f"{status.get(r['status'], r['status'])}"
            + (f"，用时 {r['seconds']:.1f} 秒" if r["seconds"] >= 0.05 else "")
            + (f"，与下界相差 {r['gap']:.4%}" if pd.notna(r.get("gap")) else "")
            for _, r in groups.head(6).iterrows()
        ]
        note(
            "求解方法：先对每所学校枚举“哪一项留在 85%”的全部 8 种情形取最省者；若某项差异系数仍超限，"
            "再用 scipy 的混合整数线性规划（HiGHS）求全县最省方案，差异系数限值以切平面逼近、逐轮加密，"
            "并以“注水法”（先补最低的学校）把解还原成整数方案；最后用本报告的差异系数与学校达标规则重新核算。"
            + "；".join(parts)
            + (f"；等 {len(groups)} 组" if len(groups) > 6 else "")
            + f"。求解与复核共用时 {plan.solve_seconds:.1f} 秒。"
        )

    def _plan_by_resource(self, plan) -> None:
        by = plan.cost_by_resource()
        show_table(
            pd.DataFrame(
                {
                    "资源": by["name_zh"],
                    "新增数量": by["added"],
                    "单位": by["unit"],
                    "投入（万元）": by["cost"] / 1e4,
                    "占总投入": by["cost"] / plan.total_cost if plan.total_cost else 0.0,
                }
            ),
            caption="按资源分列的新增数量与投入",
            formats={"新增数量": "{:,.0f}", "投入（万元）": "{:,.1f}", "占总投入": "{:.1%}"},
        )

    def _plan_table(self, plan) -> pd.DataFrame:
        names = {r: f"{self.costs.loc[r, 'name_zh']}（{self.costs.loc[r, 'unit']}）" for r in plan.resources}
        additions = plan.additions
        keys = {"region": "区县", "school": "学校", "level": "学段", "enrolment": "在校生（人）"}
        table = additions.rename(columns={**keys, **names, "cost": "投入（万元）", "at_floor": "留在85%的指标"})
        table["投入（万元）"] = table["投入（万元）"] / 1e4
        return table

    def _plan_schools(self, plan) -> None:
        table = self._plan_table(plan)
        needing = table[table["投入（万元）"] > 0].sort_values("投入（万元）", ascending=False)
        formats = {c: "{:,.0f}" for c in table.columns if c.endswith(("（人）", "（间）", "（㎡）", "（元）"))}
        formats["投入（万元）"] = "{:,.1f}"
        if needing.empty:
            note("全部学校与差异系数已经达标，无需追加投入。")
            return
        top = needing.head(10)
        share = top["投入（万元）"].sum() / needing["投入（万元）"].sum()
        caption = (
            f"投入最多的 {len(top)} 所学校（占总投入的 {share:.0%}）"
            if len(needing) > len(top)
            else f"需要投入的全部 {len(needing)} 所学校"
        )
        show_table(top, caption=caption, formats=formats)
        if len(needing) > len(top) and len(needing) <= FULL_TABLE_ROWS:
            show_table(needing, caption=f"全部需要投入的学校（{len(needing)} 所）", formats=formats, collapsed=True)
        exact = needing.assign(**{"投入（万元）": needing["投入（万元）"] * 1e4}).rename(
            columns={"投入（万元）": "投入（元）"}
        )
        self._download(exact, "达标测算方案", "下载达标测算方案（每校新增数量与投入）")

    def _plan_coefficients(self, plan) -> None:
        before, after = plan.before.coefficients, plan.after.coefficients
        keys = [*self.by, "indicator"]
        moved = before[[*keys, "cv", "limit"]].merge(
            after[[*keys, "cv", "met", "status"]], on=keys, suffixes=("_before", "_after")
        )
        verdict = np.where(
            moved["met"].isna(), "无法判定", np.where(moved["met"].fillna(False).astype(bool), "达标", "未达标")
        )
        table = pd.DataFrame(
            {
                **({"区县": moved["region"]} if "region" in moved else {}),
                "学段": moved["level"],
                "指标": moved["indicator"].map(_name),
                "测算前差异系数": moved["cv_before"],
                "测算后差异系数": moved["cv_after"],
                "限值": moved["limit"].map(lambda v: f"≤ {v:g}"),
                "测算后判定": verdict,
            }
        )
        formats = {"测算前差异系数": "{:.4f}", "测算后差异系数": "{:.4f}"}
        if len(table) <= 2 * FULL_TABLE_ROWS // 4:
            show_table(table, caption="差异系数如何变化（2017 年 7 项）", status_column="测算后判定", formats=formats)
        else:
            self._download(table, "差异系数变化", "下载各区县差异系数的变化")
        if moved[self.by].drop_duplicates().shape[0] > 2:
            return
        names = [_name(i) for i in indicator_set("quality_balance_2017")]
        fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(names) + 1.6), layout="constrained")
        for k, level in enumerate([lv for lv in _LEVELS if lv in set(moved["level"])]):
            sub = moved[(moved["level"] == level) & moved["cv_before"].notna()]
            pos = np.array(sub["indicator"].map(_QUALITY_ORDER).to_numpy()) + (k - 0.5) * 0.3
            ax.scatter(
                sub["cv_before"], pos, color="#bbbbbb", s=28, zorder=3, label=f"{level}测算前" if k == 0 else None
            )
            ax.scatter(sub["cv_after"], pos, color=LEVEL_COLORS[level], s=28, zorder=3, label=f"{level}测算后")
            for x0, x1, y in zip(sub["cv_before"], sub["cv_after"], pos):
                ax.annotate("", (x1, y), (x0, y), arrowprops={"arrowstyle": "->", "color": LEVEL_COLORS[level]})
            if len(sub):
                _limit_line(ax, level, float(sub["limit"].iloc[0]))
        _show_indicator_chart(fig, ax, names, "测算前后的差异系数", "差异系数（无单位）")

    def _plan_2012(self, basic) -> None:
        comp = basic.before.composite
        if basic.status == "infeasible":
            note("2012 年基本均衡：在追加上限内综合差异系数无法达标。")
            return
        if basic.total_cost == 0:
            values = "、".join(f"{r['level']} {r['composite']:.4f}（≤ {r['limit']:g}）" for _, r in comp.iterrows())
            note(f"2012 年基本均衡：综合差异系数已经达标（{values}），无需为此追加投入。")
            return
        after = basic.after.composite
        values = "、".join(
            f"{r['level']} {b:.4f} → {r['composite']:.4f}" for (_, r), b in zip(after.iterrows(), comp["composite"])
        )
        note(
            f"2012 年基本均衡：使综合差异系数达标的最低投入约 {_wan(basic.total_cost)}（{values}；"
            "按每项指标先补最低学校、以 SLSQP 权衡各项，为局部最优）。"
        )
