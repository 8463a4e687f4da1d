"""The audit run on a draft, before review: sums of parts and shares, nothing written.

A draft (``eduanalysis draft``) has no checks file yet — the checks of
``data/raw/checks/`` name rows of a figures file.  What can be checked without one:

- **sums of parts** (``sum`` / ``within``): a figure of a count or amount indicator drafted
  for the region as a whole (``district`` empty) and for two or more of its districts
  (same year, level, group, indicator and kind).  When the drafted districts are all the
  region's districts (from ``regions.csv``), their sum must equal the total (``sum``);
  otherwise it must not exceed it (``within``).  Both allow for rounding: half a unit of
  the last printed digit of every number added;
- **shares above 100 %** (``over_100``): :func:`eduanalysis.judgement.audit.over_100`, as
  in a region's audit;
- a value that cannot be read (``parse``): listed as ``无法核对`` with the reason.

The result has the shape of a region's audit (``check``, ``kind``, ``description``,
``stated``, ``recomputed``, ``verdict``, ``reason``, ``rows``): the review notebook shows
it beside the draft, inconsistencies first.
"""

from __future__ import annotations

import re

import pandas as pd

from ..data.numbers import convert_unit, header_unit, parse_quantity
from ..data.registry import indicator_registry
from ..errors import EduAnalysisError
from .audit import over_100

__all__ = ["AUDIT_COLUMNS", "audit_draft"]

AUDIT_COLUMNS = ["check", "kind", "description", "stated", "recomputed", "verdict", "reason", "rows"]
_ADDITIVE = ("count", "amount")  # registry kinds whose parts add up to the whole


def _decimals(text: str) -> int:
    match = re.search(r"\d+(?:\.(\d+))?", text)
    return len(match.group(1) or "") if match else 0


def _parsed(draft: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Draft rows with ``value`` (registry unit), ``unit``, ``qualifier``, ``tolerance``; unreadable rows apart."""
    registry = indicator_registry()
    rows, problems = [], []
    for rec in draft.itertuples(index=False):
        if rec.indicator not in registry.index:
            continue  # a proposed local indicator: nothing to add up yet
        unit = registry.at[rec.indicator, "unit"]
        try:
            qty = parse_quantity(rec.value_as_written)
            if qty.unit == "" and unit:
                qty = qty._replace(unit=header_unit(rec.name_in_source, expected=unit))
            value = convert_unit(qty.value, qty.unit, unit)
            tolerance = convert_unit(0.5 * 10 ** -_decimals(rec.value_as_written), qty.unit, unit)
        except EduAnalysisError as exc:
            problems.append(
                {
                    "check": f"P-r{rec.row}",
                    "kind": "parse",
                    "description": f"{rec.name_in_source or rec.indicator}：数值无法读取",
                    "stated": rec.value_as_written,
                    "recomputed": float("nan"),
                    "verdict": "无法核对",
                    "reason": str(exc),
                    "rows": str(rec.row),
                }
            )
            continue
        rows.append({**rec._asdict(), "value": value, "unit": unit, "qualifier": qty.qualifier, "tol": tolerance})
    return pd.DataFrame(rows), problems


def _sums(parsed: pd.DataFrame, districts: list[str]) -> list[dict]:
    kinds = indicator_registry()["kind"]
    out = []
    key = ["year", "level", "group", "indicator", "value_type"]
    additive = parsed[parsed["indicator"].map(kinds).isin(_ADDITIVE)]
    for values, group in additive.groupby(key, sort=False):
        totals = group[group["district"] == ""]
        parts = group[group["district"] != ""].drop_duplicates("district")
        if len(parts) < 2 or totals.empty or totals["value"].nunique() != 1:
            continue
        total = totals.iloc[0]
        if total["qualifier"] or (parts["qualifier"] != "").any():
            continue  # a bound or an approximation: the sum says little
        whole = bool(districts) and set(parts["district"]) == set(districts)
        recomputed = float(parts["value"].sum())
        gap = recomputed - float(total["value"])
        tolerance = float(total["tol"] + parts["tol"].sum())
        if whole:
            verdict = "一致" if abs(gap) <= tolerance else "不一致"
            relation = "等于"
        else:
            verdict = "一致" if gap <= tolerance else "不一致"
            relation = "不超过"
        names = "、".join(parts["district"])
        out.append(
            {
                "check": f"S-r{total['row']}",
                "kind": "sum" if whole else "within",
                "description": f"{total['name_in_source'] or values[3]}（{values[0]}年）：各区县之和{relation}全市",
                "stated": total["value_as_written"],
                "recomputed": recomputed,
                "verdict": verdict,
                "reason": f"{names} 合计 {recomputed:g} {total['unit']}，全市 {float(total['value']):g} {total['unit']}"
                + ("" if whole else "（所列区县不是全部，只核对不超过）"),
                "rows": ", ".join(str(r) for r in [total["row"], *parts["row"]]),
            }
        )
    return out


def audit_draft(draft: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """Check a draft's figures against each other before review (nothing is written).

    Parameters
    ----------
    draft
        A draft as :func:`eduanalysis.data.intake.review.load_draft` reads it (with ``row``);
        rejected rows are left out.
    region
        Its region; when registered, its districts tell a full sum from a partial one.

    Returns
    -------
    pandas.DataFrame
        One row per check (:data:`AUDIT_COLUMNS`), ``不一致`` first.

    Examples
    --------
    >>> draft = pd.DataFrame({
    ...     "row": [2, 3, 4], "district": ["", "haibowan", "wuda"], "year": ["2020"] * 3, "level": ["小学"] * 3,
    ...     "group": [""] * 3, "indicator": ["schools"] * 3, "value_type": ["实际"] * 3,
    ...     "name_in_source": ["小学"] * 3, "value_as_written": ["30所", "12所", "20所"], "review": [""] * 3})
    >>> audit_draft(draft)[["kind", "recomputed", "verdict"]].to_dict("records")
    [{'kind': 'within', 'recomputed': 32.0, 'verdict': '不一致'}]
    """
    draft = draft[draft.get("review", pd.Series("", index=draft.index)) != "reject"]
    parsed, rows = _parsed(draft)
    districts: list[str] = []
    if region:
        from ..data.regions import children, load_regions

        if region in load_regions().index:
            districts = children(region)
    if not parsed.empty:
        rows += _sums(parsed, districts)
        for rec in over_100(parsed).itertuples(index=False):
            rows.append(
                {
                    "check": f"O-r{rec.row}",
                    "kind": "over_100",
                    "description": "比率超过100%",
                    "stated": rec.value_as_written,
                    "recomputed": float("nan"),
                    "verdict": "一致" if rec.may_exceed else "不一致",
                    "reason": rec.reason,
                    "rows": str(rec.row),
                }
            )
    table = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    order = {"不一致": 0, "无法核对": 1, "一致": 2}
    return table.sort_values("verdict", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
