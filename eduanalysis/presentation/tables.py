"""Tables as a reader sees them (表格), the same in JupyterLab and in the offline HTML report.

:func:`table_html` turns a DataFrame into one block of escaped HTML that every report
section shows through :func:`eduanalysis.presentation.display.show_table`:

- **alignment by type**: numeric columns (and text columns whose every cell is a number, as
  "0.4754" or "+0.175") right-aligned with tabular figures, every other column left-aligned
  (JupyterLab's stylesheet right-aligns every cell, Chinese text too);
- **widths from the content**: a column whose longest cell is short (区县, 学段, 判定, numbers)
  never wraps, so 全市 stays on one line; long text wraps at a readable width; headers get a
  minimum width so they wrap into two or three lines, not one character per line; the
  table scrolls sideways inside its block instead of squeezing its columns;
- **one number format**: per column a common number of decimals (at most 4; integers with
  thousands separators, years without), − for negatives, — for a missing value, unless
  ``formats`` says otherwise;
- **long tables collapsed**: more than ``max_rows`` rows go into ``<details>`` (the print
  stylesheet of the report opens it);
- **CSV download** inside the page: a ``data:`` link (UTF-8 with a byte-order mark, so Excel
  reads the Chinese) with the table's raw values; no server, no script.

The styles are inline (JupyterLab keeps inline styles even in outputs it does not trust);
class names (``ea-table``, ``ea-num``, ``ea-text``, ``ea-csv``, …) let the report template
add borders and print rules.
"""

from __future__ import annotations

import base64
import html
import math
import re
import unicodedata
from collections.abc import Callable, Mapping

import pandas as pd

from ..errors import ParameterError
from .labels import VERDICT_CLASS

__all__ = ["csv_data_uri", "csv_filename", "display_width", "table_html"]

MAX_ROWS = 30  # longer tables are collapsed unless the caller says otherwise
SHORT_EM = 10.0  # a column whose longest cell is at most this wide never wraps
TEXT_MIN_EM, TEXT_MAX_EM = 8.0, 28.0  # wrapped text columns: readable line lengths
HEADER_MIN_EM = 4.0  # a header narrower than its column wraps at this width at the least
VERDICT_STYLE = {
    "达标": "color:#1d7a6f;font-weight:600",
    "未达标": "color:#c44d2f;font-weight:600",
    "无法判定": "color:#5c677d;font-weight:600",
    "数据存疑": "color:#9a6b00;font-weight:600",
}
_MINUS = "\u2212"
_NUMBER_TEXT = re.compile(r"[+\-\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:%|‰)?")
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def display_width(text: str) -> float:
    """Approximate rendered width of ``text`` in em: CJK and full-width characters 1, others 0.55.

    Examples
    --------
    >>> display_width("全市"), display_width("2020"), display_width("≤ 0.65")
    (2.0, 2.2, 3.3)
    """
    return round(sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in str(text)), 2)


def _is_number_column(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _is_number_text(column: pd.Series) -> bool:
    """Text whose every cell is a number ("0.4754", "+0.175", "13.47%", "150,438"): typed like one.

    Examples
    --------
    >>> _is_number_text(pd.Series(["0.4754", "+0.175", "—"])), _is_number_text(pd.Series(["≤ 0.65"]))
    (True, False)
    """
    if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
        return False
    values = [v for v in column if isinstance(v, str) and v.strip() not in ("", "—")]
    return bool(values) and all(_NUMBER_TEXT.fullmatch(v.strip()) for v in values)


def _verdict(value) -> str:
    """The verdict a status cell starts with (达标（参照） → 达标), or ''."""
    if not isinstance(value, str):
        return ""
    return next((v for v in sorted(VERDICT_STYLE, key=len, reverse=True) if value.startswith(v)), "")


def _decimals(values: pd.Series, limit: int = 4) -> int:
    """The fewest decimals (at most ``limit``) that show every value of the column exactly."""
    for digits in range(limit + 1):
        if all(math.isclose(v, round(v, digits), rel_tol=0, abs_tol=1e-9 * max(1.0, abs(v))) for v in values):
            return digits
    return limit


def _number_formatter(column: pd.Series) -> Callable[[float], str]:
    """One format for the whole column, so the decimal points line up."""
    values = column.dropna().astype(float)
    values = values[values.map(math.isfinite)]
    if values.empty:
        return "{:,}".format
    digits = _decimals(values)
    if digits == 0 and values.between(1900, 2100).all():
        return lambda v: f"{v:.0f}"  # years: 2020, not 2,020
    return lambda v: f"{v:,.{digits}f}"


def _cell_texts(column: pd.Series, fmt, numeric: bool) -> list[str]:
    if fmt is None and numeric:
        fmt = _number_formatter(column)
    out = []
    for value in column:
        if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
            out.append("—")
            continue
        if numeric and isinstance(value, float) and math.isinf(value):
            text = "∞" if value > 0 else f"{_MINUS}∞"
        elif isinstance(fmt, str):
            text = fmt.format(value)
        elif fmt is not None:
            text = str(fmt(value))
        else:
            text = str(value)
        out.append(text.replace("-", _MINUS) if numeric else text)
    return out


def csv_filename(name: str) -> str:
    """A file name for a downloaded table: the caption without characters file systems refuse.

    Examples
    --------
    >>> csv_filename("综合差异系数（每个区县、每个学段分别计算和判定）")
    '综合差异系数（每个区县、每个学段分别计算和判定）.csv'
    >>> csv_filename('全部 85 项 / "转录" 数据'), csv_filename("")
    ('全部 85 项 转录 数据.csv', '表格.csv')
    """
    stem = " ".join(_UNSAFE_FILENAME.sub(" ", name).split())[:60].strip(" .")
    return f"{stem or '表格'}.csv"


def csv_data_uri(frame: pd.DataFrame) -> str:
    """The table as a ``data:`` URI of a UTF-8 CSV with a byte-order mark (Excel reads it as UTF-8).

    Raw values, not the formatted text: numbers stay numbers in a spreadsheet.

    Examples
    --------
    >>> uri = csv_data_uri(pd.DataFrame({"区县": ["全市"], "值": [0.4754]}))
    >>> uri.split(",")[0]
    'data:text/csv;charset=utf-8;base64'
    >>> base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
    '\\ufeff区县,值\\r\\n全市,0.4754\\r\\n'
    """
    text = "\ufeff" + frame.to_csv(index=False, lineterminator="\r\n")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _style(**props: str) -> str:
    return ";".join(f"{k.replace('_', '-')}:{v}" for k, v in props.items() if v)


def table_html(
    frame: pd.DataFrame,
    *,
    caption: str = "",
    formats: Mapping[str, str | Callable] | None = None,
    status_column: str | None = None,
    collapsed: bool | None = None,
    max_rows: int = MAX_ROWS,
    csv: bool = True,
    csv_name: str = "",
    align: Mapping[str, str] | None = None,
) -> str:
    """The HTML of one table: caption, the table itself (escaped) and its CSV link.

    Parameters
    ----------
    frame : DataFrame
        Shown as it is, without its index, headers as the column names.
    caption : str
        Shown above the table (the summary line when it is collapsed) and used to name the CSV.
    formats : mapping, optional
        Column → format string (``"{:.2f}"``) or function for its non-missing values; other
        numeric columns get the column's common format.
    status_column : str, optional
        Column of verdicts (达标 / 未达标 / 无法判定 / 数据存疑), coloured.
    collapsed : bool, optional
        ``True`` puts the table into ``<details>``, ``False`` never; by default a table with more
        than ``max_rows`` rows is collapsed.
    csv, csv_name : bool, str
        Add a "下载 CSV" link (default), named after ``csv_name`` or the caption.
    align : mapping, optional
        Column → ``"left"`` or ``"right"`` where the dtype does not tell (numbers already
        written as text).

    Examples
    --------
    >>> page = table_html(pd.DataFrame({"学段": ["小学"], "差异系数": [0.4754]}), caption="校际差异")
    >>> 'class="ea-text"' in page and 'class="ea-num"' in page and "0.4754" in page
    True
    """
    formats = dict(formats or {})
    align = dict(align or {})
    unknown = sorted(set(formats) - set(frame.columns)) + sorted(set(align) - set(frame.columns))
    if unknown:
        raise ParameterError(f"show_table: formats/align name columns the table does not have: {unknown}")
    bad_align = {c: a for c, a in align.items() if a not in ("left", "right")}
    if bad_align:
        raise ParameterError(f"show_table: align must be 'left' or 'right', got {bad_align}")

    columns = [" · ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
    heads, bodies = [], []
    for name, label in zip(frame.columns, columns):
        column = frame[name]
        numeric = _is_number_column(column)
        texts = _cell_texts(column, formats.get(name), numeric)
        right = align.get(name, "right" if numeric or _is_number_text(column) else "left") == "right"
        widest = max((display_width(t) for t in texts), default=0.0)
        head_width = display_width(label)
        short = right or widest <= SHORT_EM
        cls = ("ea-num" if right else "ea-text") + ("" if short else " ea-wrap")
        # per cell only what JupyterLab's stylesheet gets wrong (it right-aligns and wraps every
        # cell); tabular figures are inherited from the table
        cell_style = _style(
            text_align="right" if right else "left",
            white_space="nowrap" if short else "",
            min_width="" if short else f"{min(max(widest / 3, TEXT_MIN_EM), TEXT_MAX_EM):.1f}em",
            max_width="" if short else f"{TEXT_MAX_EM:.0f}em",
        )
        head_min = min(head_width, max(widest if short else TEXT_MIN_EM, HEADER_MIN_EM))
        head_style = _style(
            text_align="right" if right else "left",
            min_width=f"{head_min:.1f}em",
            white_space="nowrap" if head_width <= max(widest, HEADER_MIN_EM) else "normal",
            vertical_align="bottom",
        )
        heads.append(f'<th class="{cls}" style="{head_style}">{html.escape(label)}</th>')
        cells = []
        for value, text in zip(column, texts):
            style, extra = cell_style, ""
            verdict = _verdict(value) if name == status_column else ""
            if verdict:
                style = f"{cell_style};{VERDICT_STYLE[verdict]}"
                extra = f" {VERDICT_CLASS[verdict]}"
            cells.append(f'<td class="{cls}{extra}" style="{style}">{html.escape(text)}</td>')
        bodies.append(cells)

    rows = "".join(f"<tr>{''.join(cells)}</tr>" for cells in zip(*bodies))
    table = (
        '<div class="ea-table-wrap" style="overflow-x:auto;max-width:100%">'
        '<table class="ea-table" style="table-layout:auto;border-collapse:collapse;margin:0 0 .3em 0;'
        'font-variant-numeric:tabular-nums">'
        f"<thead><tr>{''.join(heads)}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
    if csv:
        filename = csv_filename(csv_name or caption)
        table += (
            '<p class="ea-table-tools" style="margin:.1em 0 1em 0;font-size:.85em;text-align:left">'
            f'<a class="ea-csv" href="{csv_data_uri(frame)}" download="{html.escape(filename)}" '
            f'title="{html.escape(filename)}">下载 CSV</a></p>'
        )
    if collapsed is None:
        collapsed = len(frame) > max_rows
    if collapsed:
        summary = f"{caption or '表格'}（共 {len(frame)} 行，点击展开）"
        return (
            f'<details class="ea-table-block ea-collapsed"><summary class="ea-caption">{html.escape(summary)}</summary>'
            f"{table}</details>"
        )
    head = f'<p class="ea-caption">{html.escape(caption)}</p>' if caption else ""
    return f'<div class="ea-table-block">{head}{table}</div>'
