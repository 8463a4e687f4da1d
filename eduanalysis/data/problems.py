"""Problems found in an input file, as data: where (file, row, column), the value, the rule.

A check that looks at every cell returns a list of :class:`Problem` instead of stopping at
the first, so one run can list everything that is wrong with a file; a reader that must
refuse the file raises the first error (:func:`raise_first`).  ``severity`` is
``"error"`` (the file is refused) or ``"warning"`` (a flag: implausible but possible; the
data are kept as they are and the flag is shown).
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ..errors import DataValidationError

__all__ = ["PROBLEM_COLUMNS", "SEVERITIES", "Problem", "problems_frame", "raise_first"]

SEVERITIES = ("error", "warning")
PROBLEM_COLUMNS = ["file", "row", "column", "value", "rule", "severity", "message"]


class Problem(NamedTuple):
    """One problem of an input file.

    ``row`` is the row as a spreadsheet shows it (the header is row 1), ``column`` the
    column name as written in the file, ``value`` the cell as written, ``rule`` a short
    id (``number``, ``not_total`` …) and ``message`` what was expected and what was found.

    Examples
    --------
    >>> p = Problem("t.csv", 3, "图书册数", "很多", "number", "expected a number, found '很多'")
    >>> str(p)
    "t.csv, row 3, column '图书册数': expected a number, found '很多'"
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    severity: str = "error"

    def location(self) -> str:
        """``file, row N, column 'name'`` (the parts that are known)."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def error(self) -> DataValidationError:
        """The ``DataValidationError`` that refuses the file for this problem."""
        return DataValidationError(str(self))


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table (columns :data:`PROBLEM_COLUMNS`), in the order given."""
    return pd.DataFrame([p._asdict() for p in problems], columns=PROBLEM_COLUMNS)


def raise_first(problems: list[Problem]) -> None:
    """Raise the first error of ``problems`` (by row; file-level first), if there is one.

    The message says how many more errors the file has, so a user fixing one at a time
    knows there is more to do.
    """
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        return
    first = min(errors, key=lambda p: -1 if p.row is None else p.row)  # min keeps the first of ties
    more = len(errors) - 1
    suffix = f" (and {more} more error{'s' if more > 1 else ''} in this file)" if more else ""
    raise DataValidationError(f"{first}{suffix}")
