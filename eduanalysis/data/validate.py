"""Checking a region's data files and reporting every problem at once (``eduanalysis validate``).

What is checked, for the region and every area inside it (its districts' files, and for a
district its parent's rows about it):

- the registries: ``regions.csv``, ``sources.csv``, the indicator registry (core and
  ``data/raw/indicators/``);
- the documents: the region has at least one registered source; a registered text copy
  that is missing is a warning (values cannot be checked verbatim);
- every figures row: region, district, year, level, group, indicator, value type,
  attribute, source and locator against their vocabularies (with a suggestion where one is
  close), the value and its unit parsed; and each value **found verbatim** in its
  document's text when the text is present (:func:`~eduanalysis.data.verbatim.found_verbatim`:
  whitespace ignored, glyphs folded, a number never matched inside a longer one);
- every claims row (``data/raw/claims/``), its quote found verbatim the same way;
- the same figure stated twice with different values (a warning: the findings mark it
  数据存疑);

and, in :mod:`eduanalysis.judgement.validation`, the region's checks file and a dry run of
the judgement (findings, audit, plan targets), so that nothing the validation lets
through can make ``eduanalysis report`` fail later.  A file with errors never hides the
problems of another: figures, claims and checks are all listed in one run.

Files not saved as UTF-8 are read (GBK, UTF-16) but get a warning to re-save them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import EduAnalysisError
from .problems import Problem
from .verbatim import found_verbatim, prepare_text

__all__ = ["figure_file_problems", "format_problems", "source_texts", "split_problems", "validate_data"]


def _encoding_warning(path: Path) -> list[Problem]:
    from .readers import decode_text

    if not path.exists():
        return []
    try:
        _, encoding = decode_text(path)
    except EduAnalysisError as exc:
        return [Problem(path, 0, "", "", str(exc))]
    if encoding != "utf-8":
        return [
            Problem(
                path,
                0,
                "",
                encoding,
                f"{path}: saved as {encoding.upper()}; it was read correctly, but save it as UTF-8 "
                "(“CSV UTF-8（逗号分隔）” in a spreadsheet) so every tool reads it the same way",
                "warning",
            )
        ]
    return []


def split_problems(path: Path, message: str) -> list[Problem]:
    """One :class:`Problem` per line of an error that lists several (``N problem(s) in FILE:``
    then one ``FILE, row R, column `C`: …`` line each), so each is listed with its row.

    Examples
    --------
    >>> msg = "2 problem(s) in c.csv:\\nc.csv, row 3, column `claim`: bad\\nc.csv, row 5 (A1), column `kind`: bad"
    >>> [(p.row, p.column) for p in split_problems(Path("c.csv"), msg)]
    [(3, 'claim'), (5, 'kind')]
    """
    lines = [x for x in message.split("\n") if x.strip()]
    if len(lines) > 1 and re.match(r"^\d+ problem\(s\) in ", lines[0]):
        lines = lines[1:]
    else:
        lines = [message]
    out = []
    for line in lines:
        row = re.search(r", row (\d+)", line)
        column = re.search(r"column `([^`]+)`", line)
        out.append(Problem(path, int(row.group(1)) if row else 0, column.group(1) if column else "", "", line))
    return out


def _guard(problems: list[Problem], path: Path, func):
    """Run ``func``; an error becomes problems of ``path`` instead of stopping validation."""
    try:
        return func()
    except EduAnalysisError as exc:
        problems.extend(split_problems(path, str(exc)))
    return None


def _claims_problems(owner: str, region: str, parent: str, texts: dict[str, str]) -> list[Problem]:
    """Every problem of one claims file (its rows about ``region``), its quotes checked verbatim.

    The quotes are checked even when other columns of the file have errors, so one run lists both.
    """
    from .claims import CLAIM_COLUMNS, claims_path, load_claims
    from .readers import read_csv_table

    path = claims_path(owner)
    if not path.exists():
        return []
    problems = _encoding_warning(path)
    _guard(problems, path, lambda: load_claims(owner))
    claims = _guard(problems, path, lambda: read_csv_table(path, columns=CLAIM_COLUMNS))
    if claims is None:
        return problems
    claims = claims.assign(row=range(2, len(claims) + 2))
    if owner == parent:
        claims = claims[claims["district"] == region]
    for rec in claims.itertuples(index=False):
        text = texts.get(rec.source)
        if text is not None and not found_verbatim(rec.quote, text, prepared=True):
            problems.append(
                _not_verbatim(
                    path,
                    rec.row,
                    "quote",
                    rec.quote,
                    rec.source,
                    "; copy the shortest fragment that carries the claim exactly as printed "
                    "(spaces and line breaks do not matter)",
                )
            )
    return problems


def _not_verbatim(path: Path, row: int, column: str, value: str, source: str, advice: str) -> Problem:
    """A value or quote of ``row`` that its document's text does not hold, and what to do about it."""
    message = f"{path}, row {row}, column `{column}`: {value!r} is not found verbatim in the document {source!r}"
    return Problem(path, row, column, value, message + advice)


def figure_file_problems(
    owner: str, path: Path, texts: dict[str, str], *, district: str | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Every problem of one figures file, as ``validate`` checks a hand-typed one.

    The rows (vocabularies, values, units: :func:`~eduanalysis.data.figures.check_figures`),
    each value found verbatim in its document's text (``texts``: source id → text from
    :func:`~eduanalysis.data.verbatim.prepare_text`; a source without text is not checked)
    and the same figure stated twice with different values (a warning).  With ``district``,
    only the rows about that district count (a parent's file seen from a district).

    Returns the parsed rows (None when the file cannot be read) and the problems.
    """
    from .figures import check_figures

    problems: list[Problem] = []
    result = _guard(problems, path, lambda: check_figures(owner, path))
    if result is None:
        return None, problems
    table, found = result
    mine = table if district is None else table[table["district"] == district]
    problems += [p for p in found if district is None or p.row in set(mine["row"])]
    for rec in mine.itertuples(index=False):
        text = texts.get(rec.source)
        if text is not None and not found_verbatim(rec.value_as_written, text, prepared=True):
            problems.append(
                _not_verbatim(
                    path,
                    rec.row,
                    "value_as_written",
                    rec.value_as_written,
                    rec.source,
                    " (a number must match a whole number of the text: 0.081 is not found in 0.0811); copy the "
                    "number exactly as printed (with its unit and words such as 超过/以上/近) — or, if the "
                    "registered text copy itself is damaged (numbers split by page breaks), mend the copy and "
                    "say so in the `note` of its row in sources.csv (docs/adding-a-region.md, 修补文本副本)",
                )
            )
    actual = mine[(mine["value_type"] == "实际") & mine["value"].notna()]
    key = ["district", "year", "level", "group", "indicator"]
    for _, rows in actual.groupby(key):
        if rows["value"].nunique() > 1:
            problems.append(
                Problem(
                    path,
                    int(rows["row"].iloc[1]),
                    "value_as_written",
                    "；".join(rows["value_as_written"]),
                    f"{path}, rows {', '.join(map(str, rows['row']))}: the same figure "
                    f"({rows['indicator'].iloc[0]}, {rows['year'].iloc[0]}) is stated with different values "
                    f"({'；'.join(rows['value_as_written'])}); keep both as printed — the report marks it "
                    "数据存疑 — and note the discrepancy in data/raw/README.md",
                    "warning",
                )
            )
    return mine, problems


def source_texts() -> dict[str, str]:
    """The registered documents' text copies that are present, prepared for the verbatim check."""
    from .sources import load_sources, source_text

    return {sid: prepare_text(t) for sid in load_sources().index if (t := source_text(sid)) is not None}


def validate_data(region: str) -> list[Problem]:
    """Every problem of a region's data files, errors first (an empty list means all is well).

    The checks file and a dry run of the judgement are added by
    :func:`eduanalysis.judgement.validation.validate_region` (the command's entry point).

    Examples
    --------
    >>> [p.message for p in validate_data("yining") if p.severity == "error"]
    []
    """
    from .figures import figures_path
    from .regions import children, get_region, load_regions
    from .registry import indicator_registry
    from .sources import load_sources, source_text

    problems: list[Problem] = []
    for path in (paths.REGIONS_CSV, paths.SOURCES_CSV):
        problems += _encoding_warning(path)
    regions = _guard(problems, paths.REGIONS_CSV, load_regions)
    sources = _guard(problems, paths.SOURCES_CSV, load_sources)
    registry = _guard(problems, paths.PACKAGE_DIR / "data" / "indicators.csv", indicator_registry)
    if regions is None or sources is None or registry is None:
        return problems  # every later check reads these: fix them first
    info = _guard(problems, paths.REGIONS_CSV, lambda: get_region(region))
    if info is None:
        return problems
    lineage = {region, info["parent"]} - {""}
    if not (sources["region"].isin(lineage)).any():
        problems.append(
            Problem(
                paths.SOURCES_CSV,
                0,
                "region",
                region,
                f"{paths.SOURCES_CSV}: no document is registered for {region!r}; add one row per source document "
                "(source_id, region, title, issuer, date, kind …) before transcribing its figures",
            )
        )
    for sid, src in sources[sources["region"].isin(lineage)].iterrows():
        if src["file"] and (paths.PROJECT_ROOT / src["file"]).exists():
            problems += _encoding_warning((paths.PROJECT_ROOT / src["file"]).resolve())
        if src["file"] and source_text(sid) is None:
            problems.append(
                Problem(
                    paths.SOURCES_CSV,
                    0,
                    "file",
                    src["file"],
                    f"{paths.SOURCES_CSV}: the text copy of {sid!r} ({src['file']}) is not present; figures citing it "
                    "cannot be checked verbatim",
                    "warning",
                )
            )
    owners = [o for o in [region, *children(region, regions)] if figures_path(o).exists()]
    if info["parent"] and figures_path(info["parent"]).exists():
        owners.append(info["parent"])
    texts = source_texts()
    any_rows = False
    for owner in owners:
        path = figures_path(owner)
        problems += _encoding_warning(path)
        district = region if owner == info["parent"] else None
        mine, found = figure_file_problems(owner, path, texts, district=district)
        problems += found
        any_rows = any_rows or (mine is not None and len(mine) > 0)
    claim_owners = [region, *children(region, regions), *([info["parent"]] if info["parent"] else [])]
    for owner in claim_owners:
        problems += _claims_problems(owner, region, info["parent"], texts)
    own = figures_path(region)
    if not any_rows and own.exists() and not [p for p in problems if p.file == own]:
        problems.append(
            Problem(own, 0, "", "", f"{own}: the file has a header but no rows yet; transcribe the document's figures")
        )
    elif not any_rows:
        problems.append(
            Problem(
                figures_path(region),
                0,
                "",
                "",
                f"region {region!r} ({info['name_zh']}) has no figures: add data/raw/figures/{region}.csv"
                + (
                    f" or rows with district={region} in data/raw/figures/{info['parent']}.csv"
                    if info["parent"]
                    else ""
                ),
            )
        )
    return sorted(problems, key=lambda p: (p.severity != "error", str(p.file), p.row))


def format_problems(problems: list[Problem]) -> str:
    """Problems as the command prints them: grouped by file, errors before warnings."""
    if not problems:
        return "no problems found"
    lines = []
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    current = None
    for p in problems:
        if p.file != current:
            current = p.file
            lines.append(f"\n{p.file}")
        tag = "错误 error" if p.severity == "error" else "提示 warning"
        lines.append(f"  [{tag}] {p.message}")
    lines.append(f"\n{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines).lstrip("\n")
