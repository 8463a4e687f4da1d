"""Execute a parameterized notebook (papermill) and export offline HTML (nbconvert).

The kernel is ``python3``: with the package installed in the running environment,
jupyter_client starts that environment's interpreter.  Success is judged from the
execution itself (an exception from papermill/nbclient), never from the notebook
metadata.  Outputs are written atomically: a temporary file in the target folder,
then ``os.replace``, so a failed run never leaves a truncated report behind.
"""

from __future__ import annotations

import ast
import functools
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import paths
from ..errors import NotebookExecutionError, ParameterError
from ..fileio import atomic_write_text
from ..presentation.fonts import embed_cjk_font

__all__ = [
    "CITY_NOTEBOOK",
    "EPILOGUE_TAG",
    "RenderResult",
    "execute_notebook",
    "export_html",
    "notebook_parameters",
    "render_notebook",
    "stage_times",
    "validate_parameters",
]

CITY_NOTEBOOK = paths.NOTEBOOKS_DIR / "city_report.ipynb"
#: tag of the cell :func:`execute_notebook` appends for an ``epilogue``; removed before export
EPILOGUE_TAG = "eduanalysis-epilogue"
_TEMPLATE = "eduanalysis_offline"


@dataclass
class RenderResult:
    """What one render produced."""

    html_path: Path
    notebook_path: Path
    parameters: dict
    duration_s: float
    inputs: dict = field(default_factory=dict)
    #: seconds per stage (:func:`stage_times`): where this report's time went
    stages: dict = field(default_factory=dict)


def notebook_parameters(notebook: str | Path) -> dict[str, dict]:
    """The parameters declared in a notebook's ``parameters`` cell (papermill's inference).

    Read once per version of the file (path, size, modification time): a batch validates
    every job against the same notebook.
    """
    path = Path(notebook)
    stat = path.stat()
    return {name: dict(info) for name, info in _inspect(str(path.resolve()), stat.st_size, stat.st_mtime_ns).items()}


@functools.lru_cache(maxsize=32)
def _inspect(path: str, _size: int, _mtime_ns: int) -> dict[str, dict]:
    import papermill

    return papermill.inspect_notebook(path)


def validate_parameters(notebook: str | Path, parameters: dict) -> None:
    """Reject unknown parameter names and values whose type differs from the default's.

    papermill itself only warns on unknown names; a report run must fail before any
    kernel starts.
    """
    declared = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ParameterError(
            f"{Path(notebook).name}: unknown parameter(s) {unknown}; the notebook declares {sorted(declared)}"
        )
    for name, value in parameters.items():
        type_name = _declared_type(declared[name])
        expected = {
            "str": str,
            "int": int,
            "float": (int, float),
            "bool": bool,
            "list": list,
            "dict": dict,
        }.get(type_name)
        wrong = expected is not None and not isinstance(value, expected)
        if type_name in ("int", "float") and isinstance(value, bool):
            wrong = True
        if wrong:
            raise ParameterError(
                f"{Path(notebook).name}: parameter {name!r} must be {type_name}, got {type(value).__name__} {value!r}"
            )


def _declared_type(info: dict) -> str:
    """Type of a parameter: its annotation, else the type of its default literal."""
    type_name = info.get("inferred_type_name") or "None"
    if type_name != "None":
        return type_name
    try:
        default = ast.literal_eval(info.get("default", "None"))
    except (ValueError, SyntaxError):
        return "None"
    return "None" if default is None else type(default).__name__


def execute_notebook(
    notebook: str | Path,
    parameters: dict,
    *,
    timeout: int | None = 600,
    kernel_name: str = "python3",
    kernel_manager_class: type | str = "eduanalysis.running.kernels.IPCKernelManager",
    epilogue: str | None = None,
) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``parameters``; return the executed notebook.

    ``kernel_manager_class`` is the IPC kernel manager by default; a batch passes one
    whose kernels are forked from a preloaded process (:mod:`.preload`).  ``epilogue`` is
    code run in the same kernel after the notebook's last cell (a cell tagged
    :data:`EPILOGUE_TAG`, not part of the notebook file): the batch has the kernel write
    a region's workbook from the tables it has already computed.  Once every cell has
    run, the kernel is stopped at once rather than asked to shut down politely: nothing
    it still holds is wanted.

    Raises ``NotebookExecutionError`` (carrying the executed notebook as ``.notebook``
    where one exists) when a cell raises, a cell times out or the kernel dies.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = str(notebook)
    if epilogue:
        source = nbformat.read(notebook, as_version=4)
        source.cells.append(nbformat.v4.new_code_cell(epilogue, metadata={"tags": [EPILOGUE_TAG]}))
    with tempfile.TemporaryDirectory(prefix="eduanalysis-") as workdir:
        out = Path(workdir) / "executed.ipynb"
        try:
            papermill.execute_notebook(
                source,
                str(out),
                parameters=parameters,
                kernel_name=kernel_name,
                progress_bar=False,
                log_output=False,
                cwd=workdir,
                execution_timeout=timeout,
                kernel_manager_class=kernel_manager_class,
                # the kernel's own log (e.g. "KeyboardInterrupt caught in kernel" when it is
                # interrupted at shutdown) is noise in cron logs; cell errors are in the notebook
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                shutdown_kernel="immediate",
                # written once at the end, not after every cell (nobody watches it meanwhile)
                request_save_on_cell_execute=False,
            )
        except PapermillExecutionError as exc:
            error = NotebookExecutionError(f"cell {exc.exec_count} raised {exc.ename}: {exc.evalue}")
            error.notebook = nbformat.read(out, as_version=4) if out.exists() else None
            raise error from None
        except Exception as exc:  # timeouts, dead kernels, kernel start failures
            error = NotebookExecutionError(f"{type(exc).__name__}: {exc}")
            error.notebook = nbformat.read(out, as_version=4) if out.exists() else None
            raise error from exc
        return nbformat.read(out, as_version=4)


def export_html(nb: nbformat.NotebookNode, *, keep_code: bool = False, stages: dict | None = None) -> str:
    """Render an executed notebook as a self-contained, offline HTML page (``lang="zh"``).

    ``stages``, when given, receives the seconds spent in nbconvert (``html_export``) and
    in subsetting and embedding the font (``font_subset``).
    """
    t0 = time.perf_counter()
    body, _ = _exporter(keep_code, threading.get_ident()).from_notebook_node(nb)
    t1 = time.perf_counter()
    page = embed_cjk_font(body)
    if stages is not None:
        stages["html_export"] = t1 - t0
        stages["font_subset"] = time.perf_counter() - t1
    return page


@functools.lru_cache(maxsize=8)
def _exporter(keep_code: bool, _thread: int):
    """One exporter per setting and thread, kept: building one compiles the template again
    (a Dask worker may run reports in several threads, hence one per thread)."""
    from nbconvert import HTMLExporter

    from .sections import DropEmptySections

    exporter = HTMLExporter(template_name=_TEMPLATE, extra_template_basedirs=[str(paths.TEMPLATES_DIR)])
    exporter.register_preprocessor(DropEmptySections(), enabled=True)
    exporter.exclude_input = not keep_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.language_code = "zh"
    return exporter


def stage_times(nb: nbformat.NotebookNode, execute_s: float) -> dict[str, float]:
    """Seconds per stage of an executed notebook, from papermill's timestamps.

    ``kernel_start`` is from papermill's start to the first cell's start (launching the
    kernel and waiting for it), ``cells:<section>`` the summed cell durations of each
    section (a markdown cell with ``id="sec-…"`` opens one; cells before the first are
    ``cells:start``), and ``kernel_stop`` the rest of ``execute_s`` (shutting the kernel
    down, reading the notebook back).

    >>> nb = nbformat.v4.new_notebook()
    >>> nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00.000000"}
    >>> nb.cells = [nbformat.v4.new_code_cell("1"), nbformat.v4.new_markdown_cell('<h2 id="sec-a">A</h2>'),
    ...             nbformat.v4.new_code_cell("2"), nbformat.v4.new_code_cell("3")]
    >>> for cell, start, took in zip([nb.cells[0], *nb.cells[2:]], ["00:01.5", "00:02", "00:03"], [0.5, 1.0, 0.25]):
    ...     cell.metadata["papermill"] = {"start_time": f"2026-01-01T00:{start}", "duration": took}
    >>> stage_times(nb, execute_s=4.0)
    {'kernel_start': 1.5, 'cells:start': 0.5, 'cells:a': 1.25, 'kernel_stop': 0.75}
    >>> nb.cells[3].outputs = [nbformat.v4.new_output("display_data", {"text/html": '<h2 id="sec-b">B</h2>'})]
    >>> stage_times(nb, execute_s=4.0)  # a heading a code cell displays opens its section too
    {'kernel_start': 1.5, 'cells:start': 0.5, 'cells:a': 1.0, 'cells:b': 0.25, 'kernel_stop': 0.75}
    """
    from datetime import datetime

    meta = nb.metadata.get("papermill", {})
    code = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    stages: dict[str, float] = {}
    if meta.get("start_time") and code:
        start = datetime.fromisoformat(meta["start_time"])
        stages["kernel_start"] = (datetime.fromisoformat(code[0].metadata.papermill.start_time) - start).total_seconds()
    section = "start"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = re.search(r'id="sec-([\w-]+)"', "".join(cell.source))
            section = found.group(1) if found else section
        elif cell.cell_type == "code":
            # a section whose heading a package call displays (the section registry) opens in its cell
            shown = "".join("".join(o.get("data", {}).get("text/html", "")) for o in cell.get("outputs", []))
            found = re.search(r'id="sec-([\w-]+)"', shown)
            section = found.group(1) if found else section
            took = cell.metadata.get("papermill", {}).get("duration") or 0.0
            stages[f"cells:{section}"] = stages.get(f"cells:{section}", 0.0) + float(took)
    stages["kernel_stop"] = max(0.0, execute_s - sum(stages.values()))
    return stages


def render_notebook(
    notebook: str | Path,
    parameters: dict,
    html_path: str | Path,
    *,
    title: str,
    keep_code: bool = False,
    timeout: int | None = 600,
    executed_path: str | Path | None = None,
    kernel_manager_class: type | str | None = None,
    epilogue: str | None = None,
) -> RenderResult:
    """Validate parameters, execute, export; write the HTML (and executed notebook) atomically.

    ``epilogue`` (see :func:`execute_notebook`) runs after the notebook; its cell is
    timed as the stage ``epilogue`` and removed from the executed notebook and the page.

    When execution fails, the executed notebook (with its error) is still written to
    ``executed_path`` for debugging, no HTML is written, and the error is re-raised.
    """
    html_path = Path(html_path)
    executed_path = Path(executed_path) if executed_path else html_path.with_suffix(".ipynb")
    start = time.perf_counter()
    validate_parameters(notebook, parameters)
    validated = time.perf_counter()
    try:
        extra = {"kernel_manager_class": kernel_manager_class} if kernel_manager_class else {}
        nb = execute_notebook(notebook, parameters, timeout=timeout, epilogue=epilogue, **extra)
    except NotebookExecutionError as exc:
        if getattr(exc, "notebook", None) is not None:
            _write(executed_path, nbformat.writes(exc.notebook))
        raise
    executed = time.perf_counter()
    kept = [c for c in nb.cells if EPILOGUE_TAG not in c.get("metadata", {}).get("tags", [])]
    epilogue_s = sum(float(c.metadata.get("papermill", {}).get("duration") or 0) for c in nb.cells if c not in kept)
    nb.cells = kept
    for cell in nb.cells:  # papermill gives its parameters cell a random id: same inputs, same page
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    stages = {"validate": validated - start, **stage_times(nb, executed - validated - epilogue_s)}
    if epilogue:
        stages["epilogue"] = epilogue_s
    nb.metadata["title"] = title
    page = export_html(nb, keep_code=keep_code, stages=stages)
    t_write = time.perf_counter()
    _write(executed_path, nbformat.writes(nb))
    _write(html_path, page)
    stages["write"] = time.perf_counter() - t_write
    return RenderResult(
        html_path=html_path,
        notebook_path=executed_path,
        parameters=dict(parameters),
        duration_s=time.perf_counter() - start,
        stages={k: round(v, 4) for k, v in stages.items()},
    )


def _write(path: Path, text: str) -> None:
    """Atomic write whose error names the file (a full disk says where it was full)."""
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise OSError(exc.errno, f"cannot write {path}: {exc.strerror or exc}") from exc
