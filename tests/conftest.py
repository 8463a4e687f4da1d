"""Shared fixtures: small, hand-computable inputs; figures closed after every test."""

from __future__ import annotations

import hashlib

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from eduanalysis import paths


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def project_root():
    return paths.PROJECT_ROOT


@pytest.fixture
def worked_example() -> pd.DataFrame:
    """The published worked example of the difference coefficient (5 primary schools).

    Source: 县域义务教育校际均衡指标计算方法(以生均图书册数为例), as quoted in
    shared/reference/standards.md §1 (students and books per school).
    """
    return pd.DataFrame(
        {
            "school": ["小学1", "小学2", "小学3", "小学4", "小学5"],
            "students": [45, 37, 89, 76, 55],
            "books": [279, 137, 935, 160, 402],
        }
    )


#: how the browser tests start Debian's chromium: no sandbox (root), no GPU, and none of the
#: background connections this machine's closed network refuses
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def run_cli(*args, cwd, env=None, timeout=900):
    """Run ``python -m eduanalysis`` in a subprocess (the CWD must not matter)."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "eduanalysis", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.fixture(scope="session")
def rendered_reports(tmp_path_factory):
    """One full batch of every report, rendered once and shared by the end-to-end tests."""
    out = tmp_path_factory.mktemp("reports")
    cwd = tmp_path_factory.mktemp("elsewhere")
    result = run_cli("batch", "--output-dir", str(out), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory):
    """A copy of the project's data with the synthetic multi-district region of
    ``tests/fixtures/demo_region`` added; returns (root, env) for ``run_cli``."""
    import os
    import shutil

    root = tmp_path_factory.mktemp("demo_project")
    fixture = paths.PROJECT_ROOT / "tests" / "fixtures" / "demo_region"
    shutil.copytree(paths.DATA_RAW, root / "data" / "raw")
    shutil.copytree(paths.NOTEBOOKS_DIR, root / "notebooks")
    shutil.copytree(fixture / "documents", root / "documents")
    for name in ("regions.csv", "sources.csv"):
        with open(root / "data" / "raw" / name, "a", encoding="utf-8") as fh:
            fh.write((fixture / name).read_text(encoding="utf-8"))
    shutil.copy(fixture / "figures.csv", root / "data" / "raw" / "figures" / "demo_city.csv")
    # the seeds' text copies are addressed relative to the project root (../shared/seeds)
    (root.parent / "shared").mkdir(exist_ok=True)
    seeds = paths.PROJECT_ROOT.parent / "shared" / "seeds"
    if seeds.is_dir() and not (root.parent / "shared" / "seeds").exists():
        (root.parent / "shared" / "seeds").symlink_to(seeds)
    env = {**os.environ, "EDUANALYSIS_ROOT": str(root)}
    return root, env


def html_tables(page: str) -> list[list[list[str]]]:
    """Every ``<table>`` of a page as rows of cell texts (header row first)."""
    from html.parser import HTMLParser

    class _Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self._row, self._cell = [], None, None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tr" and self.tables:
                self._row = []
                self.tables[-1].append(self._row)
            elif tag in ("td", "th") and self._row is not None:
                self._cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self._cell is not None:
                self._row.append("".join(self._cell).strip())
                self._cell = None

        def handle_data(self, data):
            if self._cell is not None:
                self._cell.append(data)

    parser = _Tables()
    parser.feed(page)
    return [t for t in parser.tables if t]


def tree_digest(folder) -> str:
    """SHA-256 over every file below ``folder`` (relative path and bytes): equal iff unchanged."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cjk_pdf(path, pages: list[list[str]], *, table: list[list[str]] | None = None) -> None:
    """A PDF whose text layer says exactly ``pages`` (one string per printed line).

    Drawn with reportlab's built-in CID font STSong-Light.  A ToUnicode map is added (with
    pypdf) that maps each glyph to the character written, as real PDFs do: Word/WPS exports
    often map the glyph of 小 to the Kangxi radical ⼩, which is the trap the reader folds.
    Without it pdfminer would map every CID back through Adobe-GB1 and hide the trap.
    """
    from pdfminer.cmapdb import CMapDB
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    draft = path.with_suffix(".draft.pdf")
    c = canvas.Canvas(str(draft), pagesize=(420, 600))
    c.setTitle("某市教育事业发展规划")
    chars = set()
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, text in enumerate(lines):
            c.drawString(40, 560 - 20 * i, text)
            chars |= set(text)
        if table:
            y = 560 - 20 * len(lines) - 30
            for r, row in enumerate(table):
                for k, cell in enumerate(row):
                    c.rect(40 + 110 * k, y - 20 * r - 5, 110, 20)
                    c.drawString(45 + 110 * k, y - 20 * r, cell)
                    chars |= set(cell)
            table = None  # one table, on the first page
        c.showPage()
    c.save()
    ucs2 = CMapDB.get_cmap("UniGB-UCS2-H")
    pairs = sorted({(next(iter(ucs2.decode(ch.encode("utf-16-be")))), ch) for ch in chars})
    assert len({cid for cid, _ in pairs}) == len(pairs), "two characters of the fixture share a glyph"
    cmap = "\n".join(
        [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
            f"{len(pairs)} beginbfchar",
            *[f"<{cid:04X}> <{ord(ch):04X}>" for cid, ch in pairs],
            "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end",
        ]
    )
    writer = PdfWriter(clone_from=str(draft))
    stream = StreamObject()
    stream.set_data(cmap.encode("ascii"))
    ref = writer._add_object(stream)
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            if font.get_object()["/Subtype"] == "/Type0":
                font.get_object()[NameObject("/ToUnicode")] = ref
    writer.write(str(path))


# 2017 primary thresholds (standards.md §3): per 100 students 4.2, 1.0, 0.9; per student
# 4.5 ㎡, 7.5 ㎡, 2000 元; 2.3 rooms per 100 students.  A school of 100 students with
# these amounts meets every threshold exactly or with room to spare.
COMPLIANT_PRIMARY_100 = {
    "level": "小学",
    "enrolment": 100,
    "qualified_teachers": 5,
    "key_teachers": 1,
    "pe_art_teachers": 1,
    "teaching_aux_area": 450.0,
    "sports_area": 750.0,
    "equipment_value": 200000,
    "multimedia_rooms": 3,
}
