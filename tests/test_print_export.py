"""Print and export from the offline report (issue #12, item 6).

Every report prints on A4 (``@page``), no heading is left alone at the foot of a page, table
rows are not split, collapsed tables print opened; every table carries a "下载 CSV" link that
works from the file with no server and no script.  Checked in the HTML of the shared batch
(``rendered_reports``) and in Debian's chromium: ``page.pdf(format="A4")`` read back with
pypdf, and a real click on a download link.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
from html.parser import HTMLParser

import pandas as pd
import pytest
from conftest import BROWSER_ARGS

from eduanalysis.running.jobs import plan_jobs

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("rendered_reports")]

CHROMIUM = shutil.which("chromium")
PAGES = [j.name for j in plan_jobs()]
A4_PT = (595.28, 841.89)  # 210 × 297 mm in PostScript points
LONGEST = "wuhai"  # the report that printed on 32 US Letter pages


class _Tables(HTMLParser):
    """Report tables (class ea-table): header cells, body rows, the CSV link after each, and
    the texts inside collapsed <details>."""

    def __init__(self, page: str):
        super().__init__()
        self.tables: list[dict] = []
        self.collapsed_texts: list[str] = []
        self._cell = self._row = None
        self._details = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details":
            self._details += 1
        elif tag == "table" and "ea-table" in (attrs.get("class") or ""):
            self.tables.append({"head": [], "rows": [], "csv": None, "collapsed": self._details > 0})
        elif tag == "tr" and self.tables and self.tables[-1]["csv"] is None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a" and "ea-csv" in (attrs.get("class") or "") and self.tables:
            self.tables[-1]["csv"] = attrs

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if not table["head"]:
                table["head"] = self._row
            else:
                table["rows"].append(self._row)
            self._row = None
        elif tag == "details":
            self._details -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
            if self._details and data.strip():
                self.collapsed_texts.append(data.strip())


def _csv(link: dict) -> pd.DataFrame:
    head, data = link["href"].split(",", 1)
    assert head == "data:text/csv;charset=utf-8;base64"
    raw = base64.b64decode(data)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark (Excel)"
    return pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), dtype=str, keep_default_na=False)


def _numbers(text: str) -> list[tuple[float, float]]:
    """The values a number as shown can stand for ("150,438", "−0.125"; "85%" is 85 or 0.85,
    by "{:.0f}%" or "{:.0%}"), each with half its last shown digit."""
    plain = text.replace(",", "").replace("\u2212", "-").strip()
    scales = [1.0]
    if plain.endswith("%"):
        plain, scales = plain[:-1], [1.0, 0.01]
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    return [(float(plain) * s, 0.5 * 10.0**-decimals * s + 1e-12) for s in scales]


def _assert_same_table(frame: pd.DataFrame, table: dict, where: str) -> None:
    """The CSV holds the table's cells: text as shown, numbers unrounded (— is empty)."""
    assert list(frame.columns) == table["head"], where
    assert len(frame) == len(table["rows"]), where
    for j, column in enumerate(frame.columns):
        written, shown = frame[column].tolist(), [row[j] for row in table["rows"]]
        if written == shown:
            continue
        for value, cell in zip(written, shown):
            if cell == "—":
                assert value in ("", "—"), (where, column, value)
                continue
            assert any(abs(float(value) - n) <= tol for n, tol in _numbers(cell)), (where, column, value, cell)


@pytest.mark.parametrize("name", PAGES)
def test_print_stylesheet_and_a_csv_link_for_every_table(rendered_reports, name):
    page = (rendered_reports / f"{name}.html").read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:", page)
    print_css = page[page.index("@media print") :]
    assert re.search(r"h1, h2, h3[^{]*\{\s*break-after: avoid", print_css)
    assert re.search(r"tr, td, th[^{]*\{\s*break-inside: avoid", print_css)
    assert "details::details-content { content-visibility: visible" in print_css
    assert 'addEventListener("beforeprint"' in page and not re.search(r"<script[^>]*\bsrc=", page)
    tables = _Tables(page).tables
    assert tables, name
    for table in tables:
        link = table["csv"]
        assert link is not None and link["download"].endswith(".csv"), (name, table["head"])
        _assert_same_table(_csv(link), table, f"{name}: {link['download']}")


HEADING_PT = 14.0  # h1/h2 print at 18 pt and more, body text at 10.5 pt, tables at 8 pt


def _bottom_line(sheet) -> list[tuple[float, str]]:
    """(font size in pt, text) of the chunks on the lowest line of a PDF page."""
    chunks = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]  # page coordinates: text matrix, then CTM
            chunks.append((y, size * abs(tm[3] * cm[3]), text.strip()))

    sheet.extract_text(visitor_text=visit)
    low = min(y for y, _, _ in chunks)
    return [(round(size, 1), text) for y, size, text in chunks if y - low < 2]


def _browser(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed here (.ci/run installs it)",
)


@needs_chromium
def test_the_longest_report_prints_on_a4_with_collapsed_tables_opened(rendered_reports, tmp_path):
    import pypdf
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium missing on CI: .ci/run must install it"
    path = rendered_reports / f"{LONGEST}.html"
    parsed = _Tables(path.read_text(encoding="utf-8"))
    hidden = parsed.collapsed_texts
    assert hidden, "the report has a collapsed table (the data appendix)"
    # a text of the last collapsed row: printed only if the <details> is opened
    probe = next(t for t in reversed(hidden) if len(t) >= 6 and re.search(r"[\u4e00-\u9fff]", t))
    with sync_playwright() as pw:
        browser = _browser(pw)
        try:
            texts = {}
            for script in (True, False):  # the beforeprint handler, and print.css alone
                context = browser.new_context(offline=True, java_script_enabled=script)
                page = context.new_page()
                page.goto(path.as_uri(), wait_until="load")
                page.evaluate("document.fonts.ready") if script else None
                assert page.locator("details[open]").count() == 0
                # the page's own @page rule gives A4 (a browser's print dialog follows it)...
                own = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages[0].mediabox
                assert all(abs(float(a) - b) < 1.5 for a, b in zip((own.width, own.height), A4_PT)), own
                # ...and the report prints on A4 as the brief's page.pdf(format="A4")
                pdf = page.pdf(format="A4")
                (tmp_path / f"{LONGEST}-{script}.pdf").write_bytes(pdf)
                reader = pypdf.PdfReader(io.BytesIO(pdf))
                for number, sheet in enumerate(reader.pages):
                    size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
                    assert all(abs(a - b) < 1.5 for a, b in zip(size, A4_PT)), (number, size)
                texts[script] = [re.sub(r"\s+", "", p.extract_text()) for p in reader.pages]
                if script:
                    # in the browser the tables stay collapsed after printing
                    assert page.locator("details[open]").count() == 0
                    page.emulate_media(media="print")
                    split = page.evaluate(
                        "[...document.querySelectorAll('table.ea-table tr')]"
                        ".filter(r => getComputedStyle(r).breakInside !== 'avoid').length"
                    )
                    assert split == 0
                context.close()
        finally:
            browser.close()
    for script, pages in texts.items():
        assert any(re.sub(r"\s+", "", probe) in p for p in pages), (script, probe)
    # no heading ends a page: the bottom line of every page but the last is not heading-sized
    reader = pypdf.PdfReader(tmp_path / f"{LONGEST}-True.pdf")
    pages = texts[True]
    for number, sheet in enumerate(reader.pages[:-1]):
        bottom = _bottom_line(sheet)
        assert not all(size >= HEADING_PT for size, _ in bottom), f"page {number + 1} ends with a heading: {bottom}"
    print(f"{LONGEST}: {len(pages)} A4 pages")


@needs_chromium
def test_a_table_downloads_as_csv_from_the_offline_page(rendered_reports, tmp_path):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium missing on CI: .ci/run must install it"
    path = rendered_reports / f"{LONGEST}.html"
    tables = _Tables(path.read_text(encoding="utf-8")).tables
    with sync_playwright() as pw:
        browser = _browser(pw)
        try:
            context = browser.new_context(offline=True, accept_downloads=True)
            requests = []
            context.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else (
                    requests.append(r.request.url), r.abort()),
            )  # fmt: skip
            page = context.new_page()
            page.goto(path.as_uri(), wait_until="load")
            for index in (0, len(tables) - 1):  # the first table, and the last (collapsed) one
                table = tables[index]
                link = page.locator("a.ea-csv").nth(index)
                if table["collapsed"]:
                    link.locator("xpath=ancestor::details[1]/summary").click()
                with page.expect_download() as download:
                    link.click()
                assert download.value.suggested_filename == table["csv"]["download"]
                saved = tmp_path / f"table{index}.csv"
                download.value.save_as(saved)
                raw = saved.read_bytes()
                assert raw.startswith(b"\xef\xbb\xbf")
                frame = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), dtype=str, keep_default_na=False)
                _assert_same_table(frame, table, saved.name)
            assert requests == []
            context.close()
        finally:
            browser.close()
