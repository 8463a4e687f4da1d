"""Findings: every reported figure a standard applies to, judged — one tidy table per region.

:func:`findings` is the one place a verdict is made.  Report sections, the executive
summary, the index page, cross-region tables and the Excel export all read its table;
researchers get it as a DataFrame.  A row says

- where and what: ``region`` (the report's region), ``area`` (the city itself or one of
  its districts/counties — nothing is pooled across areas), ``level``, ``group``
  (城镇/农村 …), ``scope_zh`` (the one institution a figure is about, e.g. a city's only
  higher-vocational college, when it is not the whole area), ``year`` (``year_inferred``
  when no statement gives it and it was inferred, e.g. from the document's period: reports
  show "2019（推断）"), ``indicator``;
- what the document says: ``value_as_written``, ``bound`` (exact, at_least, above,
  at_most, about, nearly — "超过7%" is not 7), the interval the compared value lies in
  (``compared_low``..``compared_high``, after the rule's transform, e.g. 1:211 → 211
  students per counsellor), ``basis`` (文件数值, or 计算 when derived from other figures:
  a growth rate from two years, a composite from eight coefficients, a pay ratio);
- against what: ``standard`` (id), ``standard_source`` (the document that sets it),
  ``standard_year`` (in force from), ``standard_status`` (已核对 / 待核对 / 文件引用),
  ``applicability`` (适用, or 参照 where the standard is made for another unit, e.g. a
  县域 standard read against a whole city, or a per-school norm read against a mean) and
  ``applicability_basis`` (why, in words), both from ``judgement/applicability.csv``,
  ``comparator``, ``limit``/``limit_high``;
- the verdict: 达标 / 未达标 / 无法判定 / 数据存疑, with ``reason`` in Chinese, the signed
  ``margin`` (positive is good; for a bound, the margin the whole interval guarantees,
  ``margin_is_bound``) in ``margin_unit`` (个百分点 for rates), and where meaningful a
  ``shortfall`` in natural units (people, 元); ``context``: the other standards the same
  figure was set against (each figure has one verdict, against its most specific applicable
  standard; the others are shown as a comparison without a verdict word, not counted), and
  ``context_standards`` naming them for the appendix ("source|year|status" joined by "；");
- provenance: ``sources`` (source ids), ``citations`` (title, issuer, date), ``locators``
  (sections of the document), ``rows`` (lines of our CSV), ``note``.

Verdict rules, in order: two documents (or two places) giving different values for the
same figure → 数据存疑; a value above its plausible maximum (a share above 100 %, a
巩固率 above 100 % from pupils moving in) → 数据存疑; a figure from a year before the
standard was issued → 无法判定; else 达标 when the whole interval satisfies the
threshold, 未达标 when none of it does, 无法判定 when the threshold falls inside it.
"""

from __future__ import annotations

import math

import pandas as pd

from ..data.figures import region_figures
from ..data.regions import get_region, is_county_level, load_regions
from ..data.registry import indicator_registry
from .applicability import applicability, provincial_versions
from .audit_text import region_audit
from .claims import _with_claims, region_claims
from .observations import _KEY, _derived, _observations, observations
from .rules import load_rules
from .trends import declines, two_no_decrease
from .verdicts import VERDICTS, _document_norms, _national

__all__ = [
    "FINDING_COLUMNS",
    "VERDICTS",
    "all_findings",
    "declines",
    "findings",
    "observations",
    "region_audit",
    "region_claims",
    "two_no_decrease",
]

FINDING_COLUMNS = [
    "region",
    "area",
    "area_name",
    "scope_zh",
    "section",
    "level",
    "group",
    "year",
    "year_inferred",
    "indicator",
    "indicator_name",
    "value_as_written",
    "value",
    "unit",
    "bound",
    "basis",
    "compared_low",
    "compared_high",
    "compared_unit",
    "rule_id",
    "standard",
    "standard_source",
    "standard_year",
    "standard_status",
    "applicability",
    "applicability_basis",
    "comparator",
    "limit",
    "limit_high",
    "verdict",
    "reason",
    "margin",
    "margin_unit",
    "margin_is_bound",
    "shortfall",
    "shortfall_unit",
    "claim",
    "context",
    "context_standards",
    "note",
    "sources",
    "citations",
    "locators",
    "rows",
]


def findings(region: str) -> pd.DataFrame:
    """The judged findings of a region and of every district/county inside it.

    Parameters
    ----------
    region : str
        Region slug (see ``eduanalysis regions``).  A city's findings cover the city
        and its districts, each judged on its own; a district's cover that district.

    Returns
    -------
    DataFrame
        One row per (figure, applicable standard), columns :data:`FINDING_COLUMNS`
        (described in the module docstring), ordered by section, area (the region
        itself first), level and year.  Empty when nothing the region reports is
        covered by a standard.

    Examples
    --------
    >>> f = findings("wuhai")
    >>> hb = f[(f["area"] == "haibowan") & (f["indicator"] == "composite_cv")]
    >>> hb[["level", "value", "limit", "verdict", "applicability"]].values.tolist()
    [['小学', 0.52, 0.65, '达标', '适用'], ['初中', 0.46, 0.55, '达标', '适用']]
    >>> f.loc[f["indicator"] == "composite_cv", "area"].nunique()  # one composite per district, never pooled
    3
    """
    regions = load_regions()
    get_region(region)
    registry = indicator_registry()
    figures = region_figures(region)
    if figures.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    observations = _observations(figures)
    observations += _derived(observations)
    frame = pd.DataFrame(observations)
    rules = load_rules()
    norms = figures[figures["value_type"] == "标准"]
    rows = []
    for obs in observations:
        national = _national(region, obs, rules, registry, regions, frame)
        cited = norms[
            (norms["area"] == obs["area"])
            & (norms["indicator"] == obs["indicator"])
            & (norms["level"] == obs["level"])
            & (norms["group"] == obs["group"])
            & ((norms["year"] == obs["year"]) | (norms["year"] == ""))
        ]
        documented = _document_norms(region, obs, cited, registry, regions, rules) if len(cited) else []
        for doc in documented:
            same = [n for n in national if abs(n["limit"] - doc["limit"]) <= 1e-6 * max(1, abs(doc["limit"]))]
            if same:  # the document cites the national figure: say so on the national finding
                for n in same:  # the region is held to it by its own document: the standard applies
                    n["note"] = "；".join(filter(None, [n["note"], f"文件亦引用此标准（{doc['norm_text']}）"]))
                    n["_held"] = True
            elif national:
                rows.append(doc)
        if not national:
            rows += documented
        rows += national
    rows = _with_claims(region, rows, region_claims(region), rules, registry, regions)
    rows = _judged_once(_settle_applicability(rows, regions))
    if not rows:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    out = pd.DataFrame(rows)[FINDING_COLUMNS]
    order_area = {a: i for i, a in enumerate([region, *regions.index])}
    order_level = {
        lv: i for i, lv in enumerate(["", "学前", "小学", "初中", "义务教育", "普通高中", "中职", "高中阶段", "高职"])
    }
    order_section = {s: i for i, s in enumerate(["funding", "balance", "preschool", "staffing", "quality"])}
    out = out.assign(
        _s=out["section"].map(order_section),
        _a=out["area"].map(order_area),
        _l=out["level"].map(order_level).fillna(99),
    ).sort_values(["_s", "_a", "indicator", "_l", "year"], kind="stable")
    return _superseded(out.drop(columns=["_s", "_a", "_l"]).reset_index(drop=True))


def _superseded(out: pd.DataFrame) -> pd.DataFrame:
    """A failing year that a later year of the same figure has met yields no shortfall (乌海 巩固率: 2019
    年 93.2% would need 1.8 points, but 表1 gives 95% for 2020, 达标): the verdict of that year stays, the
    "需提高" is dropped and the note says which later year met it."""
    key = ["area", "level", "group", "indicator"]
    end = out["year"].str[-4:].astype(int)
    met = out[out["verdict"] == "达标"].assign(_end=end).groupby(key)["_end"].max()
    for i in out.index[(out["verdict"] == "未达标") & out["shortfall"].notna()]:
        later = met.get(tuple(out.loc[i, key]))
        if later is not None and later > end[i]:
            out.at[i, "shortfall"] = math.nan
            out.at[i, "note"] = "；".join(filter(None, [out.at[i, "note"], f"{later} 年已达标，本年缺口不再计算"]))
    return out


def _settle_applicability(rows: list[dict], regions: pd.DataFrame) -> list[dict]:
    """Applicability from ``applicability.csv``, decided per area, year and standard: when the
    document holds an area to a standard for one figure of a year (it cites the standard's value,
    or says the figure is "高于……标准"), every figure of that area and year judged against the
    same standard is held to it too — one status, never 适用 beside 参照."""
    held = {(r["area"], r["year"], r["standard"]) for r in rows if r.get("_held") and r["standard"]}
    for r in rows:
        if r["standard"] and not r.get("_held") and (r["area"], r["year"], r["standard"]) in held:
            r["_held"] = True
            r["note"] = "；".join(
                filter(None, [r["note"], "文件以同一标准衡量本地区同年的其他数据，本项按同一标准适用"])
            )
        case = applicability(r["_scope"], is_county_level(r["area"], regions), bool(r.get("_held")))
        r["applicability"], r["applicability_basis"], r["_rank"] = case.status, case.basis, case.rank
    # a region reviewed under a provincial version of the standard cites it (伊宁: 《新疆…暂行办法》)
    versions = provincial_versions()
    for r in rows:
        hit = versions[(versions["standard"] == r["standard"]) & versions["region"].isin([r["area"], r["region"]])]
        if len(hit):
            v = hit.iloc[0]
            r["standard_source"] = f"{v['title']}（依据{r['standard_source']}）"
            r["note"] = "；".join(
                filter(None, [r["note"], f"文件称：“{v['quote']}”；阈值按国家办法取值，自治区办法原文待核对"])
            )
    return rows


def _context_text(r: dict) -> str:
    """Another standard a figure was also set against, in words (shown beside its one verdict)."""
    unit = r["compared_unit"] if r["compared_unit"] not in ("", "%") else ("%" if r["compared_unit"] else "")
    if r["comparator"] == "between":
        limit = f"{r['limit']:g}{unit}–{r['limit_high']:g}{unit}"
    else:
        limit = f"{'≥' if r['comparator'] == '>=' else '≤'} {r['limit']:g}{'' if unit == '%' else ' '}{unit}".strip()
    source = r["standard_source"] or "文件引用的标准"
    # context: the comparison, never a verdict word (the figure's one verdict is against its main standard)
    unsure = "，标准待核对" if r.get("standard_status") == "待核对" else ""
    return f"另对照{source}（{limit}，{r['applicability']}{unsure}）：仅作比较，不作判定"


def _context_standard(r: dict) -> str:
    """The "source|year|status" of a context standard, for the appendix's table of standards."""
    return f"{r['standard_source'] or '文件引用的标准'}|{r['standard_year'] or ''}|{r.get('standard_status', '')}"


def _judged_once(rows: list[dict]) -> list[dict]:
    """One verdict per figure: the most specific applicable standard (适用 first, then the rank
    ``applicability.csv`` gives — a norm the document cites before a national one); the other
    standards the figure was set against become its ``context``, not a second verdict."""
    by_figure: dict[tuple, list[dict]] = {}
    for r in rows:
        by_figure.setdefault(tuple(r[k] for k in _KEY), []).append(r)
    out = []
    for group in by_figure.values():
        group = sorted(group, key=lambda r: (r["applicability"] != "适用", r["_rank"]))
        first = group[0]
        first["context"] = "；".join(_context_text(o) for o in group[1:])
        first["context_standards"] = "；".join(
            _context_standard(o) for o in group[1:] if o.get("standard_status") != "文件引用"
        )
        out.append(first)
    return out


def all_findings(regions: list[str] | None = None) -> pd.DataFrame:
    """The findings of several regions in one table (default: every region with figures).

    Examples
    --------
    >>> table = all_findings(["wuhai", "yining"])
    >>> sorted(table["region"].unique())
    ['wuhai', 'yining']
    """
    from ..data.figures import has_figure_files
    from ..data.regions import report_regions, resolve_region

    slugs = [resolve_region(r) for r in regions] if regions else [s for s in report_regions() if has_figure_files(s)]
    frames = [findings(s) for s in slugs]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FINDING_COLUMNS)
