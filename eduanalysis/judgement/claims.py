"""Claims: what the documents say of themselves (达标, 未增长 …), attached to the findings they
concern, and a rule judged from a claim alone where no figure is given.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..data.regions import get_region
from .observations import _TOL, _years_overlap, note_scope
from .verdicts import _level_matches, _row, _rule_standard

__all__ = ["region_claims"]


#: words that open a section of the documents' problems ("三、存在问题", "二、主要问题", "存在的问题")
_PROBLEM_SECTION = re.compile(r"存在(?:的)?问题|主要问题|问题及")


def _class_of(claim: str, adverse, locator: str) -> str:
    """问题 / 成效 / 承诺 / — of one claim: a commitment is neither; the section a sentence comes from
    decides first (a 高于 under "三、存在问题" — "仅为50.3%,刚刚超过50%的标准" — is a problem), then
    the claim itself."""
    if claim == "承诺":
        return "承诺"
    section = locator.split("/")[0]
    if _PROBLEM_SECTION.search(section):
        return "问题"
    if adverse is True:
        return "问题"
    if adverse is False:
        return "成效"
    return "—"


def _quantified(quote: str) -> bool:
    """Whether a quote states a number (a year or a span of years alone does not count)."""
    text = re.sub(r"\d{4}(?:\s*[-—–]\s*\d{4})?\s*年", "", unicodedata.normalize("NFKC", quote))
    return bool(re.search(r"\d", text))


def region_claims(region: str) -> pd.DataFrame:
    """The documents' own claims about a region and the areas inside it (``data/raw/claims/``).

    Each claim has its ``area`` (the district it is about, else the file's region), its
    ``class_zh`` (问题 / 成效 / 承诺 / —: the section the sentence comes from decides first, so a
    sentence under "存在问题" is a problem whatever its wording; a commitment such as "确保不再新产生
    大班额" is neither a result nor a problem), and ``quantified`` (the quote gives a number).
    ``scope_zh`` names the part of the area a claim is about when the note says so ("范围：部分县市区
    （园区）…": 绵阳 admits a pay gap in some unnamed counties, not a city-wide figure), else ''.
    Problems come first, quantified ones before those in words only; otherwise the documents' order.

    Examples
    --------
    >>> c = region_claims("mudanjiang").set_index("claim_id")
    >>> c.loc["MC37", ["claim", "class_zh"]].tolist()  # "仅为50.3%,刚刚超过50%的标准" under 三、存在问题
    ['存在问题', '问题']
    >>> c.loc["MC21", ["claim", "class_zh"]].tolist()  # "其余各县(市)2022年底覆盖率实现100%"
    ['承诺', '承诺']
    >>> region_claims("mianyang").set_index("claim_id").loc["MYC06", ["claim", "scope_zh", "year"]].tolist()
    ['存在问题', '部分县市区', '2019-2020']
    """
    from ..data.claims import CLAIM_COLUMNS, claims_path, load_claims
    from ..data.regions import children

    info = get_region(region)
    frames = [load_claims(o) for o in [region, *children(region)] if claims_path(o).exists()]
    if info["parent"] and claims_path(info["parent"]).exists():
        upper = load_claims(info["parent"])
        frames.append(upper[upper["district"] == region])
    frames = [f for f in frames if len(f)]
    if not frames:
        extra = ["name_zh", "adverse", "row", "area", "class_zh", "quantified", "scope_zh"]
        return pd.DataFrame(columns=[*CLAIM_COLUMNS, *extra])
    table = pd.concat(frames, ignore_index=True)
    table = table.assign(
        area=table["district"].where(table["district"] != "", table["region"]),
        class_zh=[_class_of(c, a, loc) for c, a, loc in zip(table["claim"], table["adverse"], table["locator"])],
        quantified=table["quote"].map(_quantified),
        scope_zh=table["note"].map(note_scope),
    )
    rank = (table["class_zh"] != "问题").astype(int) * 2 + (~table["quantified"]).astype(int)
    return table.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


def _claim_text(claims: pd.DataFrame) -> str:
    return "；".join(
        f"文件称{c.claim}" + (f"（{c.reference}）" if c.reference else "") + f"：“{c.quote}”"
        for c in claims.itertuples()
    )


def _names_limit(quote: str, limit: float) -> bool:
    """Whether a claim's words agree with the rule's limit: "达到50.8%,高于…标准0.8个百分点" implies
    a standard of 50 %; words without such a difference are taken as naming the standard."""
    text = unicodedata.normalize("NFKC", quote)
    points = re.search(r"(?:高于|低于|超过)[^，,。；]*?标准\s*(\d+(?:\.\d+)?)\s*个百分点", text)
    if not points:
        return True
    value = re.search(r"(\d+(?:\.\d+)?)\s*%", text)
    if not value or limit is None or np.isnan(limit):
        return False
    sign = -1 if "低于" in points.group(0) else 1
    return abs(float(value.group(1)) - sign * float(points.group(1)) - limit) < 0.05 + _TOL


#: claims that say a rule's requirement was not met, and those that say it was (unverified without a number)
_CLAIM_FAILS = ("未达标", "未增长", "下降")


_CLAIM_PASSES = ("达标", "增长", "高于", "完成")


def _with_claims(region, rows, claims, rules, registry, regions) -> list[dict]:
    """Attach the documents' claims to the findings they concern, and judge a rule from a
    claim alone where the documents give no figure ("海林市…一般公共预算教育支出未实现增长")."""
    if claims.empty:
        return rows
    used = set()
    for rule in rules.itertuples(index=False):
        ids = {rule.indicator, *rule.claim_indicators.split()}
        relevant = claims[claims["indicator"].isin(ids)]
        if relevant.empty:
            continue
        mine = [r for r in rows if r["rule_id"] == rule.rule_id]
        for r in mine:
            hit = relevant[
                (relevant["area"] == r["area"])
                & ((relevant["level"] == r["level"]) | (relevant["level"] == ""))
                & relevant["year"].map(lambda y, year=r["year"]: _years_overlap(y, year))
            ]
            if len(hit):
                r["claim"] = "；".join(filter(None, [r["claim"], _claim_text(hit)]))
                used.update(hit.index)
                # the document measures this area against the standard itself ("高于国家和自治区标准0.8个
                # 百分点"): a county-level standard applies to a city that holds itself to it, as a
                # norm the document cites with its number does (牡丹江 "高于…85%…的省定指标")
                held = hit[hit["claim"].isin(_CLAIM_PASSES + _CLAIM_FAILS) & hit["reference"].str.contains("标准")]
                held = held[held["quote"].map(lambda q, limit=r["limit"]: _names_limit(q, limit))]
                # only a 县域 rule read on a city is lifted by words; applicability.csv decides the status
                if r["applicability"] == "参照" and rule.scope == "县域" and len(held):
                    r["_held"] = True
                    quote = "；".join(f"“{q}”" for q in dict.fromkeys(held["quote"]))
                    held_to = f"文件以{held['reference'].iloc[0]}衡量本地区：{quote}"
                    r["note"] = "；".join(filter(None, [r["note"], held_to]))
        # a claim with no finding of this rule for its area, level and year: judged from the words
        for (area, level, group, year), part in relevant.groupby(["area", "level", "group", "year"], sort=False):
            if any(
                r["area"] == area and (r["level"] == level or level == "") and _years_overlap(r["year"], year)
                for r in mine
            ):
                continue
            if not _level_matches(rule.level, level) and rule.level != "*":
                continue
            fails, passes = part[part["claim"].isin(_CLAIM_FAILS)], part[part["claim"].isin(_CLAIM_PASSES)]
            if fails.empty and passes.empty:
                continue
            verdict = "未达标" if len(fails) else "无法判定"
            reason = (
                "文件自述未达到；未给出数值"
                if len(fails)
                else f"文件称{'、'.join(dict.fromkeys(passes['claim']))}，但未给出数值，无法核实"
            )
            fixed, _ = _rule_standard(rule, level, area, regions)
            obs = {
                "area": area,
                "level": level,
                "group": group,
                "year": year,
                "indicator": rule.indicator,
                "value": np.nan,
                "unit": "",
                "value_as_written": "；".join(f"“{q}”" for q in dict.fromkeys(part["quote"])),
                "bound": "exact",
                "basis": "文件自述",
                "sources": list(dict.fromkeys(part["source"])),
                "locators": list(dict.fromkeys(part["source"] + " · " + part["locator"])),
                "rows": [f"claims/{c.region}:{c.row}" for c in part.itertuples()],
            }
            rows.append(
                _row(
                    region,
                    obs,
                    registry,
                    regions,
                    **fixed,
                    compared_low=np.nan,
                    compared_high=np.nan,
                    compared_unit=rule.unit_zh or "",
                    verdict=verdict,
                    reason=reason,
                    margin=np.nan,
                    margin_unit="",
                    margin_is_bound=False,
                    shortfall=np.nan,
                    shortfall_unit="",
                )
            )
            rows[-1]["claim"] = _claim_text(part)
            used.update(part.index)
    return rows
