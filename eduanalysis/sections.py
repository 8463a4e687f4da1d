"""Notebook set-up and the provenance footer shared by every report notebook.

The sections themselves live in :mod:`eduanalysis.city` (per-city report),
:mod:`eduanalysis.balance` (school-level balance report) and
:mod:`eduanalysis.crosscity` (comparison of the cities).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from .plotting import set_theme
from .provenance import provenance_html, region_inputs

__all__ = ["provenance_footer", "setup_notebook"]


def setup_notebook() -> None:
    """Theme, Chinese font and pandas display options for a report notebook."""
    set_theme()
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 160)


def provenance_footer(parameters: dict, inputs: list[str | Path] | None = None) -> None:
    """Show parameters, input files with SHA-256, package version and run time.

    ``inputs`` defaults to the files a city report reads for ``parameters["region"]``.
    """
    if inputs is None:
        region = parameters.get("region")
        files = region_inputs(region) if region else []
    else:
        files = [Path(p) for p in inputs]
    display(HTML(provenance_html(parameters, files)))
