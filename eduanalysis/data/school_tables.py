"""The register of school tables (``data/raw/school_tables.csv``): what each table is.

One row per file of ``data/raw/schools/``: ``file``, the ``label`` a report shows for it
(a county's name, 示例县（合成数据）), its ``kind`` — 真实数据, 合成示例 (made-up schools)
or 方法示例 (a published worked example) — and a ``note``.  A table without a row is
reported under its file name, as 真实数据.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import paths
from ..errors import DataValidationError

__all__ = ["TABLE_KINDS", "school_table_info"]

TABLE_KINDS = ("真实数据", "合成示例", "方法示例")
_COLUMNS = ["file", "label", "kind", "note"]


@lru_cache(maxsize=4)
def _load(path: Path, version: tuple) -> dict[str, dict]:
    from .readers import read_csv_table

    if not path.exists():
        return {}
    table = read_csv_table(path, columns=_COLUMNS)
    out = {}
    for i, rec in enumerate(table.itertuples(index=False), start=2):
        if rec.kind not in TABLE_KINDS:
            raise DataValidationError(
                f"{path}, row {i}, column `kind`: expected one of {'、'.join(TABLE_KINDS)}, found {rec.kind!r}"
            )
        if not rec.label:
            raise DataValidationError(f"{path}, row {i}, column `label`: must not be empty")
        out[rec.file] = {"label": rec.label, "kind": rec.kind, "note": rec.note}
    return out


def school_table_info(name: str) -> dict:
    """``label``, ``kind`` and ``note`` of a school table (by file name).

    Examples
    --------
    >>> school_table_info("synthetic_demo_county.csv")["kind"]
    '合成示例'
    >>> school_table_info("my_county.xlsx")
    {'label': 'my_county', 'kind': '真实数据', 'note': ''}
    """
    path = paths.DATA_RAW / "school_tables.csv"
    version = (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else ()
    known = _load(path, version)
    return dict(known.get(Path(name).name, {"label": Path(name).stem, "kind": "真实数据", "note": ""}))
