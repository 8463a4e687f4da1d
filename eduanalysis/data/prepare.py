"""``eduanalysis prepare``: data/raw → data/processed, deterministic and atomic.

Writes ``figures.csv`` (every region's reported figures, parsed to typed values in
registry units, joined with the registry's name, unit, direction and kind) and
``schools/<file>.csv`` (each school table with canonical columns and the derived
indicators).  Never writes into ``data/raw/``.  The same raw input gives byte-identical
output.  Everything is validated before anything is written: on the first error
nothing in ``data/processed/`` changes.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .. import paths
from ..fileio import atomic_write_bytes
from ..measures.indicators import school_indicators
from .figures import load_figures
from .regions import load_regions
from .registry import indicator_registry
from .schools import read_school_table

__all__ = ["prepare"]


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.10g")
    return buffer.getvalue().encode("utf-8")


def prepare(raw: str | Path | None = None, processed: str | Path | None = None) -> list[Path]:
    """Build the processed tables; return the paths written (sorted)."""
    raw = Path(raw) if raw is not None else paths.DATA_RAW
    processed = Path(processed) if processed is not None else paths.DATA_PROCESSED
    if processed.resolve() == raw.resolve() or raw.resolve() in processed.resolve().parents:
        raise ValueError(f"refusing to write processed data inside the raw folder {raw}")
    regions = load_regions(raw / "regions.csv")
    registry = indicator_registry()
    outputs: dict[Path, bytes] = {}

    frames = [load_figures(slug, raw / "figures" / f"{slug}.csv") for slug in regions.index]
    frames = [f for f in frames if len(f)]
    if frames:
        figures = pd.concat(frames, ignore_index=True)
        figures = figures.join(registry[["direction", "kind"]], on="indicator")
        figures["source_row"] = figures.pop("row")
        outputs[processed / "figures.csv"] = _csv_bytes(figures)

    for table_path in sorted((raw / "schools").glob("*")):
        if table_path.suffix.lower() not in {".csv", ".xlsx"}:
            continue
        table = school_indicators(read_school_table(table_path))
        outputs[processed / "schools" / f"{table_path.stem}.csv"] = _csv_bytes(table)

    for path, data in outputs.items():  # all validated: now write
        atomic_write_bytes(path, data)
    return sorted(outputs)
