"""The embedded Chinese font: a page subset from the cached base font draws the same glyphs
as one subset from the whole font (the way every page was made before the base existed)."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fontTools.pens.recordingPen import RecordingPen
from noto_cjk_sans_otc import FONT_PATH

from eduanalysis.presentation import fonts


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EDUANALYSIS_CACHE", str(tmp_path))
    fonts.base_font.cache_clear()
    yield tmp_path
    fonts.base_font.cache_clear()


def _outlines(data: bytes, text: str) -> dict[str, list]:
    font = fonts._open(io.BytesIO(data))
    cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
    out = {}
    for char in text:
        pen = RecordingPen()
        glyphs[cmap[ord(char)]].draw(pen)
        out[char] = pen.value
    return out


def test_base_font_is_built_once_into_the_cache_and_covers_gb2312(cache):
    data, covered = fonts.base_font()
    assert [p.name for p in cache.iterdir() if p.name.startswith("noto-sc-base-")]
    # GB 2312 has 6,763 hanzi and 682 other characters (the standard's own counts); plus ASCII 0x20–0x7E
    assert len(covered) >= 6763 + 682 + 95
    assert {ord(c) for c in "差异系数巩固率、。（）"} <= covered
    fonts.base_font.cache_clear()
    assert fonts.base_font()[0] == data  # read back from the cache, same bytes


def test_page_subset_from_the_base_draws_what_the_whole_font_draws(cache):
    text = "伊宁市义务教育均衡发展：综合差异系数 0.45，未达标（参照）。"
    codepoints = sorted({ord(c) for c in text + fonts.GENERATED_TEXT if ord(c) > 0x7F} | set(range(0x20, 0x7F)))
    base, _ = fonts.base_font()
    from_base = fonts._subset(fonts._open(io.BytesIO(base)), codepoints, "woff")
    from_whole = fonts._subset(fonts._open(str(FONT_PATH), fontNumber=fonts._SC_FACE), codepoints, "woff")
    assert _outlines(from_base, text) == _outlines(from_whole, text)


def test_a_character_beyond_gb2312_still_gets_its_glyph(cache):
    rare = "喆"  # GBK, not GB 2312
    assert ord(rare) not in fonts.base_font()[1]
    css = fonts.font_face_css(f"张{rare}")
    data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", css).group(1))
    assert ord(rare) in fonts._open(io.BytesIO(data)).getBestCmap()


def test_a_search_box_placeholder_is_drawn_with_the_embedded_font(cache):
    # the index's search box: "地区、指标……" showed as empty boxes (its words were not in the subset,
    # and form controls do not inherit the page's font unless told)
    page = '<html><head></head><body><p>目录</p><input type="search" placeholder="锻炼&amp;辖区"></body></html>'
    css = re.search(r"base64,([A-Za-z0-9+/=]+)", fonts.embed_cjk_font(page)).group(1)
    cmap = fonts._open(io.BytesIO(base64.b64decode(css))).getBestCmap()
    assert {ord(c) for c in "锻炼辖区&"} <= set(cmap)


def test_the_index_form_controls_inherit_the_page_font(tmp_path):
    from eduanalysis.presentation.index import index_html

    page = index_html({"reports": {}, "summary": {"ok": 0}}, tmp_path)
    assert "input, select, button { font: inherit; }" in page
