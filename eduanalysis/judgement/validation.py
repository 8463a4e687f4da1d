"""``eduanalysis validate``: the region's data files, its checks, and a dry run of the judgement.

:func:`validate_region` adds to :func:`eduanalysis.data.validate.validate_data` what only
this layer can check: the checks file (every reference resolves to the figure it names)
and a dry run of what a report computes — findings, audit, plan targets — so that data
the validation lets through never makes ``eduanalysis report`` fail later.
"""

from __future__ import annotations

from .. import paths
from ..data.problems import Problem
from ..data.validate import split_problems, validate_data
from ..errors import EduAnalysisError

__all__ = ["validate_region"]


def validate_region(region: str) -> list[Problem]:
    """Every problem of a region, errors first; an empty list means the report can be made.

    Examples
    --------
    >>> [p.message for p in validate_region("wuhai") if p.severity == "error"]
    []
    """
    from .audit import load_checks
    from .findings import findings, region_audit
    from .targets import plan_targets

    problems = validate_data(region)
    data_errors = any(p.severity == "error" for p in problems)
    checks = paths.CHECKS_DIR / f"{region}.csv"
    if checks.exists() and not any(p.file == paths.REGIONS_CSV and p.severity == "error" for p in problems):
        # the checks are read even when figure rows have errors: their references are resolved
        # against the figures file as it is, so a wrong reference shows in the same run
        try:
            load_checks(region, figures=_figures_as_they_are(region))
        except EduAnalysisError as exc:
            problems += split_problems(checks, str(exc))
    if data_errors or any(p.file == checks for p in problems):
        # the dry run would only fail again on the errors listed: fix them first
        return sorted(problems, key=lambda p: (p.severity != "error", str(p.file), p.row))
    steps = [
        (paths.DATA_RAW, "the findings", lambda: findings(region)),
        (paths.DATA_RAW, "the audit", lambda: region_audit(region)),
        (paths.DATA_RAW, "the plan targets", lambda: plan_targets(region)),
    ]
    for path, name, step in steps:
        try:
            step()
        except EduAnalysisError as exc:
            problems.append(Problem(path, 0, "", "", f"{name} of {region!r}: {exc}"))
            break  # the later steps build on the earlier ones
    return sorted(problems, key=lambda p: (p.severity != "error", str(p.file), p.row))


def _figures_as_they_are(region: str):
    """The region's figures parsed without stopping at a bad row (bad rows have no value)."""
    from ..data.figures import check_figures, figures_path

    path = figures_path(region)
    if not path.exists():
        return None
    try:
        return check_figures(region, path)[0]
    except EduAnalysisError:
        return None  # the file itself is unreadable: validate_data has said so
