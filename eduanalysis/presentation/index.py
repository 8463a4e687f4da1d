"""``index.html``: the page that links every report of an output folder (offline, Chinese)."""

from __future__ import annotations

import html
from pathlib import Path

__all__ = ["index_html"]

MANIFEST = "manifest.json"

_STATUS_ZH = {"ok": "成功", "skipped": "未变化（沿用）", "failed": "失败"}


def index_html(manifest: dict, output_dir: Path) -> str:
    """The index page: every report of ``manifest`` with its status and time (offline, Chinese).

    ``output_dir`` is where the reports are (a failed render links the previous good page)."""
    rows = []
    order = {"city": 0, "balance": 1, "cross_city": 2}
    reports = sorted(manifest["reports"].values(), key=lambda r: (order.get(r.get("kind"), 9), r["name"]))
    for rec in reports:
        status = rec.get("status", "")
        # a failed render keeps the previous good report, so link whatever HTML exists
        has_html = (output_dir / rec.get("html", "")).exists()
        title = html.escape(rec["title"])
        link = f'<a href="{html.escape(rec["html"])}">{title}</a>' if has_html else title
        error = html.escape(rec.get("error") or rec.get("note") or "")
        when = html.escape(rec.get("finished_at") or rec.get("started_at") or "")
        took = "" if rec.get("duration_s") is None else f"{rec['duration_s']:.1f} 秒"
        rows.append(
            f'<tr class="{html.escape(status)}"><td>{link}</td>'
            f"<td>{html.escape(_STATUS_ZH.get(status, status))}</td>"
            f"<td>{when}</td><td>{took}</td><td>{error}</td></tr>"
        )
    page = f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>教育评价分析报告目录</title>
<style>
body {{ font-family: "EA Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 1000px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .4em .6em; text-align: left; }}
tr.failed td {{ color: #c44d2f; }}
footer {{ margin-top: 2em; font-size: .85em; color: #555; }}
</style>
</head>
<body>
<h1>教育评价分析报告目录</h1>
<p>共 {len(reports)} 份报告。成功 {manifest["summary"].get("ok", 0)}，沿用
{manifest["summary"].get("skipped", 0)}，失败 {manifest["summary"].get("failed", 0)}（本次运行）。</p>
<table>
<thead><tr><th>报告</th><th>状态</th><th>完成时间（UTC）</th><th>用时</th><th>说明</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<footer>生成时间 {html.escape(manifest["generated_at"])}
· eduanalysis {html.escape(manifest["package_version"])}
· 机器可读清单见 <a href="{MANIFEST}">{MANIFEST}</a></footer>
</body>
</html>
"""
    return page
