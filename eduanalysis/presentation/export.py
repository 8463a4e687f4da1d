"""Exports of a region's report for people who work in Excel: one ``.xlsx`` workbook.

The workbook holds the same tables the report shows, with the same Chinese wording
(:mod:`eduanalysis.presentation.labels`) plus the raw numbers for re-use: 判定 (every
finding), 数据核对 (the audit), 规划目标 (plan targets) and 全部数据 (every transcribed
figure with its document and our CSV row).  It is written next to the HTML report.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ..data.sources import citation
from ..fileio import atomic_write_bytes
from .labels import limit_label, margin_label, shortfall_label, value_label, verdict_label

__all__ = ["findings_sheet", "write_workbook"]


def findings_sheet(table: pd.DataFrame) -> pd.DataFrame:
    """Findings with Chinese headers: the worded columns a reader sees, then the numbers."""
    if table.empty:
        return pd.DataFrame(columns=["区县", "学段", "年份", "指标", "判定"])
    return pd.DataFrame(
        {
            "区县": table["area_name"],
            "学段": table["level"],
            "口径": table["group"],
            "年份": table["year"],
            "指标": table["indicator_name"],
            "文件数值": table["value_as_written"],
            "依据": table["basis"],
            "比较值": [value_label(r) for _, r in table.iterrows()],
            "标准": [limit_label(r) for _, r in table.iterrows()],
            "判定": [verdict_label(r) for _, r in table.iterrows()],
            "差距": [margin_label(r) for _, r in table.iterrows()],
            "缺口": [shortfall_label(r) for _, r in table.iterrows()],
            "说明": (table["reason"] + "；" + table["note"]).str.strip("；"),
            "标准出处": table["standard_source"],
            "标准施行年份": table["standard_year"],
            "标准核对状态": table["standard_status"],
            "适用性": table["applicability"],
            "出处文件": table["citations"],
            "出处位置": table["locators"],
            "判定（代码）": table["verdict"],
            "比较值下限": table["compared_low"],
            "比较值上限": table["compared_high"],
            "标准值": table["limit"],
            "标准上限": table["limit_high"],
            "差距（数值）": table["margin"],
            "缺口（数值）": table["shortfall"],
            "缺口单位": table["shortfall_unit"],
            "指标代码": table["indicator"],
            "数据行": table["rows"],
        }
    )


def write_workbook(region: str, path: str | Path) -> Path:
    """Write ``region``'s findings, audit, plan targets and figures to one ``.xlsx`` file."""
    from ..data.figures import require_figures
    from ..judgement.findings import findings, region_audit
    from ..judgement.targets import plan_targets

    path = Path(path)
    figures = require_figures(region)
    audit = region_audit(region)
    targets = plan_targets(region)
    sheets = {
        "判定": findings_sheet(findings(region)),
        "数据核对": pd.DataFrame(
            {
                "结论": audit.get("verdict", pd.Series(dtype=str)),
                "核对内容": audit.get("description", pd.Series(dtype=str)),
                "年份": audit.get("year", pd.Series(dtype=str)),
                "文件所述": audit.get("stated", pd.Series(dtype=str)),
                "对照": audit.get("compared_text", pd.Series(dtype=str)),
                "说明": audit.get("explanation", pd.Series(dtype=str)),
                "依据": audit.get("inputs_zh", pd.Series(dtype=str)),
            }
        ),
        "规划目标": targets.rename(
            columns={
                "area_name": "区县",
                "level": "学段",
                "indicator_name": "指标",
                "target_year": "目标年份",
                "target_as_written": "目标",
                "base_year": "基期年份",
                "base_as_written": "基期",
                "status": "所需变化",
                "required_rate": "所需年均增速",
                "required_pp_per_year": "所需年均提高（个百分点）",
            }
        ),
        "全部数据": pd.DataFrame(
            {
                "区县": figures["area"],
                "年份": figures["year"],
                "学段": figures["level"],
                "口径": figures["group"],
                "指标": figures["name_zh"],
                "文件表述": figures["name_in_source"],
                "文件数值": figures["value_as_written"],
                "数值": figures["value"],
                "单位": figures["unit"],
                "类型": figures["value_type"],
                "出处文件": figures["source"].map(citation),
                "出处位置": figures["locator"],
                "数据行": figures["file_region"] + ".csv:" + figures["row"].astype(str),
            }
        ),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column[:200])
                sheet.column_dimensions[column[0].column_letter].width = min(max(8, width * 1.6), 60)
    atomic_write_bytes(path, buffer.getvalue())
    return path
