"""``index.html``: a dashboard of every report in an output folder (offline, Chinese).

For each region's report: the counts of 未达标, 数据存疑 and 不一致 (from the region's
findings and audit, the same tables its report shows) and its worst items; real regions
first, then the cross-region comparison, then school-level balance reports, with method
examples (the published worked example, the synthetic demo county) marked as such.  How
the batch ran (status, times, errors) is at the bottom, for whoever maintains it.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

__all__ = ["index_html"]

MANIFEST = "manifest.json"

_STATUS_ZH = {"ok": "成功", "skipped": "未变化（沿用）", "failed": "失败"}


def _region_card(rec: dict, output_dir: Path) -> str:
    from ..judgement.findings import findings, region_audit
    from .labels import level_name, limit_label, margin_label

    region = rec["parameters"].get("region", rec["name"])
    title = html.escape(rec["title"])
    has_html = (output_dir / rec.get("html", "")).exists()
    link = f'<a href="{html.escape(rec["html"])}">{title}</a>' if has_html else title
    try:
        f = findings(region)
        a = region_audit(region)
    except Exception as exc:  # the card says so; the batch records why the report failed
        return (
            f'<section class="card"><h3>{link}</h3><p class="err">无法读取判定：{html.escape(str(exc))}</p></section>'
        )
    applied = f[f["applicability"] == "适用"]
    reference = f[f["applicability"] == "参照"]
    failing = f[f["verdict"] == "未达标"]
    doubt = f[f["verdict"] == "数据存疑"]
    bad = a[a["verdict"] == "不一致"] if len(a) else a

    def tally(part: pd.DataFrame, label: str) -> str:
        cls = {"未达标": "not-met", "数据存疑": "doubt", "达标": "met"}
        items = "".join(
            f'<span class="n {cls.get(v, "")}">{v} <b>{int((part["verdict"] == v).sum())}</b></span>'
            for v in ("未达标", "数据存疑", "无法判定", "达标")
        )
        return f'<span class="group">{label}</span>{items}'

    counts = (
        tally(applied, "对照适用标准")
        + "<br>"
        + tally(reference, "对照参照标准")
        + f'<br><span class="group">数据核对</span><span class="n">不一致 <b>{len(bad)}</b></span>'
    )
    worst = []
    if len(failing):
        failing = failing.assign(
            _rel=failing["margin"] / failing["limit"].abs().replace(0, float("nan")),
            _ref=(failing["applicability"] != "适用").astype(int),
        ).sort_values(["_ref", "_rel"])
        for _, r in failing.head(3).iterrows():
            where = r["area_name"] if r["area"] != region else ""
            ref = "（参照）" if r["applicability"] == "参照" else ""
            what = (
                f"{html.escape(r['value_as_written'])}（文件自述）"
                if r["basis"] == "文件自述"
                else f"{html.escape(r['value_as_written'])}，标准 {html.escape(limit_label(r))}，"
                f"差距 {html.escape(margin_label(r))}"
            )
            worst.append(
                f"<li>{html.escape(where)}{html.escape(r['year'])} 年"
                f"{html.escape(level_name(r['level'], r['indicator_name']))}{ref}：{what}</li>"
            )
    for _, r in doubt.head(2).iterrows():
        worst.append(f"<li>数据存疑：{html.escape(r['year'])} 年{html.escape(r['indicator_name'])}</li>")
    items = f"<ul>{''.join(worst)}</ul>" if worst else "<p>没有未达标或存疑的项目。</p>"
    status = "" if rec.get("status") != "failed" else '<p class="err">本次生成失败，链接为上一次成功的报告。</p>'
    return f'<section class="card"><h3>{link}</h3><p>{counts}</p>{items}{status}</section>'


def _example_label(rec: dict) -> str:
    from ..data.school_tables import school_table_info

    info = school_table_info(rec.get("parameters", {}).get("school_table", ""))
    return f"{info['kind']}：{info['note']}" if info["kind"] != "真实数据" else "真实数据"


def index_html(manifest: dict, output_dir: Path) -> str:
    """The index page for ``manifest`` (reports in ``output_dir``; a failed render links
    the previous good page when there is one)."""
    reports = list(manifest["reports"].values())
    cities = sorted((r for r in reports if r.get("kind") == "city"), key=lambda r: r["name"])
    cross = [r for r in reports if r.get("kind") in ("cross_region", "cross_city")]
    balance = sorted(
        (r for r in reports if r.get("kind") == "balance"),
        key=lambda r: (_example_label(r) != "真实数据", r["name"]),
    )
    other = [r for r in reports if r not in cities + cross + balance]

    def link(rec: dict) -> str:
        title = html.escape(rec["title"])
        return (
            f'<a href="{html.escape(rec["html"])}">{title}</a>'
            if (output_dir / rec.get("html", "")).exists()
            else title
        )

    cards = "".join(_region_card(r, output_dir) for r in cities)
    cross_html = "".join(f"<li>{link(r)}</li>" for r in cross)
    balance_html = "".join(
        f"<li>{link(r)} <span class='tag'>{html.escape(_example_label(r))}</span></li>" for r in balance
    )
    other_html = "".join(f"<li>{link(r)}</li>" for r in other)
    build_rows = []
    for rec in sorted(reports, key=lambda r: r["name"]):
        took = "" if rec.get("duration_s") is None else f"{rec['duration_s']:.1f} 秒"
        build_rows.append(
            f'<tr class="{html.escape(rec.get("status", ""))}"><td>{html.escape(rec["title"])}</td>'
            f"<td>{html.escape(_STATUS_ZH.get(rec.get('status', ''), rec.get('status', '')))}</td>"
            f"<td>{html.escape(rec.get('finished_at') or rec.get('started_at') or '')}</td><td>{took}</td>"
            f"<td>{html.escape(rec.get('error') or rec.get('note') or '')}</td></tr>"
        )
    summary = manifest.get("summary", {})
    run = f"本次运行：成功 {summary.get('ok', 0)}，沿用 {summary.get('skipped', 0)}，失败 {summary.get('failed', 0)}"
    made = (
        f"生成时间 {html.escape(manifest.get('generated_at', ''))} · "
        f"eduanalysis {html.escape(manifest.get('package_version', ''))}"
    )
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>教育评价分析报告目录</title>
<style>
body {{ font-family: "EA Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 1040px; margin: 2em auto; color: #222; padding: 0 1em; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 1em; }}
.card {{ border: 1px solid #d0d7de; border-radius: 6px; padding: .4em 1em .6em; }}
.card h3 {{ margin: .4em 0; font-size: 1.05em; }}
.card ul {{ margin: .3em 0; padding-left: 1.2em; font-size: .92em; }}
.n {{ display: inline-block; margin-right: .8em; font-size: .92em; }}
.group {{ display: inline-block; width: 7.5em; color: #555; font-size: .88em; }}
.not-met b {{ color: #c44d2f; }} .doubt b {{ color: #9a6b00; }} .met b {{ color: #1d7a6f; }}
.tag {{ font-size: .85em; color: #555; border: 1px solid #ccc; border-radius: 1em; padding: 0 .5em; }}
.err {{ color: #c44d2f; }}
table {{ border-collapse: collapse; width: 100%; font-size: .85em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .3em .5em; text-align: left; vertical-align: top; }}
tr.failed td {{ color: #c44d2f; }}
details {{ margin-top: 2em; color: #444; }}
@media print {{ details {{ display: none; }} @page {{ size: A4; margin: 15mm; }} }}
</style>
</head>
<body>
<h1>教育评价分析报告目录</h1>
<p>每个地区一份报告（所辖区县在报告之内）。下列计数来自各报告的判定表：“对照适用标准”一行是本地区应当达到的标准，
“对照参照标准”一行是为其他对象制定、只作参照的标准（如县域标准对照全市数值、单校标准对照平均值）；“数据存疑”为同一数据在文件中数值不一致、
对照结论不同，或超出合理范围；“数据核对不一致”为由文件中的组成部分重新计算与文件所述不符的项目。</p>
<h2>地区报告</h2>
<div class="cards">{cards}</div>
{f"<h2>地区对比</h2><ul>{cross_html}</ul>" if cross else ""}
{f"<h2>校际均衡分析</h2><ul>{balance_html}</ul>" if balance else ""}
{f"<h2>其他</h2><ul>{other_html}</ul>" if other else ""}
<details><summary>生成信息（{run}）</summary>
<table><thead><tr><th>报告</th><th>状态</th><th>完成时间（UTC）</th><th>用时</th><th>说明</th></tr></thead>
<tbody>{"".join(build_rows)}</tbody></table>
<p>{made} · 机器可读清单见 <a href="{MANIFEST}">{MANIFEST}</a></p>
</details>
</body>
</html>
"""
