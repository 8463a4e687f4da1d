"""Small display helpers shared by the report sections: headings, escaped tables, notes.

Tables are built by :mod:`eduanalysis.presentation.tables` (alignment, widths, number
formats, collapsing, CSV download); :func:`show_table` displays one.

Everything that reaches the HTML goes through ``html.escape``, so a school named
``<script>…`` shows as text.  (Numbers are worded by :func:`eduanalysis.presentation.labels.fmt_num`.)
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from .tables import MAX_ROWS, table_html

__all__ = ["empty_section", "heading", "note", "show_table"]


def heading(text: str, anchor: str, level: int = 2) -> None:
    """A section heading with a stable id (the table of contents links to it)."""
    display(HTML(f'<h{level} id="{html.escape(anchor)}">{html.escape(text)}</h{level}>'))


def note(text: str, *, kind: str = "") -> None:
    """A paragraph of explanation (escaped)."""
    cls = f' class="ea-note {html.escape(kind)}"' if kind else ' class="ea-note"'
    display(HTML(f"<p{cls}>{html.escape(text)}</p>"))


def show_table(
    frame: pd.DataFrame,
    *,
    caption: str = "",
    formats: dict | None = None,
    status_column: str | None = None,
    collapsed: bool | None = None,
    max_rows: int = MAX_ROWS,
    csv: bool = True,
    csv_name: str = "",
    align: dict | None = None,
) -> None:
    """Show a DataFrame as a report table (:func:`eduanalysis.presentation.tables.table_html`).

    Text columns left, numbers right (by dtype), widths from the content, one number format
    per column, escaped, no index, a "下载 CSV" link.  ``status_column`` values (达标 / 未达标 /
    无法判定 / 数据存疑) are coloured; ``collapsed`` wraps the table in ``<details>`` (by default
    when it has more than ``max_rows`` rows).  An empty frame shows nothing.
    """
    if frame.empty:
        return
    display(
        HTML(
            table_html(
                frame,
                caption=caption,
                formats=formats,
                status_column=status_column,
                collapsed=collapsed,
                max_rows=max_rows,
                csv=csv,
                csv_name=csv_name,
                align=align,
            )
        )
    )


def empty_section(section: str, what: str) -> None:
    """Say that a report section has no data.

    In JupyterLab the researcher sees the note under the section's explanation; the HTML
    export drops the section's cells (tagged ``section-<id>``) when a note carries this
    output metadata, so a reader never meets an empty section (``eduanalysis.running.sections``).
    """
    display(
        HTML(f'<p class="ea-note ea-empty">{html.escape(what)}</p>'),
        metadata={"eduanalysis": {"empty_section": section}},
    )
