"""``index.html``: a dashboard of every report in an output folder (offline, Chinese).

One row per region's report, most in need of attention first: its data year and document
type, the counts of 未达标 (against standards that apply, then those only for reference),
数据存疑 and the audit's 不一致 (named), a note when its documents support few verdicts,
and its worst items.  The reader filters (a search box, 只看需关注, document type) and sorts
(click a column) with a little inline script; without script the page still lists
everything, sorted.  Then the cross-region comparison and the school-level balance
reports, with method examples (the published worked example, the synthetic demo county)
marked as such.  How the batch ran (status, times, errors) is at the bottom, for whoever
maintains it.

Each row comes from the region's *summary* (:func:`region_summary`), which the batch
takes from the report's own run (the same findings and audit tables the report shows), so
the index does not judge a hundred regions again; a record without one (an older
manifest) is summarised here.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

__all__ = ["FEW_VERDICTS", "index_html", "region_summary"]

MANIFEST = "manifest.json"
#: fewer verdicts (达标 or 未达标) than this and the index says the documents support few.
#: A reading aid of this project, not a rule: the documents are what they are.
FEW_VERDICTS = 5

_STATUS_ZH = {"ok": "成功", "skipped": "未变化（沿用）", "failed": "失败"}


def region_summary(region: str, findings: pd.DataFrame, audit: pd.DataFrame, figures: pd.DataFrame) -> dict:
    """What the index shows of one region, from the tables its report shows (JSON-ready).

    Keys: ``data_year`` (latest year an actual figure — 实际, not a target — states, or ``""``), ``doc_kinds`` (the
    registry's kinds of the documents its figures come from), ``counts`` (verdict counts
    against applicable and reference standards), ``doubt``, ``inconsistent`` (the audit's
    不一致 descriptions), ``verdicts`` (达标 + 未达标), ``few_verdicts`` and ``worst``
    (reader lines, largest shortfall first).
    """
    from ..data.sources import load_sources
    from .labels import level_name, limit_label, margin_label

    # the year of the data: actual figures (实际), not a plan's targets or a standard's year
    actual = figures[figures["value_type"] == "实际"] if "value_type" in figures else figures
    stated = actual.get("year", pd.Series(dtype=str)).astype(str)
    years = [int(y) for text in stated for y in re.findall(r"\d{4}", text)]
    registry = load_sources()
    used = [s for s in dict.fromkeys(figures.get("source", pd.Series(dtype=str))) if s in registry.index]
    kinds = list(dict.fromkeys(registry.loc[used, "kind"])) if used else []

    def counts(part: pd.DataFrame) -> dict:
        return {v: int((part["verdict"] == v).sum()) for v in ("未达标", "数据存疑", "无法判定", "达标")}

    failing = findings[findings["verdict"] == "未达标"]
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
                f"{r['value_as_written']}（文件自述）"
                if r["basis"] == "文件自述"
                else f"{r['value_as_written']}，标准 {limit_label(r)}，差距 {margin_label(r)}"
            )
            year = f"{r['year']} 年" if r["year"] else ""
            worst.append(f"{where}{year}{level_name(r['level'], r['indicator_name'])}{ref}：{what}")
    doubt = findings[findings["verdict"] == "数据存疑"]
    for _, r in doubt.head(2).iterrows():
        year = f"{r['year']} 年" if r["year"] else ""
        worst.append(f"数据存疑：{year}{r['indicator_name']}")
    bad = audit[audit["verdict"] == "不一致"] if len(audit) else audit
    verdicts = int(findings["verdict"].isin(["达标", "未达标"]).sum())
    return {
        "data_year": str(max(years)) if years else "",
        "doc_kinds": kinds,
        "counts": {
            "适用": counts(findings[findings["applicability"] == "适用"]),
            "参照": counts(findings[findings["applicability"] == "参照"]),
        },
        "doubt": int(len(doubt)),
        "inconsistent": [str(d) for d in bad.get("description", pd.Series(dtype=str))],
        "verdicts": verdicts,
        "few_verdicts": verdicts < FEW_VERDICTS,
        "worst": worst,
    }


def _summary_of(rec: dict) -> dict | None:
    """The record's summary, or one made now for a good report of an older manifest.

    A failed report without one gets none (``None``): judging every region again in
    the batch process would make an interrupted batch of a hundred regions wait minutes
    for its index.  Otherwise raises what findings raise.
    """
    if isinstance(rec.get("summary"), dict):
        return rec["summary"]
    if rec.get("status") == "failed":
        return None
    from ..data.figures import require_figures
    from ..judgement.findings import findings, region_audit

    region = rec["parameters"].get("region", rec["name"])
    return region_summary(region, findings(region), region_audit(region), require_figures(region))


def _attention(summary: dict) -> tuple:
    """Sort key, most attention first: 未达标 (applicable), 数据存疑, 不一致, 未达标 (reference)."""
    c = summary["counts"]
    return (-c["适用"]["未达标"], -summary["doubt"], -len(summary["inconsistent"]), -c["参照"]["未达标"])


def _region_rows(cities: list[dict], output_dir: Path) -> tuple[str, list[str]]:
    rows, kinds = [], set()
    entries = []
    for rec in cities:
        try:
            summary = _summary_of(rec)
            entries.append((rec, summary, None if summary else "本次生成失败，没有可显示的判定。"))
        except Exception as exc:  # the row says so; the batch records why the report failed
            entries.append((rec, None, f"无法读取判定：{exc}"))
    entries.sort(key=lambda e: (e[1] is not None, _attention(e[1]) if e[1] else (), e[0]["name"]))
    for rank, (rec, s, error) in enumerate(entries):
        title = html.escape(rec["title"])
        link = f'<a href="{html.escape(rec["html"])}">{title}</a>' if (output_dir / rec["html"]).exists() else title
        failed = '<p class="err">本次生成失败，链接为上一次成功的报告。</p>' if rec.get("status") == "failed" else ""
        if s is None:
            rows.append(
                f'<tr data-rank="{rank}" data-attention="1" data-kind=""><td>{link}{failed}</td>'
                f'<td colspan="7" class="err">{html.escape(error or "")}</td></tr>'
            )
            continue
        kinds.update(s["doc_kinds"])
        c = s["counts"]
        attention = c["适用"]["未达标"] + s["doubt"] + len(s["inconsistent"]) + c["参照"]["未达标"]
        notes = []
        if s["few_verdicts"]:
            notes.append(f'<p class="few">文件可供判定的数据较少（{s["verdicts"]} 项达标或未达标判定）。</p>')
        if s["inconsistent"]:
            named = "".join(f"<li>{html.escape(d)}</li>" for d in s["inconsistent"])
            n_bad = len(s["inconsistent"])
            notes.append(f"<details><summary>数据核对不一致 {n_bad} 项</summary><ul>{named}</ul></details>")
        worst = "".join(f"<li>{html.escape(w)}</li>" for w in s["worst"])
        items = f"<ul>{worst}</ul>" if worst else "<p>没有未达标或存疑的项目。</p>"
        kind_text = "、".join(s["doc_kinds"])
        rows.append(
            f'<tr data-rank="{rank}" data-attention="{attention}" data-kind="{html.escape(kind_text)}">'
            f"<td>{link}{failed}</td><td>{html.escape(s['data_year']) or '—'}</td><td>{html.escape(kind_text)}</td>"
            f'<td class="num not-met">{c["适用"]["未达标"]}</td><td class="num">{c["参照"]["未达标"]}</td>'
            f'<td class="num doubt">{s["doubt"]}</td><td class="num">{len(s["inconsistent"])}</td>'
            f"<td>{items}{''.join(notes)}</td></tr>"
        )
    return "".join(rows), sorted(kinds)


def _example_label(rec: dict) -> str:
    from ..data.school_tables import school_table_info

    info = school_table_info(rec.get("parameters", {}).get("school_table", ""))
    return f"{info['kind']}：{info['note']}" if info["kind"] != "真实数据" else "真实数据"


# sorting and filtering of the region table; plain DOM, no library, works from a file
_SCRIPT = """
(function () {
  var table = document.getElementById("regions"); if (!table) return;
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var q = document.getElementById("q"), only = document.getElementById("only"), kind = document.getElementById("kind");
  function filter() {
    var text = q.value.trim(), k = kind.value;
    rows.forEach(function (r) {
      var show = (!text || r.textContent.indexOf(text) >= 0) && (!only.checked || r.dataset.attention !== "0")
        && (!k || r.dataset.kind.indexOf(k) >= 0);
      r.style.display = show ? "" : "none";
    });
  }
  [q, only, kind].forEach(function (el) {
    el.addEventListener("input", filter); el.addEventListener("change", filter);
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.dataset.dir !== "asc"; th.dataset.dir = asc ? "asc" : "desc";
      var key = function (r) {
        if (th.dataset.sort === "rank") return +r.dataset.rank;
        var t = r.cells[col] ? r.cells[col].textContent : ""; var n = parseFloat(t);
        return th.dataset.sort === "num" ? (isNaN(n) ? -1 : n) : t;
      };
      rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
"""


def index_html(manifest: dict, output_dir: Path) -> str:
    """The index page for ``manifest`` (reports in ``output_dir``; a failed render links
    the previous good page when there is one)."""
    reports = list(manifest["reports"].values())
    cities = [r for r in reports if r.get("kind") == "city"]
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

    region_rows, kinds = _region_rows(cities, output_dir)
    kind_options = "".join(f'<option value="{html.escape(k)}">{html.escape(k)}</option>' for k in kinds)
    cross_html = "".join(f"<li>{link(r)}</li>" for r in cross)
    balance_html = "".join(
        f"<li>{link(r)} <span class='tag'>{html.escape(_example_label(r))}</span></li>" for r in balance
    )
    other_html = "".join(f"<li>{link(r)}</li>" for r in other)
    workbook = (
        '<p>全部地区的判定汇总为一个 Excel 文件：<a href="findings.xlsx">findings.xlsx</a>'
        "（每个地区另有单独的文件）。</p>"
        if (output_dir / "findings.xlsx").exists()
        else ""
    )
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
    regions_section = (
        f"""<h2>地区报告（{len(cities)} 份）</h2>
<p>默认按需关注程度排列：先是对照适用标准未达标的项目多的，再看数据存疑、数据核对不一致和对照参照标准未达标的项目。
点击列名可重新排序。</p>
<p class="controls"><label>查找 <input id="q" type="search" placeholder="地区、指标……"></label>
<label><input id="only" type="checkbox"> 只看需关注</label>
<label>文件类型 <select id="kind"><option value="">全部</option>{kind_options}</select></label></p>
<table id="regions"><thead><tr><th data-sort="text">地区</th><th data-sort="text">数据年份</th>
<th data-sort="text">文件类型</th><th data-sort="num">未达标<br><small>适用标准</small></th>
<th data-sort="num">未达标<br><small>参照标准</small></th><th data-sort="num">数据存疑</th>
<th data-sort="num">核对不一致</th><th data-sort="rank">需关注的项目</th></tr></thead>
<tbody>{region_rows}</tbody></table>
{workbook}"""
        if cities
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>教育评价分析报告目录</title>
<style>
body {{ font-family: "EA Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 1200px; margin: 2em auto; color: #222; padding: 0 1em; }}
table {{ border-collapse: collapse; width: 100%; font-size: .88em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .3em .5em; text-align: left; vertical-align: top; }}
#regions th {{ cursor: pointer; background: #f6f8fa; position: sticky; top: 0; }}
#regions td ul {{ margin: 0; padding-left: 1.1em; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.not-met {{ color: #c44d2f; font-weight: bold; }} td.doubt {{ color: #9a6b00; }}
.few {{ color: #555; font-size: .92em; margin: .2em 0; }}
.controls label {{ margin-right: 1.2em; }}
input, select, button {{ font: inherit; }}
.tag {{ font-size: .85em; color: #555; border: 1px solid #ccc; border-radius: 1em; padding: 0 .5em; }}
.err {{ color: #c44d2f; }}
tr.failed td {{ color: #c44d2f; }}
details {{ margin-top: .3em; }}
body > details {{ margin-top: 2em; color: #444; }}
@media print {{ body > details, .controls {{ display: none; }} @page {{ size: A4 landscape; margin: 12mm; }} }}
</style>
</head>
<body>
<h1>教育评价分析报告目录</h1>
<p>每个地区一份报告（所辖区县在报告之内）。下表的计数来自各报告的判定表：“适用标准”是本地区应当达到的标准，
“参照标准”是为其他对象制定、只作参照的标准（如县域标准对照全市数值、单校标准对照平均值）；“数据存疑”为同一数据在文件中数值不一致、
对照结论不同，或超出合理范围；“核对不一致”为由文件中的组成部分重新计算与文件所述不符的项目。
达标或未达标的判定少于 {FEW_VERDICTS} 项的地区另有说明：这是本目录的提示，不是评价标准。</p>
{regions_section}
{f"<h2>地区对比</h2><ul>{cross_html}</ul>" if cross else ""}
{f"<h2>校际均衡分析</h2><ul>{balance_html}</ul>" if balance else ""}
{f"<h2>其他</h2><ul>{other_html}</ul>" if other else ""}
<details><summary>生成信息（{run}）</summary>
<table><thead><tr><th>报告</th><th>状态</th><th>完成时间（UTC）</th><th>用时</th><th>说明</th></tr></thead>
<tbody>{"".join(build_rows)}</tbody></table>
<p>{made} · 机器可读清单见 <a href="{MANIFEST}">{MANIFEST}</a></p>
</details>
<script>{_SCRIPT}</script>
</body>
</html>
"""
