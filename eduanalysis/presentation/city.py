"""The per-region report (``notebooks/city_report.ipynb``): shows what judgement computed.

:class:`CityReport` loads a region's figures, findings, audit and plan targets once;
each section method displays one part of the report (the data it shows are attributes:
``findings``, ``figures``, ``audit``, ``targets``).
Verdicts come from :func:`eduanalysis.judgement.findings.findings` only — nothing here
judges a figure.  A region's districts and counties appear inside its report, each on
rows of its own (区县 column); nothing is pooled across them.

A section without data displays a one-line note carrying the output metadata
``{"eduanalysis": {"empty_section": <id>}}``; the HTML export drops that section's cells
(the notebook cells tagged ``section-<id>``), so a reader never sees an empty section, and
section numbers (CSS counters) have no gaps.  The coverage table at the end lists what the
documents do not report.
"""

from __future__ import annotations

import html
from functools import cached_property

import pandas as pd
from IPython.display import HTML, Markdown, display

from ..data.figures import with_header_unit
from ..data.regions import area_label, children, get_region, load_regions
from ..data.sources import citation, load_sources
from ..judgement.findings import findings, region_audit, two_no_decrease
from ..judgement.observations import note_scope, year_is_inferred
from ..judgement.sections import SECTIONS, STAFFING_INDICATORS, get_section, section_shows
from ..judgement.targets import plan_targets
from .display import empty_section, note, show_table
from .labels import (
    fmt_num,
    level_name,
    limit_label,
    margin_label,
    place_label,
    shortfall_label,
    source_numbers,
    source_refs,
    value_label,
    verdict_label,
    year_label,
)
from .plotting import bar_chart, level_bar_chart, margin_chart, show_figure, small_multiples
from .summary import latest_year, summary_html

__all__ = ["SECTIONS", "CityReport", "findings_table", "section_heading"]

_FUNDING_AMOUNTS = ("万元", "元", "亿元")


def section_heading(section: str) -> None:
    """A numbered section heading (``<h2 class="ea-section">``) with a stable anchor, and the
    section's explanation under it — both as the registry
    (:data:`eduanalysis.judgement.sections.SECTIONS`) declares them."""
    declared = get_section(section)
    display(HTML(f'<h2 id="sec-{section}" class="ea-section">{html.escape(declared.title)}</h2>'))
    if declared.about:
        display(Markdown(declared.about))


def _figure_years(frame: pd.DataFrame) -> pd.Series:
    """Figure rows' years, ``2019（推断）`` where the note says the year was inferred."""
    inferred = frame["note"].map(year_is_inferred)
    return frame["year"] + inferred.map({True: "（推断）", False: ""})


def _context_uses(findings: pd.DataFrame) -> pd.DataFrame:
    """The standards a figure was only compared with (``context_standards``), one row per use, so the
    appendix lists them too (the 2013 kindergarten staffing standard is 待核对).

    >>> f = pd.DataFrame({"context_standards": ["《幼儿园教职工配备标准（暂行）》|2013|待核对", ""],
    ...                   "indicator_name": ["教职工与幼儿之比", "x"]})
    >>> _context_uses(f)[["standard_source", "standard_year", "standard_status"]].values.tolist()
    [['《幼儿园教职工配备标准（暂行）》', '2013', '待核对']]
    """
    rows = [
        dict(zip(["standard_source", "standard_year", "standard_status"], item.split("|")), indicator_name=name)
        for text, name in zip(findings.get("context_standards", []), findings.get("indicator_name", []))
        for item in filter(None, str(text).split("；"))
    ]
    return pd.DataFrame(rows, columns=["standard_source", "standard_year", "standard_status", "indicator_name"])


def findings_table(table: pd.DataFrame, numbers: dict[str, int], *, area: bool = True) -> pd.DataFrame:
    """Findings as a reader's table: Chinese headers, units, ≥/≤, verdict wording, sources."""
    if table.empty:
        return pd.DataFrame()
    rows = []
    for _, r in table.iterrows():
        row = {}
        if area:
            row["区县"] = place_label(r)
        row.update(
            {
                "学段": (r["level"] or "—") + (f"（{r['group']}）" if r["group"] else ""),
                "年份": year_label(r),
                "指标": r["indicator_name"],
                "文件数值": r["value_as_written"],
                "比较值": value_label(r),
                "标准": limit_label(r),
                "判定": verdict_label(r),
                "差距": margin_label(r),
                "缺口": shortfall_label(r),
                "说明": "；".join(dict.fromkeys(filter(None, [r["reason"], r["note"], r["context"]]))),
                "文件自述": r["claim"],
                "出处": source_refs(r["sources"], r["locators"], numbers),
            }
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    if (out["缺口"] == "—").all():
        out = out.drop(columns="缺口")
    if not out["文件自述"].str.len().any():
        out = out.drop(columns="文件自述")
    if (out["比较值"] == out["文件数值"]).all():
        out = out.drop(columns="比较值")
    return out


class CityReport:
    """One region's report: data loaded once, one method per section.

    Parameters
    ----------
    region : str
        Region slug (or name: 伊宁 / 伊宁市 / yining).  A region with no figures raises
        ``DataValidationError`` saying what to add.
    """

    def __init__(self, region: str):
        from ..data.figures import require_figures
        from ..data.regions import resolve_region

        self.region = resolve_region(region)
        self.info = get_region(self.region)
        self.regions = load_regions()
        self.figures = require_figures(self.region)
        # a figure about one institution of the area ("范围：乌海职业技术学院（…）") is labelled with it, not 全市
        scopes = self.figures["note"].map(note_scope)
        self.figures = self.figures.assign(area_label=scopes.where(scopes != "", self.figures["area"].map(self._label)))
        self.numbers = source_numbers(self.figures["source"])

    def _label(self, area: str) -> str:
        return area_label(area, self.region, self.regions)

    # ---- data, computed once ----------------------------------------------------------
    @cached_property
    def findings(self) -> pd.DataFrame:
        """The region's findings table (see :func:`eduanalysis.judgement.findings.findings`)."""
        table = findings(self.region)
        return table.assign(area_label=table["area"].map(self._label))

    @cached_property
    def audit(self) -> pd.DataFrame:
        return region_audit(self.region)

    @cached_property
    def claims(self) -> pd.DataFrame:
        """What the documents themselves conclude (``data/raw/claims/``), with ``area_label``."""
        from ..judgement.findings import region_claims

        table = region_claims(self.region)
        # a claim about part of the area ("部分县市区", unnamed) is labelled with that part, not 全市
        labels = table["area"].map(self._label)
        return table.assign(area_label=table["scope_zh"].where(table["scope_zh"] != "", labels))

    @cached_property
    def targets(self) -> pd.DataFrame:
        table = plan_targets(self.region)
        return table.assign(area_label=table["area"].map(self._label))

    def inputs(self) -> list:
        """The files this report reads (for the provenance footer and the batch fingerprint)."""
        from ..data.provenance import region_inputs

        return region_inputs(self.region)

    def section(self, name: str) -> pd.DataFrame:
        """The findings of one report section."""
        return self.findings[self.findings["section"] == name]

    def _table(self, frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
        out = findings_table(frame, self.numbers, area=self.figures["area"].nunique() > 1)
        show_table(out, status_column="判定", **kwargs)
        return out

    def _figure_table(self, frame: pd.DataFrame, caption: str, *, collapsed: bool = False) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                "区县": frame["area_label"],
                "年份": _figure_years(frame),
                "学段": (frame["level"].replace("", "—") + frame["group"].map(lambda g: f"（{g}）" if g else "")),
                "指标": frame["name_zh"],
                # a bare table number takes its header's unit ("在园幼儿数（万人）" 1.24 → 1.24万人)
                "文件数值": list(map(with_header_unit, frame["value_as_written"], frame["name_in_source"])),
                "类型": frame["value_type"] + frame["attribute"].map(lambda a: f"（{a}）" if a else ""),
                "出处": [
                    source_refs(s, f"{s} · {loc}", self.numbers) for s, loc in zip(frame["source"], frame["locator"])
                ],
            }
        )
        if out["区县"].nunique() <= 1:
            out = out.drop(columns="区县")
        show_table(out, caption=caption, collapsed=collapsed)
        return out

    def _has(self, section: str) -> bool:
        """Whether a section shows, by its declaration in the section registry."""
        return section_shows(
            section, findings=self.findings, figures=self.figures, tables={"targets": self.targets, "audit": self.audit}
        )

    def _open(self, section: str) -> bool:
        """Start a section: its heading and explanation when it has data, else the empty-section
        note (the HTML export then drops the section's cells).  Returns whether it has data."""
        if not self._has(section):
            empty_section(section, get_section(section).empty)
            return False
        section_heading(section)
        return True

    def sections_with_data(self) -> list[str]:
        return [s.id for s in SECTIONS if self._has(s.id)]

    # ---- header and summary ------------------------------------------------------------
    def header(self) -> None:
        """Title, scope (areas, documents) and the table of contents."""
        info = self.info
        parent = info["parent"]
        title = info["name_zh"] + (f"（{self.regions.at[parent, 'name_zh']}）" if parent else "")
        present = set(self.figures["area"]) | set(self.findings["area"]) | set(self.claims["area"])
        areas = [a for a in children(self.region, self.regions) if a in present]
        docs = "；".join(f"[{n}] {citation(s)}" for s, n in self.numbers.items())
        toc = "".join(
            f'<li><a href="#sec-{s}">{html.escape(get_section(s).title)}</a></li>' for s in self.sections_with_data()
        )
        scope = f"{info['province']} · {info['kind']}"
        if areas:
            scope += " · 报告所含区县：" + "、".join(self.regions.loc[areas, "name_zh"])
        display(
            HTML(
                f'<h1 class="ea-title">{html.escape(title)}教育评价分析报告</h1>'
                f'<p class="ea-meta">{html.escape(scope)}</p>'
                f'<p class="ea-meta">依据文件：{html.escape(docs)}</p>'
                f'<nav class="ea-toc"><strong>目录</strong><ol><li><a href="#sec-summary">摘要</a></li>{toc}</ol></nav>'
            )
        )

    def summary(self) -> None:
        """摘要: what passes, what fails and by how much, doubts, inconsistencies — one screen
        (:func:`eduanalysis.presentation.summary.summary_html`)."""
        display(HTML(summary_html(self)))

    def margins_chart(self) -> None:
        """The decided findings of each indicator's latest year on one axis: margin as % of the threshold."""
        f = self.findings[latest_year(self.findings)]
        f = f[f["verdict"].isin(["达标", "未达标"]) & (f["limit"].abs() > 0)]
        if len(f) < 2:
            return
        # the summary's own words: the institution a figure is about, an inferred year marked, no doubled level
        labels = [
            f"{place_label(r)} {year_label(r)} {level_name(r['level'], r['indicator_name'])}"
            + ("（参照）" if r["applicability"] == "参照" else "")
            for _, r in f.iterrows()
        ]
        relative = (100 * f["margin"] / f["limit"].abs()).tolist()
        fig = margin_chart(labels, relative, f["verdict"].tolist(), title="与标准的相对差距")
        show_figure(fig, alt="各项数据与标准的相对差距")

    # ---- sections ------------------------------------------------------------------------
    def funding(self, f: pd.DataFrame | None = None) -> None:
        """Spending and its growth, 两个只增不减 (both halves), teacher pay."""
        if not self._open("funding"):
            return
        f = self.section("funding") if f is None else f
        tests = two_no_decrease(f)
        for r in tests.itertuples():
            note(
                f"{self._label(r.area)} {r.year} 年“两个只增不减”：{r.verdict}"
                f"（一般公共预算教育支出：{r.total}；生均一般公共预算教育支出：{r.per_student}）"
                + (f"。{r.reason}。" if r.reason else "。")
            )
        self._table(f, caption="经费类判定")
        spend = self.figures[
            (self.figures["indicator"] == "edu_budget_expenditure") & (self.figures["value_type"] == "实际")
        ]
        if len(spend):
            self._figure_table(spend, "一般公共预算教育支出（文件数值）")
            series = spend[spend["year"].str.fullmatch(r"\d{4}")].drop_duplicates(["area", "year"])
            for area, part in series.groupby("area", sort=False):
                if len(part) < 2:
                    continue
                part = part.sort_values("year")
                growth = f[(f["area"] == area) & (f["indicator"] == "edu_budget_growth")].set_index("year")["value"]
                title = f"{self._label(area)}一般公共预算教育支出（万元）"
                fig = bar_chart(
                    pd.DataFrame({"年份": part["year"], "支出": part["value"].to_numpy()}),
                    x="年份",
                    y="支出",
                    title=title,
                    xlabel="年份",
                    ylabel="万元",
                    annotations=pd.Series([f"{growth[y]:+.1f}%" if y in growth.index else "" for y in part["year"]]),
                )
                show_figure(fig, alt=title)
        other = self.figures[
            (self.figures["value_type"] == "实际")
            & self.figures["unit"].isin(_FUNDING_AMOUNTS)
            & ~self.figures["indicator"].isin(
                ["edu_budget_expenditure", "teacher_avg_salary", "civil_servant_avg_salary"]
            )
        ]
        if len(other):
            self._figure_table(other, "其他经费投入与补助标准", collapsed=True)

    def balance(self, f: pd.DataFrame | None = None) -> None:
        """Composite and per-indicator difference coefficients per district and level."""
        if not self._open("balance"):
            return
        f = self.section("balance") if f is None else f
        composite = f[f["indicator"] == "composite_cv"]
        if len(composite):
            self._table(composite, caption="综合差异系数（每个区县、每个学段分别计算和判定）")
            plot = composite.assign(
                区县=composite["area_label"], 学段=composite["level"], 综合差异系数=composite["value"]
            )
            thresholds = composite.drop_duplicates("level").set_index("level")["limit"].to_dict()
            fig = level_bar_chart(
                plot,
                category="区县",
                value="综合差异系数",
                title="综合差异系数与 2012 年基本均衡标准（虚线）",
                thresholds={lv: thresholds[lv] for lv in ("小学", "初中") if lv in thresholds},
                label="标准",
            )
            show_figure(fig, alt="综合差异系数与 2012 年基本均衡标准")
        per = self.figures[self.figures["indicator"].str.startswith("cv_") & (self.figures["value_type"] == "实际")]
        if len(per):
            judged = f[f["indicator"].str.startswith("cv_")].set_index(["area", "level", "year", "indicator"])
            rows = []
            for r in per.itertuples():
                key = (r.area, r.level, r.year, r.indicator)
                hit = judged.loc[key] if key in judged.index else None
                rows.append(
                    {
                        "区县": r.area_label,
                        "学段": r.level,
                        "年份": r.year,
                        "指标": r.name_zh.replace("差异系数", ""),
                        "差异系数": r.value_as_written,
                        "参照标准（2017 年单项）": limit_label(hit) if hit is not None else "—（无单项标准）",
                        "判定": verdict_label(hit) if hit is not None else "—",
                        "说明": hit["reason"] if hit is not None else "",
                        "出处": source_refs(r.source, f"{r.source} · {r.locator}", self.numbers),
                    }
                )
            table = pd.DataFrame(rows)
            if table["区县"].nunique() <= 1:
                table = table.drop(columns="区县")
            if not table["说明"].str.len().any():
                table = table.drop(columns="说明")
            note(
                "2012 年基本均衡办法只对 8 项的综合差异系数设限（小学 ≤ 0.65，初中 ≤ 0.55）；单项系数没有 2012 年标准。"
                "其中 3 项与 2017 年优质均衡的指标相同，表中参照 2017 年单项标准（小学 ≤ 0.50，初中 ≤ 0.45）列出，"
                "不作为本地区的正式结论。"
            )
            show_table(table, caption="各项指标校际差异系数", status_column="判定")
            for area, part in per.groupby("area", sort=False):
                plot = part.assign(
                    简称=part["name_zh"].str.replace("差异系数", "", regex=False),
                    学段=part["level"],
                    差异系数=part["value"],
                )
                title = f"{self._label(area)}各项指标校际差异系数（2012 年无单项标准，图中不画标准线）"
                fig = level_bar_chart(
                    plot, category="简称", value="差异系数", title=title, thresholds={}, horizontal=True
                )
                show_figure(fig, alt=title)
        means = f[~f["indicator"].isin(["composite_cv"]) & ~f["indicator"].str.startswith("cv_")]
        if len(means):
            self._table(means, caption="区县平均值对照 2017 年单校标准（参照）")

    def preschool(self, f: pd.DataFrame | None = None) -> None:
        if not self._open("preschool"):
            return
        f = self.section("preschool") if f is None else f
        self._table(f, caption="学前教育普及普惠判定")
        pre = self.figures[self.figures["level"] == "学前"]
        self._figure_table(pre, "学前教育相关数据（实际、目标与文件引用的标准）", collapsed=len(pre) > 12)

    def staffing(self, f: pd.DataFrame | None = None) -> None:
        if not self._open("staffing"):
            return
        f = self.section("staffing") if f is None else f
        self._table(f, caption="师资配备与结构判定")
        part = self.figures[self.figures["indicator"].isin(STAFFING_INDICATORS)]
        if part["indicator"].isin(["student_teacher_ratio", "class_teacher_ratio"]).any():
            note(
                "口径说明：文件中的“生师比”为学生数∶专任教师数，“班师比”为班级数∶教师数；国家编制标准（小学 1:19、"
                "初中 1:13.5、高中 1:12.5）是教职工∶学生之比，口径不同，本报告不以其判定生师比或班师比。"
            )
        self._figure_table(part, "师资与结构相关数据", collapsed=len(part) > 12)

    def quality(self, f: pd.DataFrame | None = None) -> None:
        if not self._open("quality"):
            return
        f = self.section("quality") if f is None else f
        self._table(f, caption="普及程度与质量判定")

    def plan(self) -> None:
        """Plan targets: baseline, target, what it takes per year, progress; trends drawn."""
        if not self._open("plan"):
            return
        t = self.targets
        rows = []
        for r in t.itertuples():
            rows.append(
                {
                    "区县": r.area_label,
                    "学段": r.level or "—",
                    "指标": r.indicator_name,
                    "目标年份": r.target_year,
                    "目标": r.target_as_written,
                    "属性": r.attribute or "—",
                    "基期": f"{int(r.base_year)} 年 {r.base_as_written}" if not pd.isna(r.base_year) else "—",
                    "所需变化": r.status,
                    "进度": (
                        "—"
                        if pd.isna(r.on_track)
                        else f"{int(r.latest_year)} 年 {r.latest_as_written}，"
                        f"{'达到' if r.on_track else '落后于'}按线性进度应有的 {fmt_num(r.expected_at_latest)}"
                    ),
                    "出处": source_refs(r.source, f"{r.source} · {r.locator}", self.numbers),
                }
            )
        table = pd.DataFrame(rows)
        if table["区县"].nunique() <= 1:
            table = table.drop(columns="区县")
        note(
            f"规划目标共 {len(t)} 项。比率类指标（%）给出每年需提高的百分点；"
            "数量类给出年均增速 (目标 ÷ 基期)^(1/年数) − 1；基期已达到的目标不再计算增速。"
        )
        show_table(table, caption="规划目标", collapsed=len(table) > 15)
        self._trends()

    def _trends(self) -> None:
        """Series the documents give (actual years, plan base and target), one panel each."""
        f = self.figures[self.figures["year"].str.fullmatch(r"\d{4}")]
        f = f[f["unit"].isin(["%", "人", "万元"])]
        panels = []
        for (area, level, _group, indicator), part in f.groupby(["area", "level", "group", "indicator"], sort=False):
            # a year two documents state differently keeps both values (drawn as a bar between them)
            actual = part[part["value_type"].isin(["实际", "基期"])].drop_duplicates(["year", "value"])
            target = part[part["value_type"] == "目标"].drop_duplicates("year")
            if actual["year"].nunique() + target["year"].nunique() < 3 or target.empty:
                continue
            unit = part["unit"].iloc[0]
            judged = self.findings[(self.findings["indicator"] == indicator) & (self.findings["area"] == area)]
            limit = judged["limit"].iloc[0] if len(judged) and judged["standard"].iloc[0] else None
            panels.append(
                {
                    "title": f"{self._label(area)}{level_name(level, part['name_zh'].iloc[0])}",
                    "unit": unit,
                    "actual": list(zip(actual["year"].astype(int), actual["value"])),
                    "target": list(zip(target["year"].astype(int), target["value"])),
                    "limit": limit,
                    "limit_label": "标准",
                }
            )
        if panels:
            fig = small_multiples(panels[:12], title="主要指标的变化与规划目标（实线：实际与基期；虚线：目标）")
            show_figure(fig, alt="主要指标的变化与规划目标")

    def audit_section(self) -> None:
        if not self._open("audit"):
            return
        a = self.audit
        counts = a["verdict"].value_counts()
        note(
            f"文件中可相互推算的数据共 {len(a)} 项（每项文件数值一行）：不一致 {counts.get('不一致', 0)} 项，"
            f"口径/时点不同 {counts.get('口径/时点不同', 0)} 项，"
            f"无法核对（缺少所需数据）{counts.get('无法核对', 0)} 项，一致 {counts.get('一致', 0)} 项。"
            "按文件所用的小数位数比较（截断取值亦视为一致）；“不一致”是需要核实的线索，不等于数据错误；"
            "“口径/时点不同”指两处数值取自不同时点，或文件数值按另一口径计算相符。"
        )
        table = pd.DataFrame(
            {
                "结论": a["verdict"],
                "核对内容": a["description"],
                "年份": a["year"],
                "文件所述": a["stated"],
                "对照": a["compared_text"],
                "说明": a["explanation"],
                "依据": a["inputs_zh"],
                "备注": a["note"],
            }
        )
        show_table(table, caption="数据核对", collapsed=len(table) > 20)

    def appendix(self) -> None:
        """Documents, standards used, coverage, every transcribed figure (the data files' row numbers are for
        maintainers: ``eduanalysis findings --csv`` and the workbook carry them, the page does not)."""
        self._open("appendix")
        sources = load_sources().loc[list(self.numbers)]
        docs = pd.DataFrame(
            {
                "编号": [f"[{n}]" for n in self.numbers.values()],
                "文件": [citation(s) for s in self.numbers],
                "类型": sources["kind"].to_numpy(),
                "获取方式": sources["address"].replace("", "—").to_numpy(),
                "说明": sources["note"].to_numpy(),
            }
        )
        show_table(docs, caption="依据文件")
        if len(self.claims):
            c = self.claims
            show_table(
                pd.DataFrame(
                    {
                        "区县": c["area_label"],
                        "年份": _figure_years(c),
                        "学段": c["level"].replace("", "—"),
                        "指标": c["name_zh"],
                        "文件结论": c["claim"],
                        "比较对象": c["reference"].replace("", "—"),
                        "原文": c["quote"],
                        "性质": c["class_zh"],
                        "出处": [
                            source_refs(s, f"{s} · {loc}", self.numbers) for s, loc in zip(c["source"], c["locator"])
                        ],
                    }
                ),
                caption=f"文件自述（文件自己的结论与承认的问题，共 {len(c)} 项）",
                collapsed=True,
            )
        used = self.findings[self.findings["standard_status"] != "文件引用"]
        used = pd.concat([used, _context_uses(self.findings)], ignore_index=True)
        if len(used):
            rows = []
            for (source, year), part in used.groupby(["standard_source", "standard_year"], sort=False):
                statuses = part.groupby("standard_status")["indicator_name"].agg(lambda n: "、".join(dict.fromkeys(n)))
                rows.append(
                    {
                        "标准": source,
                        "施行年份": year or "—",
                        "核对状态（所用指标）": "；".join(f"{k}：{v}" for k, v in statuses.items()),
                    }
                )
            show_table(pd.DataFrame(rows), caption="判定所用标准（“待核对”：标准值仅见于二手资料，尚未与部颁原文核对）")
        if len(self.findings):  # when a standard applies and when it is only a reference: applicability.csv
            f = self.findings
            cases = (
                f.groupby(["applicability", "applicability_basis"], sort=False)["indicator_name"]
                .agg(lambda n: "、".join(dict.fromkeys(n)))
                .reset_index()
            )
            show_table(
                pd.DataFrame(
                    {
                        "适用性": cases["applicability"],
                        "依据": cases["applicability_basis"],
                        "本报告中涉及的指标": cases["indicator_name"],
                    }
                ),
                caption="标准适用情况（同一地区、同一年份、同一标准只有一种适用性；每项数据只按最具体的适用标准判定一次）",
            )
        listed = [sec for sec in SECTIONS if not sec.always]
        cover = pd.DataFrame(
            {
                "章节": [sec.title for sec in listed],
                "本报告中": ["有" if self._has(sec.id) else "文件未报告" for sec in listed],
                "何时出现": [sec.shows_when for sec in listed],
            }
        )
        show_table(cover, caption="各章节数据覆盖情况（“文件未报告”的章节不在报告中出现）")
        fig = self.figures.sort_values(["area", "indicator", "year"])
        table = pd.DataFrame(
            {
                "区县": fig["area_label"],
                "年份": _figure_years(fig),
                "学段": fig["level"].replace("", "—"),
                "口径": fig["group"].replace("", "—"),
                "指标": fig["name_zh"],
                "文件表述": fig["name_in_source"],
                "文件数值": list(map(with_header_unit, fig["value_as_written"], fig["name_in_source"])),
                "类型": fig["value_type"],
                "出处": [source_refs(s, f"{s} · {loc}", self.numbers) for s, loc in zip(fig["source"], fig["locator"])],
            }
        )
        show_table(table, caption=f"全部 {len(table)} 项转录数据（按文件原文转录）", collapsed=True)
