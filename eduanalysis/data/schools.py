"""School tables as analysts export them (教育事业统计 returns): CSV or XLSX, Chinese or
English headers, UTF-8 (with or without BOM) or GBK.

:func:`read_school_table` maps headers to canonical column names, checks every cell and
returns a typed DataFrame; it never repairs anything.  Every error names the file, the
spreadsheet row (the header is row 1), the column as written in the file, and what was
expected.  One row is one school section: a 九年一贯制 school appears once as 小学 and
once as 初中, so a name may repeat across levels but not within one.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataValidationError

__all__ = ["COLUMNS", "LEVELS", "read_school_table"]

#: canonical column -> (Chinese header, other accepted headers, kind)
COLUMNS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "region": ("县区", ("区县", "县（市、区）", "county", "district", "region"), "text"),
    "school": ("学校名称", ("学校", "校名", "school", "school_name"), "text"),
    "level": ("学段", ("level", "stage"), "text"),
    "school_type": ("学校类型", ("办学类型", "school_type"), "text"),
    "enrolment": ("在校生数", ("学生数", "enrolment", "enrollment", "students"), "count"),
    "teaching_aux_area": ("教学及辅助用房面积", ("teaching_aux_area",), "amount"),
    "sports_area": ("体育运动场馆面积", ("sports_area",), "amount"),
    "equipment_value": ("教学仪器设备值", ("equipment_value",), "amount"),
    "computers": ("计算机台数", ("computers",), "count"),
    "books": ("图书册数", ("books",), "count"),
    "teachers": ("专任教师数", ("teachers", "full_time_teachers"), "count"),
    "qualified_teachers": ("高于规定学历教师数", ("qualified_teachers",), "count"),
    "senior_title_teachers": (
        "中级及以上专业技术职务教师数",
        ("senior_title_teachers",),
        "count",
    ),
    "key_teachers": ("县级以上骨干教师数", ("key_teachers",), "count"),
    "pe_art_teachers": ("体育艺术专任教师数", ("体育、艺术专任教师数", "pe_art_teachers"), "count"),
    "multimedia_rooms": ("网络多媒体教室数", ("multimedia_rooms",), "count"),
    "note": ("备注", ("note", "数据说明"), "text"),
}
REQUIRED = ("school", "level", "enrolment")
LEVELS = ("小学", "初中")
#: units expected in the file (equipment value in 元, areas in ㎡)
UNITS = {"teaching_aux_area": "㎡", "sports_area": "㎡", "equipment_value": "元"}


def _header_map() -> dict[str, str]:
    mapping = {}
    for canonical, (zh, aliases, _) in COLUMNS.items():
        for name in (zh, canonical, *aliases):
            mapping[name.strip().lower()] = canonical
    return mapping


def _read_raw(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return pd.read_excel(path, dtype=str, header=0, keep_default_na=False, engine="openpyxl")
    if suffix != ".csv":
        raise DataValidationError(f"{path}: expected a .csv or .xlsx school table")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gbk"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    raise DataValidationError(f"{path}: not UTF-8 (with or without BOM) nor GBK text")


def read_school_table(path: str | Path) -> pd.DataFrame:
    """Read and validate one school table; return it with canonical column names.

    Count columns become ``int64``, amounts ``float64``; text columns are stripped
    strings.  ``region`` is optional (one county per file), ``school_type`` and
    ``note`` too; every other column must be one of :data:`COLUMNS`.

    Examples
    --------
    >>> from eduanalysis import paths
    >>> t = read_school_table(paths.SCHOOLS_DIR / "worked_example_books.csv")
    >>> t[["school", "enrolment", "books"]].values.tolist()[0]
    ['小学1', 45, 279]
    """
    path = Path(path)
    raw = _read_raw(path)
    mapping = _header_map()
    renamed: dict[str, str] = {}
    seen: dict[str, str] = {}
    for header in raw.columns:
        key = str(header).strip().lower()
        if key not in mapping:
            known = "、".join(zh for zh, _, _ in COLUMNS.values())
            raise DataValidationError(
                f"{path}, row 1: unknown column {header!r}; expected Chinese or English headers such as {known}"
            )
        canonical = mapping[key]
        if canonical in seen:
            raise DataValidationError(
                f"{path}, row 1: columns {seen[canonical]!r} and {header!r} both mean "
                f"{COLUMNS[canonical][0]} ({canonical})"
            )
        seen[canonical] = header
        renamed[header] = canonical
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        raise DataValidationError(
            f"{path}, row 1: required column(s) missing: " + ", ".join(f"{COLUMNS[c][0]} ({c})" for c in missing)
        )
    table = raw.rename(columns=renamed)
    out = {}
    for column in table.columns:
        header = seen[column]
        kind = COLUMNS[column][2]
        cells = table[column].astype(str).str.strip()
        if kind == "text":
            empty = np.flatnonzero((cells == "").to_numpy())
            if column in REQUIRED and empty.size:
                raise DataValidationError(f"{path}, row {empty[0] + 2}, column {header!r}: must not be empty")
            out[column] = cells
            continue
        numbers = pd.to_numeric(cells.str.replace(",", "", regex=False), errors="coerce")
        bad = np.flatnonzero(numbers.isna().to_numpy())
        if bad.size:
            i = bad[0]
            raise DataValidationError(
                f"{path}, row {i + 2}, column {header!r}: expected a number, found {cells.iloc[i]!r}"
            )
        negative = np.flatnonzero((numbers < 0).to_numpy())
        if negative.size:
            i = negative[0]
            raise DataValidationError(f"{path}, row {i + 2}, column {header!r}: must be >= 0, found {cells.iloc[i]!r}")
        if kind == "count":
            fractional = np.flatnonzero((numbers != np.round(numbers)).to_numpy())
            if fractional.size:
                i = fractional[0]
                raise DataValidationError(
                    f"{path}, row {i + 2}, column {header!r}: expected a whole number, found {cells.iloc[i]!r}"
                )
            numbers = numbers.astype("int64")
        out[column] = numbers
    result = pd.DataFrame(out)
    zero = np.flatnonzero((result["enrolment"] == 0).to_numpy())
    if zero.size:
        i = zero[0]
        raise DataValidationError(
            f"{path}, row {i + 2}, column {seen['enrolment']!r}: must be a positive integer, but "
            f"row {i + 2} ({COLUMNS['school'][0]}: {result['school'].iloc[i]}) has 0"
        )
    bad_level = np.flatnonzero(~result["level"].isin(LEVELS).to_numpy())
    if bad_level.size:
        i = bad_level[0]
        raise DataValidationError(
            f"{path}, row {i + 2}, column {seen['level']!r}: expected 小学 or 初中, found {result['level'].iloc[i]!r}"
        )
    keys = ["region", "school", "level"] if "region" in result else ["school", "level"]
    dup = np.flatnonzero(result.duplicated(keys, keep="first").to_numpy())
    if dup.size:
        i = dup[0]
        first = int(np.flatnonzero((result[keys] == result[keys].iloc[i]).all(axis=1).to_numpy())[0])
        raise DataValidationError(
            f"{path}, row {i + 2}, column {seen['school']!r}: school {result['school'].iloc[i]!r} "
            f"({result['level'].iloc[i]}) already appears in row {first + 2}"
        )
    return result
