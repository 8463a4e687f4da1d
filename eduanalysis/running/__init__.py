"""Running reports: papermill executes a notebook, nbconvert exports offline HTML; jobs,
the batch (local process pool or Dask) and preloaded kernels.  The top layer: it imports
presentation, judgement, data and measures, and nothing below imports it."""

from .jobs import Job, city_job, plan_jobs, render_city_report, render_job
from .render import (
    CITY_NOTEBOOK,
    RenderResult,
    execute_notebook,
    export_html,
    notebook_parameters,
    render_notebook,
    validate_parameters,
)

__all__ = [
    "CITY_NOTEBOOK",
    "Job",
    "RenderResult",
    "city_job",
    "execute_notebook",
    "export_html",
    "notebook_parameters",
    "plan_jobs",
    "render_city_report",
    "render_job",
    "render_notebook",
    "validate_parameters",
]
