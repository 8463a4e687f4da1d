"""Reading the project's CSV inputs the same way everywhere, with messages that teach.

Every raw CSV (figures, regions, sources, checks, claims) goes through
:func:`read_csv_table`: text is decoded as UTF-8 (with or without BOM), UTF-16 with a BOM,
or GBK (the encoding Excel on a Chinese Windows uses for "CSV"), and the message says so
when none fits; an empty file, a missing or different header, and a row with more or
fewer fields than the header (a file cut off mid-way, an unquoted comma) are errors that
name the file and row.  Nothing is repaired.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError

__all__ = ["decode_text", "read_csv_table"]


def decode_text(path: Path, data: bytes | None = None) -> tuple[str, str]:
    """Decode a text file; return ``(text, encoding)``.

    UTF-8 first (a BOM is dropped), then UTF-16 when the file starts with its BOM, then
    GBK.  Bytes that fit none raise ``DataValidationError`` advising to save as UTF-8.
    """
    data = path.read_bytes() if data is None else data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise DataValidationError(
        f"{path}: the file is neither UTF-8, UTF-16 nor GBK text; open it in a spreadsheet or editor "
        "and save it as “CSV UTF-8（逗号分隔）”"
    )


def read_csv_table(path: str | Path, *, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a CSV as strings (no NA conversion); check header and field counts.

    With ``columns``, the header must be exactly those names in that order.
    """
    path = Path(path)
    if not path.exists():
        raise DataValidationError(f"{path}: file not found")
    text, _ = decode_text(path)
    if not text.strip():
        raise DataValidationError(f"{path}: the file is empty; expected a header row and data rows")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataValidationError(f"{path}: not a valid CSV table: {exc}") from None
    header = [h.strip() for h in rows[0]]
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
    body = rows[1:]
    while body and not any(cell.strip() for cell in body[-1]):
        body.pop()  # trailing blank lines
    for i, row in enumerate(body, start=2):
        if len(row) != len(header):
            hint = (
                "the file may have been cut off here"
                if i == len(body) + 1 and len(row) < len(header)
                else "a value with a comma must be in double quotes"
            )
            raise DataValidationError(
                f"{path}, row {i}: expected {len(header)} fields like the header, found {len(row)} ({hint})"
            )
    return pd.DataFrame(body, columns=header, dtype=str)
