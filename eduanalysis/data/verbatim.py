"""Is a number or a quote printed in a document?  The verbatim check of ``validate``.

A transcribed value (``value_as_written``) or a claim's ``quote`` must occur in the text
copy of its document.  Both sides are compared after the same normalisation the document
reader applies (:func:`eduanalysis.data.intake.normalise.normalise_text`: Kangxi radicals
and full-width digits folded), with whitespace ignored — a PDF's text copy breaks lines
and puts spaces where the printed page has none (``2020 年``, ``15.44 亿元``).

A number must match a **whole** number of the text: ``0.081`` is not found in ``0.0811``,
``12`` not in ``12.5`` nor in ``312``, ``234`` not in ``1,234``.  Only the edges of the
needle that are digits are held to this, and they are judged on the characters really
next to them: in ``(万人) 1.24 1.67`` (a table flattened into text) ``1.24`` is a whole
number, and in ``11. 2019 年`` (item 11) so is ``2019``.
"""

from __future__ import annotations

import re

from .intake.normalise import normalise_text

__all__ = ["found_verbatim", "locate_verbatim", "prepare_text"]


def prepare_text(text: str) -> str:
    """A document's text as the verbatim check searches it (normalised; whitespace kept).

    Examples
    --------
    >>> prepare_text("⼩学 １２％")
    '小学 12%'
    """
    return normalise_text(text)


def _pattern(needle: str) -> re.Pattern | None:
    chars = [c for c in normalise_text(needle) if not c.isspace()]
    if not chars:
        return None
    pattern = r"\s*".join(re.escape(c) for c in chars)
    if chars[0].isdigit():
        pattern = r"(?<![\d.])(?<!\d,)" + pattern
    if chars[-1].isdigit():
        pattern += r"(?!\d|[.,]\d)"
    return re.compile(pattern)


def found_verbatim(needle: str, text: str, *, prepared: bool = False) -> bool:
    """True when ``needle`` occurs in ``text`` (normalised, whitespace ignored), whole numbers only.

    ``prepared=True`` says ``text`` already went through :func:`prepare_text` (a caller
    checking many values against one document prepares it once).

    Examples
    --------
    >>> found_verbatim("0.081", "差异系数为0.0811,达标")
    False
    >>> found_verbatim("0.081", "差异系数为0.081,达标")
    True
    >>> found_verbatim("12", "增长12.5%"), found_verbatim("12.5%", "增长１２．５％")
    (False, True)
    >>> found_verbatim("234人", "共1,234人"), found_verbatim("1,234人", "共1,234人")
    (False, True)
    >>> found_verbatim("81%以上", "均达到 81% 以上"), found_verbatim("1.24", "(万人) 1.24 1.67")
    (True, True)
    >>> found_verbatim("2019年总支出15.44亿元", "11. 2019 年总支出 15.44 亿元")
    True
    """
    pattern = _pattern(needle)
    if pattern is None:
        return False
    return pattern.search(text if prepared else prepare_text(text)) is not None


def locate_verbatim(needle: str, text: str) -> tuple[int, int] | None:
    """Where ``needle`` occurs in ``prepare_text(text)`` (as :func:`found_verbatim` finds it), or None.

    Examples
    --------
    >>> text = "投入分别达到 122064 万元、 138501 万元"
    >>> start, end = locate_verbatim("138501万元", text)
    >>> prepare_text(text)[start:end]
    '138501 万元'
    >>> locate_verbatim("13850", text) is None
    True
    """
    pattern = _pattern(needle)
    match = pattern.search(prepare_text(text)) if pattern is not None else None
    return match.span() if match else None
