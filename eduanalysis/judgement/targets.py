"""Plan targets: baseline, target, the annual change needed, and whether the latest actual
value is on track.

A plan (规划) states targets for a year (``value_type`` 目标) and often the base-year value
beside them (``基期``); actual values of later years may come from other documents.  For
each target :func:`plan_targets` finds the latest baseline before the target year in the
same area, level and group, and says what it takes:

- rates and shares (unit %) need a change in percentage points per year — a compound
  growth rate of a percentage means little;
- amounts and counts need a compound annual growth rate, (target ÷ baseline)^(1/years) − 1;
- a target the baseline already meets needs nothing: its status says so (never a
  negative "required growth");
- a target written as a bound ("98%以上") is met by any value on its side.

Progress: the latest actual value after the baseline is compared with the straight-line
path from baseline to target at that year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.figures import region_figures, with_header_unit
from ..data.regions import load_regions
from ..measures.growth import required_rate
from .judge import judge

__all__ = ["TARGET_COLUMNS", "plan_targets"]

TARGET_COLUMNS = [
    "area",
    "area_name",
    "level",
    "group",
    "indicator",
    "indicator_name",
    "unit",
    "attribute",
    "target_year",
    "target_as_written",
    "target",
    "target_bound",
    "base_year",
    "base_as_written",
    "base",
    "years",
    "required_rate",
    "required_pp_per_year",
    "status",
    "latest_year",
    "latest_as_written",
    "expected_at_latest",
    "on_track",
    "source",
    "locator",
]


def _meets(value: float, target: float, bound: str, rising: bool) -> bool:
    if bound in ("at_least", "above"):
        comparator = ">="
    elif bound == "at_most":
        comparator = "<="
    else:
        comparator = ">=" if rising else "<="
    return judge(value, comparator, target).met


def plan_targets(region: str) -> pd.DataFrame:
    """Every dated plan target of a region (and its districts) with what it takes.

    Returns columns :data:`TARGET_COLUMNS`: ``required_rate`` (fraction per year, amounts
    and counts) or ``required_pp_per_year`` (rates in %), ``status`` in Chinese (基期已达到
    目标 / 需年均增长 … / 文件未给出基期 …) and, where an actual value after the baseline is
    reported, ``on_track`` (bool) against the straight-line path.

    Examples
    --------
    >>> t = plan_targets("wuhai").set_index(["indicator", "target_year"])
    >>> row = t.loc[("retention_rate", 2025)]
    >>> row["base"], row["target"], round(row["required_pp_per_year"], 2)
    (np.float64(95.0), np.float64(96.0), np.float64(0.2))
    """
    figures = region_figures(region)
    regions = load_regions()
    if figures.empty:
        return pd.DataFrame(columns=TARGET_COLUMNS)
    dated = figures[figures["year"].str.fullmatch(r"\d{4}")].assign(y=lambda f: f["year"].astype(int))
    rows = []
    for rec in dated[dated["value_type"] == "目标"].itertuples(index=False):
        same = dated[
            (dated["indicator"] == rec.indicator)
            & (dated["area"] == rec.area)
            & (dated["level"] == rec.level)
            & (dated["group"] == rec.group)
        ]
        base = same[same["value_type"].isin(["基期", "实际"]) & (same["y"] < rec.y)]
        # the latest year before the target; a plan's own 基期 row wins over an actual of that year
        base = base.assign(_pref=(base["value_type"] != "基期").astype(int)).sort_values(["y", "_pref"])
        row = {
            "area": rec.area,
            "area_name": regions.at[rec.area, "name_zh"],
            "level": rec.level,
            "group": rec.group,
            "indicator": rec.indicator,
            "indicator_name": rec.name_zh,
            "unit": rec.unit,
            "attribute": rec.attribute,
            "target_year": rec.y,
            # a bare table number takes its header's unit (表2 "学前三年毛入园率(%)" 98 → 98%)
            "target_as_written": with_header_unit(rec.value_as_written, rec.name_in_source),
            "target": rec.value,
            "target_bound": rec.bound,
            "base_year": np.nan,
            "base_as_written": "",
            "base": np.nan,
            "years": np.nan,
            "required_rate": np.nan,
            "required_pp_per_year": np.nan,
            "status": "文件未给出基期",
            "latest_year": np.nan,
            "latest_as_written": "",
            "expected_at_latest": np.nan,
            "on_track": pd.NA,
            "source": rec.source,
            "locator": rec.locator,
        }
        at_base = base[base["y"] == base["y"].max()] if not base.empty else base
        if not at_base.empty and (at_base["value_type"] != "基期").all() and at_base["value"].nunique() > 1:
            row["status"] = "基期数值不一致（" + "、".join(at_base["value_as_written"]) + "），未计算所需增速"
            rows.append(row)
            continue
        if not base.empty:
            b = base.iloc[-1]
            years = rec.y - int(b["y"])
            rising = rec.value >= b["value"]
            row.update(
                base_year=int(b["y"]),
                base_as_written=with_header_unit(b["value_as_written"], b["name_in_source"]),
                base=b["value"],
                years=years,
            )
            if _meets(b["value"], rec.value, rec.bound, rising) and (b["value"] != rec.value or rec.bound != "exact"):
                row["status"] = "基期已达到目标"
            elif b["value"] == rec.value:
                row["status"] = "保持基期水平"
            elif rec.unit == "%":
                pp = (rec.value - b["value"]) / years
                row["required_pp_per_year"] = pp
                row["status"] = f"需年均{'提高' if pp > 0 else '降低'} {abs(pp):.2f} 个百分点"
            elif b["value"] > 0 and rec.value > 0:
                rate = required_rate(b["value"], rec.value, years)
                row["required_rate"] = rate
                row["status"] = f"需年均{'增长' if rate > 0 else '下降'} {abs(rate) * 100:.2f}%"
            later = same[(same["value_type"] == "实际") & (same["y"] > int(b["y"])) & (same["y"] <= rec.y)]
            if not later.empty:
                last = later.sort_values("y").iloc[-1]
                elapsed = int(last["y"]) - int(b["y"])
                expected = b["value"] + (rec.value - b["value"]) * elapsed / years
                row.update(
                    latest_year=int(last["y"]),
                    latest_as_written=with_header_unit(last["value_as_written"], last["name_in_source"]),
                    expected_at_latest=expected,
                    on_track=judge(last["value"], ">=" if rising else "<=", expected).met,
                )
        rows.append(row)
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)
