"""End to end: the real CLI renders 伊宁市's report; the HTML keeps the promises of the design.

Starts a real Jupyter kernel (a few seconds per render).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from eduanalysis import paths
from eduanalysis.provenance import file_sha256

pytestmark = pytest.mark.e2e

_EXTERNAL = re.compile(
    r"""(?:<script[^>]+src\s*=|<link[^>]+href\s*=|<img[^>]+src\s*=)\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


class _Page(HTMLParser):
    """Collects <img> attributes and the classes used by elements (CSS text is ignored)."""

    def __init__(self, text: str):
        super().__init__()
        self.images: list[dict] = []
        self.classes: set[str] = set()
        self.class_lists: list[list[str]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        self.classes.update(classes)
        self.class_lists.append(classes)
        if tag == "img":
            self.images.append(attrs)


def _cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "eduanalysis", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    cwd = tmp_path_factory.mktemp("elsewhere")  # the CWD must not matter
    result = _cli("report", "yining", "--output-dir", str(out), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return out, (out / "yining.html").read_text(encoding="utf-8")


def test_page_is_offline(rendered):
    _, page = rendered
    assert not _EXTERNAL.search(page), _EXTERNAL.search(page).group(0)
    assert "cdnjs" not in page and "require.js" not in page.lower()
    assert not re.search(r"<script[^>]*\bsrc=", page)


def test_language_title_and_no_code(rendered):
    _, page = rendered
    assert re.search(r'<html lang="zh"', page)
    assert "<title>伊宁市教育评价分析报告</title>" in page
    assert "<h1>伊宁市教育评价分析报告" in page
    parsed = _Page(page)
    code_cells = [c for c in parsed.class_lists if "jp-CodeCell" in c]
    assert len(code_cells) >= 5
    assert all("jp-mod-noInput" in c for c in code_cells)  # code hidden by default
    assert "jp-InputArea-editor" not in parsed.classes
    assert "sections.funding_section" not in page


def test_figure_and_table(rendered):
    _, page = rendered
    images = _Page(page).images
    assert [i["alt"] for i in images] == ["伊宁市一般公共预算教育支出（2017–2020 年）"]
    assert images[0]["src"].startswith("data:image/png;base64,")
    assert len(images[0]["src"]) > 10_000  # a real chart, not a placeholder
    for written in ["122,064", "138,501", "145,654", "150,438"]:
        assert written in page
    # 2017→2018: 138501/122064 − 1 = 13.47 % (independent arithmetic on the seed figures)
    assert "13.47" in page
    assert "只增不减：达标" in page


def test_provenance_footer(rendered):
    _, page = rendered
    assert "报告来源与生成信息" in page
    assert "<code>&#x27;yining&#x27;</code>" in page or "<code>'yining'</code>" in page
    fig_csv = paths.FIGURES_DIR / "yining.csv"
    assert "data/raw/figures/yining.csv" in page
    assert file_sha256(fig_csv) in page
    assert file_sha256(paths.REGIONS_CSV) in page
    from eduanalysis import __version__

    assert f"eduanalysis 版本 <code>{__version__}</code>" in page


def test_executed_notebook_is_kept(rendered):
    out, _ = rendered
    nb = json.loads((out / "executed" / "yining.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"] == {"region": "yining"}


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
    for slug in ["mianyang", "mudanjiang", "wuhai", "yining"]:
        assert slug in result.stderr
    assert not out.exists()
