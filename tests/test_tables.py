"""Report tables: alignment by type, widths, number formats, collapsing, CSV (issues #14, #12)."""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from eduanalysis.errors import ParameterError
from eduanalysis.presentation import display as display_module
from eduanalysis.presentation.display import show_table
from eduanalysis.presentation.tables import csv_data_uri, csv_filename, display_width, table_html


class _Cells(HTMLParser):
    """Header and body cells as (class, style, text); links; <details> and <summary> texts."""

    def __init__(self, page: str):
        super().__init__()
        self.head, self.body, self.links, self.summaries = [], [], [], []
        self.details = 0
        self._cell = None
        self._in_summary = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("th", "td"):
            self._cell = [tag, attrs.get("class", ""), attrs.get("style", ""), ""]
        elif tag == "a":
            self.links.append(attrs)
        elif tag == "details":
            self.details += 1
        elif tag == "summary":
            self._in_summary = True
            self.summaries.append("")

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell:
            kind, cls, style, text = self._cell
            (self.head if kind == "th" else self.body).append((cls, style, text))
            self._cell = None
        elif tag == "summary":
            self._in_summary = False

    def handle_data(self, data):
        if self._cell:
            self._cell[3] += data
        if self._in_summary:
            self.summaries[-1] += data


def _column(cells: _Cells, index: int, ncols: int) -> list[tuple[str, str, str]]:
    return cells.body[index::ncols]


@pytest.fixture
def mixed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "区县": ["全市", "海勃湾区"],
            "年份": ["2020", "2021"],
            "在校生（人）": [150438, 9876],
            "差异系数": [0.5, 0.4754],
            "差距": [-0.125, 0.3],
            "说明": ["由文件所列 8 项指标差异系数求平均，2012 年基本均衡", "—"],
            "判定": ["达标", "未达标（参照）"],
        }
    )


def test_text_left_numbers_right_by_type(mixed):
    cells = _Cells(table_html(mixed, status_column="判定"))
    ncols = len(mixed.columns)
    heads = {text: (cls, style) for cls, style, text in cells.head}
    for name in ["区县", "说明", "判定"]:
        assert heads[name][0].split()[0] == "ea-text" and "text-align:left" in heads[name][1], name
        assert all("text-align:left" in s for _, s, _ in _column(cells, list(mixed).index(name), ncols)), name
    for name in ["年份", "在校生（人）", "差异系数", "差距"]:  # 年份 is text, every cell a number
        assert heads[name][0] == "ea-num" and "text-align:right" in heads[name][1], name
        column = _column(cells, list(mixed).index(name), ncols)
        assert all("text-align:right" in s and "white-space:nowrap" in s for _, s, _ in column), name
    assert 'font-variant-numeric:tabular-nums">' in table_html(mixed)  # on the table, inherited


def test_numbers_written_as_text_align_like_numbers_and_align_overrides():
    frame = pd.DataFrame({"值": ["0.4754", "+0.175", "150,438", "13.47%", "—"], "标准": ["≤ 0.65"] * 5})
    cells = _Cells(table_html(frame, align={"标准": "right"}))
    assert [c for c, _, _ in cells.head] == ["ea-num", "ea-num"]
    assert _Cells(table_html(frame)).head[1][0] == "ea-text"
    with pytest.raises(ParameterError, match=r"align must be 'left' or 'right', got \{'值': 'centre'\}"):
        table_html(frame, align={"值": "centre"})


def test_one_number_format_per_column(mixed):
    frame = mixed.assign(缺失=[np.nan, 1.5], 无穷=[np.inf, -np.inf], 年=[2020, 2021])
    cells = _Cells(table_html(frame))
    text = {name: [t for _, _, t in _column(cells, i, len(frame.columns))] for i, name in enumerate(frame)}
    assert text["在校生（人）"] == ["150,438", "9,876"]  # integers: thousands separators
    assert text["差异系数"] == ["0.5000", "0.4754"]  # common decimals: the points line up
    assert text["差距"] == ["\u2212" + "0.125", "0.300"]  # the minus sign, not a hyphen
    assert text["缺失"] == ["—", "1.5"] and text["无穷"] == ["∞", "\u2212∞"]
    assert text["年"] == ["2020", "2021"]  # years without a separator


def test_formats_as_before_strings_and_functions(mixed):
    page = table_html(mixed, formats={"差异系数": "{:.2f}", "差距": lambda v: f"{v:+.1%}"})
    cells = _Cells(page)
    ncols = len(mixed.columns)
    assert [t for _, _, t in _column(cells, 3, ncols)] == ["0.50", "0.48"]
    assert [t for _, _, t in _column(cells, 4, ncols)] == ["\u221212.5%", "+30.0%"]
    with pytest.raises(ParameterError, match=r"formats/align name columns the table does not have: \['没有'\]"):
        table_html(mixed, formats={"没有": "{:.2f}"})


def test_short_columns_never_wrap_and_long_text_gets_a_readable_width(mixed):
    cells = _Cells(table_html(mixed))
    ncols = len(mixed.columns)
    district = _column(cells, 0, ncols)
    assert all("white-space:nowrap" in s for _, s, _ in district)  # 全市 on one line
    note = _column(cells, list(mixed).index("说明"), ncols)
    assert all("ea-wrap" in c and "nowrap" not in s and "max-width:28em" in s for c, s, _ in note)
    widths = {float(w) for _, s, _ in note for w in re.findall(r"min-width:([\d.]+)em", s)}
    assert len(widths) == 1 and 8 <= widths.pop() <= 28
    # a long header over a short column wraps at 4 em at the least, never one character per line
    narrow = pd.DataFrame({"判定（只增不减）": ["达标"]})
    (_, style, _), = _Cells(table_html(narrow)).head  # fmt: skip
    assert re.search(r"min-width:4\.0em", style) and "white-space:normal" in style
    assert display_width("全市") == 2.0 and display_width("ab") == 1.1


def test_verdicts_coloured_and_classed(mixed):
    cells = _Cells(table_html(mixed, status_column="判定"))
    verdicts = _column(cells, list(mixed).index("判定"), len(mixed.columns))
    assert "ea-met" in verdicts[0][0] and "color:#1d7a6f" in verdicts[0][1]
    assert "ea-not-met" in verdicts[1][0] and "color:#c44d2f" in verdicts[1][1]  # 未达标（参照）


def test_values_and_headers_are_escaped():
    frame = pd.DataFrame({"<b>学校</b>": ["<script>alert(1)</script>"], "x": [1]})
    page = table_html(frame, caption="<i>表</i>")
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    cells = _Cells(page)
    assert cells.head[0][2] == "<b>学校</b>" and cells.body[0][2] == "<script>alert(1)</script>"


def test_long_tables_collapse_by_default():
    long = pd.DataFrame({"序号": range(31)})
    page = _Cells(table_html(long, caption="全部数据"))
    assert page.details == 1 and page.summaries == ["全部数据（共 31 行，点击展开）"]
    assert _Cells(table_html(long.head(30), caption="全部数据")).details == 0
    assert _Cells(table_html(long, collapsed=False)).details == 0
    assert _Cells(table_html(long.head(3), collapsed=True)).summaries == ["表格（共 3 行，点击展开）"]
    assert _Cells(table_html(long, max_rows=40)).details == 0


def test_csv_link_decodes_to_the_table(mixed):
    (link,) = _Cells(table_html(mixed, caption="综合差异系数：每个区县/学段")).links
    assert link["class"] == "ea-csv" and link["download"] == "综合差异系数：每个区县 学段.csv"  # "/" is refused
    head, data = link["href"].split(",", 1)
    assert head == "data:text/csv;charset=utf-8;base64"
    raw = base64.b64decode(data)
    assert raw.startswith("\ufeff".encode())  # the byte-order mark Excel needs to read UTF-8
    back = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), dtype={"年份": str})
    pd.testing.assert_frame_equal(back, mixed)
    assert _Cells(table_html(mixed, csv=False)).links == []
    assert csv_filename("a/b") == "a b.csv" and csv_data_uri(mixed) == link["href"]


def test_same_table_same_html(mixed):
    assert table_html(mixed) == table_html(mixed)  # no random ids: reports stay byte-stable


def test_show_table_keeps_its_signature(mixed, monkeypatch):
    shown = []
    monkeypatch.setattr(display_module, "display", lambda obj: shown.append(obj.data))
    show_table(mixed, caption="表", formats={"差异系数": "{:.4f}"}, status_column="判定", collapsed=False)
    show_table(mixed.iloc[0:0], caption="空表")
    show_table(mixed, collapsed=True, csv_name="导出", max_rows=5, csv=True, align={"年份": "right"})
    assert len(shown) == 2
    assert '<p class="ea-caption">表</p>' in shown[0] and "<details" not in shown[0]
    assert "<details" in shown[1] and 'download="导出.csv"' in shown[1]
