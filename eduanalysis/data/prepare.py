"""``eduanalysis prepare``: data/raw → data/processed, deterministic and atomic.

Writes ``figures.csv`` (every region's reported figures, parsed to typed values in
registry units, joined with the registry's name, unit, direction and kind) and
``schools/<file>.csv`` (each school table with canonical columns and the derived
indicators).  Never writes into ``data/raw/``.  The same raw input gives byte-identical
output.  Everything is validated before anything is written: on the first error
nothing in ``data/processed/`` changes.

Nothing in ``data/raw/`` is skipped without a word: a figures file whose slug is not in
``regions.csv`` and a spreadsheet in a format that is not read (.xls, .ods, .et …) are
errors; any other file in ``schools/`` is logged as ignored (hidden files and Excel's
``~$`` lock files are ignored silently).  Plausibility warnings of the school tables are
logged, and their values kept, as is the flag of a file that does not end with a line
break (it may have been cut inside its last value).
"""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataValidationError, ParameterError
from ..fileio import atomic_write_bytes
from ..measures.indicators import school_indicators
from .figures import load_figures
from .problems import raise_first
from .readers import IncompleteFileWarning
from .regions import load_regions
from .registry import indicator_registry
from .schools import OTHER_SPREADSHEETS, TABLE_SUFFIXES, check_school_table

__all__ = ["prepare", "school_table_files"]

log = logging.getLogger("eduanalysis")


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.10g")
    return buffer.getvalue().encode("utf-8")


def school_table_files(folder: Path) -> list[Path]:
    """The school tables of ``folder``, sorted: every .csv/.xlsx/.xlsm, and every spreadsheet
    in a format that is not read (so that reading it refuses it with advice).  Hidden files
    and Excel lock files (``~$…``) are left out; other files are logged as ignored."""
    tables = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.name.startswith((".", "~$")) or path.is_dir():
            continue
        suffix = path.suffix.lower()
        if suffix in TABLE_SUFFIXES or suffix in OTHER_SPREADSHEETS:
            tables.append(path)
        else:
            log.warning("ignored %s: not a school table (.csv or .xlsx)", path)
    return tables


def _logging_flags(read, *args):
    """Call ``read(*args)``, logging the flags of incomplete files instead of printing them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IncompleteFileWarning)
        result = read(*args)
    for w in caught:
        if issubclass(w.category, IncompleteFileWarning):
            log.warning("%s", w.message)
        else:  # not ours to handle: as if never caught
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    return result


def _check_folders(raw: Path, processed: Path) -> None:
    if not raw.is_dir():
        raise ParameterError(f"--raw {raw}: no such folder (expected the folder holding regions.csv)")
    if processed.resolve() == raw.resolve() or raw.resolve() in processed.resolve().parents:
        raise ParameterError(f"--processed {processed}: refusing to write processed data inside the raw folder {raw}")
    for folder in (processed, *processed.parents):
        if folder.exists():
            if not folder.is_dir():
                raise ParameterError(f"--processed {processed}: {folder} is a file, not a folder")
            break


def _write_all(outputs: dict[Path, bytes], processed: Path) -> None:
    try:
        for path, data in outputs.items():
            atomic_write_bytes(path, data)
    except OSError as exc:
        where = exc.filename or processed
        raise ParameterError(
            f"--processed {processed}: cannot write {where} ({exc.strerror or exc}); choose a folder you can "
            "write to, or fix its permissions"
        ) from None


def prepare(raw: str | Path | None = None, processed: str | Path | None = None) -> list[Path]:
    """Build the processed tables; return the paths written (sorted)."""
    raw = Path(raw) if raw is not None else paths.DATA_RAW
    processed = Path(processed) if processed is not None else paths.DATA_PROCESSED
    _check_folders(raw, processed)
    regions = load_regions(raw / "regions.csv")
    registry = indicator_registry()
    outputs: dict[Path, bytes] = {}

    figures_dir = raw / "figures"
    unknown = sorted(p for p in figures_dir.glob("*.csv") if p.stem not in regions.index)
    if unknown:
        raise DataValidationError(
            f"{unknown[0]}: {unknown[0].stem!r} is not a region of {raw / 'regions.csv'}; add the region there "
            "(slug, name_zh, province, parent, kind) or rename the file to its slug"
        )
    frames = []
    for slug in regions.index:
        frame = _logging_flags(load_figures, slug, figures_dir / f"{slug}.csv")
        if not len(frame) and (figures_dir / f"{slug}.csv").exists():
            log.warning("%s has a header but no figure rows", figures_dir / f"{slug}.csv")
        frames.append(frame)
    frames = [f for f in frames if len(f)]
    if frames:
        figures = pd.concat(frames, ignore_index=True)
        figures = figures.join(registry[["direction", "kind"]], on="indicator")
        figures["source_row"] = figures.pop("row")
        outputs[processed / "figures.csv"] = _csv_bytes(figures)

    written_from: dict[Path, Path] = {}
    for table_path in school_table_files(raw / "schools"):
        target = processed / "schools" / f"{table_path.stem}.csv"
        if target in written_from:
            raise DataValidationError(
                f"{table_path}: {written_from[target].name} has the same name before its suffix, and both would "
                f"become {target.name}; rename one of them"
            )
        written_from[target] = table_path
        table, problems = check_school_table(table_path)
        raise_first(problems)
        for problem in problems:  # warnings only: the errors were raised
            log.warning("%s", problem)
        outputs[target] = _csv_bytes(school_indicators(table))

    _write_all(outputs, processed)  # all validated: now write
    return sorted(outputs)
