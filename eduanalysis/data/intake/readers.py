"""Reading a document (.txt, .docx, .pdf with a text layer, saved .html) into a :class:`Document`.

:func:`read_document` dispatches on the file's suffix; every reader produces normalised
blocks (see :mod:`.normalise`) with a locator a person can follow back to the original:

- plain text (UTF-8 with or without BOM, UTF-16 with BOM, GBK/GB18030): one block per
  non-empty line, locator ``第N行`` (N counts every line of the file, empty ones included);
- ``.docx`` (python-docx): paragraphs and tables in document order; a paragraph is
  ``第N段`` (N counts non-empty paragraphs), a table row ``表N 第M行`` with its cells and
  the table's first row as ``header``;
- ``.pdf`` (pdfplumber): the text layer of each page, the lines of a paragraph wrapped by
  the layout joined again, locator ``第P页 第L行`` (L = the paragraph's first line on the
  page); tables found on a page become table rows ``第P页 表N 第M行`` and their text is not
  repeated as paragraphs.  A PDF without a text layer (a scan) is refused: it needs OCR first;
- ``.html``/``.htm`` (beautifulsoup4 with lxml): the page's text without navigation,
  header, footer, scripts, styles and forms; block elements become paragraphs ``第N段``,
  table rows ``表N 第M行``.

A line is a ``heading`` when it is short and starts like one (``一、``, ``(一)``, ``1.``,
``第一章``) or is a level line such as ``——小学。``.  What each reader did (encoding, glyphs
folded, page numbers and running headers dropped, numbers joined) is in ``Document.notes``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import DataValidationError
from .document import Block, Document
from .normalise import Line, normalise_lines

__all__ = ["SUPPORTED_SUFFIXES", "DocumentReadError", "decode_document", "is_heading", "read_document"]


class DocumentReadError(DataValidationError):
    """A document cannot be read: unknown format, undecodable text, no text layer, damaged file."""


#: suffix → format name, the formats :func:`read_document` reads
SUPPORTED_SUFFIXES = {".txt": "txt", ".text": "txt"}

_HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.]"  # 一、
    r"|[(（][一二三四五六七八九十]{1,3}[)）]"  # (一)
    r"|\d{1,2}(?:[、．]|\.(?!\d))"  # 1.  1、 (not 12.5)
    r"|[(（]\d{1,2}[)）]"  # (1)
    r"|第[一二三四五六七八九十百]{1,4}[章节部分篇]"  # 第一章
    r")"
)
_LEVEL_LINE_RE = re.compile(r"^[—-]{1,2}\s*[^\s,，。;；]{1,12}[。.:：]?$")  # ——小学。


def is_heading(text: str) -> bool:
    """True when a line is obviously a heading: short, numbered like one, no sentence inside.

    Examples
    --------
    >>> [is_heading(t) for t in ["一、自查自评情况", "(一)坚持教育优先发展,教育经费得到保障", "——小学。", "1.学前教育"]]
    [True, True, True, True]
    >>> [is_heading(t) for t in ["(一)加强领导。市委召开常委扩大会", "12.5%的学校", "2020年全市共有学校30所。"]]
    [False, False, False]
    """
    text = text.strip()
    if _LEVEL_LINE_RE.match(text):
        return True
    if len(text) > 40 or not _HEADING_RE.match(text):
        return False
    body = text.rstrip("。.:：")
    return not re.search(r"[。;；!?！？]", body)


def _blocks_from_lines(lines: list[Line]) -> list[Block]:
    return [Block(x.text, x.locator, "heading" if is_heading(x.text) else "paragraph") for x in lines]


def decode_document(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a text document; return ``(text, note)``.

    Without ``encoding``: UTF-16 when the file starts with its byte-order mark, UTF-8 (a BOM
    is dropped), then GB18030 (which includes GBK and GB2312).  Bytes that fit none raise
    :class:`DocumentReadError` naming the file and the first bad line.

    Examples
    --------
    >>> decode_document(Path("a.txt"), "小学入学率".encode("gbk"))
    ('小学入学率', '编码 GB18030/GBK')
    >>> decode_document(Path("a.txt"), b"\\xef\\xbb\\xbf" + "小学".encode())
    ('小学', '编码 UTF-8（带 BOM）')
    """
    if encoding:
        try:
            return data.decode(encoding), f"编码 {encoding}（指定）"
        except (UnicodeDecodeError, LookupError) as exc:
            raise DocumentReadError(f"{path}: cannot be decoded as {encoding!r} ({exc})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "编码 UTF-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data:
        raise DocumentReadError(
            f"{path}: contains NUL bytes, so it is not a text file (a .doc or other binary file renamed .txt?); "
            "save it as plain text (UTF-8) or give it its real suffix (.docx, .pdf, .html)"
        )
    else:
        try:
            text = data.decode("utf-8-sig")
            return text, "编码 UTF-8（带 BOM）" if data.startswith(b"\xef\xbb\xbf") else "编码 UTF-8"
        except UnicodeDecodeError as exc:
            utf8_line = data.count(b"\n", 0, exc.start) + 1
        try:
            return data.decode("gb18030"), "编码 GB18030/GBK"
        except UnicodeDecodeError:
            pass
        raise DocumentReadError(
            f"{path}: the text is neither UTF-8 (first bad byte on line {utf8_line}) nor GBK/GB18030; "
            "save it as plain text UTF-8, or name its encoding (encoding=...)"
        )
    raise DocumentReadError(f"{path}: starts with a UTF-16 byte-order mark but is not valid UTF-16 text")


def _read_txt(path: Path, encoding: str | None) -> Document:
    text, note = decode_document(path, path.read_bytes(), encoding)
    raw = [Line(t, f"第{i}行") for i, t in enumerate(text.splitlines(), start=1)]
    lines, notes = normalise_lines(raw)
    return Document(_blocks_from_lines(lines), str(path), "txt", notes=[note, *notes])


def read_document(path: str | Path, *, encoding: str | None = None) -> Document:
    """Read a document into normalised blocks; the reader is chosen by the file's suffix.

    Parameters
    ----------
    path
        A ``.txt``, ``.docx``, ``.pdf`` (with a text layer) or saved ``.html`` file.
    encoding
        Only for plain text and HTML: the encoding to use instead of detecting it.

    Returns
    -------
    Document
        Its blocks in reading order, ``format``, ``title`` (the first heading or line where
        the format has none) and ``notes`` (what the reader changed, in Chinese).

    Raises
    ------
    DocumentReadError
        The file is missing, its suffix unsupported, its bytes undecodable, or it is a PDF
        without a text layer.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "plan.txt"
    >>> _ = p.write_text("一、总体目标\\n\\n到2025年,⼩学⼊学率达到100%。\\n", encoding="utf-8")
    >>> doc = read_document(p)
    >>> [(b.locator, b.kind, b.text) for b in doc.blocks]
    [('第1行', 'heading', '一、总体目标'), ('第3行', 'paragraph', '到2025年,小学入学率达到100%。')]
    >>> doc.notes
    ['编码 UTF-8', '字形规范化 2 处：⼩→小 ×1、⼊→入 ×1']
    """
    path = Path(path)
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise DocumentReadError(
            f"{path}: cannot read documents of type {path.suffix or '(no suffix)'!r}; supported: "
            f"{', '.join(SUPPORTED_SUFFIXES)} (a .doc or .wps file: save it as .docx; a scan: OCR it to text first)"
        )
    if not path.is_file():
        raise DocumentReadError(f"{path}: no such file")
    doc = _READERS[fmt](path, encoding)
    if not doc.title:
        first = next((b.text for b in doc.blocks if b.kind != "table_row"), "")
        doc.title = first[:80]
    return doc


_READERS = {"txt": _read_txt}
