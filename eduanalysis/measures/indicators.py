"""School raw counts → the per-student and per-100-student indicators of the standards.

Each derived indicator is named by its registry id.  Only indicators whose raw columns
are present are derived, so a table with just enrolment and books gives
``books_per_student``.  Enrolment is validated (> 0) by :mod:`eduanalysis.schools`.
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataValidationError

__all__ = ["DERIVATIONS", "school_indicators"]

#: indicator id -> (raw column, multiplier per student)
DERIVATIONS: dict[str, tuple[str, float]] = {
    # 2012 basic balance (per student; computers per 100 students)
    "teaching_aux_area_per_student": ("teaching_aux_area", 1.0),
    "sports_area_per_student": ("sports_area", 1.0),
    "equipment_value_per_student": ("equipment_value", 1.0),
    "computers_per_100": ("computers", 100.0),
    "books_per_student": ("books", 1.0),
    "teachers_per_student": ("teachers", 1.0),
    "qualified_teachers_per_student": ("qualified_teachers", 1.0),
    "senior_title_teachers_per_student": ("senior_title_teachers", 1.0),
    # 2017 quality balance (per 100 students)
    "qualified_teachers_per_100": ("qualified_teachers", 100.0),
    "key_teachers_per_100": ("key_teachers", 100.0),
    "pe_art_teachers_per_100": ("pe_art_teachers", 100.0),
    "multimedia_rooms_per_100": ("multimedia_rooms", 100.0),
}


def school_indicators(schools: pd.DataFrame, *, enrolment: str = "enrolment") -> pd.DataFrame:
    """Add every derivable indicator column to a (validated) school table.

    Examples
    --------
    >>> t = pd.DataFrame({"school": ["甲"], "enrolment": [400], "books": [10000],
    ...                   "key_teachers": [6]})
    >>> out = school_indicators(t)
    >>> float(out.loc[0, "books_per_student"]), float(out.loc[0, "key_teachers_per_100"])
    (25.0, 1.5)
    """
    if enrolment not in schools.columns:
        raise DataValidationError(f"school table has no `{enrolment}` column")
    pupils = schools[enrolment].astype("float64")
    if (pupils <= 0).any() or pupils.isna().any():
        raise DataValidationError(f"`{enrolment}` must be > 0 for every school (validate with read_school_table first)")
    derived = {
        name: schools[raw].astype("float64") * factor / pupils
        for name, (raw, factor) in DERIVATIONS.items()
        if raw in schools.columns
    }
    return schools.assign(**derived)
