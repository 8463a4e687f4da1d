"""Audit text: the audit checks of a region and its districts, in the reader's words (what a stated
figure is set against, why it disagrees, another reading that resolves it).
"""

from __future__ import annotations

import re

import pandas as pd

from ..data.regions import get_region

__all__ = ["region_audit"]

_ROLE_ZH = {
    "part": "部分",
    "whole": "总数",
    "a": "数值甲",
    "b": "数值乙",
    "previous": "上年",
    "current": "本年",
    "parts": "各部分",
    "ref_part": "参照部分",
    "ref_share": "参照占比",
}


def region_audit(region: str) -> pd.DataFrame:
    """The audit checks that concern a region and the areas inside it.

    Runs :func:`eduanalysis.judgement.audit.audit` for every figures file the region's
    report reads (its own, its districts' own, and for a district its parent's — keeping
    only the checks whose stated figure is about that district).  Adds ``area``,
    ``inputs_zh`` (the inputs in reader's words, 部分、总数 …, without our CSV line numbers),
    ``compared_text`` (重新计算 36.51 % / 另一处为 51.2 % / —) and ``alternative`` (another
    check of the same stated figure that agrees with it, in words, for a 不一致) and
    ``explanation`` (the reason, with that alternative).
    """
    from ..data.figures import figures_path, load_figures
    from ..data.regions import children
    from .audit import audit, checks_path

    info = get_region(region)
    owners = [o for o in [region, *children(region)] if checks_path(o).exists()]
    parent = info["parent"]
    frames = []
    for owner in owners + ([parent] if parent and checks_path(parent).exists() else []):
        result = audit(owner)
        if result.empty:
            continue
        if figures_path(owner).exists():
            district = result["target_row"].map(load_figures(owner).set_index("row")["district"])
        else:
            district = pd.Series("", index=result.index)
        result = result.assign(area=district.where(district != "", owner))
        if owner == parent:
            result = result[result["area"] == region]
        frames.append(result)
    if not frames:
        return pd.DataFrame(
            columns=[
                "area",
                "verdict",
                "description",
                "year",
                "stated",
                "recomputed_text",
                "reason",
                "inputs_zh",
                "note",
            ]
        )
    out = pd.concat(frames, ignore_index=True)

    def words(text: str) -> str:
        text = re.sub(r"第\d+行\s*", "", text)
        for role, zh in _ROLE_ZH.items():
            text = re.sub(rf"(^|；)\s*{role}:\s*", rf"\g<1>{zh}：", text)
        return text

    out = out.assign(
        inputs_zh=out["inputs"].map(words),
        reason=out["reason"].str.replace(r"\s*ratio\b", "", regex=True),
        recomputed_text=out["recomputed_text"].str.replace(r"\s*ratio\b", "", regex=True),
    )
    # what the stated figure is set against, in words: a figure stated twice is compared with its
    # other statement, a claim "高于" with what it is said to exceed, anything else is recomputed
    out = out.assign(
        compared_text=[
            ({"same": f"另一处为 {t}", "exceeds": t}.get(kind, f"重新计算 {t}")) if t else "—"
            for kind, t in zip(out["kind"], out["recomputed_text"])
        ]
    )
    return _one_row_per_stated_figure(out)


def _one_row_per_stated_figure(out: pd.DataFrame) -> pd.DataFrame:
    """One row and one verdict per stated figure, however many checks concern it.

    A figure that one check finds 不一致 and another reading 一致 (伊宁 “占总规划78%”: 36.51 % of the
    plan is completed, 77.98 % completed or under way) is 口径/时点不同 — the number is right for
    another 口径 than the words give; a check that could not run beside one that did is mentioned."""
    rows = []
    for _, group in out.groupby(["area", "target_row"], sort=False):
        verdicts = set(group["verdict"])
        first = group.iloc[0].copy()
        alternative = ""
        if {"不一致", "一致"} <= verdicts:
            bad = group[group["verdict"] == "不一致"].iloc[0]
            good = group[group["verdict"] == "一致"].iloc[0]
            first = bad.copy()
            first["verdict"] = "口径/时点不同"
            alternative = (
                f"按文件所写口径（{bad['description']}）为 {bad['recomputed_text']}，"
                f"按另一口径（{good['description']}）为 {good['recomputed_text']}，与文件数值相符；文件所写口径可能有误"
            )
        else:
            for verdict in ("不一致", "口径/时点不同", "一致", "无法核对"):
                if verdict in verdicts:
                    first = group[group["verdict"] == verdict].iloc[0].copy()
                    break
            others = group[group["check_id"] != first["check_id"]]
            ran = others[others["verdict"] != "无法核对"]
            skipped = others[others["verdict"] == "无法核对"]
            extra = [f"另有“{d}”：{v}" for d, v in zip(ran["description"], ran["verdict"])]
            extra += [f"另有“{d}”无法核对（{r}）" for d, r in zip(skipped["description"], skipped["reason"])]
            alternative = "；".join(extra)
        first["alternative"] = alternative
        if first["verdict"] == "口径/时点不同" and "另一口径" in alternative:
            first["explanation"] = alternative
        else:
            first["explanation"] = f"{first['reason']}；{alternative}" if alternative else first["reason"]
        rows.append(first)
    table = pd.DataFrame(rows).reset_index(drop=True)
    order = {"不一致": 0, "口径/时点不同": 1, "无法核对": 2, "一致": 3}
    return table.sort_values("verdict", key=lambda v: v.map(order), kind="stable").reset_index(drop=True)
