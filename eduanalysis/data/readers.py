"""Reading the project's CSV inputs the same way everywhere, with messages that teach.

Every raw CSV (figures, regions, sources, checks, claims, CSV school tables) goes through
:func:`read_csv_table`: text is decoded by :func:`decode_text` as UTF-8 (with or without
BOM), UTF-16 with a BOM, or GBK (the encoding Excel on a Chinese Windows uses for "CSV"),
and the message says so when none fits.  Refused, each naming the file (and row):

- a file that is not text: an Excel workbook (.xlsx or old .xls) under a .csv name,
  UTF-16 without its BOM, a binary file (NUL bytes);
- a file cut off mid-way: in the middle of a character, inside a quoted value, or in the
  middle of a row (fewer fields than the header);
- an empty file, a header without data rows (where rows are required), an empty or
  repeated column name, a tab- or semicolon-separated file, a blank row between data
  rows, a row with more fields than the header (an unquoted comma).

A file that does not end with a line break (every spreadsheet writes one) gets an
:class:`IncompleteFileWarning`: a cut inside the last value of a row leaves the right
number of fields, and only the missing line break shows it.  A cut that falls exactly
between two rows leaves a shorter but well-formed file; no reader can see that (the
checks of :mod:`eduanalysis.judgement.audit` then name the figure rows that are gone).
Nothing is repaired.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError
from .problems import Problem

__all__ = [
    "XLSX_MAGIC",
    "XLS_MAGIC",
    "IncompleteFileWarning",
    "check_header",
    "decode_text",
    "read_bytes",
    "read_csv_table",
]

_SAVE_AS = "open it in a spreadsheet or editor and save it as “CSV UTF-8（逗号分隔）”"
#: file signatures of spreadsheet workbooks (zip container; OLE2 compound document)
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: this many valid non-ASCII UTF-8 characters before an invalid byte mean a UTF-8 file
#: with a damaged byte, not a GBK file (GBK text almost never forms a run of valid UTF-8)
_UTF8_EVIDENCE = 4


class IncompleteFileWarning(UserWarning):
    """A CSV does not end with a line break: its last row may have been cut inside its last value."""


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``; a missing, unreadable or non-file path is a ``DataValidationError``."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataValidationError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DataValidationError(f"{path}: is a folder, expected a file") from None
    except OSError as exc:
        raise DataValidationError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(path: Path, data: bytes | None = None) -> tuple[str, str]:
    """Decode a text file; return ``(text, encoding)``.

    UTF-8 first (a BOM is dropped), then UTF-16 when the file starts with its BOM, then
    GBK.  A workbook or binary file, a file cut off in the middle of a character, a UTF-8
    file with a damaged byte, and bytes that fit no encoding raise ``DataValidationError``
    with advice (save as CSV UTF-8).

    Examples
    --------
    >>> decode_text(Path("t.csv"), "学校名称".encode("gbk"))
    ('学校名称', 'gbk')
    >>> decode_text(Path("t.csv"), "学校".encode("utf-8")[:-1])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    eduanalysis.errors.DataValidationError: t.csv, line 1: the file ends in the middle of a character: it was cut ...
    """
    data = read_bytes(path) if data is None else data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if len(data) % 2:
            raise DataValidationError(
                f"{path}: a UTF-16 file must have an even number of bytes; it was cut off (an interrupted "
                f"copy or download?), or {_SAVE_AS}"
            )
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DataValidationError(
                f"{path}, line {_line_of(data, exc.start) // 2 + 1}: not valid UTF-16 text; {_SAVE_AS}"
            ) from None
    if data.startswith(XLSX_MAGIC):
        raise DataValidationError(
            f"{path}: this is an Excel workbook (.xlsx), not a CSV text file; rename it to .xlsx "
            f"(school tables) or {_SAVE_AS}"
        )
    if data.startswith(XLS_MAGIC):
        raise DataValidationError(f"{path}: this is an old Excel workbook (.xls), not a CSV text file; {_SAVE_AS}")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataValidationError(
            f"{path}, line {_line_of(data, nul)}: the file contains NUL bytes, so it is not "
            f"UTF-8 or GBK text (UTF-16 without its byte-order mark? a binary file?); {_SAVE_AS}"
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if utf8_error.start >= len(data) - 3 and utf8_error.reason == "unexpected end of data":
        raise DataValidationError(
            f"{path}, line {_line_of(data, utf8_error.start)}: the file ends in the middle of a character: it "
            "was cut off (an interrupted copy or download?); restore the complete file"
        )
    prefix = data[: utf8_error.start].decode("utf-8-sig")
    if sum(not c.isascii() for c in prefix) >= _UTF8_EVIDENCE:
        raise DataValidationError(
            f"{path}, line {_line_of(data, utf8_error.start)}: the file is UTF-8 text with a damaged byte "
            f"(0x{data[utf8_error.start]:02x} at byte {utf8_error.start}); restore the file or re-save it"
        )
    try:
        return data.decode("gbk"), "gbk"
    except UnicodeDecodeError as exc:
        gbk_error = exc
    if gbk_error.start >= len(data) - 1 and gbk_error.reason == "incomplete multibyte sequence":
        raise DataValidationError(
            f"{path}, line {_line_of(data, gbk_error.start)}: the file (GBK text) ends in the middle of a "
            "character: it was cut off (an interrupted copy or download?); restore the complete file"
        )
    raise DataValidationError(f"{path}: the file is neither UTF-8, UTF-16 nor GBK text; {_SAVE_AS}")


def read_csv_table(
    path: str | Path,
    *,
    columns: list[str] | None = None,
    require_rows: bool = False,
    problems: list[Problem] | None = None,
) -> pd.DataFrame:
    """Read a CSV as strings (no NA conversion); check encoding, header and field counts.

    With ``columns``, the header must be exactly those names in that order.  With
    ``require_rows``, a header without data rows is an error.  Trailing blank lines are
    allowed (editors add them); a blank row between data rows is not.  A missing final
    line break is flagged: appended to ``problems`` when a list is given, else issued
    as an :class:`IncompleteFileWarning`.

    Examples
    --------
    >>> from eduanalysis import paths
    >>> read_csv_table(paths.REGIONS_CSV).columns.tolist()
    ['slug', 'name_zh', 'province', 'parent', 'kind']
    """
    path = Path(path)
    text, _ = decode_text(path)
    if not text.strip():
        raise DataValidationError(f"{path}: the file is empty; expected a header row and data rows")
    # strict: a quote left open (a file cut inside a quoted value) or text after a closing
    # quote is an error instead of being read into the next fields
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise DataValidationError(
                f'{path}: the file ends inside a quoted value (an opening " without its closing "): it was '
                "cut off, or a quote is missing"
            ) from None
        raise DataValidationError(
            f'{path}, line {reader.line_num}: not a valid CSV row ({exc}); a value with a " must be in '
            'double quotes and write the " itself as ""'
        ) from None
    header = [h.strip() for h in rows[0]]
    check_header(path, header, columns)
    body = rows[1:]
    while body and not any(cell.strip() for cell in body[-1]):
        body.pop()  # trailing blank lines
    if require_rows and not body:
        raise DataValidationError(f"{path}: the file has a header but no data rows")
    for i, row in enumerate(body, start=2):
        if len(row) == len(header):
            continue
        if not any(cell.strip() for cell in row):
            raise DataValidationError(f"{path}, row {i}: the row is empty; remove blank rows between the data rows")
        hint = (
            "the file may have been cut off here"
            if i == len(body) + 1 and len(row) < len(header)
            else "a value with a comma must be in double quotes"
        )
        raise DataValidationError(
            f"{path}, row {i}: expected {len(header)} fields like the header, found {len(row)} ({hint})"
        )
    if body and not text.endswith(("\n", "\r")):
        flag = Problem.at(
            path,
            len(body) + 1,
            "",
            "",
            "the file does not end with a line break, as a complete file written by a spreadsheet does; if it "
            "was cut off, the last value of this row is incomplete — check it against the source (and end the "
            "file with a line break)",
            rule="final_line_break",
            severity="warning",
        )
        if problems is None:
            warnings.warn(str(flag), IncompleteFileWarning, stacklevel=2)
        else:
            problems.append(flag)
    return pd.DataFrame(body, columns=header, dtype=str)


def check_header(path: Path, header: list[str], columns: list[str] | None) -> None:
    """Refuse a header that is not ``columns`` (when given), has an empty or repeated name,
    or is one cell holding tab- or semicolon-separated names; an empty first row too."""
    if not any(header):
        raise DataValidationError(
            f"{path}, row 1: the row is empty; the header (the column names) must be the first row"
        )
    if len(header) == 1 and ("\t" in header[0] or ";" in header[0]):
        separator = "tabs" if "\t" in header[0] else "semicolons"
        raise DataValidationError(
            f"{path}, row 1: the columns are separated by {separator}, not commas (Excel “Unicode text” or a "
            f"non-Chinese locale); {_SAVE_AS}"
        )
    if columns is not None and header != columns:
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        detail = []
        if missing:
            detail.append(f"missing {', '.join(missing)}")
        if extra:
            detail.append(f"unexpected {', '.join(extra)}")
        if not detail:
            detail.append("same names in another order")
        raise DataValidationError(
            f"{path}, row 1: the header must be {','.join(columns)}; found {','.join(header)} ({'; '.join(detail)})"
        )
    for j, name in enumerate(header, start=1):
        if not name:
            raise DataValidationError(
                f"{path}, row 1, column {j}: the column has no name; name it or delete the column"
            )
        if name in header[: j - 1]:
            raise DataValidationError(
                f"{path}, row 1, column {j}: the column name {name!r} appears twice "
                f"(columns {header.index(name) + 1} and {j})"
            )
