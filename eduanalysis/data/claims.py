"""The documents' own claims: what a city's documents say about their figures (自评结论).

``data/raw/claims/<slug>.csv`` holds one row per self-judgement or stated problem of a
region's documents: "分别高于85%、80%、50%的省定指标" (三 claims 高于), "我市所辖海林市、
宁安市2021年一般公共预算教育支出未实现增长" (two district claims 未增长), "高校专职辅导员和
思想政治课专职教师配备比例还未达到要求" (未达标).  Each row carries the shortest verbatim
``quote`` that carries the claim, so a report can show the document's own words beside the
package's verdict, and the executive summary can list the problems the documents state.

A claim names the *quantity* it is about (``edu_budget_expenditure`` grew), not the growth
rate a figure row may give for it (``edu_budget_growth``); ``region``, ``district``,
``year``, ``level`` and ``group`` follow the figures files, so a claim can be matched with
the figure rows it concerns.

Validation teaches: every problem of a file is reported at once, each naming the file, the
row and the column, the value found and what is allowed (with a suggestion where one is
close).  Nothing is repaired.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataValidationError
from .readers import read_csv_table
from .vocabulary import suggest

__all__ = [
    "ADVERSE_CLAIMS",
    "CLAIMS",
    "CLAIM_COLUMNS",
    "FAVOURABLE_CLAIMS",
    "claims_path",
    "load_claims",
    "unquoted_claims",
]

CLAIM_COLUMNS = [
    "claim_id",
    "region",
    "district",
    "year",
    "level",
    "group",
    "indicator",
    "claim",
    "reference",
    "quote",
    "source",
    "locator",
    "note",
]

#: what a document may say about a figure: it meets the requirement it names (达标) or not,
#: it grew / did not grow / fell (against the previous year or the year named in
#: ``reference``), it is above / below a reference, a task or target is done or not, the
#: document states a problem (存在问题) without a number, or it commits to something
#: (承诺: "确保不再新产生大班额" — an undertaking, neither a result nor a problem)
CLAIMS = ("达标", "未达标", "增长", "未增长", "下降", "高于", "低于", "完成", "未完成", "存在问题", "承诺")
#: claims that are a problem whatever the indicator's direction
ADVERSE_CLAIMS = frozenset({"未达标", "未增长", "未完成", "存在问题"})
#: claims that are favourable whatever the indicator's direction
FAVOURABLE_CLAIMS = frozenset({"达标", "完成"})
_DIRECTIONAL = {"增长": "higher", "高于": "higher", "下降": "lower", "低于": "lower"}
_ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_YEAR_RE = re.compile(r"^\d{4}(-\d{4})?$")


def claims_path(region: str) -> Path:
    """Path of a region's claims file (``data/raw/claims/<slug>.csv``)."""
    return paths.CLAIMS_DIR / f"{region}.csv"


def _adverse(claim: str, direction: str) -> bool | None:
    """Whether a claim states a problem: True, False, or None when it depends on a
    direction the registry does not give (``none``/``target``)."""
    if claim in ADVERSE_CLAIMS:
        return True
    if claim in FAVOURABLE_CLAIMS or claim == "承诺":
        return False
    if direction not in ("higher", "lower"):
        return None
    return _DIRECTIONAL[claim] != direction


def load_claims(region: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate one region's claims.

    Returns the columns of the file plus ``name_zh`` (the indicator's registry name),
    ``adverse`` (True when the claim states a problem: 未达标, 未增长, 未完成, 存在问题, or a
    move against the indicator's direction such as 下降 of a higher-is-better amount;
    False for a favourable one; None when the registry gives the indicator no direction)
    and ``row`` (the line of the CSV).  A region without a claims file gives an empty frame
    with the same columns.

    Every problem of the file is reported in one ``DataValidationError``, each line naming
    file, row, column, the value found and what is allowed.

    Examples
    --------
    >>> claims = load_claims("mudanjiang")
    >>> sorted(claims.loc[claims["claim"] == "未增长", "district"])
    ['hailin', 'ningan']
    """
    from .figures import RowContext

    path = Path(path) if path is not None else claims_path(region)
    out_columns = [*CLAIM_COLUMNS, "name_zh", "adverse", "row"]
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in out_columns})
    raw = read_csv_table(path, columns=CLAIM_COLUMNS)
    ctx = RowContext.of(region)
    registry = ctx.registry

    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(raw.itertuples(index=False), start=2):
        for column, message in [*ctx.row_problems(rec), *_claim_problems(rec)]:
            problems.append(f"{path}, row {i}, column `{column}`: {message}")
        if rec.claim_id in seen:
            problems.append(
                f"{path}, row {i}, column `claim_id`: {rec.claim_id!r} is already used in row "
                f"{seen[rec.claim_id]}; ids must be unique"
            )
        seen.setdefault(rec.claim_id, i)
    if problems:
        raise DataValidationError(f"{len(problems)} problem(s) in {path}:\n" + "\n".join(problems))

    known = raw["indicator"].map(registry["name_zh"])
    direction = raw["indicator"].map(registry["direction"])
    adverse = [_adverse(c, d) for c, d in zip(raw["claim"], direction)]
    table = raw.assign(name_zh=known, adverse=pd.Series(adverse, dtype="object"), row=range(2, len(raw) + 2))
    return table[out_columns]


def _claim_problems(rec) -> list[tuple[str, str]]:
    """(column, message) for the claims-only columns a row gets wrong (the shared columns are
    checked by :class:`eduanalysis.data.figures.RowContext`)."""
    out = []
    if not _ID_RE.match(rec.claim_id):
        out.append(("claim_id", f"expected a short id of letters, digits, _ or - (e.g. MC01), found {rec.claim_id!r}"))
    if rec.claim not in CLAIMS:
        out.append(("claim", f"expected one of {'、'.join(CLAIMS)}, found {rec.claim!r}{suggest(rec.claim, CLAIMS)}"))
    if not rec.quote.strip():
        out.append(("quote", "must not be empty: copy the shortest fragment of the document that carries the claim"))
    return out


def unquoted_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims whose ``quote`` is not found verbatim in their source.

    Compared as :func:`eduanalysis.data.verbatim.found_verbatim` compares figures: both
    sides normalised, whitespace ignored, a quote that starts or ends with a digit must not
    be part of a longer number.

    Sources without a registered text copy (``sources.csv`` column ``file``) cannot be
    checked and are left out; the result has the claims' columns plus ``reason``.

    Examples
    --------
    >>> unquoted_claims(load_claims("yining")).empty
    True
    """
    from .sources import source_text
    from .verbatim import found_verbatim, prepare_text

    texts: dict[str, str | None] = {}
    rows = []
    for rec in claims.itertuples(index=False):
        if rec.source not in texts:
            text = source_text(rec.source)
            texts[rec.source] = prepare_text(text) if text is not None else None
        text = texts[rec.source]
        if text is not None and not found_verbatim(rec.quote, text, prepared=True):
            rows.append({**rec._asdict(), "reason": f"quote not found in the text of {rec.source}"})
    return pd.DataFrame(rows, columns=[*claims.columns, "reason"])
