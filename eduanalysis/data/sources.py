"""The source registry (``data/raw/sources.csv``): the documents figures are read from.

One row per document: an ASCII ``source_id`` that figure rows cite, the ``region`` whose
document it is, its ``title``, ``issuer`` (发文机关), ``date`` (YYYY-MM-DD), ``kind``,
``doc_number`` (文号, may be empty), ``address`` (where a reader finds it: a URL or an
index number, may be empty), ``file`` (a plain-text copy for verbatim checks, relative
to the project root; may be empty, or point outside the repository) and ``note``.

Reports cite a document by its title, issuer and date (:func:`citation`), never by the
name of a file the reader does not have.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataValidationError

__all__ = ["SOURCE_COLUMNS", "SOURCE_KINDS", "citation", "get_source", "load_sources", "source_text"]

SOURCE_COLUMNS = ["source_id", "region", "title", "issuer", "date", "kind", "doc_number", "address", "file", "note"]
#: what kind of document a source is
SOURCE_KINDS = (
    "履职自评报告",
    "督导评估汇报",
    "督导评估报告",
    "发展规划",
    "统计公报",
    "统计表",
    "工作总结",
    "政策文件",
    "其他",
)
_ID_RE = re.compile(r"^[a-z0-9_]+$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _version(path: Path) -> tuple:
    return (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else ()


def load_sources(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the source registry; return it indexed by ``source_id``.

    A missing registry gives an empty table (a project without documents yet).

    Examples
    --------
    >>> load_sources().loc["yining_2021_balance_review", "issuer"]
    '伊宁市人民政府'
    """
    path = Path(path) if path is not None else paths.SOURCES_CSV
    return _load(path.resolve(), _version(path)).copy()


@lru_cache(maxsize=8)
def _load(path: Path, version: tuple) -> pd.DataFrame:
    from .readers import read_csv_table

    if not path.exists():
        return pd.DataFrame(columns=SOURCE_COLUMNS).set_index("source_id")
    table = read_csv_table(path, columns=SOURCE_COLUMNS)
    for i, rec in enumerate(table.itertuples(index=False), start=2):
        where = f"{path}, row {i}"
        if not _ID_RE.match(rec.source_id):
            raise DataValidationError(
                f"{where}, column `source_id`: expected lower-case ASCII letters, digits or _, "
                f"found {rec.source_id!r} (e.g. {rec.region or 'city'}_2021_selfeval)"
            )
        for column in ("region", "title", "issuer", "date", "kind"):
            if not getattr(rec, column):
                raise DataValidationError(f"{where}, column `{column}`: must not be empty")
        if not _DATE_RE.match(rec.date):
            raise DataValidationError(
                f"{where}, column `date`: expected a date like 2021-03-18 (or 2021-03, 2021), found {rec.date!r}"
            )
        if rec.kind not in SOURCE_KINDS:
            raise DataValidationError(
                f"{where}, column `kind`: expected one of {'、'.join(SOURCE_KINDS)}, found {rec.kind!r}"
            )
    dup = table["source_id"][table["source_id"].duplicated()].tolist()
    if dup:
        raise DataValidationError(f"{path}, column `source_id`: duplicated ids {dup}")
    return table.set_index("source_id")


def get_source(source_id: str) -> pd.Series:
    """One document's registry row; an unknown id raises ``DataValidationError``."""
    table = load_sources()
    if source_id not in table.index:
        known = ", ".join(table.index) or "(none)"
        raise DataValidationError(f"source {source_id!r} is not registered in {paths.SOURCES_CSV.name}; known: {known}")
    return table.loc[source_id]


def citation(source_id: str, *, with_number: bool = True) -> str:
    """How a report cites a document: 《title》（issuer，date[，文号]）.

    Examples
    --------
    >>> citation("yining_2021_balance_review")
    '《伊宁市人民政府关于义务教育基本均衡发展复查验收工作汇报》（伊宁市人民政府，2021-03-18）'
    """
    src = get_source(source_id)
    title = src["title"] if src["title"].startswith("《") else f"《{src['title']}》"
    details = [src["issuer"], src["date"]]
    if with_number and src["doc_number"]:
        details.append(src["doc_number"])
    return f"{title}（{'，'.join(details)}）"


def source_text(source_id: str) -> str | None:
    """The registered plain-text copy of a document, or None when no copy is present."""
    src = get_source(source_id)
    if not src["file"]:
        return None
    path = (paths.PROJECT_ROOT / src["file"]).resolve()
    if not path.exists():
        return None
    from .readers import decode_text

    return decode_text(path)[0]  # UTF-8, UTF-16 or GBK: `validate` warns about the last two
