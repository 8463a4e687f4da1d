"""``eduanalysis validate``: the region's data files, its checks, and a dry run of the judgement.

:func:`validate_region` adds to :func:`eduanalysis.data.validate.validate_data` what only
this layer can check: the checks file (every reference resolves to the figure it names)
and a dry run of what a report computes — findings, audit, plan targets — so that data
the validation lets through never makes ``eduanalysis report`` fail later.
"""

from __future__ import annotations

from .. import paths
from ..data.problems import Problem
from ..data.validate import validate_data
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
    if any(p.severity == "error" for p in problems):
        return problems
    checks = paths.CHECKS_DIR / f"{region}.csv"
    steps = [(checks, "the checks file", lambda: load_checks(region))] if checks.exists() else []
    steps += [
        (paths.DATA_RAW, "the findings", lambda: findings(region)),
        (paths.DATA_RAW, "the audit", lambda: region_audit(region)),
        (paths.DATA_RAW, "the plan targets", lambda: plan_targets(region)),
    ]
    for path, name, step in steps:
        try:
            step()
        except EduAnalysisError as exc:
            problems.append(Problem(path, 0, "", "", f"{name} of {region!r}: {exc}"))
            break
    return sorted(problems, key=lambda p: (p.severity != "error", str(p.file), p.row))
