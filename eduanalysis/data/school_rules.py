"""Plausibility rules for school tables, kept as data (``school_rules.csv``).

A school table can be well-formed and still wrong: a 合计 row counted as a school, 220
qualified teachers in a school of 22 full-time teachers, equipment entered in 万元 where
元 is expected.  Each rule of ``school_rules.csv`` is one row:

``rule_id``
    short id, shown with the problem.
``kind``
    ``not_total`` — the text of ``column`` must not match the regular expression in
    ``parameter`` (合计/小计/总计 …); ``at_most`` — ``column`` ≤ ``reference`` in the same
    row (a part is not larger than its whole); ``per_student_at_least`` /
    ``per_student_at_most`` — ``column`` ÷ enrolment ≥ / ≤ ``parameter``.
``column``, ``reference``
    canonical column names of :data:`eduanalysis.data.schools.COLUMNS`; a rule whose
    columns the table does not have is skipped.
``severity``
    ``error`` refuses the table; ``warning`` flags it (implausible but possible; the
    values are kept as they are).
``explanation``
    why the rule holds, appended to the message.

Nothing is repaired: a rule only ever reports.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError
from .problems import SEVERITIES, Problem
from .readers import read_csv_table

__all__ = ["RULES_CSV", "RULE_COLUMNS", "RULE_KINDS", "PlausibilityWarning", "check_rules", "load_rules"]

RULES_CSV = Path(__file__).with_name("school_rules.csv")
RULE_COLUMNS = ["rule_id", "kind", "column", "reference", "parameter", "severity", "explanation"]
RULE_KINDS = ("not_total", "at_most", "per_student_at_least", "per_student_at_most")


class PlausibilityWarning(UserWarning):
    """A value breaks a ``warning`` plausibility rule: implausible but possible; kept as is."""


def load_rules(path: str | Path | None = None, *, known_columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Read and validate the rules; return them in file order.

    Examples
    --------
    >>> rules = load_rules()
    >>> rules.loc[rules.rule_id == "qualified_within_teachers", ["column", "reference"]].values.tolist()
    [['qualified_teachers', 'teachers']]
    """
    path = Path(path) if path is not None else RULES_CSV
    return _load(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0, known_columns).copy()


@lru_cache(maxsize=8)
def _load(path: Path, version: int, known_columns: tuple[str, ...] | None) -> pd.DataFrame:
    rules = read_csv_table(path, columns=RULE_COLUMNS)
    for i, rule in enumerate(rules.itertuples(index=False), start=2):
        where = f"{path}, row {i} ({rule.rule_id})"
        if rule.kind not in RULE_KINDS:
            raise DataValidationError(f"{where}, column `kind`: expected one of {', '.join(RULE_KINDS)}")
        if rule.severity not in SEVERITIES:
            raise DataValidationError(f"{where}, column `severity`: expected error or warning")
        names = [rule.column] + ([rule.reference] if rule.kind == "at_most" else [])
        for name in names:
            if known_columns is not None and name not in known_columns:
                raise DataValidationError(f"{where}: {name!r} is not a school-table column")
        if rule.kind == "not_total":
            try:
                re.compile(rule.parameter)
            except re.error as exc:
                raise DataValidationError(f"{where}, column `parameter`: not a regular expression ({exc})") from None
        elif rule.kind.startswith("per_student"):
            try:
                float(rule.parameter)
            except ValueError:
                raise DataValidationError(f"{where}, column `parameter`: expected a number") from None
    if rules["rule_id"].duplicated().any():
        raise DataValidationError(
            f"{path}: duplicated rule ids {rules['rule_id'][rules['rule_id'].duplicated()].tolist()}"
        )
    return rules


def check_rules(
    table: pd.DataFrame,
    file: str,
    headers: dict[str, str],
    *,
    first_row: int = 2,
    rules: pd.DataFrame | None = None,
    kinds: tuple[str, ...] = RULE_KINDS,
) -> list[Problem]:
    """Apply the rules to a typed school table (canonical columns); return the problems.

    ``headers`` maps each canonical column to its name as written in the file (used in
    the messages); row ``k`` of ``table`` is file row ``first_row + k``.  Missing values
    (NaN) are skipped: they are reported by the cell checks.  ``kinds`` selects rules by
    the start of their kind (``("not_total",)`` works on text before numbers are read).

    Examples
    --------
    >>> t = pd.DataFrame({"school": ["一小"], "teachers": [22], "qualified_teachers": [220]})
    >>> [str(p) for p in check_rules(t, "t.csv", {"teachers": "专任教师数",
    ...                                          "qualified_teachers": "高于规定学历教师数"})]
    ... # doctest: +ELLIPSIS
    ["t.csv, row 2, column '高于规定学历教师数': 220 is more than 专任教师数 (22) ...]
    """
    rules = load_rules() if rules is None else rules
    problems: list[Problem] = []
    for rule in rules.itertuples(index=False):
        if rule.column not in table.columns or not rule.kind.startswith(kinds):
            continue
        cells = table[rule.column]
        header = headers.get(rule.column, rule.column)
        flagged = {"rule": rule.rule_id, "severity": rule.severity}
        if rule.kind == "not_total":
            # (?i) inline rather than flags=: pandas then matches in Arrow, not cell by cell
            hits = cells.astype(str).str.contains(f"(?i){rule.parameter}", regex=True).to_numpy(bool)
            why = [f"{c!r} is a totals row, not a school: {rule.explanation}" for c in cells[hits]]
            problems += Problem.each(hits, file, first_row, header, cells[hits], why, **flagged)
            continue
        if rule.kind == "at_most":
            if rule.reference not in table.columns:
                continue
            whole = table[rule.reference]
            bad = (cells > whole).to_numpy(bool)  # NaN compares False
            name = headers.get(rule.reference, rule.reference)
            shown = [_show(c) for c in cells[bad]]
            why = [
                f"{c} is more than {name} ({_show(w)}) in the same row: {rule.explanation}"
                for c, w in zip(shown, whole[bad])
            ]
            problems += Problem.each(bad, file, first_row, header, shown, why, **flagged)
            continue
        if "enrolment" not in table.columns:
            continue
        limit = float(rule.parameter)
        per_student = cells / table["enrolment"]
        bad = (per_student < limit if rule.kind == "per_student_at_least" else per_student > limit).to_numpy(bool)
        relation = "below" if rule.kind == "per_student_at_least" else "above"
        shown = [_show(c) for c in cells[bad]]
        why = [
            f"{c} for {_show(n)} pupils is {r:.4g} per pupil, {relation} {limit:g}: {rule.explanation}"
            for c, n, r in zip(shown, table["enrolment"][bad], per_student[bad])
        ]
        problems += Problem.each(bad, file, first_row, header, shown, why, **flagged)
    return problems


def _show(value) -> str:
    """A number as the file would write it (no trailing .0 for whole numbers)."""
    value = float(value)
    return f"{value:.0f}" if value.is_integer() else f"{value:g}"
