"""End to end: the real CLI renders every report; the HTML keeps the design's promises.

One batch (the session fixture ``rendered_reports``) renders all reports into a temporary
folder; the tests read the pages, and a headless Chromium (Debian's package, driven by
Playwright) opens each one from file:// with the network blocked.  The reports expected
are derived from the data present (``plan_jobs``), so adding a region adds its checks.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import BROWSER_ARGS, html_tables, run_cli

from eduanalysis import __version__, paths
from eduanalysis.data.provenance import file_sha256, region_inputs
from eduanalysis.data.regions import get_region
from eduanalysis.judgement.findings import findings
from eduanalysis.running import execute_notebook, notebook_parameters, plan_jobs, render_notebook

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("rendered_reports")]

JOBS = plan_jobs()
PAGES = [j.name for j in JOBS]
REGIONS = [j.name for j in JOBS if j.kind == "city"]
_EXTERNAL = re.compile(
    r"""(?:<script[^>]+src\s*=|<link[^>]+href\s*=|<img[^>]+src\s*=)\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import""",
    re.IGNORECASE,
)
_CODE_TOKENS = re.compile(r">=|<=|\bpart:|\bwhole:|ref_share|name_zh|\bNaN\b|\bnan\b|_per_student|\.txt\b")
CHROMIUM = shutil.which("chromium")


class _Page(HTMLParser):
    """Collects <img> attributes, element classes, ids and the visible text (not CSS/script)."""

    def __init__(self, text: str):
        super().__init__()
        self.images: list[dict] = []
        self.classes: set[str] = set()
        self.class_lists: list[list[str]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script"):
            self._skip += 1
        classes = (attrs.get("class") or "").split()
        self.classes.update(classes)
        self.class_lists.append(classes)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(self.text)


def _read(out: Path, name: str) -> str:
    return (out / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_offline_chinese_and_codeless(rendered_reports, name):
    page = _read(rendered_reports, name)
    assert not _EXTERNAL.search(page), _EXTERNAL.search(page).group(0)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert '<html lang="zh">' in page
    parsed = _Page(page)
    code_cells = [c for c in parsed.class_lists if "jp-CodeCell" in c]
    assert code_cells and all("jp-mod-noInput" in c for c in code_cells)
    assert "jp-InputArea-editor" not in parsed.classes
    assert "报告来源与生成信息" in page and f"eduanalysis 版本 <code>{__version__}</code>" in page
    assert 'id="ea-embedded-font"' in page and "data:font/woff;base64," in page
    assert all(i["src"].startswith("data:image/png;base64,") and i.get("alt") for i in parsed.images)
    assert "Traceback" not in page and "Warning" not in page


@pytest.mark.parametrize("slug", REGIONS)
def test_region_reports(rendered_reports, slug):
    page = _read(rendered_reports, slug)
    parsed = _Page(page)
    assert f"<title>{get_region(slug)['name_zh']}" in page
    assert "目录" in page and "sec-summary" in parsed.ids and "sec-appendix" in parsed.ids
    for anchor in re.findall(r'href="#(sec-[a-z]+)"', page):  # every section the TOC links to exists
        assert anchor in parsed.ids
    # the reader's view carries no programmer notation (the provenance footer lists file names)
    visible = parsed.visible.split("报告来源与生成信息")[0]
    assert not _CODE_TOKENS.search(visible), _CODE_TOKENS.search(visible).group(0)
    for path in region_inputs(slug):  # provenance: every input with its hash
        assert file_sha256(path) in page
    assert (rendered_reports / f"{slug}.xlsx").stat().st_size > 5000


@pytest.mark.parametrize("slug", REGIONS)
def test_the_summary_states_the_findings_first(rendered_reports, slug):
    page = _read(rendered_reports, slug)
    f = findings(slug)
    summary = page[page.index('id="sec-summary"') : page.index('class="ea-section"')]
    applied = f[f["applicability"] == "适用"]
    assert f"对照适用标准判定 {len(applied)} 项" in summary
    for verdict in ("达标", "未达标"):
        assert f"{verdict} <b>{int((applied['verdict'] == verdict).sum())}</b>" in summary
    year = f["year"].str[-4:].astype(int)
    latest = year == year.groupby([f["area"], f["level"], f["group"], f["indicator"]]).transform("max")
    for row in f[(f["verdict"] == "未达标") & (f["applicability"] == "适用") & latest].itertuples():
        assert row.indicator_name in summary  # what fails in its latest year, named on the first screen


def test_yining_numbers(rendered_reports):
    page = _read(rendered_reports, "yining")
    for written in ["122064 万元", "138501 万元", "145654 万元", "150438 万元"]:
        assert written in page
    # 2017→2018: 138501/122064 − 1 = 13.47 % (independent arithmetic on the seed figures)
    assert "13.47%" in page
    # composite recomputed from the eight primary coefficients: mean = 0.4754 (by hand)
    assert "0.4754" in page
    # audit finding: 38887 ÷ 106508 = 36.51 %, stated 78 %
    assert "36.51" in page and "不一致" in page
    # a section without data in the documents does not appear, and numbering has no gap
    parsed = _Page(page)
    assert "sec-preschool" not in parsed.ids and 'class="ea-section">学前教育普及普惠' not in page
    rows = [row for table in html_tables(page) for row in table]
    assert any(row[:2] == ["学前教育普及普惠", "文件未报告"] for row in rows)  # the coverage table says so
    # 城镇 / 农村 ratios keep their sub-population (not relabelled 全市)
    assert "小学（城镇）" in page and "初中（农村）" in page


def test_wuhai_sections(rendered_reports):
    page = _read(rendered_reports, "wuhai")
    ids = _Page(page).ids
    assert {"sec-summary", "sec-funding", "sec-balance", "sec-preschool", "sec-staffing", "sec-plan"} <= ids
    assert "1:211" in page and "需增加 2 人" in page  # counsellors: ceil(6335/200) − 30 = 2
    for district in ("海勃湾区", "乌达区", "海南区"):
        assert district in page
    assert "两份文件" in page or "不同数值" in page  # 51.2 % vs 50.8 %: 数据存疑


def test_balance_and_cross_region(rendered_reports):
    synthetic = _read(rendered_reports, "balance_synthetic_demo_county")
    assert "合成示例数据，非真实学校" in synthetic
    assert "需补足" in synthetic and "不参评（教学点）" in synthetic
    # 达标测算 (issue 15): the page's own numbers must add up — the saving it states is the naive plan's
    # total minus the least-cost plan's (arithmetic on the page, not the planner asked again), and the
    # least-cost plan costs no more than the naive one
    assert 'id="sec-plan"' in synthetic
    stated = re.search(
        r"最低成本方案共需 ([\d,.]+) ?万元，把每所学校每项都补足到标准值的做法需 ([\d,.]+) ?万元，"
        r"节省 ([\d,.]+) ?万元",
        synthetic,
    )
    assert stated, "the balance report states its plan's total, the naive total and the saving"
    least, naive, saving = (float(g.replace(",", "")) for g in stated.groups())
    assert least <= naive and saving == pytest.approx(naive - least, abs=0.11)  # each printed to 0.1 万元
    assert "全部达标" in synthetic and "data:application/zip;base64," in synthetic
    worked = _read(rendered_reports, "balance_worked_example_books")
    assert "0.5153" in worked  # published worked example: CV ≈ 0.515 (standards.md §1)
    assert "无法计算：缺少 7 项指标" in worked and "不测算达标所需投入" in worked
    # page 1 states the one result (CV 0.515) and names the table by its label, not its file;
    # the plan sections, empty here, are left out of the page
    summary = worked.split('id="sec-summary"')[1].split('id="sec-schools"')[0]
    assert "差异系数为 0.515" in summary and "数据文件" not in worked.split("报告来源与生成信息")[0]
    assert 'id="sec-schedule"' not in worked
    for page in (synthetic, worked):  # no programmer notation in what a reader sees
        visible = _Page(page).visible.split("报告来源与生成信息")[0]
        assert not _CODE_TOKENS.search(visible), _CODE_TOKENS.search(visible).group(0)
    cross = _read(rendered_reports, "cross_region")
    assert "四市" not in cross
    for slug in REGIONS:
        assert get_region(slug)["name_zh"] in cross
    # the same 乌海 figure as its own report: both 2020 values, marked
    assert "51.2%；50.8%" in cross


def test_manifest_and_index(rendered_reports):
    manifest = json.loads((rendered_reports / "manifest.json").read_text(encoding="utf-8"))
    assert {n: r["status"] for n, r in manifest["reports"].items()} == {p: "ok" for p in PAGES}
    index = (rendered_reports / "index.html").read_text(encoding="utf-8")
    for name in PAGES:
        assert f'href="{name}.html"' in index
    # a dashboard: real regions first, examples marked, build details at the end
    first_region = min(index.index(f'href="{s}.html"') for s in REGIONS)
    assert first_region < index.index("校际均衡分析") < index.index("生成信息")
    assert "方法示例：" in index and "合成示例：" in index and "synthetic_demo_county）" not in index


def test_keep_code_flag(tmp_path):
    result = run_cli("report", "yining", "--keep-code", "--output-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "yining.html").read_text(encoding="utf-8")
    assert "jp-InputArea-editor" in _Page(page).classes
    assert '<span class="n">report</span><span class="o">.</span><span class="n">funding</span>' in page


def test_unknown_region_exit_2_and_nothing_written(tmp_path):
    out = tmp_path / "out"
    result = run_cli("report", "yining", "atlantis", "--output-dir", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown region 'atlantis'" in result.stderr
    for slug in REGIONS:
        assert slug in result.stderr
    assert not out.exists()


def test_region_without_figures_exit_2_names_what_to_add(tmp_path):
    result = run_cli("report", "xian", "--output-dir", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    assert "region 'xian' (西安区) has no figures to report" in result.stderr
    assert "district=xian in data/raw/figures/mudanjiang.csv" in result.stderr
    assert not (tmp_path / "out").exists()


def test_region_names_are_accepted(tmp_path):
    assert [j.name for j in plan_jobs(["伊宁", "伊宁市", "Yining", "海勃湾区"])] == ["yining", "haibowan"]
    result = run_cli("findings", "伊宁", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "综合差异系数" in result.stdout


def test_user_text_is_escaped(tmp_path):
    table = tmp_path / "evil.csv"
    table.write_text(
        "学校名称,学段,在校生数,图书册数\n<script>alert(1)</script>,小学,100,2000\n第二小学,小学,200,5000\n",
        encoding="utf-8",
    )
    html_path = tmp_path / "evil.html"
    render_notebook(
        paths.NOTEBOOKS_DIR / "balance_report.ipynb",
        {"school_table": str(table), "region_label": "<b>某县</b>"},
        html_path,
        title="转义测试",
    )
    page = html_path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "<b>某县</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;某县&lt;/b&gt;" in page


@pytest.mark.parametrize("notebook", sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb")))
def test_notebooks_run_top_to_bottom_with_defaults(rendered_reports, notebook):
    """Each notebook ran with its default parameters in the batch: no error, nothing on stderr."""
    declared = {
        k: ast.literal_eval(v["default"]) for k, v in notebook_parameters(paths.NOTEBOOKS_DIR / notebook).items()
    }
    # the batch job whose parameters are all the notebook's defaults (the others take theirs);
    # a notebook no report uses (explore.ipynb, for researchers) is executed here
    job = next(
        (
            j
            for j in JOBS
            if Path(j.notebook).name == notebook and all(declared.get(k) == v for k, v in j.parameters.items())
        ),
        None,
    )
    if job is None:
        nb = execute_notebook(paths.NOTEBOOKS_DIR / notebook, {}, timeout=300)
    else:
        nb = nbformat.read(rendered_reports / "executed" / f"{job.name}.ipynb", as_version=4)
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error" or o.get("name") == "stderr"
    ]
    assert errors == []
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code" and c.source.strip())


@pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed here (.ci/run installs it)",
)
def test_pages_in_a_real_browser_with_the_network_blocked(rendered_reports, tmp_path):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium missing on CI: .ci/run must install it"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=BROWSER_ARGS,
        )
        try:
            for name in [*PAGES, "index"]:
                context = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
                requests, errors = [], []

                def route(r, requests=requests):
                    if r.request.url.startswith(("file:", "data:")):
                        r.continue_()
                    else:
                        requests.append(r.request.url)
                        r.abort()

                context.route("**/*", route)
                page = context.new_page()
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto((rendered_reports / f"{name}.html").as_uri(), wait_until="load")
                page.evaluate("document.fonts.ready")
                assert requests == [], (name, requests)
                assert errors == [], (name, errors)
                images = page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
                assert all(images), name
                assert re.search(r"[\u4e00-\u9fff]", page.title()), page.title()
                assert page.evaluate("document.fonts.check('16px \"EA Noto Sans SC\"', '教育')")
                if name in REGIONS:  # the summary is on the first screen (1280×800)
                    top = page.evaluate("document.getElementById('sec-summary').getBoundingClientRect().top")
                    assert top < 800, (name, top)
                shot = tmp_path / f"{name}.png"
                page.screenshot(path=str(shot), full_page=False)
                assert shot.stat().st_size > 10_000
                context.close()
        finally:
            browser.close()
