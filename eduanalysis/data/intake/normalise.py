"""Normalising the text of a read document, every change counted so a quote can be traced.

Text extracted from real PDFs and web pages carries traps that a plain search for a number
or a word trips over.  Every reader (:mod:`.readers`) passes its lines through
:func:`normalise_lines`, which applies, in this order:

1. **Glyph folding** (:func:`fold_glyphs`): Unicode NFKC, which folds the Kangxi radicals
   that PDF fonts emit for ordinary characters (⼩ U+2F29 → 小, ⼈ U+2F08 → 人), CJK
   compatibility ideographs, full-width digits, letters and punctuation (１２．５％ →
   12.5%), the ideographic and no-break spaces.  NFKC leaves most of the *CJK
   Radicals Supplement* (U+2E80–U+2EFF) alone, so :data:`RADICAL_SUPPLEMENT` maps the ones
   seen in real PDFs that stand for a whole simplified character (⻓ → 长, ⻔ → 门 …).
   Exceptions to NFKC, on purpose (a quote should stay as printed wherever nothing is gained
   by folding):

   - the **ratio colon ∶ (U+2236) is kept**, not folded to ':' — NFKC does not fold it
     either, so 1∶4000 stays distinguishable from a colon of punctuation;
     :func:`eduanalysis.measures.ratios.parse_ratio` reads both;
   - **full-width sentence punctuation** ，；：（）！？ is kept (it is how Chinese text is
     printed, not a trap; the project's parsers fold it themselves), so a quote from a
     document typed with it matches the document;
   - **circled and parenthesised numbers** (①, ⑴, ⒈, U+2460–U+24FF, U+3251–U+32BF) are kept:
     they are list markers, and NFKC would turn ① into a bare 1 that looks like a figure;
   - **squared unit symbols** (㎡, ㎞, U+3380–U+33FF) are kept: NFKC would write ㎡ as "m2".

2. **Page furniture dropped** (:func:`drop_page_furniture`, for paged documents): bare page
   numbers (``- 3 -``, ``—3—``, ``第 3 页``, ``第3页 共12页``, ``3/12``) and a line repeated as
   the first or last line of most pages (a running header or footer).

3. **Broken numbers joined** (:func:`join_broken_lines`): a line that ends inside a number
   or before its unit (``12.`` / ``5%``; ``3.5万`` / ``元``) is joined to the next line.

:func:`normalise_lines` returns the new lines and the notes (Chinese, reader-facing: what
was changed and how many times) that the reader stores in ``Document.notes``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

__all__ = [
    "RADICAL_SUPPLEMENT",
    "Line",
    "drop_page_furniture",
    "fold_glyphs",
    "join_broken_lines",
    "normalise_lines",
    "normalise_text",
]

#: CJK Radicals Supplement characters NFKC does not fold, mapped to the ordinary character
#: they stand for in text extracted from PDFs (only those that are whole simplified
#: characters; radicals that are only ever components are left as they are).
RADICAL_SUPPLEMENT = {
    "\u2ea0": "民",  # ⺠ CJK RADICAL CIVILIAN
    "\u2ec4": "西",  # ⻄ CJK RADICAL WEST TWO
    "\u2ec5": "见",  # ⻅ C-SIMPLIFIED SEE
    "\u2ec6": "角",  # ⻆ SIMPLIFIED HORN
    "\u2ec9": "贝",  # ⻉ C-SIMPLIFIED SHELL
    "\u2ecb": "车",  # ⻋ C-SIMPLIFIED CART
    "\u2ed3": "长",  # ⻓ C-SIMPLIFIED LONG
    "\u2ed4": "门",  # ⻔ C-SIMPLIFIED GATE
    "\u2ed8": "青",  # ⻘ BLUE
    "\u2ed9": "韦",  # ⻙ C-SIMPLIFIED TANNED LEATHER
    "\u2eda": "页",  # ⻚ C-SIMPLIFIED LEAF
    "\u2edb": "风",  # ⻛ C-SIMPLIFIED WIND
    "\u2edc": "飞",  # ⻜ C-SIMPLIFIED FLY
    "\u2edd": "食",  # ⻝ EAT THREE
    "\u2ee2": "马",  # ⻢ C-SIMPLIFIED HORSE
    "\u2ee3": "骨",  # ⻣ BONE
    "\u2ee4": "鬼",  # ⻤ GHOST
    "\u2ee5": "鱼",  # ⻥ C-SIMPLIFIED FISH
    "\u2ee6": "鸟",  # ⻦ C-SIMPLIFIED BIRD
    "\u2ee7": "卤",  # ⻧ C-SIMPLIFIED SALT
    "\u2ee8": "麦",  # ⻨ SIMPLIFIED WHEAT
    "\u2ee9": "黄",  # ⻩ SIMPLIFIED YELLOW
    "\u2eec": "齐",  # ⻬ C-SIMPLIFIED EVEN
    "\u2eee": "齿",  # ⻮ C-SIMPLIFIED TOOTH
    "\u2ef0": "龙",  # ⻰ C-SIMPLIFIED DRAGON
}

# the ratio colon (NFKC keeps it too; listed so the intent is explicit) and full-width
# sentence punctuation, kept as printed
_KEEP = frozenset("\u2236，；：（）！？")


def _kept(ch: str) -> bool:
    cp = ord(ch)
    return ch in _KEEP or 0x2460 <= cp <= 0x24FF or 0x3251 <= cp <= 0x32BF or 0x3380 <= cp <= 0x33FF


@dataclass(frozen=True)
class Line:
    """One line of a document before it becomes a block: its text and where it is."""

    text: str
    locator: str
    page: int = 0  # 1-based page of a paged document (PDF); 0 when the document has no pages
    #: the line runs to the right margin, so the paragraph may go on in the next line (PDF layout)
    full: bool = False


def _shown(text: str) -> str:
    """A character as a note can show it: a space or an invisible character by its code point."""
    return "".join(
        "空格" if ch == " " else f"U+{ord(ch):04X}" if ch.isspace() or not ch.isprintable() else ch for ch in text
    )


def fold_glyphs(text: str, counts: Counter | None = None) -> str:
    """Fold compatibility glyphs (NFKC and :data:`RADICAL_SUPPLEMENT`), counting each change.

    ``counts`` (if given) gets one entry per fold, keyed ``"⼩→小"`` (an invisible character
    by its code point: ``"U+00A0→空格"``).

    Examples
    --------
    >>> c = Counter()
    >>> fold_glyphs("⼩学⽣⼈数１２．５％，师生比1∶13.5，⻓期，生均１４㎡", c)
    '小学生人数12.5%，师生比1∶13.5，长期，生均14㎡'
    >>> c["⼩→小"], c["１→1"]  # １ twice: in １２ and in １４
    (1, 2)
    >>> c = Counter(); _ = fold_glyphs("共\u00a0120所", c); list(c)
    ['U+00A0→空格']
    >>> fold_glyphs("①教师")
    '①教师'
    """
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii() or _kept(ch):
            out.append(ch)
            continue
        new = RADICAL_SUPPLEMENT.get(ch) or unicodedata.normalize("NFKC", ch)
        if new != ch and counts is not None:
            counts[f"{_shown(ch)}→{_shown(new)}"] += 1
        out.append(new)
    return "".join(out)


def normalise_text(text: str) -> str:
    """The folding applied to one string, for comparing a quote with a document's text.

    Examples
    --------
    >>> normalise_text("⼩学（含教学点）１２％")
    '小学（含教学点）12%'
    """
    return fold_glyphs(text)


_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-—–－一]\s*\d{1,4}\s*[-—–－一]"  # - 3 -  —3—
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"  # 第 3 页, 第3页 共12页
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$"
)
# only as the first or last line of a page: "3" or "3/12" alone (elsewhere it may be a table cell)
_BARE_NUMBER_RE = re.compile(r"^\s*\d{1,4}(?:\s*/\s*\d{1,4})?\s*$")


def drop_page_furniture(lines: list[Line], notes: list[str]) -> list[Line]:
    """Drop page numbers and the running headers/footers of a paged document.

    ``- 3 -``, ``—3—``, ``第 3 页`` (and ``第3页 共12页``, ``Page 3``) alone on a line are dropped
    anywhere; a bare ``3`` or ``3/12`` only as the first or last line of a page (elsewhere it
    may be a table cell).

    A running header (or footer) is a line that is the first (or last) non-empty line of at
    least half the pages, and of at least two pages.  A document with one page keeps
    everything but its page numbers.

    Examples
    --------
    >>> lines = [Line("乌海市教育局", "1", 1), Line("小学100所", "2", 1), Line("- 1 -", "3", 1),
    ...          Line("乌海市教育局", "4", 2), Line("初中50所", "5", 2), Line("第 2 页", "6", 2)]
    >>> notes = []
    >>> [x.text for x in drop_page_furniture(lines, notes)]
    ['小学100所', '初中50所']
    >>> notes
    ['删去页码 2 处', '删去每页重复的页眉/页脚 2 处（“乌海市教育局”）']
    """
    kept = [x for x in lines if not _PAGE_NUMBER_RE.match(x.text)]
    pages = sorted({x.page for x in kept if x.page})
    for page in pages:
        on_page = [x for x in kept if x.page == page]
        for edge in {id(on_page[0]), id(on_page[-1])}:
            kept = [x for x in kept if id(x) != edge or not _BARE_NUMBER_RE.match(x.text)]
    if len(kept) < len(lines):
        notes.append(f"删去页码 {len(lines) - len(kept)} 处")
    if len(pages) < 2:
        return kept
    edges: Counter = Counter()
    for page in pages:
        on_page = [x.text.strip() for x in kept if x.page == page and x.text.strip()]
        if on_page:
            edges.update({on_page[0], on_page[-1]})
    running = {t for t, n in edges.items() if n >= 2 and n * 2 >= len(pages)}
    if not running:
        return kept
    out = []
    dropped = 0
    for page in [0, *pages]:
        on_page = [x for x in kept if x.page == page]
        nonempty = [i for i, x in enumerate(on_page) if x.text.strip()]
        ends = {nonempty[0], nonempty[-1]} if nonempty else set()
        for i, x in enumerate(on_page):
            if i in ends and x.text.strip() in running:
                dropped += 1
                continue
            out.append(x)
    notes.append(f"删去每页重复的页眉/页脚 {dropped} 处（{'、'.join(f'“{t}”' for t in sorted(running))}）")
    return out


# a line ending inside a number ("12." or "3,") or with a number and a bare 万/亿 before
# its unit, and the next line starting with the rest (digits, or a unit)
_BROKEN_END_RE = re.compile(r"(?:\d[.,]|\d\s*[万亿]|\d)$")
_UNIT_START_RE = re.compile(r"^(?:\d|[%‰]|[万亿]?(?:元|人|册|所|个|名|间|台|平方米|m2|套|件|次|项|学时|课时|小时|岁))")


def join_broken_lines(lines: list[Line], notes: list[str]) -> list[Line]:
    """Join a line that ends inside a number or before its unit to the line after it.

    The joined line keeps the first line's locator.  Only a break *inside* a figure is
    mended (``12.`` + ``5%``, ``3.5万`` + ``元``, ``1`` + ``200人``); a line that merely ends with
    a number followed by a line starting with a word is left alone.

    Examples
    --------
    >>> notes = []
    >>> lines = [Line("入学率达到12.", "第1行"), Line("5%，经费3.5万", "第2行"),
    ...          Line("元。", "第3行"), Line("完", "第4行")]
    >>> [(x.text, x.locator) for x in join_broken_lines(lines, notes)]
    [('入学率达到12.5%，经费3.5万元。', '第1行'), ('完', '第4行')]
    >>> notes
    ['接合跨行断开的数字或单位 2 处']
    """
    out: list[Line] = []
    joined = 0
    for line in lines:
        if (
            out
            and out[-1].page == line.page
            and _BROKEN_END_RE.search(out[-1].text.rstrip())
            and _UNIT_START_RE.match(line.text.lstrip())
            and (out[-1].text.rstrip().endswith((".", ",", "万", "亿")) or not line.text.lstrip()[:1].isdigit())
        ):
            prev = out.pop()
            out.append(replace(prev, text=prev.text.rstrip() + line.text.lstrip(), full=line.full))
            joined += 1
        else:
            out.append(line)
    if joined:
        notes.append(f"接合跨行断开的数字或单位 {joined} 处")
    return out


def normalise_lines(
    lines: list[Line], *, join: bool = True, counts: Counter | None = None
) -> tuple[list[Line], list[str]]:
    """Fold glyphs, drop page furniture and join broken numbers (``join``).

    Empty lines are dropped.  Returns the lines and the notes saying what was changed.
    ``counts`` may bring glyph folds already made elsewhere (a document's table cells), so
    the note counts them too.

    Examples
    --------
    >>> lines, notes = normalise_lines([Line("⼩学⽣１２０⼈", "第1行"), Line("", "第2行")])
    >>> [x.text for x in lines], notes
    (['小学生120人'], ['字形规范化 6 处：⼩→小 ×1、⽣→生 ×1、１→1 ×1、２→2 ×1、０→0 ×1、⼈→人 ×1'])
    """
    counts = Counter() if counts is None else counts
    notes: list[str] = []
    folded = [replace(x, text=fold_glyphs(x.text, counts).strip()) for x in lines]
    folded = [x for x in folded if x.text]
    if counts:
        top = "、".join(f"{k} ×{n}" for k, n in counts.most_common(12))
        more = "等" if len(counts) > 12 else ""
        notes.append(f"字形规范化 {sum(counts.values())} 处：{top}{more}")
    folded = drop_page_furniture(folded, notes)  # without pages: only the unmistakable page numbers
    if join:
        folded = join_broken_lines(folded, notes)
    return folded, notes
