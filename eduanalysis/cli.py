"""The ``eduanalysis`` command: a thin layer over the package's functions.

Exit codes: 0 success; 1 a report failed to render (or the batch's manifest or index
could not be written); 2 bad usage or bad input (unknown region, invalid parameter,
invalid data, an unusable output folder, a folder another batch or report is writing
into) — nothing is written in that case; 128 + N when signal N stopped a batch.
Logs go to stderr; nothing prompts.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from pathlib import Path

from . import __version__, paths
from .errors import EduAnalysisError, NotebookExecutionError, ParameterError

__all__ = ["main"]

log = logging.getLogger("eduanalysis")


def _cmd_regions(args: argparse.Namespace) -> int:
    from .data.figures import region_figures
    from .data.regions import load_regions

    table = load_regions()
    print("slug\t名称\t省份\t上级\t类型\t数据项\t可生成报告")
    broken = []
    for slug, row in table.iterrows():
        try:
            n = len(region_figures(slug))
            status = "是" if n else "否（尚无数据）"
        except EduAnalysisError as exc:  # one broken file must not hide the other regions
            n, status = "?", "数据有误（运行 eduanalysis validate）"
            broken.append(f"{slug}: {exc}")
        print(f"{slug}\t{row['name_zh']}\t{row['province']}\t{row['parent'] or '-'}\t{row['kind']}\t{n}\t{status}")
    for line in dict.fromkeys(broken):
        log.error("%s", line)
    return 2 if broken else 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .data.figures import has_figure_files
    from .data.regions import report_regions, resolve_region
    from .data.schools import school_table_problems
    from .data.validate import format_problems
    from .judgement.validation import validate_region

    if args.regions:
        slugs = [resolve_region(name) for name in args.regions]
        tables = []
    else:  # everything: every region with figure files, every school table
        slugs = [s for s in report_regions() if has_figure_files(s)]
        tables = sorted(p for p in paths.SCHOOLS_DIR.glob("*") if p.is_file() and not p.name.startswith((".", "~$")))
    errors = 0
    for slug in slugs:
        problems = validate_region(slug)
        errors += sum(p.severity == "error" for p in problems)
        print(f"== {slug}")
        print(format_problems(problems))
    for table in tables:
        problems = school_table_problems(table)
        errors += sum(p.severity == "error" for p in problems)
        print(f"== {table.relative_to(paths.PROJECT_ROOT) if table.is_relative_to(paths.PROJECT_ROOT) else table}")
        print(format_problems(problems))
    return 2 if errors else 0


def _cmd_findings(args: argparse.Namespace) -> int:
    from .data.figures import require_figures
    from .data.regions import resolve_region
    from .judgement.findings import findings
    from .presentation.export import findings_sheet

    slug = resolve_region(args.region)
    require_figures(slug)  # a region without figures: exit 2 saying what to add, not an empty table
    table = findings_sheet(findings(slug))
    if args.csv:
        from .fileio import atomic_write_bytes

        try:
            atomic_write_bytes(Path(args.csv), table.to_csv(index=False).encode("utf-8-sig"))
        except OSError as exc:  # a folder that cannot be made, a file in the way, no permission, a full disk
            raise ParameterError(
                f"--csv {args.csv}: cannot write the findings there ({exc.strerror or exc}); "
                "give a path in a folder you can write to"
            ) from None
        log.info("wrote %d findings to %s", len(table), args.csv)
        return 0
    shown = table[["区县", "学段", "年份", "指标", "文件数值", "标准", "判定", "差距", "缺口"]]
    for row in shown.itertuples(index=False):
        print("\t".join(str(v) for v in row))
    return 0


def _cmd_new_region(args: argparse.Namespace) -> int:
    from .data.scaffold import new_region

    for line in new_region(
        args.slug,
        name_zh=args.name,
        province=args.province,
        kind=args.kind,
        parent=args.parent or "",
        districts=args.district,
    ):
        print(line)
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from .data.figures import require_figures
    from .data.regions import get_region, resolve_region
    from .judgement.findings import region_audit

    slug = resolve_region(args.region)  # a name works too: audit 伊宁
    info = get_region(slug)
    require_figures(slug)
    # the report's own view: one row per stated figure, truncation and time points already resolved
    result = region_audit(slug)
    counts = result["verdict"].value_counts()
    print(
        f"{info['name_zh']}（{slug}）数据核对：共 {len(result)} 项，"
        + "，".join(f"{v} {counts.get(v, 0)} 项" for v in ("不一致", "口径/时点不同", "无法核对", "一致"))
    )
    for rec in result.itertuples():
        print(f"\n[{rec.verdict}] {rec.check_id} {rec.description}（{rec.year}）")
        print(f"  文件所述：{rec.stated}    重新计算：{rec.recomputed_text or '—'}    {rec.reason}")
        print(f"  依据：{rec.inputs_zh or rec.inputs}")
        print(f"  出处：{rec.locators}")
        for label, text in (("说明", rec.note), ("另一种读法", rec.alternative), ("解释", rec.explanation)):
            if isinstance(text, str) and text and text != rec.reason:
                print(f"  {label}：{text}")
    return 0  # inconsistencies are findings, not errors


def _parse_params(items: list[str]) -> dict:
    params = {}
    for item in items:
        if "=" not in item:
            raise _Usage(f"--param expects NAME=VALUE, got {item!r}")
        name, raw = item.split("=", 1)
        try:
            params[name] = json.loads(raw)
        except json.JSONDecodeError:
            params[name] = raw
    return params


def _cmd_batch(args: argparse.Namespace) -> int:
    from .running.batch import BatchInterrupted, BatchOutputError, run_batch
    from .running.jobs import override_parameters, plan_jobs

    selection = []
    if args.regions is not None:
        selection += [s.strip() for s in args.regions.split(",") if s.strip()]
        if not selection:
            raise _Usage(f"--regions names no report ({args.regions!r}); leave it out to render every report")
    if args.regions_file:
        try:
            text = Path(args.regions_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _Usage(f"--regions-file {args.regions_file}: cannot read it as UTF-8 text ({exc})") from None
        listed = [ln.split("#")[0].strip() for ln in text.splitlines() if ln.split("#")[0].strip()]
        if not listed:
            raise _Usage(f"--regions-file {args.regions_file}: names no report (one report name per line)")
        selection += listed
    if args.scheduler:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise _Usage("--scheduler needs Dask's distributed package: pip install 'eduanalysis[dask]'") from None
    jobs = plan_jobs(selection or None)
    override_parameters(jobs, _parse_params(args.param))
    try:
        manifest = run_batch(
            jobs,
            args.output_dir,
            workers=args.jobs,
            force=args.force,
            keep_code=args.keep_code,
            timeout=args.timeout,
            scheduler=args.scheduler,
            preload_kernels=not args.no_preload,
        )
    except BatchInterrupted as exc:
        name = signal.Signals(exc.signum).name
        print(
            f"eduanalysis: interrupted ({name}); reports finished before were kept and recorded in the "
            "manifest, none was half-written",
            file=sys.stderr,
        )
        return 128 + exc.signum
    except BatchOutputError as exc:  # the reports ran; their record could not be written
        print(f"eduanalysis: error: {exc}", file=sys.stderr)
        return 1
    width = max(len(j.name) for j in jobs) if jobs else 4
    print(f"\n{'report':<{width}}  status   seconds  error", file=sys.stderr)
    for job in jobs:
        rec = manifest["reports"].get(job.name, {})
        took = rec.get("duration_s")
        took = f"{took:7.1f}" if isinstance(took, int | float) else ""
        print(f"{job.name:<{width}}  {rec.get('status', '?'):<7}  {took:>7}  {rec.get('error') or ''}", file=sys.stderr)
    summary = manifest["summary"]
    print(
        f"{summary['ok']} rendered, {summary['skipped']} unchanged, {summary['failed']} failed "
        f"in {manifest['wall_time_s']:.1f} s -> {Path(args.output_dir or paths.REPORTS_DIR) / 'index.html'}",
        file=sys.stderr,
    )
    return 1 if summary["failed"] else 0


def _cmd_prepare(args: argparse.Namespace) -> int:
    from .data.prepare import prepare

    written = prepare(args.raw, args.processed)
    for path in written:
        log.info("wrote %s", path)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .data.regions import report_regions
    from .running.jobs import render_city_report
    from .running.lock import output_lock, usable_output_dir

    if args.all and args.regions:
        raise _Usage("give region slugs or --all, not both")
    if not args.all and not args.regions:
        raise _Usage("give at least one region slug, or --all")
    from .running.jobs import city_job

    regions = report_regions() if args.all else args.regions
    # validate everything before any kernel starts: names resolve (伊宁 → yining), figures exist
    regions = [city_job(name).name for name in regions]
    output_dir = usable_output_dir(args.output_dir or paths.REPORTS_DIR)
    failed = []
    # the batch's lock: a report into a folder a batch is writing is refused (exit 2)
    with output_lock(output_dir, "report"):
        for slug in regions:
            log.info("rendering %s ...", slug)
            try:
                result = render_city_report(slug, output_dir=output_dir, keep_code=args.keep_code, timeout=args.timeout)
            except (NotebookExecutionError, OSError) as exc:
                log.error("%s failed: %s", slug, exc)
                failed.append(slug)
                continue
            log.info("%s done in %.1f s -> %s", slug, result.duration_s, result.html_path)
    if failed:
        log.error("%d of %d reports failed: %s", len(failed), len(regions), ", ".join(failed))
        return 1
    return 0


class _Usage(Exception):
    pass


def _positive_int(text: str) -> int:
    """argparse type of --jobs and --timeout: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _scheduler_address(text: str) -> str:
    """argparse type of --scheduler: ``[tcp|tls]://HOST:PORT`` (the form ``dask scheduler`` prints)."""
    import re

    if not re.fullmatch(r"(?:(?:tcp|tls)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):\d{1,5}", text.strip()):
        raise argparse.ArgumentTypeError(f"expected a Dask scheduler address like tcp://HOST:8786, got {text!r}")
    return text.strip()


def _cmd_draft(args: argparse.Namespace) -> int:
    from .data.intake.extract import LOW_CONFIDENCE, draft, draft_output_path
    from .data.intake.readers import read_document
    from .fileio import atomic_write_text

    out = draft_output_path(args.out)  # refused inside data/raw/ before anything is read
    document = read_document(args.document)
    rows = draft(document, region=args.region, source=args.source)
    atomic_write_text(out, rows.to_csv(index=False))
    low = int((rows["confidence"] < LOW_CONFIDENCE).sum())
    print(f"{len(rows)} figures drafted, {low} low-confidence (< {LOW_CONFIDENCE}) → {out}")
    return 0


def _cmd_accept(args: argparse.Namespace) -> int:
    from .data.intake.review import accept_draft
    from .data.regions import resolve_region

    result = accept_draft(args.draft, resolve_region(args.region))
    last = result.first_row + result.added - 1
    print(
        f"{result.added} row(s) added to {result.path} (rows {result.first_row}–{last}); "
        f"{result.skipped} left out (rejected or not reviewed). Next: eduanalysis validate {args.region}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eduanalysis", description="Chinese regional education-evaluation analyses")
    parser.add_argument("--version", action="version", version=f"eduanalysis {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("regions", help="list the region registry and which regions have figures")
    p.set_defaults(func=_cmd_regions)

    p = sub.add_parser(
        "validate", help="check a region's data (figures, sources, checks, registries) and list every problem"
    )
    p.add_argument("regions", nargs="*", metavar="REGION", help="region slugs or names (default: every region)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("findings", help="print a region's judged findings (or write them as CSV for Excel)")
    p.add_argument("region", help="region slug or name, e.g. yining or 伊宁")
    p.add_argument("--csv", help="write every column to this CSV file (UTF-8 with BOM, opens in Excel)")
    p.set_defaults(func=_cmd_findings)

    p = sub.add_parser("new-region", help="create the data files of a new region and print the rows to register")
    p.add_argument("slug", help="ASCII slug, unique across provinces, e.g. changchun")
    p.add_argument("--name", required=True, help="Chinese name, e.g. 长春市")
    p.add_argument("--province", required=True, help="e.g. 吉林省")
    p.add_argument("--kind", required=True, help="地级市, 县级市, 县, 市辖区 …")
    p.add_argument("--parent", help="slug of the region above it (for a district or county)")
    p.add_argument(
        "--district",
        action="append",
        default=[],
        metavar="SLUG:名称:类型",
        help="a district or county of the new region (repeat), e.g. changchun_chaoyang:朝阳区:市辖区",
    )
    p.set_defaults(func=_cmd_new_region)

    p = sub.add_parser("audit", help="recompute reported figures from their parts")
    p.add_argument("region", help="region slug, e.g. yining")
    p.set_defaults(func=_cmd_audit)

    p = sub.add_parser("draft", help="draft the figures of a document (.txt/.docx/.pdf/.html) into a CSV for review")
    p.add_argument("document", help="the document file")
    p.add_argument("--region", help="region slug (may be unregistered; a registered one names its districts)")
    p.add_argument("--source", help="source_id of data/raw/sources.csv (its date and title date the figures)")
    p.add_argument("--out", required=True, help="the draft CSV to write (never inside data/raw/)")
    p.set_defaults(func=_cmd_draft)

    p = sub.add_parser(
        "accept", help="append a reviewed draft's accept/edit rows to data/raw/figures/REGION.csv once they validate"
    )
    p.add_argument("draft", help="the draft CSV, its `review` column filled in (accept / edit / reject)")
    p.add_argument("--region", required=True, help="the registered region receiving the rows, e.g. yining")
    p.set_defaults(func=_cmd_accept)

    p = sub.add_parser("batch", help="render every report in parallel (manifest + index)")
    p.add_argument("--regions", help="comma-separated report names (a city's is its slug)")
    p.add_argument("--regions-file", help="file with one report name per line (# comments)")
    p.add_argument("--jobs", type=_positive_int, default=None, help="parallel workers (default: CPU count)")
    p.add_argument("--force", action="store_true", help="re-render unchanged reports too")
    p.add_argument("--keep-code", action="store_true", help="show code cells in the HTML")
    p.add_argument("--timeout", type=_positive_int, default=600, help="per-cell timeout in seconds")
    p.add_argument("--output-dir", type=Path, default=None, help="default: <project>/reports")
    p.add_argument("--scheduler", type=_scheduler_address, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    p.add_argument(
        "--no-preload",
        action="store_true",
        help="start every kernel from scratch instead of forking it from a process that has "
        "already imported the packages (slower; same reports)",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra notebook parameter for every report (JSON value or string)",
    )
    p.set_defaults(func=_cmd_batch)

    p = sub.add_parser("prepare", help="parse and validate data/raw into data/processed")
    p.add_argument("--raw", type=Path, default=None, help="default: <project>/data/raw")
    p.add_argument("--processed", type=Path, default=None, help="default: <project>/data/processed")
    p.set_defaults(func=_cmd_prepare)

    p = sub.add_parser("report", help="render city reports (notebooks/city_report.ipynb)")
    p.add_argument("regions", nargs="*", metavar="REGION", help="region slugs, e.g. yining")
    p.add_argument("--all", action="store_true", help="every top-level region of the registry")
    p.add_argument("--output-dir", type=Path, default=None, help="default: <project>/reports")
    p.add_argument("--keep-code", action="store_true", help="show code cells in the HTML")
    p.add_argument("--timeout", type=_positive_int, default=600, help="per-cell timeout in seconds")
    p.set_defaults(func=_cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s eduanalysis %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    # papermill logs every notebook path at INFO; our own lines say what matters
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # subsetting chatter
    try:
        return args.func(args)
    except _Usage as exc:
        parser.error(str(exc))  # exits 2
    except EduAnalysisError as exc:
        print(f"eduanalysis: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("eduanalysis: interrupted; reports finished before were kept, none was half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stdout = open(os.devnull, "w")
        return 0
    return 0  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
