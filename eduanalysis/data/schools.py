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
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataValidationError
from .numbers import parse_numbers
from .problems import Problem, raise_first
from .readers import XLS_MAGIC, XLSX_MAGIC, IncompleteFileWarning, check_header, decode_text, read_bytes, read_csv_table
from .school_rules import PlausibilityWarning, check_rules, load_rules

__all__ = [
    "COLUMNS",
    "LEVELS",
    "OTHER_SPREADSHEETS",
    "TABLE_SUFFIXES",
    "check_school_table",
    "read_school_table",
    "school_table_problems",
]

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
            mapping[unicodedata.normalize("NFKC", name).strip().lower()] = canonical
    return mapping


#: spreadsheet formats that are not read, with the advice given instead of ignoring them
OTHER_SPREADSHEETS = {
    ".xls": "an old Excel workbook (.xls)",
    ".xlsb": "an Excel binary workbook (.xlsb)",
    ".et": "a WPS workbook (.et)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".numbers": "a Numbers spreadsheet",
}
_SAVE_AS = "open it in Excel or WPS and save it as .xlsx (Excel 工作簿) or as “CSV UTF-8（逗号分隔）”"
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def _read_workbook(path: Path) -> tuple[list[str], list[list[str]]]:
    data = read_bytes(path)
    if data.startswith(XLS_MAGIC):
        raise DataValidationError(f"{path}: this is an old Excel workbook (.xls) under an .xlsx name; {_SAVE_AS}")
    if not data.startswith(XLSX_MAGIC):
        kind = "is empty" if not data else "is not an Excel workbook (it is not a zip container"
        kind += "" if not data else (": a CSV text file renamed .xlsx?)" if _looks_like_text(data) else ")")
        raise DataValidationError(f"{path}: the file {kind}; {_SAVE_AS}")
    try:
        sheets = pd.read_excel(
            io.BytesIO(data), sheet_name=None, header=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except Exception as exc:  # any failure of the workbook reader means the same thing here
        raise DataValidationError(
            f"{path}: the workbook cannot be read ({type(exc).__name__}: {exc}); it may be damaged or cut off — "
            f"{_SAVE_AS} again"
        ) from None

    def filled_rows(frame: pd.DataFrame) -> int:
        return int((frame != "").to_numpy().any(axis=1).sum()) if frame.size else 0

    used = {name: frame for name, frame in sheets.items() if filled_rows(frame)}
    tables = {name: frame for name, frame in used.items() if filled_rows(frame) > 1}  # a header and a row
    if not used:
        raise DataValidationError(f"{path}: the workbook has no data; expected a header row and one row per school")
    if len(tables) > 1:
        raise DataValidationError(
            f"{path}: the workbook has data on {len(tables)} sheets ({'、'.join(map(str, tables))}); "
            "put one school table per file (one sheet each)"
        )
    frame = next(iter((tables or used).values()))
    rows = frame.to_numpy(dtype=object).tolist()
    header = [str(h).strip() for h in rows[0]]
    while header and not header[-1] and not any(str(r[len(header) - 1]).strip() for r in rows[1:]):
        header.pop()  # a formatted but empty last column
        rows = [r[: len(header)] for r in rows]
    return header, [[str(c) for c in r] for r in rows[1:]]


def _looks_like_text(data: bytes) -> bool:
    try:
        decode_text(Path("?"), data[:4096])
    except DataValidationError:
        return False
    return True


def _read_raw(path: Path, problems: list[Problem]) -> tuple[pd.DataFrame, int]:
    """The table as strings with the header as written; and the file row of its first data row."""
    suffix = path.suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        raise DataValidationError(f"{path}: {OTHER_SPREADSHEETS[suffix]} is not read; {_SAVE_AS}")
    if suffix not in TABLE_SUFFIXES:
        raise DataValidationError(f"{path}: expected a .csv or .xlsx school table")
    if suffix == ".csv":
        return read_csv_table(path, require_rows=True, problems=problems), 2
    header, body = _read_workbook(path)
    check_header(path, header, None)
    while body and not any(c.strip() for c in body[-1]):
        body.pop()
    if not body:
        raise DataValidationError(f"{path}: the file has a header but no data rows")
    for i, row in enumerate(body, start=2):
        if not any(c.strip() for c in row):
            raise DataValidationError(f"{path}, row {i}: the row is empty; remove blank rows between the data rows")
    return pd.DataFrame(body, columns=header, dtype=str), 2


def check_school_table(path: str | Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a school table and check every cell; return ``(table, problems)``.

    Problems with the file as a whole (unreadable, not a table, header without rows,
    unknown or missing columns) raise ``DataValidationError``: nothing else can be
    checked.  Every cell and row problem is returned instead, errors and plausibility
    warnings alike (:mod:`eduanalysis.data.school_rules`), so a caller can list them
    all.  ``table`` has canonical columns; a cell that is refused is NaN (numbers) or
    kept as written (text).
    """
    path = Path(path)
    problems: list[Problem] = []
    raw, first_row = _read_raw(path, problems)
    mapping = _header_map()
    renamed: dict[str, str] = {}
    seen: dict[str, str] = {}
    for header in raw.columns:
        key = unicodedata.normalize("NFKC", str(header)).strip().lower()
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
    file = str(path)
    # a totals row is named first: its other problems (an empty 学段, sums) follow from it
    problems += check_rules(table.apply(lambda c: c.str.strip()), file, seen, first_row=first_row, kinds=("not_total",))
    out = {}
    for column in table.columns:
        header = seen[column]
        kind = COLUMNS[column][2]
        cells = table[column].astype(str).str.strip()
        if kind == "text":
            if column in REQUIRED:
                problems += Problem.each(cells == "", file, first_row, header, "", "must not be empty", rule="required")
            out[column] = cells
            continue
        numbers, reasons = parse_numbers(cells)
        unreadable, negative = reasons != "", numbers < 0
        problems += Problem.each(
            unreadable, file, first_row, header, cells[unreadable], reasons[unreadable], rule="number"
        )
        why = [f"must be >= 0, found {c!r}" for c in cells[negative]]
        problems += Problem.each(negative, file, first_row, header, cells[negative], why, rule="non_negative")
        if kind == "count":
            fractional = (numbers != np.round(numbers)) & numbers.notna()
            found = [f"expected a whole number, found {c!r}" for c in cells[fractional]]
            problems += Problem.each(fractional, file, first_row, header, cells[fractional], found, rule="whole_number")
            if not (numbers.isna().any() or fractional.any()):  # refused cells stay NaN (float)
                numbers = numbers.astype("int64")
        out[column] = numbers
    result = pd.DataFrame(out)
    problems += _row_checks(result, file, seen, first_row)
    return result, problems


def _row_checks(result: pd.DataFrame, file: str, seen: dict[str, str], first_row: int) -> list[Problem]:
    rules = load_rules(known_columns=tuple(COLUMNS))
    problems = check_rules(result, file, seen, first_row=first_row, rules=rules, kinds=("at_most", "per_student"))
    empty = (result["enrolment"] == 0).to_numpy()
    why = [
        f"must be a positive integer, but row {first_row + int(i)} ({COLUMNS['school'][0]}: {name}) has 0"
        for i, name in zip(np.flatnonzero(empty), result["school"][empty])
    ]
    problems += Problem.each(empty, file, first_row, seen["enrolment"], "0", why, rule="positive")
    unknown = ~result["level"].isin(LEVELS)
    found = [f"expected 小学 or 初中, found {c!r}" for c in result["level"][unknown]]
    problems += Problem.each(unknown, file, first_row, seen["level"], result["level"][unknown], found, rule="level")
    keys = ["region", "school", "level"] if "region" in result else ["school", "level"]
    duplicated = result.duplicated(keys, keep="first").to_numpy()
    if duplicated.any():
        first_of = result.groupby(keys, sort=False).ngroup().to_numpy()
        first_position = {g: i for i, g in reversed(list(enumerate(first_of)))}
        why = [
            f"school {result['school'].iloc[i]!r} ({result['level'].iloc[i]}) already appears in row "
            f"{first_row + first_position[first_of[i]]}"
            for i in np.flatnonzero(duplicated)
        ]
        problems += Problem.each(
            duplicated, file, first_row, seen["school"], result["school"][duplicated], why, rule="unique"
        )
    return problems


def school_table_problems(path: str | Path) -> list[Problem]:
    """Every problem of one school table, the file-level one (row 0) included: what
    ``eduanalysis validate`` lists for a table of ``data/raw/schools/``.

    Examples
    --------
    >>> from eduanalysis import paths
    >>> school_table_problems(paths.SCHOOLS_DIR / "worked_example_books.csv")
    []
    """
    try:
        _, problems = check_school_table(path)
    except DataValidationError as exc:
        return [Problem(Path(path), 0, "", "", str(exc), rule="file")]
    return problems


def read_school_table(path: str | Path) -> pd.DataFrame:
    """Read and validate one school table; return it with canonical column names.

    Count columns become ``int64``, amounts ``float64``; text columns are stripped
    strings.  ``region`` is optional (one county per file), ``school_type`` and
    ``note`` too; every other column must be one of :data:`COLUMNS`.  The first error
    of :func:`check_school_table` is raised as ``DataValidationError`` (saying how many
    more there are); plausibility warnings are issued as
    :class:`~eduanalysis.data.school_rules.PlausibilityWarning` (a missing final line
    break as :class:`~eduanalysis.data.readers.IncompleteFileWarning`) and the values kept.

    Examples
    --------
    >>> from eduanalysis import paths
    >>> t = read_school_table(paths.SCHOOLS_DIR / "worked_example_books.csv")
    >>> t[["school", "enrolment", "books"]].values.tolist()[0]
    ['小学1', 45, 279]
    """
    table, problems = check_school_table(path)
    raise_first(problems)
    for problem in problems:
        category = IncompleteFileWarning if problem.rule == "final_line_break" else PlausibilityWarning
        warnings.warn(str(problem), category, stacklevel=2)
    return table
