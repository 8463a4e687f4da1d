"""Reviewing a draft and accepting its rows into ``data/raw/figures/``.

A draft (written by ``eduanalysis draft``) is a CSV with the columns of a figures file plus
``quote``, ``confidence`` and ``why``.  The person reviewing it adds a ``review`` column,
kept **in the draft file** (a spreadsheet, JupyterLab's CSV editor, or :func:`mark_review`):

- ``accept`` — the row is right as drafted;
- ``edit`` — the person corrected the row's fields in the draft, and it is right now;
- ``reject`` — the number is not a figure, or the row cannot be mended;
- empty — not reviewed yet.

:func:`accept_draft` appends the accepted and edited rows to the region's figures file,
but only after the checks every hand-typed figure goes through
(:func:`eduanalysis.data.validate.figure_file_problems`: vocabularies, the value and its
unit, the number found verbatim in its document, the same figure stated twice) pass for
the file *as it would be*.  Otherwise nothing is written and every problem is listed,
named by the draft's file and row.  The file is replaced in one step (atomic write): a
reader never sees half of it.  Raw data is written by nothing else in this module.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...errors import DataValidationError, ParameterError
from ...fileio import atomic_write_bytes
from ..figures import FIGURE_COLUMNS, figures_path
from ..readers import decode_text, read_csv_table
from .extract import DRAFT_COLUMNS  # the figures format plus quote, confidence, why

__all__ = [
    "DRAFT_COLUMNS",
    "EXAMPLE_DOCUMENT",
    "REVIEW_CHOICES",
    "AcceptResult",
    "accept_draft",
    "example_draft",
    "load_draft",
    "mark_review",
]

#: what the ``review`` column may hold (empty: not reviewed yet)
REVIEW_CHOICES = ("accept", "edit", "reject", "")


def load_draft(path: str | Path) -> pd.DataFrame:
    """Read a draft: its columns as strings, ``review`` added (empty) when the file has none.

    Also ``row`` (the line of the CSV) and ``confidence`` as a number.  A missing column, a
    ``review`` value other than accept/edit/reject/empty, or a confidence outside 0–1 is a
    :class:`~eduanalysis.errors.DataValidationError` naming the file, row and column.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text(",".join(DRAFT_COLUMNS) + "\\n" + "x," * (len(DRAFT_COLUMNS) - 3) + "q,0.9,w\\n")
    >>> load_draft(p)[["row", "confidence", "review"]].to_dict("records")
    [{'row': 2, 'confidence': 0.9, 'review': ''}]
    """
    if not str(path).strip():
        raise ParameterError("draft: give the path of a draft CSV (the --out of `eduanalysis draft`)")
    path = Path(path)
    if not path.is_file():
        raise DataValidationError(
            f"{path}: no such draft file (write one with `eduanalysis draft DOCUMENT --out FILE`)"
        )
    table = read_csv_table(path)
    missing = [c for c in DRAFT_COLUMNS if c not in table.columns]
    if missing:
        raise DataValidationError(
            f"{path}: not a draft of `eduanalysis draft`: the header lacks {', '.join(missing)} "
            f"(expected {','.join(DRAFT_COLUMNS)}[,review])"
        )
    if "review" not in table.columns:
        table["review"] = ""
    problems = []
    confidence = pd.to_numeric(table["confidence"], errors="coerce")
    for i, (review, conf, raw) in enumerate(zip(table["review"], confidence, table["confidence"]), start=2):
        if review.strip().lower() not in REVIEW_CHOICES:
            problems.append(
                f"{path}, row {i}, column `review`: expected accept, edit, reject or empty, found {review!r}"
            )
        if not (0 <= conf <= 1):
            problems.append(f"{path}, row {i}, column `confidence`: expected a number from 0 to 1, found {raw!r}")
    if problems:
        raise DataValidationError(f"{len(problems)} problem(s) in {path}:\n" + "\n".join(problems))
    table["review"] = table["review"].str.strip().str.lower()
    return table.assign(confidence=confidence, row=range(2, len(table) + 2))


def _csv_text(table: pd.DataFrame, columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(table[columns].astype(str).itertuples(index=False, name=None))
    return buffer.getvalue()


def mark_review(path: str | Path, rows: list[int], review: str) -> pd.DataFrame:
    """Set ``review`` of the given CSV rows of a draft (``accept``/``edit``/``reject``/``""``) in the file.

    The other columns are written back as they were read; the file is replaced atomically.
    Returns the draft as :func:`load_draft` reads it afterwards.
    """
    path = Path(path)
    if review not in REVIEW_CHOICES:
        raise DataValidationError(f"review must be one of accept, edit, reject or empty, found {review!r}")
    draft = load_draft(path)
    unknown = sorted(set(rows) - set(draft["row"]))
    if unknown:
        raise DataValidationError(f"{path}: no row(s) {unknown}; the draft has rows 2–{len(draft) + 1}")
    raw = read_csv_table(path)
    if "review" not in raw.columns:
        raw["review"] = ""
    raw.loc[[r - 2 for r in rows], "review"] = review
    columns = list(raw.columns)
    atomic_write_bytes(path, (",".join(columns) + "\n" + _csv_text(raw, columns)).encode("utf-8"))
    return load_draft(path)


@dataclass(frozen=True)
class AcceptResult:
    """What :func:`accept_draft` appended."""

    path: Path  # the figures file written
    added: int  # rows appended
    first_row: int  # the figures-file row the first of them got
    skipped: int  # rows rejected or not reviewed yet

    @property
    def summary(self) -> str:
        """What was done, in Chinese (the review notebook shows it).

        Examples
        --------
        >>> AcceptResult(Path("data/raw/figures/yining.csv"), 2, 88, 5).summary
        '已追加 2 行到 yining.csv（第88–89行）；5 行未追加（拒绝或尚未审核）。下一步：eduanalysis validate yining'
        """
        last = self.first_row + self.added - 1
        return (
            f"已追加 {self.added} 行到 {self.path.name}（第{self.first_row}–{last}行）；{self.skipped} 行未追加"
            f"（拒绝或尚未审核）。下一步：eduanalysis validate {self.path.stem}"
        )


def accept_draft(draft_csv: str | Path, region: str) -> AcceptResult:
    """Append a draft's accepted and edited rows to ``data/raw/figures/<region>.csv``.

    Only after the region's figures file *with the new rows* passes the checks of hand-typed
    figures; otherwise :class:`~eduanalysis.errors.DataValidationError` lists every problem
    (those of the new rows named by the draft's file and row) and nothing is written.  A row
    whose ``region`` is not ``region``, or that is already in the figures file (same fields
    and value), is refused too; a row of another region fails the check of its ``region`` column.

    Parameters
    ----------
    draft_csv
        The draft, with its ``review`` column filled in.
    region
        The region (registered in ``data/raw/regions.csv``) whose figures file receives the rows.
    """
    from ..regions import get_region
    from ..validate import figure_file_problems, source_texts

    draft_csv = Path(draft_csv)
    get_region(region)  # an unregistered region: the error says how to register it
    draft = load_draft(draft_csv)
    chosen = draft[draft["review"].isin(["accept", "edit"])]
    if chosen.empty:
        raise DataValidationError(
            f"{draft_csv}: no row is marked accept or edit in the `review` column; nothing to add"
        )
    target = figures_path(region)
    problems = []
    if target.exists():
        text, encoding = decode_text(target)
        if encoding != "utf-8":
            raise DataValidationError(
                f"{target}: saved as {encoding.upper()}; save it as UTF-8 before rows are added to it"
            )
        existing = read_csv_table(target, columns=FIGURE_COLUMNS)
        head = text if text.endswith("\n") else text + "\n"
    else:
        existing = pd.DataFrame(columns=FIGURE_COLUMNS)
        head = ",".join(FIGURE_COLUMNS) + "\n"
    seen = {tuple(r): i for i, r in enumerate(existing[FIGURE_COLUMNS].itertuples(index=False, name=None), start=2)}
    for rec in chosen.itertuples(index=False):
        key = tuple(getattr(rec, c) for c in FIGURE_COLUMNS)
        if key in seen:
            problems.append(f"{draft_csv}, row {rec.row}: already in {target} (row {seen[key]}); accepted before?")
    body = _csv_text(chosen, FIGURE_COLUMNS)
    content = (head + body).encode("utf-8")
    # the file as it would be, checked in a temporary folder (nothing is written under data/raw/
    # unless it passes; the documents' paths are relative to the project root, not to the file)
    first_row = len(existing) + 2
    where = {first_row + k: r for k, r in enumerate(chosen["row"])}
    with tempfile.TemporaryDirectory(prefix="eduanalysis-accept-") as folder:
        candidate = Path(folder) / target.name
        candidate.write_bytes(content)
        _, found = figure_file_problems(region, candidate, source_texts())
    for p in found:
        if p.severity != "error":
            continue
        message = p.message.replace(str(candidate), str(target))
        if p.row in where:
            message = message.replace(f"{target}, row {p.row}", f"{draft_csv}, row {where[p.row]}")
        problems.append(message)
    if problems:
        raise DataValidationError(
            f"{len(problems)} problem(s): nothing was added to {target}; mend the draft and accept again:\n"
            + "\n".join(problems)
        )
    atomic_write_bytes(target, content)
    return AcceptResult(target, len(chosen), first_row, len(draft) - len(chosen))


#: a short synthetic self-evaluation (示例县, not a real place) the review notebook drafts when it
#: is given no draft, so that it runs top to bottom with its defaults and shows what a draft looks like
EXAMPLE_DOCUMENT = Path(__file__).resolve().parent.parent / "examples" / "draft_example.txt"


def example_draft(folder: str | Path | None = None) -> Path:
    """Draft :data:`EXAMPLE_DOCUMENT` into ``folder`` (a new temporary folder by default) and
    return the draft CSV's path; nothing is written into ``data/``.

    Examples
    --------
    >>> rows = load_draft(example_draft())
    >>> rows.loc[rows["value_as_written"] == "91.5%", ["year", "level", "indicator"]].to_dict("records")
    [{'year': '2023', 'level': '学前', 'indicator': 'preschool_gross_enrolment_rate'}]
    """
    import tempfile

    from .extract import draft
    from .readers import read_document

    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="eduanalysis-draft-"))
    out = folder / "draft_example.csv"
    draft(read_document(EXAMPLE_DOCUMENT)).to_csv(out, index=False)
    return out

