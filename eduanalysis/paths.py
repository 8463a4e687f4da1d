"""Every default path of the project, anchored to the project root.

Nothing here depends on the current working directory: papermill starts kernels in
other directories, and cron jobs start wherever cron likes.  The project root is the
folder that holds ``pyproject.toml`` next to this package (an editable install, the
supported layout); ``EDUANALYSIS_ROOT`` overrides it, e.g. to point an installed
package at a checkout of the data.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "CHECKS_DIR",
    "CLAIMS_DIR",
    "DATA_PROCESSED",
    "DATA_RAW",
    "FIGURES_DIR",
    "JUDGEMENT_DIR",
    "NOTEBOOKS_DIR",
    "PACKAGE_DIR",
    "PROJECT_ROOT",
    "REGIONS_CSV",
    "REPORTS_DIR",
    "SCHOOLS_DIR",
    "SOURCES_CSV",
    "STANDARDS_CSV",
    "STANDARDS_DIR",
    "TEMPLATES_DIR",
    "project_root",
]

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """Return the project root: ``$EDUANALYSIS_ROOT`` if set, else the package's parent."""
    env = os.environ.get("EDUANALYSIS_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


PROJECT_ROOT = project_root()
DATA_RAW = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED = PROJECT_ROOT / "data" / "processed"
FIGURES_DIR = DATA_RAW / "figures"
SCHOOLS_DIR = DATA_RAW / "schools"
REGIONS_CSV = DATA_RAW / "regions.csv"
SOURCES_CSV = DATA_RAW / "sources.csv"
CHECKS_DIR = DATA_RAW / "checks"
CLAIMS_DIR = DATA_RAW / "claims"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
TEMPLATES_DIR = PACKAGE_DIR / "running" / "templates"
JUDGEMENT_DIR = PACKAGE_DIR / "judgement"
STANDARDS_DIR = JUDGEMENT_DIR / "standards"
STANDARDS_CSV = STANDARDS_DIR / "standards.csv"
