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
    # an inconsistency that another reading of the same stated figure resolves says so
    agree = out[out["verdict"] == "一致"].groupby(["area", "target_row"])
    alternative = []
    for r in out.itertuples():
        key = (r.area, r.target_row)
        if r.verdict == "不一致" and key in agree.groups:
            other = out.loc[agree.groups[key]].iloc[0]
            alternative.append(
                f"文件数值与另一种算法相符：{other['description']}，为 {other['recomputed_text']}；"
                "文件未说明用的是哪种，仍列为不一致"
            )
        else:
            alternative.append("")
    # what the stated figure is set against, in words: a figure stated twice is compared with its
    # other statement, not recomputed
    compared = [
        (f"另一处为 {t}" if kind == "same" else f"重新计算 {t}") if t else "—"
        for kind, t in zip(out["kind"], out["recomputed_text"])
    ]
    explanation = [f"{r}；{a}" if a else r for r, a in zip(out["reason"], alternative)]
    return out.assign(alternative=alternative, compared_text=compared, explanation=explanation)
