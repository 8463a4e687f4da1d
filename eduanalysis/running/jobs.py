"""What to render: one :class:`Job` per report (city, balance, cross-region), and how one
job is rendered into an output folder.  Used by single reports and by the batch alike."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..data.provenance import input_hashes
from .render import RenderResult, render_notebook

__all__ = [
    "IDENTITY_PARAMETERS",
    "Job",
    "city_job",
    "override_parameters",
    "package_fingerprint",
    "plan_jobs",
    "region_outputs",
    "render_city_report",
    "render_job",
]

#: per job kind, the parameters that say *which* report a job is: its output name and
#: title follow from them, so an override may repeat them but never change them
IDENTITY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "city": ("region",),
    "balance": ("school_table",),
}


@dataclass
class Job:
    """One report to render."""

    name: str  # output file stem, unique within a batch
    kind: str  # city | balance | cross_city | custom
    notebook: str
    parameters: dict
    title: str
    inputs: list[str] = field(default_factory=list)


def package_fingerprint() -> str:
    """Hash of the installed package's code and data (so a code change re-renders)."""
    digest = hashlib.sha256()
    for path in sorted(paths.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".csv", ".j2", ".json", ".toml"}:
            digest.update(path.relative_to(paths.PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def city_job(region: str, *, strict: bool = True) -> Job:
    """The report of one region (a slug or a name: 伊宁 → yining).

    An unknown region raises ``UnknownRegionError``, a region without any figure
    ``NoFiguresError``.  With ``strict`` (a single report), any data error is raised
    before a kernel starts; a batch passes ``strict=False`` so that one region's bad data
    fails that report only, with its message in the manifest.
    """
    from ..data.figures import figures_path, require_figures
    from ..data.provenance import region_inputs
    from ..data.regions import get_region, resolve_region
    from ..errors import DataValidationError, NoFiguresError

    region = resolve_region(region)
    # a batch does not parse a region's own figures file here (its report does, and fails
    # with the file's message if it must); a hundred regions would wait on it in series
    if strict or not figures_path(region).exists():
        try:
            require_figures(region)  # a region without figures is bad input (exit 2), not an empty report
        except NoFiguresError:
            raise
        except DataValidationError:
            if strict:
                raise
    info = get_region(region)
    title = info["name_zh"] + (f"（{get_region(info['parent'])['name_zh']}）" if info["parent"] else "")

    return Job(
        name=region,
        kind="city",
        notebook=str(paths.NOTEBOOKS_DIR / "city_report.ipynb"),
        parameters={"region": region},
        title=f"{title}教育评价分析报告",
        inputs=[str(p) for p in region_inputs(region)],
    )


def plan_jobs(selection: list[str] | None = None) -> list[Job]:
    """Every report of the project, or the named ones.

    By default: one report per top-level region that has figures (its districts and
    counties are inside it), one balance report per school table in
    ``data/raw/schools/``, and the cross-region comparison.  ``selection`` names reports
    by job name (a region's is its slug) or by region name (伊宁, 伊宁市); a district or
    county named there gets a report of its own.  Unknown names raise
    ``UnknownRegionError`` listing the known ones; a region without figures raises
    ``DataValidationError`` saying what to add.
    """
    from ..data.figures import has_figure_files
    from ..data.regions import load_regions, report_regions, resolve_region
    from ..errors import UnknownRegionError

    jobs: list[Job] = [city_job(slug, strict=False) for slug in report_regions() if has_figure_files(slug)]
    balance_nb = paths.NOTEBOOKS_DIR / "balance_report.ipynb"
    if balance_nb.exists():
        from ..judgement.planning import COSTS_CSV

        # every school table, whatever its format: an .xls gets a report that fails with a
        # message saying so, rather than being skipped without a word
        tables = sorted(
            p for p in paths.SCHOOLS_DIR.glob("*") if p.suffix.lower() in {".csv", ".xlsx", ".xlsm", ".xls"}
        )
        from ..data.school_tables import school_table_info

        stems = [t.stem for t in tables]
        register = paths.DATA_RAW / "school_tables.csv"
        for table in tables:
            suffix = "" if stems.count(table.stem) == 1 else f"_{table.suffix[1:].lower()}"
            info = school_table_info(table.name)
            jobs.append(
                Job(
                    name=f"balance_{table.stem}{suffix}",
                    kind="balance",
                    notebook=str(balance_nb),
                    parameters={"school_table": table.name},
                    title=f"{info['label']}：县域义务教育校际均衡分析",
                    inputs=[str(table), str(paths.STANDARDS_CSV), str(COSTS_CSV)]
                    + ([str(register)] if register.exists() else []),
                )
            )
    cross_nb = paths.NOTEBOOKS_DIR / "cross_region.ipynb"
    if cross_nb.exists():
        from ..data.provenance import region_inputs

        inputs = sorted({str(p) for slug in report_regions() for p in region_inputs(slug)})
        jobs.append(
            Job(
                name="cross_region",
                kind="cross_region",
                notebook=str(cross_nb),
                parameters={},
                title="各地区教育指标对比",
                inputs=inputs,
            )
        )
    if not selection:
        return jobs
    by_name = {j.name: j for j in jobs}
    chosen: list[Job] = []
    regions = load_regions()
    for name in selection:
        if name in by_name:
            job = by_name[name]
        else:
            try:
                slug = resolve_region(name)
            except UnknownRegionError:
                raise UnknownRegionError(name, sorted(set(by_name) | set(regions.index))) from None
            job = by_name.get(slug) or city_job(slug, strict=False)
        if job.name not in {j.name for j in chosen}:
            chosen.append(job)
    return chosen


def override_parameters(jobs: list[Job], extra: dict) -> None:
    """Set ``extra`` parameters on every job (``batch --param NAME=VALUE``), in place.

    Refuses (``ParameterError``, before anything is changed) a value that contradicts a
    job's identity parameter (:data:`IDENTITY_PARAMETERS`): ``region=wuhai`` on the
    report ``yining`` would write 乌海's analysis into ``yining.html`` under 伊宁's title.

    >>> job = Job("yining", "city", "city_report.ipynb", {"region": "yining"}, "伊宁市")
    >>> override_parameters([job], {"region": "wuhai"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    eduanalysis.errors.ParameterError: parameter region='wuhai' contradicts report 'yining' (...
    >>> override_parameters([job], {"region": "yining", "keep": 1}); job.parameters
    {'region': 'yining', 'keep': 1}
    """
    from ..errors import ParameterError

    for job in jobs:
        for name in IDENTITY_PARAMETERS.get(job.kind, ()):
            if name in extra and extra[name] != job.parameters.get(name):
                raise ParameterError(
                    f"parameter {name}={extra[name]!r} contradicts report {job.name!r} ({job.kind} report of "
                    f"{name}={job.parameters.get(name)!r}, written to {job.name}.html); {name} names the report: "
                    f"select the report by name instead of overriding {name}"
                )
    for job in jobs:
        job.parameters.update(extra)


def render_job(
    job: Job, output_dir: Path, *, keep_code: bool = False, timeout: int | None = 600, kernel_manager_class=None
) -> RenderResult:
    """Render ``job`` into ``<output_dir>/<name>.html``, its executed notebook into
    ``<output_dir>/executed/<name>.ipynb`` (kept on failure, for debugging); a region's
    report also gets ``<output_dir>/<name>.xlsx`` (its findings, audit, targets, figures)."""
    epilogue = None
    if job.kind == "city":
        outputs = region_outputs(output_dir, job.name)
        epilogue = _CITY_EPILOGUE.format(region=job.parameters["region"], **{k: str(v) for k, v in outputs.items()})
    return render_notebook(
        job.notebook,
        job.parameters,
        output_dir / f"{job.name}.html",
        title=job.title,
        keep_code=keep_code,
        timeout=timeout,
        executed_path=output_dir / "executed" / f"{job.name}.ipynb",
        kernel_manager_class=kernel_manager_class,
        epilogue=epilogue,
    )


def region_outputs(output_dir: Path, name: str) -> dict[str, Path]:
    """Where a city report's companions go: its workbook, and the summary and findings the
    index and ``findings.xlsx`` read (beside its executed notebook).

    >>> sorted(region_outputs(Path("out"), "yining").items())  # doctest: +NORMALIZE_WHITESPACE
    [('findings_csv', PosixPath('out/executed/yining.findings.csv')),
     ('summary', PosixPath('out/executed/yining.summary.json')), ('xlsx', PosixPath('out/yining.xlsx'))]
    """
    return {
        "xlsx": output_dir / f"{name}.xlsx",
        "summary": output_dir / "executed" / f"{name}.summary.json",
        "findings_csv": output_dir / "executed" / f"{name}.findings.csv",
    }


# Run in the report's kernel after its last cell: the workbook, the index summary and the
# findings for findings.xlsx come from the tables the report has computed (``report``, a
# CityReport of this region), instead of judging the region again in another process.
# A notebook without such a ``report`` still gets them, computed here.
_CITY_EPILOGUE = """\
from eduanalysis.presentation.city import CityReport as _EaCityReport
from eduanalysis.presentation.export import write_region_outputs as _ea_write_region_outputs

_ea_report = globals().get("report")
if not (isinstance(_ea_report, _EaCityReport) and _ea_report.region == {region!r}):
    _ea_report = None
_ea_write_region_outputs({region!r}, {xlsx!r}, {summary!r}, {findings_csv!r}, report=_ea_report)
"""


def render_city_report(
    region: str,
    *,
    output_dir: str | Path | None = None,
    keep_code: bool = False,
    timeout: int | None = 600,
) -> RenderResult:
    """Render ``notebooks/city_report.ipynb`` for one region into ``<output_dir>/<region>.html``.

    An unknown region raises ``UnknownRegionError`` before anything starts or is written.
    """
    job = city_job(region)
    output_dir = Path(output_dir) if output_dir is not None else paths.REPORTS_DIR
    result = render_job(job, output_dir, keep_code=keep_code, timeout=timeout)
    result.inputs = input_hashes([Path(p) for p in job.inputs])
    return result
