"""End to end: the real CLI renders every report; the HTML keeps the design's promises.

One module-level batch run renders all reports (four cities, two balance reports, the
cross-city comparison) into a temporary folder; the tests then read the pages, and a
headless Chromium (Debian's package, driven by Playwright) opens each one from file://
with the network blocked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from eduanalysis import __version__, paths
from eduanalysis.data.provenance import file_sha256
from eduanalysis.running import execute_notebook, render_notebook

pytestmark = pytest.mark.e2e

CITIES = {"wuhai": "乌海市", "mudanjiang": "牡丹江市", "mianyang": "绵阳市", "yining": "伊宁市"}
PAGES = [*CITIES, "balance_synthetic_demo_county", "balance_worked_example_books", "cross_city"]
_EXTERNAL = re.compile(
    r"""(?:<script[^>]+src\s*=|<link[^>]+href\s*=|<img[^>]+src\s*=)\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import""",
    re.IGNORECASE,
)
CHROMIUM = shutil.which("chromium")


class _Page(HTMLParser):
    """Collects <img> attributes, element classes and ids (CSS text is ignored)."""

    def __init__(self, text: str):
        super().__init__()
        self.images: list[dict] = []
        self.classes: set[str] = set()
        self.class_lists: list[list[str]] = []
        self.ids: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        self.classes.update(classes)
        self.class_lists.append(classes)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "img":
            self.images.append(attrs)


def _cli(*args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "eduanalysis", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    cwd = tmp_path_factory.mktemp("elsewhere")  # the CWD must not matter
    result = _cli("batch", "--output-dir", str(out), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return out


def _read(out: Path, name: str) -> str:
    return (out / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_offline_chinese_and_codeless(rendered, name):
    page = _read(rendered, name)
    assert not _EXTERNAL.search(page), _EXTERNAL.search(page).group(0)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert '<html lang="zh">' in page
    parsed = _Page(page)
    code_cells = [c for c in parsed.class_lists if "jp-CodeCell" in c]
    assert code_cells and all("jp-mod-noInput" in c for c in code_cells)
    assert "jp-InputArea-editor" not in parsed.classes
    assert "报告来源与生成信息" in page and f"eduanalysis 版本 <code>{__version__}</code>" in page
    assert 'id="ea-embedded-font"' in page and "data:font/woff;base64," in page
    assert parsed.images and all(i["src"].startswith("data:image/png;base64,") and i.get("alt") for i in parsed.images)
    assert "Traceback" not in page and "Warning" not in page


@pytest.mark.parametrize("slug", list(CITIES))
def test_city_reports(rendered, slug):
    page = _read(rendered, slug)
    parsed = _Page(page)
    assert f"<title>{CITIES[slug]}教育评价分析报告</title>" in page
    assert "目录" in page and "sec-audit" in parsed.ids and "sec-appendix" in parsed.ids
    # every section the TOC links to exists in the page
    for anchor in re.findall(r'href="#(sec-[a-z]+)"', page):
        assert anchor in parsed.ids
    assert f"data/raw/figures/{slug}.csv" in page
    assert file_sha256(paths.FIGURES_DIR / f"{slug}.csv") in page
    assert file_sha256(paths.REGIONS_CSV) in page


def test_yining_numbers(rendered):
    page = _read(rendered, "yining")
    for written in ["122,064", "138,501", "145,654", "150,438"]:
        assert written in page
    # 2017→2018: 138501/122064 − 1 = 13.47 % (independent arithmetic on the seed figures)
    assert "13.47" in page and "逐年只增不减：达标" in page
    # composite recomputed from the eight primary coefficients: mean = 0.4754 (by hand)
    assert "0.4754" in page
    # audit finding: 38887 ÷ 106508 = 36.51 %, stated 78 %
    assert "36.51" in page and "不一致" in page
    # sections without data in the documents do not appear
    assert "sec-preschool" not in _Page(page).ids


def test_wuhai_sections(rendered):
    page = _read(rendered, "wuhai")
    ids = _Page(page).ids
    assert {"sec-summary", "sec-funding", "sec-balance", "sec-preschool", "sec-staffing", "sec-plan"} <= ids
    assert "1:211" in page and "95,927" in page  # counsellor ratio; teacher pay (seed 000)
    assert "所需年均增速" in page


def test_balance_and_cross_city(rendered):
    synthetic = _read(rendered, "balance_synthetic_demo_county")
    assert "合成示例数据，非真实学校" in synthetic
    assert "需补足" in synthetic and "不参评（教学点）" in synthetic
    worked = _read(rendered, "balance_worked_example_books")
    assert "0.5153" in worked  # published worked example: CV ≈ 0.515 (standards.md §1)
    assert "无法计算：缺少 7 项指标" in worked
    cross = _read(rendered, "cross_city")
    assert all(city in cross for city in CITIES.values())


def test_manifest_and_index(rendered):
    manifest = json.loads((rendered / "manifest.json").read_text(encoding="utf-8"))
    assert {n: r["status"] for n, r in manifest["reports"].items()} == {p: "ok" for p in PAGES}
    index = (rendered / "index.html").read_text(encoding="utf-8")
    for name in PAGES:
        assert f'href="{name}.html"' in index


def test_keep_code_flag(tmp_path):
    result = _cli("report", "yining", "--keep-code", "--output-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "yining.html").read_text(encoding="utf-8")
    assert "jp-InputArea-editor" in _Page(page).classes and "funding_section" in page


def test_unknown_region_exit_2_and_nothing_written(tmp_path):
    out = tmp_path / "out"
    result = _cli("report", "yining", "atlantis", "--output-dir", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown region 'atlantis'" in result.stderr
    for slug in CITIES:
        assert slug in result.stderr
    assert not out.exists()


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
def test_notebooks_run_top_to_bottom_with_defaults(notebook):
    nb = execute_notebook(paths.NOTEBOOKS_DIR / notebook, {}, timeout=300)
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error" or o.get("name") == "stderr"
    ]
    assert errors == []


@pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed here (.ci/run installs it)",
)
def test_pages_in_a_real_browser_with_the_network_blocked(rendered, tmp_path):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium missing on CI: .ci/run must install it"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            for name in [*PAGES, "index"]:
                context = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
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
                page.goto((rendered / f"{name}.html").as_uri(), wait_until="load")
                page.evaluate("document.fonts.ready")
                assert requests == [], (name, requests)
                assert errors == [], (name, errors)
                images = page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
                assert all(images), name
                assert re.search(r"[\u4e00-\u9fff]", page.title()), page.title()
                assert page.evaluate("document.fonts.check('16px \"EA Noto Sans SC\"', '教育')")
                shot = tmp_path / f"{name}.png"
                page.screenshot(path=str(shot), full_page=False)
                assert shot.stat().st_size > 10_000
                context.close()
        finally:
            browser.close()
