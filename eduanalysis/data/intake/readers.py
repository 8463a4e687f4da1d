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
import unicodedata
from collections import Counter
from pathlib import Path

from ...errors import DataValidationError
from .document import Block, Document
from .normalise import Line, fold_glyphs, normalise_lines

__all__ = ["SUPPORTED_SUFFIXES", "DocumentReadError", "decode_document", "is_heading", "read_document"]


class DocumentReadError(DataValidationError):
    """A document cannot be read: unknown format, undecodable text, no text layer, damaged file."""


#: suffix → format name, the formats :func:`read_document` reads
SUPPORTED_SUFFIXES = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}

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
    if not doc.blocks:
        raise DocumentReadError(f"{path}: no text found in the document (an empty file, or a page of images only?)")
    if not doc.title:
        first = next((b.text for b in doc.blocks if b.kind != "table_row"), "")
        doc.title = first[:80]
    return doc


# --- .docx ----------------------------------------------------------------------------------


def _cells(cells, counts: Counter) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", " ", fold_glyphs(c, counts)).strip() for c in cells)


def _table_blocks(rows: list[tuple[str, ...]], prefix: str) -> list[Block]:
    """Rows of one table as blocks; the first non-empty row is the header of all of them."""
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    header = rows[0]
    return [Block("\t".join(r), f"{prefix}第{m}行", "table_row", r, header) for m, r in enumerate(rows, start=1)]


def _read_docx(path: Path, encoding: str | None) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentReadError(
            f"{path}: not a readable Word .docx file ({exc}); an old .doc must be saved as .docx first"
        ) from None
    counts: Counter = Counter()
    items: list[Line | list[Block]] = []
    headings: set[str] = set()
    n_par = n_tab = 0
    for item in word.iter_inner_content():
        if isinstance(item, Table):
            n_tab += 1
            rows = []
            for row in item.rows:
                seen, texts = set(), []
                for cell in row.cells:  # a merged cell is returned once per grid column it spans
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        texts.append(cell.text)
                rows.append(_cells(texts, counts))
            items.append(_table_blocks(rows, f"表{n_tab} "))
        elif item.text.strip():
            n_par += 1
            style = (item.style.name if item.style is not None else "") or ""
            if style.lower().startswith(("heading", "title")) or style.startswith(("标题",)):
                headings.add(f"第{n_par}段")
            # a manual line break inside a paragraph (Shift+Enter) is read as a space
            items.append(Line(re.sub(r"\s*\n\s*", " ", item.text), f"第{n_par}段"))
    lines, notes = normalise_lines([x for x in items if isinstance(x, Line)], counts=counts)
    by_locator = {x.locator: x for x in lines}
    blocks: list[Block] = []
    for item in items:
        if isinstance(item, list):
            blocks += item
        elif item.locator in by_locator:  # a paragraph joined into the one before it is gone
            x = by_locator[item.locator]
            kind = "heading" if x.locator in headings or is_heading(x.text) else "paragraph"
            blocks.append(Block(x.text, x.locator, kind))
    title = (word.core_properties.title or "").strip()
    if n_tab:
        notes.append(f"表格 {n_tab} 个，按行读取")
    return Document(blocks, str(path), "docx", title=fold_glyphs(title), notes=notes)


# --- .pdf -----------------------------------------------------------------------------------

_SENTENCE_END = tuple("。！？；：!?;:")


def _unwrap(lines: list[Line], notes: list[str]) -> list[Line]:
    """Join the lines of a paragraph that the page layout wrapped (a full line not ending a sentence)."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev
            and prev.full
            and not prev.text.endswith(_SENTENCE_END)
            and not is_heading(line.text)
            and not is_heading(prev.text)
        ):
            ends = prev.text[-1:] + line.text[:1]
            words = ends.isascii() and ends.isalpha()  # two Latin words: keep them apart
            out[-1] = Line(prev.text + (" " if words else "") + line.text, prev.locator, prev.page, line.full)
        else:
            out.append(line)
    if len(out) < len(lines):
        notes.append(f"按版面折行的 {len(lines)} 行合并为 {len(out)} 段")
    return out


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _read_pdf(path: Path, encoding: str | None) -> Document:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    counts: Counter = Counter()
    lines: list[Line] = []
    tables: list[tuple[int, float, list[Block]]] = []  # page, top, rows
    tops: dict[str, tuple[int, float]] = {}  # locator -> page, top of the line
    try:
        with pdfplumber.open(path) as pdf:
            n_pages = len(pdf.pages)
            title = (pdf.metadata or {}).get("Title") or ""
            title = title if isinstance(title, str) else ""  # an undecodable title is left out
            n_chars = 0
            for p, page in enumerate(pdf.pages, start=1):
                n_chars += len(page.chars)
                found = page.find_tables()
                boxes = [t.bbox for t in found]
                for n, table in enumerate(found, start=1):
                    rows = [_cells([c or "" for c in row], counts) for row in table.extract()]
                    tables.append((p, table.bbox[1], _table_blocks(rows, f"第{p}页 表{n} ")))
                text_page = page.filter(lambda o, b=boxes: not (o.get("object_type") == "char" and _inside(o, b)))
                page_lines = text_page.extract_text_lines(return_chars=False)
                right = max((x["x1"] for x in page_lines), default=0.0)
                font = min((x["bottom"] - x["top"] for x in page_lines), default=0.0)
                for number, x in enumerate(page_lines, start=1):
                    full = right - x["x1"] < 1.5 * font
                    lines.append(Line(x["text"], f"第{p}页 第{number}行", p, full))
                    tops[lines[-1].locator] = (p, x["top"])
    except (PdfminerException, PDFSyntaxError) as exc:
        reason = str(exc) or type(exc).__name__
        if "password" in reason.lower() or "encrypt" in reason.lower():
            raise DocumentReadError(
                f"{path}: the PDF is protected by a password; save an unprotected copy first"
            ) from None
        raise DocumentReadError(f"{path}: not a readable PDF file ({reason})") from None
    if n_chars == 0:
        raise DocumentReadError(
            f"{path}: the PDF has no text layer ({n_pages} page(s) of images only: a scan); "
            "it needs OCR first (e.g. ocrmypdf), then read the OCRed PDF or its text"
        )
    lines, notes = normalise_lines(lines, counts=counts)
    lines = _unwrap(lines, notes)
    blocks = [Block(x.text, x.locator, "heading" if is_heading(x.text) else "paragraph") for x in lines]
    if tables:
        notes.append(f"表格 {len(tables)} 个，按行读取")
        blocks = _merge_tables(blocks, tops, tables)
    return Document(blocks, str(path), "pdf", title=fold_glyphs(title.strip()), notes=notes)


def _merge_tables(blocks: list[Block], tops: dict, tables: list[tuple[int, float, list[Block]]]) -> list[Block]:
    """Put each table's rows where the table stands on its page, among the text blocks."""
    keyed = [(tops[b.locator], 0, i, [b]) for i, b in enumerate(blocks)]
    keyed += [((page, top), 1, i, rows) for i, (page, top, rows) in enumerate(tables)]
    return [b for *_, group in sorted(keyed, key=lambda k: (k[0], k[1], k[2])) for b in group]


# --- .html ----------------------------------------------------------------------------------

_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "button", "select"]
_EDGE_TAGS = ["header", "footer"]  # the page's own; an article's <header> holds its title and is kept
# class or id of a page's furniture in saved government pages (menus, breadcrumbs, share bars …)
_FURNITURE_RE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumb|crumb|footer|foot|header|head|sidebar|share|copyright|topbar|"
    r"toolbar|banner|search|login|skip)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_BLOCK_TAGS = [
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "br", "tr", "table",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "center", "td", "th", "hr",
]  # fmt: skip


def _collapse_whitespace(text: str) -> str:
    """HTML whitespace as shown: a run with a line break between two wide characters is dropped.

    Examples
    --------
    >>> _collapse_whitespace("全市共有120所，\\n   比上年增加3所。  Total\\n 12")
    '全市共有120所，比上年增加3所。 Total 12'
    """

    def one(match: re.Match) -> str:
        before, after = match.string[match.start() - 1 : match.start()], match.string[match.end() : match.end() + 1]
        wide = before and after and all(unicodedata.east_asian_width(c) in "WF" for c in before + after)
        return "" if wide and "\n" in match.group(0) else " "

    return re.sub(r"\s+", one, text)


def _read_html(path: Path, encoding: str | None) -> Document:
    from bs4 import BeautifulSoup, NavigableString

    data = path.read_bytes()
    soup = BeautifulSoup(data, "lxml", from_encoding=encoding)
    notes = [f"编码 {soup.original_encoding or 'utf-8'}"]
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    dropped = 0
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
        dropped += 1
    for tag in soup.find_all(_EDGE_TAGS):
        if tag.find_parent(["article", "main"]) is None:
            tag.decompose()
            dropped += 1
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        marks = " ".join([*tag.get("class", []), tag.get("id", ""), tag.get("role", "")])
        if tag.name in ("body", "html", "main", "article") or not _FURNITURE_RE.search(marks):
            continue
        # a container marked like furniture ("article-head") that holds a heading, a table or
        # much text is the content itself, not a menu or a footer
        if tag.find(["h1", "h2", "h3", "table"]) is not None or len(tag.get_text(strip=True)) > 300:
            continue
        tag.decompose()
        dropped += 1
    if dropped:
        notes.append(f"删去导航、页眉页脚、脚本等页面元素 {dropped} 处")
    body = soup.body or soup
    # whitespace in the page's source (a <p> broken over several lines) is shown as a browser
    # shows it (CSS Text 3): a line break between two wide (CJK) characters disappears, other
    # whitespace is one space; only the block elements and <br> below start new lines
    for piece in list(body.find_all(string=True)):
        if type(piece) is NavigableString and piece.find_parent("pre") is None:
            piece.replace_with(_collapse_whitespace(str(piece)))
    counts: Counter = Counter()
    tables: dict[str, list[Block]] = {}
    for table in body.find_all("table"):
        if table.find_parent("table") is not None:
            continue  # a table inside a table is read as the outer table's cell text
        rows = []
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is table:
                rows.append(_cells([c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])], counts))
        marker = f"\x00表{len(tables) + 1}\x00"
        tables[marker] = _table_blocks(rows, f"表{len(tables) + 1} ")
        table.replace_with(soup.new_string(f"\n{marker}\n"))
    headings = {h.get_text("", strip=True) for h in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])}
    for tag in body.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    raw: list[Line | list[Block]] = []
    n_par = 0
    for text in body.get_text("").split("\n"):
        text = text.strip()
        if text in tables:
            raw.append(tables[text])
        elif text:
            n_par += 1
            raw.append(Line(text, f"第{n_par}段"))
    lines, more = normalise_lines([x for x in raw if isinstance(x, Line)], counts=counts)
    by_locator = {x.locator: x for x in lines}
    blocks: list[Block] = []
    for item in raw:
        if isinstance(item, list):
            blocks += item
        elif item.locator in by_locator:
            x = by_locator[item.locator]
            kind = "heading" if item.text in headings or is_heading(x.text) else "paragraph"
            blocks.append(Block(x.text, x.locator, kind))
    if tables:
        more.append(f"表格 {len(tables)} 个，按行读取")
    return Document(blocks, str(path), "html", title=fold_glyphs(title), notes=notes + more)


_READERS = {"txt": _read_txt, "docx": _read_docx, "pdf": _read_pdf, "html": _read_html}
