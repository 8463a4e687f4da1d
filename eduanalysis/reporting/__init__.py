"""Run report notebooks with papermill and export offline HTML with nbconvert."""

from .render import (
    CITY_NOTEBOOK,
    RenderResult,
    execute_notebook,
    export_html,
    notebook_parameters,
    render_city_report,
    render_notebook,
    validate_parameters,
)

__all__ = [
    "CITY_NOTEBOOK",
    "RenderResult",
    "execute_notebook",
    "export_html",
    "notebook_parameters",
    "render_city_report",
    "render_notebook",
    "validate_parameters",
]
