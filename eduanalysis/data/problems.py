"""A problem found in the input data: where it is, what was found, what was expected.

Loaders raise the first problem as a ``DataValidationError``; ``eduanalysis validate``
collects every problem of a region's data and prints them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem"]


@dataclass(frozen=True)
class Problem:
    """One problem: ``file``, ``row`` (1 = header, 0 = the whole file), ``column``, the
    offending ``value`` and the full ``message`` (which names all of them and what is
    allowed, with a suggestion where one exists)."""

    file: Path
    row: int
    column: str
    value: str
    message: str
    severity: str = "error"  # error | warning
