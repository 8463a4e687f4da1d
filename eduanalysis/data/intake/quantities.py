"""Find the quantities a sentence states: numbers with their units and qualifiers as printed.

:func:`find_quantities` scans one block of text and returns every :class:`Mention` — a
number (``45.6%``, ``15887.2 万元``, ``30余次``), a ratio (``1∶4000``, ``2.9:7.1``), a
fraction (``1/3``, ``三分之一``), a range (``2—3个``: read as its lower bound) or an
inverted ratio (``每5所幼儿园配备1名``) — with the exact characters it covers, so a draft
can quote the document verbatim.  :func:`non_figure_reason` says why a number is not a
figure (a year in ``到2025年``, a date, a document number ``〔2020〕25号``, list numbering,
a title ``《中国教育现代化2035》``, ``5G``, ``“1+X”``, a page number) or returns ``None``.

Chinese numerals are read with :mod:`cn2an` (a maintained library), Arabic ones in full-
and half-width forms.  Units are kept as printed (``万元`` stays ``万元``: the figures format
keeps the document's number; :func:`eduanalysis.data.numbers.parse_quantity` scales).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cn2an

__all__ = ["UNIT_WORDS", "Mention", "find_quantities", "non_figure_reason"]

_D = r"[0-9０-９]"
_NUM = rf"{_D}+(?:[.．]{_D}+)?"
#: units as documents print them, longest first so ``万人次`` wins over ``万人`` and ``人``
UNIT_WORDS: tuple[str, ...] = tuple(
    sorted(
        {
            "元/生/年",
            "元/生·年",
            "个百分点",
            "百分点",
            "平方米",
            "万平方米",
            "立方米",
            "万元",
            "亿元",
            "万人次",
            "人次",
            "万人",
            "万名",
            "万册",
            "万次",
            "所次",
            "家次",
            "场次",
            "学时",
            "课时",
            "小时",
            "公里",
            "%",
            "％",
            "‰",
            "㎡",
            "m2",
            "m²",
            "人",
            "名",
            "所",
            "个",
            "项",
            "家",
            "支",
            "次",
            "场",
            "期",
            "件",
            "节",
            "套",
            "倍",
            "册",
            "台",
            "间",
            "班",
            "元",
            "天",
            "亩",
            "辆",
            "门",
            "批",
            "届",
            "处",
            "座",
            "张",
            "篇",
            "部",
            "条",
            "种",
            "类",
            "位",
            "户",
            "分钟",
            "所/人",
        },
        key=len,
        reverse=True,
    )
)
_UNIT_RE = "|".join(re.escape(u) for u in UNIT_WORDS)
# 高于/低于 before a number compare with it ("1:5.6,高于1:6": 1:6 is the norm), so they are not taken
_PREFIX_WORDS = ("不低于", "不少于", "不超过", "不高于", "不多于", "超过", "至少", "近", "约")
_SIGN_WORDS = ("减少", "下降", "降低", "增加", "增长", "提高", "提升", "上升")
_CN_DIGITS = "零一二两三四五六七八九十百千"

# one quantity, generously: optional 万/亿, 余/多, a unit and a suffix qualifier; spaces the
# PDF copy puts between a number and its unit are allowed
_QTY_RE = re.compile(
    rf"(?P<num>{_NUM})"
    rf"(?:(?P<range>[—–\-~～]|\s*[至到])\s*(?P<num2>{_NUM}))?"
    rf"(?P<wan>\s*[万亿](?!元|平方米|人|名|册|次|余|多)|\s*万(?=余|多))?"
    rf"(?P<approx>\s*[余多](?![种样彩]))?"
    rf"(?P<unit>\s*(?:万|亿)?(?:{_UNIT_RE}))?"
    rf"(?P<suffix>\s*(?:以上|以内|以下|左右))?"
)
_RATIO_RE = re.compile(rf"(?P<a>{_NUM})\s*[:：∶]\s*(?P<b>{_NUM})(?!\s*[:：∶]?\s*{_D})")
_FRACTION_RE = re.compile(rf"(?<![0-9０-９/])(?P<a>{_D}{{1,2}})/(?P<b>{_D}{{1,3}})(?![0-9０-９/])")
_CN_FRACTION_RE = re.compile(rf"(?P<b>[{_CN_DIGITS}]+)分之(?P<a>[{_CN_DIGITS}]+)")
_INVERTED_RE = re.compile(
    rf"每\s*(?P<a>{_NUM})\s*(?P<ua>所|个|名|人|班|校)(?P<what>[^，。；0-9]{{0,12}}?)(?:配备|配置|设|配)\s*"
    rf"(?P<b>{_NUM}|一)\s*(?P<ub>名|个|人|所)"
)
_ZERO_RE = re.compile(r"与(?:去年|上年|上一年)(?:一致|持平|相同)")


@dataclass
class Mention:
    """One quantity in a text: where it is, what it says, how it was read."""

    start: int
    end: int
    written: str  # the quantity as printed, qualifiers and unit included
    value: float  # the number as printed (万 not scaled); a:b → a/b as parse_quantity reads it
    unit: str  # unit as printed ('' when none; 'ratio', 'fraction' for those forms)
    qualifier: str = ""  # bounds words (以上, 超过, 近 …)
    sign: int = 1  # −1 for 减少/下降/降低
    form: str = "number"  # number | ratio | fraction | range | inverted | zero
    why: list[str] = field(default_factory=list)


def _num(text: str) -> float:
    return float(text.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")))


def _cn(text: str) -> float:
    return float(cn2an.cn2an(text.replace("两", "二"), "smart"))


def find_quantities(text: str) -> list[Mention]:
    """Every quantity of ``text``, in order, each with the exact span it covers.

    Examples
    --------
    >>> [(m.written, m.value, m.unit, m.qualifier) for m in find_quantities("超过1000人规模的学校")]
    [('超过1000人', 1000.0, '人', '超过')]
    >>> [(m.written, m.form) for m in find_quantities("按师生比不低于1∶4000配备")]
    [('不低于1∶4000', 'ratio')]
    >>> [(m.written, m.value, m.form) for m in find_quantities("约三分之一的学校")]
    [('约三分之一', 0.3333, 'fraction')]
    >>> [(m.written, m.value, m.form) for m in find_quantities("每5所幼儿园配备1名责任督学")]
    [('每5所幼儿园配备1名', 5.0, 'inverted')]
    >>> [(m.written, m.value) for m in find_quantities("建设2—3个示范区")]
    [('2—3个', 2.0)]
    >>> [(m.written, m.value, m.sign) for m in find_quantities("比上年减少 2.4%")]
    [('减少 2.4%', 2.4, -1)]
    """
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _INVERTED_RE.finditer(text):
        value = _num(m["a"])
        found.append(
            Mention(
                m.start(),
                m.end(),
                m.group(),
                value,
                f"{m['ua']}/{m['ub']}",
                form="inverted",
                why=[f"倒置比例“{m.group()}”：每{m['a']}{m['ua']}配1{m['ub']}"],
            )
        )
        taken.append((m.start(), m.end()))
    for m in _RATIO_RE.finditer(text):
        if free(m.start(), m.end()):
            found.append(
                Mention(
                    m.start(),
                    m.end(),
                    m.group(),
                    _num(m["a"]) / _num(m["b"]) if _num(m["b"]) else 0.0,
                    "ratio",
                    form="ratio",
                    why=[f"比例“{m.group()}”按原文次序保留"],
                )
            )
            taken.append((m.start(), m.end()))
    for m in _FRACTION_RE.finditer(text):
        if free(m.start(), m.end()) and _num(m["b"]) > _num(m["a"]) > 0:
            found.append(
                Mention(
                    m.start(),
                    m.end(),
                    m.group(),
                    round(_num(m["a"]) / _num(m["b"]), 4),
                    "fraction",
                    form="fraction",
                    why=[f"分数“{m.group()}”"],
                )
            )
            taken.append((m.start(), m.end()))
    for m in _CN_FRACTION_RE.finditer(text):
        try:
            a, b = _cn(m["a"]), _cn(m["b"])
        except ValueError:
            continue
        if b > a > 0 and free(m.start(), m.end()):
            found.append(
                Mention(
                    m.start(),
                    m.end(),
                    m.group(),
                    round(a / b, 4),
                    "fraction",
                    form="fraction",
                    why=[f"中文分数“{m.group()}”经 cn2an 读作 {a:g}/{b:g}"],
                )
            )
            taken.append((m.start(), m.end()))
    for m in _ZERO_RE.finditer(text):
        found.append(
            Mention(m.start(), m.end(), m.group(), 0.0, "", form="zero", why=[f"“{m.group()}”读作零变化（原文无数字）"])
        )
        taken.append((m.start(), m.end()))
    pos = 0
    while (m := _QTY_RE.search(text, pos)) is not None:
        s, e = m.start(), m.end()
        pos = e
        if not free(s, e):
            continue
        # a number glued to a preceding digit run or decimal point is part of something else
        if s > 0 and re.match(r"[0-9０-９.．/]", text[s - 1]):
            continue
        unit = re.sub(r"\s+", "", (m["wan"] or "") + (m["unit"] or ""))
        if m["approx"] and not m["unit"] and not m["wan"]:
            e = m.start("approx")  # 余/多 with no unit after it is not a qualifier
        written_end = e
        while written_end > s and text[written_end - 1].isspace():
            written_end -= 1
        value = _num(m["num"])
        if m["num2"] and _num(m["num2"]) <= value:  # "—9— 2.72": a page number, not a range
            if free(s, m.end("num")):
                found.append(Mention(s, m.end("num"), m["num"], value, ""))
                taken.append((s, m.end("num")))
            pos = m.start("num2")  # read the second number on its own
            continue
        if re.fullmatch(r"\d{1,2}[.．](?:19|20)\d\d", m["num"]) and re.match(r"\s*年", text[m.end("num") :]):
            continue  # "4.2025 年": list number 4. and a year
        form = "range" if m["num2"] else "number"
        if m["range"] and m["range"].strip() in ("至", "到") and not unit:
            form, written_end = "number", m.end("num")
        found.append(
            Mention(
                s,
                written_end,
                text[s:written_end],
                value,
                unit,
                qualifier=re.sub(r"\s+", "", (m["approx"] or "") + (m["suffix"] or "")) if unit or m["suffix"] else "",
                form=form,
            )
        )
        taken.append((s, written_end))
    found.sort(key=lambda x: x.start)
    for q in found:
        _take_prefix(text, q)
    return found


def _take_prefix(text: str, q: Mention) -> None:
    """Extend a mention back over a bound word (超过, 不低于, 近 …) or a sign word (减少 …)."""
    before = text[max(0, q.start - 6) : q.start]
    stripped = before.rstrip()
    for word in _PREFIX_WORDS:
        if stripped.endswith(word) and q.form not in ("zero", "inverted"):
            q.start -= len(before) - len(stripped) + len(word)
            q.qualifier = word + q.qualifier
            q.written = text[q.start : q.end]
            stripped = text[max(0, q.start - 6) : q.start].rstrip()
            before = text[max(0, q.start - 6) : q.start]
            break
    for word in _SIGN_WORDS:
        if stripped.endswith(word) or stripped.endswith(word + "了"):
            if word in ("减少", "下降", "降低"):
                q.sign = -1
                if word in ("减少", "下降") and stripped.endswith(word):  # parse_quantity reads these two
                    q.start -= len(before) - len(stripped) + len(word)
                    q.written = text[q.start : q.end]
                q.why.append(f"变化取负号（“{word}”）")
            else:
                q.why.append(f"变化为正（“{word}”）")
            break


_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def non_figure_reason(text: str, q: Mention) -> str | None:
    """Why the mention ``q`` of ``text`` is not a figure, or ``None`` when it may be one.

    Examples
    --------
    >>> t = "到2025年，按《中国教育现代化2035》和〔2020〕25号文，推进5G与“1+X”证书"
    >>> [(q.written, non_figure_reason(t, q)) for q in find_quantities(t)]  # doctest: +NORMALIZE_WHITESPACE
    [('2025', '年份'), ('2035', '书名号内'), ('2020', '文号'), ('25', '文号'), ('5', '字母前后的编号'),
     ('1', '字母前后的编号')]
    """
    s, e = q.start, q.end
    core = re.match(rf"\D*({_NUM})", q.written)
    number = core.group(1) if core else q.written
    after = text[e : e + 3]
    before = text[max(0, s - 3) : s]
    if re.search(r"(?:19|20)\d\d\s*[-/.]\s*$", text[max(0, s - 6) : s]):  # 2022-07-28, 2020.9
        return "日期"
    if q.form in ("zero", "inverted", "fraction"):
        return None if not _inside(text, s, "《", "》") else "书名号内"
    if _inside(text, s, "《", "》"):
        return "书名号内"
    if _inside(text, s, "〔", "〕") or _inside(text, s, "[", "]") or re.match(r"\s*号", after):
        return "文号"
    if re.match(r"[A-Za-z+]", after.lstrip() if not q.unit else "") or re.search(r"[A-Za-z]$", before):
        return "字母前后的编号"
    if re.match(r"[A-Za-z]", text[e : e + 1]):
        return "字母前后的编号"
    if _inside(text, s, "“", "”", limit=16) or _inside(text, s, '"', '"', limit=16):
        return "引号内的名称"
    plain = number.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if _YEAR_RE.match(plain) and (q.unit in ("年", "") or q.form == "range"):
        return "年份"
    if q.unit == "年" and _YEAR_RE.match(plain):
        return "年份"
    if re.match(r"\s*(?:月|日|时|岁|周岁|级|届|期间|版|号|期第)", after) and q.unit in ("", "年"):
        return "日期或编号"
    if re.match(r"\s*[月日]", after):
        return "日期"
    if q.unit == "年" and re.match(r"\s*(?:度|级|春|秋|底|初|末|年底|上半年|下半年)", text[e : e + 3]):
        return "年份"
    if re.search(r"(?:第|表|专栏|附件|图|附表)\s*$", text[max(0, s - 4) : s]):
        return "序号"
    if re.search(r"[—\-]\s*$", before) and re.match(r"\s*[—\-]", after):
        return "页码"
    if (
        not q.unit
        and re.fullmatch(r"\d{1,2}", plain)
        and re.match(r"\s*[.．、)）](?!\d)", after)
        and (s == 0 or re.search(r"[\s。；;：:，,（(]$", text[:s]))
    ):
        return "序号"
    if not q.unit and re.search(r"[（(]\s*$", before) and re.match(r"\s*[)）]", after):
        return "序号"
    if q.unit == "个" and re.match(r"\s*[0-9０-９]", text[e : e + 2]):  # "实现4个100%": how many 100%s
        return "计数词（非指标）"
    if q.unit in ("种", "类", "条", "部", "门", "本", "位", "户", "篇", "张", "批") and q.value <= 10:
        return "计数词（非指标）"
    return None


def _inside(text: str, pos: int, open_: str, close: str, limit: int = 60) -> bool:
    """Whether ``pos`` lies between an ``open_`` and its ``close`` at most ``limit`` characters apart."""
    left = text.rfind(open_, max(0, pos - limit), pos)
    if left < 0:
        return False
    if open_ == close:  # straight quotes: inside when an odd number precede
        return text.count(open_, 0, pos) % 2 == 1
    closed = text.find(close, left + 1, pos)
    if closed >= 0:
        return False
    right = text.find(close, pos, pos + limit)
    return right >= 0
