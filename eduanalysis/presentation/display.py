"""Small display helpers shared by the report sections: headings, escaped tables, notes.

Everything that reaches the HTML goes through ``html.escape`` (or pandas' escaping), so
a school named ``<script>…`` shows as text.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

__all__ = ["heading", "note", "show_table", "source_label", "status_html", "fmt_number"]

STATUS_CLASS = {"达标": "ea-met", "未达标": "ea-not-met"}


def heading(text: str, anchor: str, level: int = 2) -> None:
    """A section heading with a stable id (the table of contents links to it)."""
    display(HTML(f'<h{level} id="{html.escape(anchor)}">{html.escape(text)}</h{level}>'))


def note(text: str, *, kind: str = "") -> None:
    """A paragraph of explanation (escaped)."""
    cls = f' class="ea-note {html.escape(kind)}"' if kind else ' class="ea-note"'
    display(HTML(f"<p{cls}>{html.escape(text)}</p>"))


def source_label(frame: pd.DataFrame) -> pd.Series:
    """'file · locator · 第N行' for each figure row."""
    return frame["source"] + " · " + frame["locator"] + " · 第" + frame["row"].astype(str) + "行"


def fmt_number(value: float, unit: str = "", digits: int | None = None) -> str:
    """Readable number with thousands separators; trailing zeros dropped."""
    if value is None or pd.isna(value):
        return "—"
    if digits is None:
        digits = 0 if abs(value) >= 1000 or float(value).is_integer() else 2
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{unit}"


def status_html(status: str) -> str:
    cls = STATUS_CLASS.get(status, "")
    return f'<span class="{cls}">{html.escape(status)}</span>' if cls else html.escape(status)


def show_table(
    frame: pd.DataFrame,
    *,
    caption: str = "",
    formats: dict | None = None,
    status_column: str | None = None,
    collapsed: bool = False,
) -> None:
    """Show a DataFrame as an escaped HTML table with Chinese headers and no index.

    ``status_column`` values (达标/未达标) are coloured; ``collapsed`` wraps the table in a
    ``<details>`` element (works offline, no script).
    """
    if frame.empty:
        return
    styler = frame.style.format(formats or {}, na_rep="—", escape="html").hide(axis="index")
    if status_column and status_column in frame.columns:
        styler = styler.map(
            lambda v: (
                "color:#1d7a6f;font-weight:600"
                if v == "达标"
                else ("color:#c44d2f;font-weight:600" if v == "未达标" else "")
            ),
            subset=[status_column],
        )
    body = styler.to_html()
    if caption:
        body = f'<p class="ea-caption">{html.escape(caption)}</p>' + body
    if collapsed:
        body = f"<details><summary>{html.escape(caption or '展开表格')}</summary>{body}</details>"
    display(HTML(body))
