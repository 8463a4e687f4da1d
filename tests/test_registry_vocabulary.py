"""The indicator vocabulary: a core that is not the four documents', and region-local ids.

The core (``eduanalysis/data/indicators.csv``) is what county and city education
statistics generally report; what only one region's documents report lives in
``data/raw/indicators/<slug>.csv`` and is loaded with it.
"""

from __future__ import annotations

import re

import pytest

from eduanalysis.data.regions import load_regions
from eduanalysis.data.registry import indicator_registry

#: the general statistics a county or city evaluation reports (issue #11 item 4)
GENERAL = [
    "schools",
    "enrolment",
    "fulltime_teachers",
    "staff_count",
    "student_teacher_ratio",
    "preschool_gross_enrolment_rate",
    "retention_rate",
    "gross_enrolment_rate",
    "hs_gross_enrolment_rate",
    "per_student_budget_spending",
    "public_funds_per_student",
    "school_building_area",
    "edu_budget_expenditure",
    "composite_cv",
    "cv_books_per_student",
    "puhui_coverage",
    "public_kindergarten_share",
    "large_class_share",
]


def test_the_core_has_the_general_statistics():
    core = indicator_registry().query("scope == 'core'")
    assert [i for i in GENERAL if i not in core.index] == []


def test_the_core_names_no_place():
    core = indicator_registry().query("scope == 'core'")
    places = [re.sub(r"(市|区|县|自治县)$", "", n) for n in load_regions()["name_zh"]] + ["自治区"]
    named = core[core["name_zh"].map(lambda s: any(p and p in s for p in places))]
    assert named.empty, named["name_zh"].tolist()


@pytest.mark.parametrize("scope", sorted(set(indicator_registry()["scope"]) - {"core"}))
def test_local_indicators_belong_to_a_registered_region(scope):
    assert scope in load_regions().index
