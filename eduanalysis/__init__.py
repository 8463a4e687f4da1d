"""eduanalysis — Chinese regional education-evaluation analyses.

Difference coefficients (差异系数), growth rates, ratios and national standards for the
annual evaluations of China's cities and counties, with parameterized notebooks rendered
to offline HTML reports.

The package is layered; imports point down only (a test checks it):

- :mod:`eduanalysis.measures` — numbers in, numbers out (差异系数, growth, ratios);
- :mod:`eduanalysis.data` — figures, school tables, regions, sources, validation;
- :mod:`eduanalysis.judgement` — standards, rules, findings, audit;
- :mod:`eduanalysis.presentation` — sections, tables, charts (imports matplotlib);
- :mod:`eduanalysis.running` — papermill/nbconvert, batch, Dask.

This module re-exports the measures, data and judgement API (no matplotlib import).
"""

from .data.figures import all_figures, load_figures, parse_quantity, region_figures
from .data.regions import get_region, load_regions
from .data.registry import indicator_info, indicator_registry
from .errors import (
    DataValidationError,
    EduAnalysisError,
    NotebookExecutionError,
    ParameterError,
    UnknownRegionError,
    UnknownStandardError,
)
from .judgement.assess import assess, assess_frame, quality_school_check
from .judgement.findings import all_findings, findings, observations, two_no_decrease
from .judgement.planning import compare_plans, county_plan, load_costs, naive_plan, school_plan, what_if
from .judgement.standards import get_threshold, indicator_set, load_standards
from .judgement.targets import plan_targets
from .measures.coefficients import (
    composite_coefficient,
    cv_contributions,
    difference_coefficients,
    grouped_contributions,
    weighted_cv,
    weighted_moments,
)
from .measures.growth import (
    compound_rate,
    decreases,
    growth_table,
    pp_change,
    required_rate,
    yoy,
)
from .measures.ratios import Ratio, format_ratio, parse_ratio, per_hundred, per_one, ratio_to_float, shares

__version__ = "0.1.0"

__all__ = [
    "DataValidationError",
    "EduAnalysisError",
    "NotebookExecutionError",
    "ParameterError",
    "Ratio",
    "UnknownRegionError",
    "UnknownStandardError",
    "__version__",
    "all_figures",
    "all_findings",
    "assess",
    "assess_frame",
    "composite_coefficient",
    "compare_plans",
    "compound_rate",
    "county_plan",
    "cv_contributions",
    "decreases",
    "difference_coefficients",
    "findings",
    "format_ratio",
    "get_region",
    "get_threshold",
    "grouped_contributions",
    "growth_table",
    "indicator_info",
    "indicator_registry",
    "indicator_set",
    "load_costs",
    "load_figures",
    "load_regions",
    "load_standards",
    "naive_plan",
    "observations",
    "parse_quantity",
    "parse_ratio",
    "per_hundred",
    "per_one",
    "plan_targets",
    "pp_change",
    "quality_school_check",
    "region_figures",
    "ratio_to_float",
    "required_rate",
    "school_plan",
    "shares",
    "two_no_decrease",
    "weighted_cv",
    "weighted_moments",
    "what_if",
    "yoy",
]
