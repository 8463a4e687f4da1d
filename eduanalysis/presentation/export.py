"""Exports of a region's report for people who work in Excel: one ``.xlsx`` workbook.

The workbook holds the same tables the report shows, with the same Chinese wording
(:mod:`eduanalysis.presentation.labels`) plus the raw numbers for re-use: 判定 (every
finding), 数据核对 (the audit), 规划目标 (plan targets) and 全部数据 (every transcribed
figure with its document and our CSV row).  It is written next to the HTML report.

A batch also writes one workbook for all regions, ``findings.xlsx`` (every region's 判定
sheet, one after another, with the region named in each row), from the findings each
report's own run saved (:func:`write_region_outputs`), so no region is judged twice.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from ..data.sources import citation
from ..fileio import atomic_write_bytes
from .labels import limit_label, margin_label, shortfall_label, value_label, verdict_label

__all__ = ["findings_sheet", "write_findings_workbook", "write_region_outputs", "write_workbook"]


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
            "数据文件行（供维护者核对）": table["rows"],
        }
    )


def _tables(region: str, report=None) -> dict[str, pd.DataFrame]:
    """``region``'s findings, audit, targets and figures: a report's (already computed), or computed now."""
    if report is not None:
        targets = report.targets.drop(columns=["area_label"], errors="ignore")  # a display column of the report
        return {"findings": report.findings, "audit": report.audit, "targets": targets, "figures": report.figures}
    from ..data.figures import require_figures
    from ..judgement.findings import findings, region_audit
    from ..judgement.targets import plan_targets

    return {
        "findings": findings(region),
        "audit": region_audit(region),
        "targets": plan_targets(region),
        "figures": require_figures(region),
    }


def write_workbook(region: str, path: str | Path, *, report=None) -> Path:
    """Write ``region``'s findings, audit, plan targets and figures to one ``.xlsx`` file.

    ``report`` (a :class:`~eduanalysis.presentation.city.CityReport` of ``region``) lends
    the tables it has already computed; without it they are computed here.
    """
    tables = _tables(region, report)
    _write_sheets(path, _region_sheets(tables))
    return Path(path)


def write_region_outputs(
    region: str, xlsx: str | Path, summary: str | Path, findings_csv: str | Path, *, report=None
) -> None:
    """What a batch keeps of one region's report besides its page, from one set of tables.

    ``xlsx``: the region's workbook (:func:`write_workbook`); ``summary``: the index's
    summary of it as JSON (:func:`eduanalysis.presentation.index.region_summary`);
    ``findings_csv``: its 判定 sheet with the region named, for ``findings.xlsx``.  Run in
    the report's own kernel with its ``report``, nothing is judged a second time.
    """
    from ..fileio import atomic_write_text
    from .index import region_summary

    tables = _tables(region, report)
    _write_sheets(xlsx, _region_sheets(tables))
    made = region_summary(region, tables["findings"], tables["audit"], tables["figures"])
    atomic_write_text(Path(summary), json.dumps(made, ensure_ascii=False, sort_keys=True))
    sheet = findings_sheet(tables["findings"])
    sheet.insert(0, "地区", _region_name(region))
    atomic_write_text(Path(findings_csv), sheet.to_csv(index=False, lineterminator="\n"))


def _region_name(region: str) -> str:
    from ..data.regions import get_region

    return get_region(region)["name_zh"]


def write_findings_workbook(csv_files: list[Path], path: str | Path) -> Path | None:
    """One workbook of every region's findings (the CSVs :func:`write_region_outputs` saved).

    Files that do not exist are left out (a report that failed before saving them); with
    none at all nothing is written and ``None`` is returned.
    """
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in csv_files if Path(f).exists()]
    if not frames:
        return None
    _write_sheets(path, {"判定": pd.concat(frames, ignore_index=True)})
    return Path(path)


def _region_sheets(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    figures, audit, targets = tables["figures"], tables["audit"], tables["targets"]
    return {
        "判定": findings_sheet(tables["findings"]),
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
                "出处文件": figures["source"].map({s: citation(s) for s in figures["source"].unique()}),
                "出处位置": figures["locator"],
                "数据文件行（供维护者核对）": figures["file_region"] + ".csv:" + figures["row"].astype(str),
            }
        ),
    }


def _write_sheets(path: str | Path, sheets: dict[str, pd.DataFrame]) -> None:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column[:200])
                sheet.column_dimensions[column[0].column_letter].width = min(max(8, width * 1.6), 60)
    atomic_write_bytes(Path(path), buffer.getvalue())
