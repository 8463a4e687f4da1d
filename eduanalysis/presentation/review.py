"""The review notebook's view of a draft: each drafted row beside its sentence, the number marked.

:func:`draft_table_html` builds a plain HTML table (no widgets, no script: it looks the
same in JupyterLab and in an nbconvert HTML file).  Every text from the draft is escaped
(``html.escape``), so a quote holding ``<script>`` shows as text; the drafted number is
wrapped in ``<mark>`` inside its quote where it is found verbatim (whitespace ignored).
Rows are ordered by confidence, least sure first (``order="confidence"``), or as in the
document (``order="row"``).
"""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, display

from ..data.verbatim import locate_verbatim, prepare_text
from ..errors import ParameterError
from .display import show_table

__all__ = ["ORDERS", "draft_table_html", "review_counts", "show_draft", "show_draft_audit"]

#: how the rows can be ordered
ORDERS = ("confidence", "row")
_REVIEW_ZH = {"accept": "接受", "edit": "已修改", "reject": "拒绝", "": "未审核"}
_STYLE = """<style>
.ea-review {border-collapse: collapse; font-size: 13px; width: 100%}
.ea-review th, .ea-review td {border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; text-align: left}
.ea-review th {background: #f2f2f2}
.ea-review td.num {text-align: right; white-space: nowrap}
.ea-review tr.low td.conf {background: #fde2e1}
.ea-review mark {background: #ffe066; font-weight: bold}
.ea-review .why {color: #555; font-size: 12px}
</style>"""


def _marked_quote(quote: str, value: str) -> str:
    """The quote escaped, the value (or else its first number) wrapped in <mark>."""
    text = prepare_text(quote)
    span = locate_verbatim(value, quote)
    if span is None:
        number = re.search(r"\d+(?:[.,]\d+)*", value)
        span = locate_verbatim(number.group(0), quote) if number else None
    if span is None:
        return html.escape(text)
    start, end = span
    return f"{html.escape(text[:start])}<mark>{html.escape(text[start:end])}</mark>{html.escape(text[end:])}"


def draft_table_html(draft: pd.DataFrame, *, order: str = "confidence", low: float = 0.5) -> str:
    """The draft as an HTML table: row, review, confidence, fields, the quote with the number marked, why.

    Parameters
    ----------
    draft
        As :func:`eduanalysis.data.intake.review.load_draft` reads it.
    order
        ``"confidence"`` (least sure first, then by row) or ``"row"`` (document order).
    low
        Confidence below which the row is shaded.

    Examples
    --------
    >>> d = pd.DataFrame({"row": [2], "review": [""], "confidence": [0.4], "indicator": ["schools"], "year": ["2020"],
    ...     "level": ["小学"], "district": [""], "value_type": ["实际"], "value_as_written": ["30 所"],
    ...     "quote": ["全市<b>小学</b>30所"], "why": ["年份取自“2020年”"]})
    >>> "全市&lt;b&gt;小学&lt;/b&gt;<mark>30所</mark>" in draft_table_html(d)
    True
    """
    if order not in ORDERS:
        raise ParameterError(f"order: expected one of {', '.join(ORDERS)}, found {order!r}")
    if order == "confidence":
        draft = draft.sort_values(["confidence", "row"], kind="stable")
    else:
        draft = draft.sort_values("row", kind="stable")
    head = ["行", "审核", "可信度", "指标", "年份", "学段", "区县", "类别", "数值", "原文（数值已标出）", "依据"]
    out = [_STYLE, '<table class="ea-review"><thead><tr>']
    out += [f"<th>{h}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for rec in draft.itertuples(index=False):
        cls = ' class="low"' if rec.confidence < low else ""
        cells = [
            f'<td class="num">{int(rec.row)}</td>',
            f"<td>{_REVIEW_ZH.get(rec.review, html.escape(rec.review))}</td>",
            f'<td class="num conf">{rec.confidence:.2f}</td>',
            *(f"<td>{html.escape(str(v))}</td>" for v in (rec.indicator, rec.year, rec.level, rec.district)),
            f"<td>{html.escape(rec.value_type)}</td>",
            f'<td class="num">{html.escape(rec.value_as_written)}</td>',
            f"<td>{_marked_quote(rec.quote, rec.value_as_written)}</td>",
            f'<td class="why">{html.escape(rec.why)}</td>',
        ]
        out.append(f"<tr{cls}>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def show_draft(draft: pd.DataFrame, *, order: str = "confidence", low: float = 0.5) -> None:
    """Display :func:`draft_table_html` in the notebook."""
    display(HTML(draft_table_html(draft, order=order, low=low)))


def review_counts(draft: pd.DataFrame) -> pd.DataFrame:
    """How many rows are accepted, edited, rejected and not yet reviewed (Chinese labels).

    Examples
    --------
    >>> review_counts(pd.DataFrame({"review": ["accept", "", ""]}))["行数"].tolist()
    [1, 0, 0, 2]
    """
    counts = draft["review"].value_counts()
    return pd.DataFrame({"审核": list(_REVIEW_ZH.values()), "行数": [int(counts.get(k, 0)) for k in _REVIEW_ZH]})


def show_draft_audit(audit: pd.DataFrame) -> None:
    """Display the audit of a draft (:func:`eduanalysis.judgement.draft_audit.audit_draft`) as a report table."""
    if audit.empty:
        display(HTML("<p>草稿中没有可相互核对的数值（各区县之和、超过100%的比率），或全部一致。</p>"))
        return
    labels = {
        "check": "核对",
        "kind": "类型",
        "description": "内容",
        "stated": "文件数值",
        "recomputed": "重新计算",
        "verdict": "结论",
        "reason": "说明",
        "rows": "草稿行",
    }
    show_table(audit.rename(columns=labels), caption="草稿核对", csv=False)
