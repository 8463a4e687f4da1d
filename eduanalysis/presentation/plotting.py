"""Figures with correct Simplified Chinese.

matplotlib's default DejaVu Sans has no CJK glyphs.  The project installs the
OFL-licensed Noto Sans CJK collection from PyPI (package ``noto-cjk-sans-otc``) and
registers its Simplified-Chinese face (``Noto Sans CJK SC``) here, so a figure never
depends on the fonts a machine happens to have.  :func:`set_theme` applies the seaborn
theme first and the font after it (``sns.set_theme`` resets the font list).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib import font_manager

__all__ = [
    "CJK_FAMILY",
    "STATUS_COLORS",
    "cjk_font_path",
    "resolved_font_path",
    "set_theme",
    "use_chinese_font",
    "bar_chart",
    "level_bar_chart",
    "margin_chart",
    "small_multiples",
    "show_figure",
]

CJK_FAMILY = "Noto Sans CJK SC"
#: one colour per verdict, used by every chart (met / not met / no standard)
STATUS_COLORS = {
    "达标": "#2a9d8f",
    "未达标": "#e76f51",
    "无法判定": "#8d99ae",
    "数据存疑": "#d4a017",
    "无标准": "#8d99ae",
}


def cjk_font_path() -> Path:
    """Path of the Noto Sans CJK collection installed by the ``noto-cjk-sans-otc`` package."""
    from noto_cjk_sans_otc import FONT_PATH

    return Path(str(FONT_PATH))


def use_chinese_font() -> Path:
    """Register the project's CJK font with matplotlib and make it the sans-serif default.

    Idempotent.  Returns the font file's path.
    """
    path = cjk_font_path()
    registered = {Path(f.fname) for f in font_manager.fontManager.ttflist}
    if path not in registered:
        font_manager.fontManager.addfont(str(path))
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = [CJK_FAMILY, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    return path


def set_theme(**kwargs) -> Path:
    """seaborn theme (whitegrid by default) followed by the Chinese font; returns the font path."""
    kwargs.setdefault("style", "whitegrid")
    sns.set_theme(**kwargs)
    return use_chinese_font()


def resolved_font_path() -> Path:
    """The font file matplotlib resolves for the current sans-serif setting (for checks)."""
    prop = font_manager.FontProperties(family=mpl.rcParams["font.family"])
    return Path(font_manager.findfont(prop, fallback_to_default=False))


def bar_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    xlabel: str,
    ylabel: str,
    annotations: pd.Series | None = None,
    color: str = "#457b9d",
) -> plt.Figure:
    """A labelled bar chart; ``annotations`` (aligned with ``data``) are written above bars.

    Returns the Figure (closed from pyplot's registry, so it shows once in a notebook).
    """
    fig, ax = plt.subplots(figsize=(7.5, 4.0), layout="constrained")
    sns.barplot(data=data, x=x, y=y, ax=ax, color=color)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.margins(y=0.12)  # room for the labels above the bars
    if annotations is not None:
        for patch, text in zip(ax.patches, annotations):
            if isinstance(text, str) and text:
                ax.annotate(
                    text,
                    (patch.get_x() + patch.get_width() / 2, patch.get_height()),
                    ha="center",
                    va="bottom",
                    fontsize=9,
                    xytext=(0, 3),
                    textcoords="offset points",
                )
    plt.close(fig)
    return fig


def show_figure(fig: plt.Figure, alt: str, *, dpi: int = 110) -> None:
    """Display a figure as an inline PNG whose alternative text is ``alt``.

    The PNG is embedded in the notebook (and so in the HTML report); ``alt`` travels in
    the output metadata and becomes the ``<img alt>`` of the report.
    """
    from IPython.display import Image, display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png", metadata={"alt": alt}))


#: one colour per school level, used by every chart
LEVEL_COLORS = {"小学": "#457b9d", "初中": "#e9c46a"}


def level_bar_chart(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    thresholds: dict[str, float],
    horizontal: bool = False,
    label: str = "标准",
) -> plt.Figure:
    """Bars per category and school level (``学段``) with one dashed line per level's limit.

    ``thresholds`` maps a level (小学/初中) to its limit, drawn in that level's colour.
    """
    height = 0.35 * data[category].nunique() * 2 + 1.5 if horizontal else 4.0
    fig, ax = plt.subplots(figsize=(8.5, max(height, 3.5)), layout="constrained")
    xy = {"y": category, "x": value} if horizontal else {"x": category, "y": value}
    sns.barplot(data=data, hue="学段", ax=ax, palette=LEVEL_COLORS, **xy)
    line = ax.axvline if horizontal else ax.axhline
    for level, limit in thresholds.items():
        line(limit, color=LEVEL_COLORS[level], linestyle="--", linewidth=1.4, label=f"{level}{label} {limit:g}")
    # the legend goes outside the axes, so that it never covers a bar
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set(title=title, xlabel=value if horizontal else "", ylabel="" if horizontal else value)
    plt.close(fig)
    return fig


def margin_chart(labels: list[str], relative: list[float], verdicts: list[str], *, title: str) -> plt.Figure:
    """Horizontal bars of each finding's margin relative to its threshold (in % of it).

    One axis holds findings of different units only because every bar is in the same
    unit: the margin as a percentage of the threshold (+10 % = 10 % better than required).
    """
    fig, ax = plt.subplots(figsize=(8.5, 0.38 * len(labels) + 1.3), layout="constrained")
    ax.barh(range(len(labels)), relative, color=[STATUS_COLORS.get(v, STATUS_COLORS["无标准"]) for v in verdicts])
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.axvline(0, color="#333", linewidth=1)
    ax.invert_yaxis()
    ax.set(title=title, xlabel="与标准的相对差距（% ，正值为优于标准）")
    plt.close(fig)
    return fig


def small_multiples(panels: list[dict], *, title: str, ncols: int = 3) -> plt.Figure:
    """One small line chart per indicator, each with its own y-axis and unit.

    ``panels`` items: ``title``, ``unit``, ``actual`` (list of (year, value); a year given
    twice with different values -- two documents disagreeing -- is drawn as a bar from one
    stated value to the other, the line passing through its middle, never as one of them),
    ``target`` (list of (year, value), drawn dashed from the last actual value), ``limit`` (a
    standard's threshold, dotted, or None) and ``limit_label``.
    """
    n = len(panels)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.1 * ncols, 2.5 * nrows + 0.6), layout="constrained", squeeze=False
    )
    for ax, panel in zip(axes.flat, panels):
        stated: dict[int, list[float]] = {}
        for y, v in panel.get("actual", []):
            stated.setdefault(y, []).append(v)
        actual = [(y, (min(v) + max(v)) / 2) for y, v in sorted(stated.items())]
        target = sorted(panel.get("target", []))
        if actual:
            ax.plot([y for y, _ in actual], [v for _, v in actual], color="#457b9d")
            agreed = [(y, min(v)) for y, v in sorted(stated.items()) if max(v) == min(v)]
            ax.plot([y for y, _ in agreed], [v for _, v in agreed], "o", color="#457b9d", label="实际")
            for y, v in stated.items():
                if max(v) > min(v):
                    bar = {"marker": "_", "markersize": 10, "color": "#b5179e", "label": "文件间数值不同"}
                    ax.plot([y, y], [min(v), max(v)], **bar)
        if target:
            start = actual[-1:] if actual else []
            pts = start + target
            ax.plot([y for y, _ in pts], [v for _, v in pts], linestyle="--", color="#e76f51")
            ax.plot([y for y, _ in target], [v for _, v in target], "s", color="#e76f51", label="目标")
        if panel.get("limit") is not None:
            ax.axhline(panel["limit"], linestyle=":", color="#555", linewidth=1, label=panel.get("limit_label", "标准"))
        ax.set_title(panel["title"], fontsize=9)
        ax.set_ylabel(panel.get("unit", ""), fontsize=8)
        ax.tick_params(labelsize=7)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.margins(y=0.2)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    handles, names = [], []
    for ax in axes.flat:
        for h, name in zip(*ax.get_legend_handles_labels()):
            if name not in names:
                handles.append(h)
                names.append(name)
    if handles:
        fig.legend(handles, names, loc="outside lower center", ncols=len(names), fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=11)
    plt.close(fig)
    return fig
