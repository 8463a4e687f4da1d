"""The named exceptions of eduanalysis.

Every error the package raises on purpose derives from :class:`EduAnalysisError`, so a
caller (the CLI, a batch runner) can tell "bad input, say so" from a bug.
"""

from __future__ import annotations

__all__ = [
    "DataValidationError",
    "EduAnalysisError",
    "NoFiguresError",
    "NotebookExecutionError",
    "REGISTER_HINT",
    "ParameterError",
    "UnknownRegionError",
    "UnknownStandardError",
]


class EduAnalysisError(Exception):
    """Base class of all errors raised on purpose by eduanalysis."""


class DataValidationError(EduAnalysisError, ValueError):
    """Input data break a rule; the message names the file/argument, row, column and rule."""


class NoFiguresError(DataValidationError):
    """A region has no reported figures at all: there is nothing to report (exit 2)."""


class ParameterError(EduAnalysisError, ValueError):
    """A function or notebook parameter has an unknown name, a wrong type or value."""


#: how to register a region, appended to the message of an unknown one
REGISTER_HINT = (
    "to add a region, register it: `eduanalysis new-region SLUG --name 名称 --province 省份 --kind 地级市` "
    "creates its files and prints the line to add to data/raw/regions.csv "
    "(columns slug,name_zh,province,parent,kind; see docs/adding-a-region.md)"
)


class UnknownRegionError(EduAnalysisError, LookupError):
    """A region slug is not in the registry ``data/raw/regions.csv``; the message says how to register it."""

    def __init__(self, slug: str, known: list[str], *, hint: str = "", message: str = ""):
        self.slug = slug
        self.known = sorted(known)
        super().__init__(
            message
            or f"unknown region {slug!r}{hint}; known regions: {', '.join(self.known) or '(none)'}; {REGISTER_HINT}"
        )

    def __str__(self) -> str:  # LookupError would otherwise quote the message
        return self.args[0]


class UnknownStandardError(EduAnalysisError, LookupError):
    """A standard id is not in the standards data."""

    def __str__(self) -> str:
        return self.args[0]


class NotebookExecutionError(EduAnalysisError, RuntimeError):
    """A report notebook failed to execute (cell error, timeout, dead kernel)."""
