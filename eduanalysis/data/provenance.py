"""How a report was made: parameters, input files with hashes, package version, run time."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import paths
from .registry import INDICATORS_CSV

__all__ = ["display_path", "file_sha256", "region_inputs", "input_hashes"]


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """A file's path relative to the project (or the package), else as given."""
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        try:
            return "eduanalysis/" + path.resolve().relative_to(paths.PACKAGE_DIR).as_posix()
        except ValueError:
            return path.as_posix()


def region_inputs(region: str) -> list[Path]:
    """The input files a report on ``region`` reads (those that exist), in a stable order.

    A region's report reads its own figures, checks and claims, those of its districts and
    counties, and — for a district — its parent's; plus the registries and the judgement
    data (standards, rules, plausibility limits).
    """
    from .regions import children as children_of
    from .regions import get_region

    info = get_region(region)
    owners = [region, *children_of(region)] + ([info["parent"]] if info["parent"] else [])
    candidates = [paths.REGIONS_CSV, paths.SOURCES_CSV]
    for folder in (paths.FIGURES_DIR, paths.CHECKS_DIR, paths.CLAIMS_DIR):
        candidates += [folder / f"{owner}.csv" for owner in owners]
    candidates += [
        INDICATORS_CSV,
        paths.STANDARDS_CSV,
        paths.STANDARDS_DIR / "indicator_sets.csv",
        paths.JUDGEMENT_DIR / "rules.csv",
        paths.JUDGEMENT_DIR / "plausibility.csv",
    ]
    return [p for p in candidates if p.exists()]


def input_hashes(files: list[Path]) -> dict[str, str]:
    """``{project-relative path: sha256}`` for the given files."""
    return {display_path(Path(p)): file_sha256(p) for p in files}
