"""The figures use the project's own CJK font file, never a system font by accident."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

from eduanalysis.presentation.plotting import (
    CJK_FAMILY,
    bar_chart,
    cjk_font_path,
    resolved_font_path,
    set_theme,
    small_multiples,
)


def test_font_file_comes_from_the_pip_package():
    path = cjk_font_path()
    assert path.exists()
    assert "site-packages" in path.parts or "dist-packages" in path.parts
    assert path.parent.name == "noto_cjk_sans_otc"


def test_set_theme_resolves_to_our_font_file():
    returned = set_theme()
    assert returned == cjk_font_path()
    assert resolved_font_path() == cjk_font_path()
    # the Simplified-Chinese face of the collection, not the JP/KR/TC one
    entry = next(
        f for f in font_manager.fontManager.ttflist if Path(f.fname) == cjk_font_path() and f.name == CJK_FAMILY
    )
    assert entry.name == "Noto Sans CJK SC"


def test_chart_text_renders_without_missing_glyphs():
    set_theme()
    data = pd.DataFrame({"年份": ["2019", "2020"], "支出": [145654.0, 150438.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        fig = bar_chart(
            data,
            x="年份",
            y="支出",
            title="一般公共预算教育支出",
            xlabel="年份",
            ylabel="万元",
            annotations=pd.Series(["", "+3.3%"]),
        )
        fig.canvas.draw()
    title = fig.axes[0].title
    used = Path(font_manager.findfont(title.get_fontproperties(), fallback_to_default=False))
    assert used == cjk_font_path()
    plt.close(fig)


def test_seaborn_reset_is_undone_by_set_theme():
    import seaborn as sns

    sns.set_theme()  # resets the font list to seaborn's defaults
    set_theme()
    assert plt.rcParams["font.sans-serif"][0] == CJK_FAMILY


def test_a_year_two_documents_state_differently_is_drawn_as_both_values():
    # 乌海 2020 高中阶段毛入学率: 98 % in one document, 97 % in another (data/raw/figures/wuhai.csv).
    # The chart must not pick one of them: a bar spans 97–98, no "实际" point sits on either value.
    set_theme()
    panel = {"title": "高中阶段毛入学率", "unit": "%", "actual": [(2015, 95.0), (2020, 98.0), (2020, 97.0)],
             "target": [(2025, 99.0)], "limit": None}
    fig = small_multiples([panel], title="t")
    ax = fig.axes[0]
    by_label = {line.get_label(): line for line in ax.get_lines()}
    bar = by_label["文件间数值不同"]
    assert list(bar.get_xdata()) == [2020, 2020] and sorted(bar.get_ydata()) == [97.0, 98.0]
    points = list(zip(by_label["实际"].get_xdata(), by_label["实际"].get_ydata()))
    assert points == [(2015, 95.0)]
    plt.close(fig)
