"""A document as the drafting layer sees it: normalised text blocks, each with a locator.

Readers (text, .docx, .pdf, .html) produce a :class:`Document`; the extractor reads only
this, never the file, so every format is drafted the same way.

A :class:`Block` is one paragraph, heading or table row of the document, its text already
normalised (compatibility and Kangxi-radical glyphs folded, a number or unit broken across
a line joined, repeated page headers dropped).  ``locator`` says where a person finds it in
the original: ``第3段`` for text, ``第2页 第14行`` for a PDF, ``表1 第3行`` for a table row.
A table row keeps its cells in ``cells`` (``text`` joins them with a tab) and the header
row's cells in ``header``, so an annex table whose header names the indicators and whose
rows give each district's values can be read cell by cell.

Note from the readers (:mod:`.readers`, :mod:`.normalise`): NFKC folds full-width digits,
letters, ``％`` and ``．``, but full-width sentence punctuation ``，；：（）！？``, the ratio colon
``∶``, circled numbers ``①`` and squared units ``㎡`` are kept as printed.  A PDF's lines are
joined into paragraphs (``locator`` = the paragraph's first line); a plain-text file keeps
one block per non-empty line.  ``notes`` are Chinese, reader-facing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Block", "Document"]


@dataclass(frozen=True)
class Block:
    """One paragraph, heading or table row of a document."""

    text: str
    locator: str
    kind: str = "paragraph"  # paragraph | heading | table_row
    cells: tuple[str, ...] = ()
    header: tuple[str, ...] = ()


@dataclass
class Document:
    """A read document: its blocks in reading order and what is known about it."""

    blocks: list[Block]
    path: str = ""
    format: str = ""  # txt | docx | pdf | html
    title: str = ""
    date: str = ""  # ISO date of issue where the document (or --source) gives one
    notes: list[str] = field(default_factory=list)  # what the reader did (encoding, pages dropped …)

    @property
    def text(self) -> str:
        """All block texts, one per line (what a quote must occur in verbatim)."""
        return "\n".join(b.text for b in self.blocks)
