"""A problem found in the input data: where it is, what was found, what was expected.

Loaders raise the first problem as a ``DataValidationError``; ``eduanalysis validate``
collects every problem of a region's data and prints them all at once.  A check that
looks at every cell (school tables, :mod:`eduanalysis.data.school_rules`) returns a list
of problems instead of stopping at the first; :func:`raise_first` refuses the file with
the first error.  ``severity`` is ``"error"`` (the file is refused) or ``"warning"`` (a
flag: implausible but possible, or a file that may be incomplete; the data are kept as
they are).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataValidationError

__all__ = ["PROBLEM_COLUMNS", "SEVERITIES", "Problem", "problems_frame", "raise_first"]

SEVERITIES = ("error", "warning")
PROBLEM_COLUMNS = ["file", "row", "column", "value", "message", "severity", "rule"]


@dataclass(frozen=True)
class Problem:
    """One problem: ``file``, ``row`` (1 = header, 0 = the whole file), ``column``, the
    offending ``value`` and the full ``message`` (which names all of them and what is
    allowed, with a suggestion where one exists); ``rule`` is a short id of the rule
    broken (``number``, ``total_row_school`` …) where the check has one.

    Examples
    --------
    >>> p = Problem.at("t.csv", 3, "图书册数", "很多", "expected a number, found '很多'", rule="number")
    >>> str(p)
    "t.csv, row 3, column '图书册数': expected a number, found '很多'"
    """

    file: Path | str
    row: int
    column: str
    value: str
    message: str
    severity: str = "error"  # error | warning
    rule: str = ""

    @classmethod
    def at(
        cls,
        file: Path | str,
        row: int,
        column: str,
        value: str,
        detail: str,
        *,
        rule: str = "",
        severity: str = "error",
    ) -> Problem:
        """A problem whose message is ``file, row N, column 'name': detail`` (the known parts)."""
        where = [str(file)]
        if row:
            where.append(f"row {row}")
        if column:
            where.append(f"column {column!r}")
        return cls(file, row, column, value, f"{', '.join(where)}: {detail}", severity, rule)

    @classmethod
    def each(
        cls,
        mask,
        file: Path | str,
        first_row: int,
        column: str,
        values,
        details,
        *,
        rule: str = "",
        severity: str = "error",
    ) -> list[Problem]:
        """One problem per true entry of ``mask`` (entry ``i`` is row ``first_row + i``).

        ``values`` and ``details`` give the offending cell and what is wrong with it, one
        item per *flagged* row in order (e.g. ``cells[mask]``), or one string for all.

        Examples
        --------
        >>> cells = pd.Series(["3", "-1", "-2"])
        >>> bad = cells.str.startswith("-")
        >>> [str(p) for p in Problem.each(bad, "t.csv", 2, "图书册数", cells[bad], "must be >= 0")]
        ["t.csv, row 3, column '图书册数': must be >= 0", "t.csv, row 4, column '图书册数': must be >= 0"]
        """
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        values = [values] * len(rows) if isinstance(values, str) else list(values)
        details = [details] * len(rows) if isinstance(details, str) else list(details)
        if not len(values) == len(details) == len(rows):
            raise ValueError(f"{len(rows)} flagged rows, {len(values)} values and {len(details)} details")
        return [
            cls.at(file, first_row + int(i), column, str(v), d, rule=rule, severity=severity)
            for i, v, d in zip(rows, values, details)
        ]

    def __str__(self) -> str:
        return self.message

    def error(self) -> DataValidationError:
        """The ``DataValidationError`` that refuses the file for this problem."""
        return DataValidationError(self.message)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table (columns :data:`PROBLEM_COLUMNS`), in the order given."""
    return pd.DataFrame([dataclasses.asdict(p) for p in problems], columns=PROBLEM_COLUMNS)


def raise_first(problems: list[Problem]) -> None:
    """Raise the first error of ``problems`` (by row; the whole file first), if there is one.

    The message says how many more errors the file has, so a user fixing one at a time
    knows there is more to do.
    """
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        return
    first = min(errors, key=lambda p: p.row)  # min keeps the first of ties
    more = len(errors) - 1
    suffix = f" (and {more} more error{'s' if more > 1 else ''} in this file)" if more else ""
    raise DataValidationError(f"{first.message}{suffix}")
