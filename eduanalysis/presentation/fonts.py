"""Embed the Chinese font in a report, so it reads correctly on any machine.

A reader's computer may have no Chinese font (many Linux desktops and servers do not);
the page would then show empty boxes.  The project's own Noto Sans CJK SC (OFL, from
the ``noto-cjk-sans-otc`` package) is subset to exactly the characters the page uses
and embedded as a WOFF ``data:`` URI — typically 100–300 KB, no network needed.

Subsetting the whole font (65,000 glyphs) for each page costs most of a second.  So a
page is subset from a *base* font instead: the same face cut once to the 7,445 characters
of GB 2312 (every common Simplified Chinese character and CJK punctuation) plus ASCII.
The base is built once per machine (about 5 s) and kept in the user's cache folder
(``$EDUANALYSIS_CACHE``, else ``$XDG_CACHE_HOME/eduanalysis``, else
``~/.cache/eduanalysis``), named by the font file, the fontTools version and the
character set, so a changed font or fontTools builds a new one.  A page with a character
outside the base is subset from the whole font, as before.  The glyphs are the same
either way.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
import os
import re
import tempfile
from pathlib import Path

__all__ = ["EMBEDDED_FAMILY", "GENERATED_TEXT", "base_font", "embed_cjk_font", "font_face_css"]

EMBEDDED_FAMILY = "EA Noto Sans SC"
_SC_FACE = 2  # index of the Simplified-Chinese face in NotoSansCJK-Regular.ttc
#: characters CSS generates (numbered sections: 一、二、… 十二、), which the page text may lack
GENERATED_TEXT = "〇一二三四五六七八九十、"
_TAG_RE = re.compile(r"<[^>]+>")
# OpenType features a browser applies to horizontal text by default (plus the CJK
# punctuation-spacing ones).  Not "*": that also keeps every glyph reachable through
# `locl` (the Japanese, Korean and Traditional forms), `vert` and the width variants —
# twice the size and twice the subsetting time (216 KB vs 110 KB for the 乌海 page)
# for glyphs horizontal Simplified-Chinese text never shows.
_LAYOUT_FEATURES = ["ccmp", "mark", "mkmk", "kern", "liga", "clig", "calt", "rlig", "chws", "halt"]


def _page_text(page: str) -> str:
    # text outside tags, plus attribute values a browser may draw (alt, title, a search box's placeholder)
    drawn = re.findall(r'(?:alt|title|placeholder|aria-label)="([^"]*)"', page)
    return html.unescape(_TAG_RE.sub(" ", page)) + " ".join(html.unescape(v) for v in drawn)


def _base_codepoints() -> list[int]:
    """GB 2312's characters (rows 1–9 symbols and punctuation, 16–87 hanzi), ASCII and
    :data:`GENERATED_TEXT`."""
    chars = set(GENERATED_TEXT) | {chr(c) for c in range(0x20, 0x7F)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return sorted(ord(c) for c in chars)


def _subset(font, codepoints: list[int], flavor: str | None) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.flavor = flavor
    options.layout_features = _LAYOUT_FEATURES
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = flavor
    font.save(buffer)
    return buffer.getvalue()


def _open(source, **kwargs):
    from fontTools.ttLib import TTFont

    # keep the collection's global bounding box and timestamp: recomputing the box walks
    # every CFF charstring (most of the time), and a fixed timestamp keeps output stable
    return TTFont(source, lazy=True, recalcBBoxes=False, recalcTimestamp=False, **kwargs)


def _cache_dir() -> Path:
    if os.environ.get("EDUANALYSIS_CACHE"):
        return Path(os.environ["EDUANALYSIS_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "eduanalysis"


@functools.lru_cache(maxsize=1)
def base_font() -> tuple[bytes, frozenset[int]]:
    """The base font (see the module docstring) and the characters it covers.

    Read from the cache folder, or built and stored there (atomically: processes building
    it at once each write a whole file).  If the folder cannot be written, the base is
    built in memory for this process only.
    """
    import fontTools
    from noto_cjk_sans_otc import FONT_PATH

    codepoints = _base_codepoints()
    stat = Path(FONT_PATH).stat()
    key = hashlib.sha256(
        repr(
            (Path(FONT_PATH).name, stat.st_size, stat.st_mtime_ns, fontTools.version, _LAYOUT_FEATURES, codepoints)
        ).encode()
    ).hexdigest()[:16]
    path = _cache_dir() / f"noto-sc-base-{key}.otf"
    try:
        data = path.read_bytes()
    except OSError:
        data = _subset(_open(str(FONT_PATH), fontNumber=_SC_FACE), codepoints, None)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".base-", delete=False) as tmp:
                tmp.write(data)
            os.replace(tmp.name, path)
        except OSError:  # a read-only home: this process keeps it in memory
            pass
    return data, frozenset(codepoints)


def font_face_css(text: str) -> str:
    """``@font-face`` CSS embedding the SC face subset to the characters of ``text``."""
    from noto_cjk_sans_otc import FONT_PATH  # the font file itself (no matplotlib import)

    # plus what CSS draws without it being in the text: section numbers (counter(…, cjk-ideographic))
    codepoints = sorted({ord(c) for c in text + GENERATED_TEXT if ord(c) > 0x7F} | set(range(0x20, 0x7F)))
    base, covered = base_font()
    if covered.issuperset(codepoints):
        font = _open(io.BytesIO(base))
    else:  # a character beyond GB 2312: the whole font has it
        font = _open(str(FONT_PATH), fontNumber=_SC_FACE)
    data = base64.b64encode(_subset(font, codepoints, "woff")).decode("ascii")
    return (
        f'@font-face {{ font-family: "{EMBEDDED_FAMILY}"; font-style: normal; font-weight: 400; '
        f'src: url(data:font/woff;base64,{data}) format("woff"); }}'
    )


def embed_cjk_font(page: str) -> str:
    """Insert the subset font before ``</head>`` of an HTML page."""
    style = f'<style type="text/css" id="ea-embedded-font">{font_face_css(_page_text(page))}</style>'
    head_end = page.find("</head>")
    if head_end < 0:
        raise ValueError("the page has no </head>: cannot embed the font")
    return page[:head_end] + style + page[head_end:]
