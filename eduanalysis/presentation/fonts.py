"""Embed the Chinese font in a report, so it reads correctly on any machine.

A reader's computer may have no Chinese font (many Linux desktops and servers do not);
the page would then show empty boxes.  The project's own Noto Sans CJK SC (OFL, from
the ``noto-cjk-sans-otc`` package) is subset to exactly the characters the page uses
and embedded as a WOFF ``data:`` URI — typically 100–300 KB, no network needed.
"""

from __future__ import annotations

import base64
import html
import io
import re

__all__ = ["EMBEDDED_FAMILY", "GENERATED_TEXT", "embed_cjk_font", "font_face_css"]

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
    # text outside tags, plus attribute values (alt/title) a browser may draw
    return html.unescape(_TAG_RE.sub(" ", page)) + " ".join(re.findall(r'(?:alt|title)="([^"]*)"', page))


def font_face_css(text: str) -> str:
    """``@font-face`` CSS embedding the SC face subset to the characters of ``text``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from noto_cjk_sans_otc import FONT_PATH  # the font file itself (no matplotlib import)

    # plus what CSS draws without it being in the text: section numbers (counter(…, cjk-ideographic))
    codepoints = sorted({ord(c) for c in text + GENERATED_TEXT if ord(c) > 0x7F} | set(range(0x20, 0x7F)))
    # keep the collection's global bounding box and timestamp: recomputing the box walks
    # every CFF charstring (most of the time), and a fixed timestamp keeps output stable
    font = TTFont(str(FONT_PATH), fontNumber=_SC_FACE, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = _LAYOUT_FEATURES
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
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
