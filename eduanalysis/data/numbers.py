"""Numbers as documents write them: a value, a unit, and the words that make it a bound.

``parse_quantity("15.44 亿元")``, ``parse_quantity("95%以上")``, ``parse_quantity("1:211")``:
full-width forms are folded (NFKC), 万 multiplies any unit, qualifiers (超过, 以上, 近, 余 …)
are kept so a bound is never read as an exact value, and anything that cannot be read
unambiguously is refused with the text quoted.  Used for every figure, check and claim.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple

import cn2an
import numpy as np
import pandas as pd

from ..errors import DataValidationError
from ..measures.ratios import parse_ratio

__all__ = [
    "MAX_INTEGER_DIGITS",
    "RANGE_QUALIFIER",
    "UNITS",
    "ZERO_CHANGE",
    "Quantity",
    "convert_unit",
    "fold_number_text",
    "header_unit",
    "number_problem",
    "parse_number",
    "parse_numbers",
    "parse_quantity",
]

# unit -> (dimension, factor to the dimension's base unit).  Counts of different things
# get different dimensions so that 所 never converts into 人.
UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "亿元": ("money", 1e8),
    "元/生/年": ("money", 1.0),
    "%": ("percent", 1.0),
    "个百分点": ("percentage_points", 1.0),
    "人": ("people", 1.0),
    "名": ("people", 1.0),
    "人次": ("person_times", 1.0),
    "所": ("institutions", 1.0),
    "个": ("items", 1.0),
    "项": ("items", 1.0),
    "家": ("institutions", 1.0),  # 所 and 家 both count institutions
    "支": ("teams", 1.0),
    "所次": ("times", 1.0),
    "家次": ("times", 1.0),
    "次": ("times", 1.0),
    "场": ("events", 1.0),
    "场次": ("events", 1.0),
    "期": ("sessions", 1.0),
    "件": ("documents", 1.0),
    "节": ("lessons", 1.0),
    "套": ("sets", 1.0),
    "倍": ("multiple", 1.0),
    "㎡": ("area", 1.0),
    "平方米": ("area", 1.0),
    "册": ("books", 1.0),
    "台": ("devices", 1.0),
    "间": ("rooms", 1.0),
    "班": ("classes", 1.0),
    "年": ("years", 1.0),
    "学时": ("hours", 1.0),
    "课时": ("lessons", 1.0),  # a teaching period, like 节
    "小时": ("clock_hours", 1.0),
    "天": ("days", 1.0),
    "辆": ("vehicles", 1.0),
    "部": ("devices", 1.0),
    "处": ("places", 1.0),
    "条": ("items_posted", 1.0),
    "篇": ("articles", 1.0),
    "份": ("copies", 1.0),
    "": ("number", 1.0),
    "ratio": ("ratio", 1.0),
}
# 万 (10⁴) in front of any unit: 万元, 万人, 万人次, 万平方米, 万册 ...
UNITS.update(
    {
        "万" + u: (d, f * 1e4)
        for u, (d, f) in list(UNITS.items())
        if u not in {"", "ratio", "%"} and not u.startswith(("亿", "元/"))
    }
)
UNITS["万"] = ("money", 1e4)  # "2844 万" (万元 with the 元 left out) — flagged in the row's note
UNITS["fraction"] = ("percent", 100.0)  # "1/3", "三分之一": a share written as a fraction (1/3 = 33.3 %)

_PREFIXES = ("不低于", "不少于", "不超过", "不高于", "不多于", "至少", "超过", "高于", "达到", "近", "约")
_NEGATING = ("减少", "下降")  # "比上年减少 2.4%" is a change of −2.4 %
_HEADER_UNIT_RE = re.compile(r"\(([^()]+)\)\s*$")  # after NFKC, （） are ()
_SUFFIXES = ("以上", "以内", "以下", "左右")
#: the word kept in ``qualifier`` for a range (bounds.py reads it as the bound ``range``)
RANGE_QUALIFIER = "区间"
#: the document's words for "no change", read as a zero change
ZERO_CHANGE = tuple(f"与{a}{b}" for a in ("去年", "上年", "上一年") for b in ("一致", "持平", "相同"))
_RANGE_RE = re.compile(r"^([0-9][0-9,.]*)\s*(%?)\s*(?:—|–|-|~|至|到)\s*([0-9][0-9,.]*)\s*(万)?\s*(.*?)$")
_FRACTION_RE = re.compile(r"^([0-9]+)\s*/\s*([0-9]+)$")
_CN_FRACTION_RE = re.compile(r"^([一二两三四五六七八九十百]+)分之([一二两三四五六七八九十百]+)$")
# 每5所幼儿园配备1名(责任督学): one of the second noun for every b of the first = 1:b
_INVERTED_RE = re.compile(r"^每\s*([0-9]+(?:\.[0-9]+)?)\s*([^0-9:]+?)\s*([0-9]+(?:\.[0-9]+)?)\s*([^0-9:]{0,6})$")
# the number part is captured generously (digits and every mark a number may be written
# with, right or wrong) and then judged by number_problem, so "930,1" is refused rather
# than read as 9301 or cut into 930 and a unit ",1"
_NUMBER_RE = re.compile(r"^([-+]?[0-9](?:[0-9,.、。 ]*[0-9])?)\s*(万)?\s*(余|多)?\s*(.*?)$")

#: at most this many digits before the decimal point: a float64 holds 15 significant
#: digits exactly, an int64 count up to 9.2e18; a longer number is a paste or typing error
MAX_INTEGER_DIGITS = 15
_PLAIN_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_GROUPED_RE = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_NON_FINITE_RE = re.compile(r"[+-]?(?:inf(?:inity)?|nan)", re.IGNORECASE)
_SCIENTIFIC_RE = re.compile(r"[+-]?[0-9.,]+[eE][+-]?[0-9]+")


def fold_number_text(text: str) -> str:
    """Fold the ways a number can be typed into one: NFKC (full-width digits ０-９, the
    full-width comma ，, period ． and minus －), U+2212 MINUS SIGN → ``-``, outer spaces
    stripped.  The Chinese 、 and 。 are kept, so that :func:`number_problem` can name them.

    >>> fold_number_text(" １，２３４．５ ")
    '1,234.5'
    """
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()


def number_problem(text: str) -> str | None:
    """What is wrong with a number as written, or ``None`` when it reads unambiguously.

    Accepted: optional sign, digits, an optional decimal point (``.``), and thousands
    separators only in correct groups of three (``1,234,567.5``), in ASCII or full-width
    forms (folded by :func:`fold_number_text`).  Refused, each with its reason: a comma
    that is not a thousands separator (``930,1`` — a decimal comma? a wrong group?),
    ``、`` and ``。``, several decimal points, spaces between digits, scientific notation
    (it hides digits), ``inf``/``nan``, and more than :data:`MAX_INTEGER_DIGITS` digits
    before the decimal point (it cannot be held exactly; a count would overflow).

    Examples
    --------
    >>> number_problem("1,234,567") is None
    True
    >>> print(number_problem("930,1"))  # doctest: +ELLIPSIS
    '930,1': the comma is not a thousands separator (...); write 930.1 if it is a decimal mark
    """
    if not isinstance(text, str):
        return f"expected a number written as text, found {text!r}"
    folded = fold_number_text(text)
    if not folded:
        return "expected a number, found an empty cell"
    if _PLAIN_RE.fullmatch(folded) or _GROUPED_RE.fullmatch(folded):
        digits = len(folded.lstrip("+-").split(".")[0].replace(",", "").lstrip("0"))
        if digits > MAX_INTEGER_DIGITS:
            return (
                f"{text!r}: {digits} digits before the decimal point, but at most {MAX_INTEGER_DIGITS} "
                "can be held exactly (a pasted or repeated number?)"
            )
        return None
    if _NON_FINITE_RE.fullmatch(folded):
        return f"{text!r}: not a finite number; write the value itself (inf and nan are not values)"
    if _SCIENTIFIC_RE.fullmatch(folded):
        return (
            f"{text!r}: scientific notation hides digits; write the number in full "
            "(in a spreadsheet, format the column as a number, not 科学记数)"
        )
    if "、" in folded:
        return f"{text!r}: 、 separates items of a list; one cell holds one number"
    if "。" in folded:
        return f"{text!r}: 。 is not a decimal point; write the decimal point as ."
    if re.search(r"[0-9]\s+[0-9]", folded):
        return f"{text!r}: a space between digits; write the number without spaces (thousands as 1,234)"
    if folded.count(".") > 1:
        return f"{text!r}: more than one decimal point (thousands are separated by commas: 1,234,567)"
    if re.fullmatch(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?", folded):
        if folded.count(",") == 1 and "." not in folded:
            hint = f"; write {folded.replace(',', '.')} if it is a decimal mark"
        else:
            hint = ""
        return f"{text!r}: the comma is not a thousands separator (digits in groups of three, e.g. 1,234,567){hint}"
    return f"expected a number, found {text!r}"


def parse_number(text: str, where: str = "") -> float:
    """Read one number as written (see :func:`number_problem` for the rules).

    ``where`` (e.g. ``"schools.csv, row 5, column '图书册数'"``) starts the message of the
    ``DataValidationError`` raised for a number that cannot be read unambiguously.

    Examples
    --------
    >>> parse_number("１,２３４.５")
    1234.5
    >>> parse_number("1456,54", "t.csv, row 2")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    eduanalysis.errors.DataValidationError: t.csv, row 2: '1456,54': the comma is not ...; write 1456.54 if ...
    """
    problem = number_problem(text)
    if problem is not None:
        raise DataValidationError(f"{where}: {problem}" if where else problem)
    return float(fold_number_text(text).replace(",", ""))


def parse_numbers(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read a column of numbers as written; return ``(values, problems)``.

    ``values`` is float64 (NaN where a cell is refused), ``problems`` holds the reason of
    :func:`number_problem` for each refused cell and ``""`` elsewhere, so a caller can name
    the row.  Plain ASCII cells take a vectorised path; only the others are read one by one.

    Examples
    --------
    >>> values, problems = parse_numbers(pd.Series(["12", "1,200", "inf"]))
    >>> values.tolist()[:2], problems.tolist()[2]
    ([12.0, 1200.0], "'inf': not a finite number; write the value itself (inf and nan are not values)")
    """
    text = cells.astype(str).str.strip()
    plain = text.str.fullmatch(rf"[0-9]{{1,{MAX_INTEGER_DIGITS}}}(?:\.[0-9]+)?").fillna(False).to_numpy(bool)
    values = np.full(len(text), np.nan)
    values[plain] = text[plain].astype("float64").to_numpy()
    problems = np.full(len(text), "", dtype=object)
    for i in np.flatnonzero(~plain):
        cell = text.iloc[i]
        problem = number_problem(cell)
        if problem is None:
            values[i] = float(fold_number_text(cell).replace(",", ""))
        else:
            problems[i] = problem
    return pd.Series(values, index=cells.index), pd.Series(problems, index=cells.index, dtype=object)


class Quantity(NamedTuple):
    """A parsed figure: ``value`` in ``unit`` (``"ratio"`` for a:b, value = a/b).

    ``qualifier`` keeps words that make the number a bound or an approximation
    (``超过``, ``以上``, ``余``, ``左右`` …), so "95%以上" is never read as exactly 95.  A
    range ``2—3个`` is ``value`` 2 (its low end), ``high`` 3 and qualifier ``区间``;
    ``high`` is NaN for every other figure.
    """

    value: float
    unit: str
    qualifier: str = ""
    high: float = math.nan


def parse_quantity(text: str) -> Quantity:
    """Parse a figure as written: a number and a unit, or a ratio.

    Full-width digits and punctuation are folded (NFKC); the number is read by
    :func:`parse_number` (thousands separators only in groups of three; a decimal comma,
    、, inf/nan, scientific notation or an overlong number are refused);  ``平方米`` and
    ``㎡`` are both accepted; ``万`` multiplies any unit.
    Qualifiers before the number (超过, 不低于, 近, 约 …) or after it (余, 多, 以上,
    以内, 左右) are kept in ``qualifier``.  A ratio ``a:b`` gives
    ``Quantity(a/b, "ratio")``.

    Examples
    --------
    >>> parse_quantity("15.44 亿元")
    Quantity(value=15.44, unit='亿元', qualifier='', high=nan)
    >>> parse_quantity("４７.１９％")
    Quantity(value=47.19, unit='%', qualifier='', high=nan)
    >>> parse_quantity("5万余名")
    Quantity(value=5.0, unit='万名', qualifier='余', high=nan)
    >>> parse_quantity("超过7%")
    Quantity(value=7.0, unit='%', qualifier='超过', high=nan)
    >>> parse_quantity("减少 2.4%")
    Quantity(value=-2.4, unit='%', qualifier='减少', high=nan)
    >>> parse_quantity("1:211").value == 1 / 211
    True
    >>> parse_quantity("不低于1:200").qualifier
    '不低于'
    >>> parse_quantity("至少1名")
    Quantity(value=1.0, unit='名', qualifier='至少', high=nan)

    Forms a document prints that are not one number (see :func:`_special_form`): a range,
    a fraction, an inverted ratio and a stated zero change.

    >>> parse_quantity("2—3个")
    Quantity(value=2.0, unit='个', qualifier='区间', high=3.0)
    >>> parse_quantity("6—7 万人")
    Quantity(value=6.0, unit='万人', qualifier='区间', high=7.0)
    >>> parse_quantity("25%-30%").unit, parse_quantity("25-30%").high
    ('%', 30.0)
    >>> parse_quantity("1/3"), parse_quantity("约三分之一").qualifier, parse_quantity("超过1/3").qualifier
    (Quantity(value=0.3333333333333333, unit='fraction', qualifier='', high=nan), '约', '超过')
    >>> parse_quantity("每5所幼儿园配备1名")
    Quantity(value=0.2, unit='ratio', qualifier='', high=nan)
    >>> parse_quantity("与去年一致")
    Quantity(value=0.0, unit='', qualifier='与去年一致', high=nan)
    """
    if not isinstance(text, str) or not text.strip():
        raise DataValidationError(f"expected a number with a unit, found {text!r}")
    folded = fold_number_text(text).replace("\u2236", ":")
    special = _special_form(text, folded)
    if special is not None:
        return special
    if ":" in folded:  # a ratio, possibly a bound: "不低于1:200"
        bound = next((p for p in _PREFIXES if folded.startswith(p)), "")
        return Quantity(parse_ratio(folded[len(bound) :]).quotient, "ratio", bound)
    qualifiers = []
    sign = 1.0
    for word in _NEGATING:
        if folded.startswith(word):
            qualifiers.append(word)
            sign = -1.0
            folded = folded[len(word) :].strip()
            break
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            qualifiers.append(prefix)
            folded = folded[len(prefix) :].strip()
            break
    suffix = ""
    for candidate in _SUFFIXES:
        if folded.endswith(candidate):
            suffix = candidate
            folded = folded[: -len(candidate)].strip()
            break
    # "inf", "nan", "1.2E+05" before a unit: named as such, not as an unknown unit "E+05"
    token = _NON_FINITE_RE.match(folded) or _SCIENTIFIC_RE.match(folded)
    if token and not re.match(r"[A-Za-z]", folded[token.end() :]):
        raise DataValidationError(f"cannot parse {text!r}: {number_problem(token.group())}")
    match = _NUMBER_RE.match(folded)
    if match is None:
        raise DataValidationError(f"cannot parse {text!r}: expected a number followed by a unit such as 万元, %, 人")
    number, wan, approx, unit = match.groups()
    problem = number_problem(number)
    if problem is not None:
        raise DataValidationError(f"cannot parse {problem}" if number == text else f"cannot parse {text!r}: {problem}")
    unit = unit.strip().replace("m2", "㎡").replace("m²", "㎡")
    if wan:
        unit = "万" + unit
    if approx:
        qualifiers.append(approx)
    if suffix:
        qualifiers.append(suffix)
    if unit not in UNITS:
        known = ", ".join(u for u in UNITS if u and u != "ratio" and not u.startswith("万"))
        raise DataValidationError(
            f"unknown unit {unit!r} in {text!r}; known units: {known} (and 万 before any of them)"
        )
    return Quantity(sign * float(number.replace(",", "")), unit, "".join(qualifiers))


def _special_form(text: str, folded: str) -> Quantity | None:
    """A range, a fraction, an inverted ratio or a stated zero change; None for anything else.

    - ``2—3个``, ``6—7 万人``, ``25-30%``, ``1 至 2 项``, ``130~140%``: value = low end,
      ``high`` = high end, qualifier ``区间`` (bounds.py: the interval [low, high]); the low
      end must not exceed the high end;
    - ``1/3``, ``三分之一``, with the bound words of any number (约三分之一, 超过1/3): value a/b
      in unit ``fraction`` (a share: it converts to % as 100·a/b);
    - ``每5所幼儿园配备1名``: one of the second noun for every 5 of the first, the ratio
      ``1:5`` (value 0.2, unit ``ratio``); the nouns stay in ``value_as_written``, the
      indicator's registry name says which side is which, as for any ratio;
    - ``与去年一致`` (与上年持平, 与上一年相同 …): a zero change, value 0 without a unit (the
      indicator's registry unit applies) and qualifier the words themselves.
    """
    if folded in ZERO_CHANGE:
        return Quantity(0.0, "", folded)
    before = next((p for p in _PREFIXES if folded.startswith(p)), "")
    body = folded[len(before) :].strip()
    after = next((w for w in _SUFFIXES if body.endswith(w)), "")
    body = body[: len(body) - len(after)].strip()
    m = _FRACTION_RE.match(body) or _CN_FRACTION_RE.match(body)
    if m:
        if m.re is _FRACTION_RE:
            a, b = float(m.group(1)), float(m.group(2))
        else:  # 三分之一: 分母 first
            b, a = (float(cn2an.cn2an(g.replace("两", "二"), "smart")) for g in m.groups())
        if a <= 0 or b <= 0 or a > b:
            raise DataValidationError(f"cannot parse {text!r}: a fraction needs 0 < numerator ≤ denominator")
        return Quantity(a / b, "fraction", before + after)
    if _INVERTED_RE.match(folded):  # read by the one ratio parser (every number > 0)
        return Quantity(parse_ratio(folded).quotient, "ratio", "")
    m = _RANGE_RE.match(folded)
    if m:
        low_text, percent, high_text, wan, unit = m.groups()
        low, high = parse_number(low_text, repr(text)), parse_number(high_text, repr(text))
        unit = ("万" if wan else "") + unit.strip()
        if percent and unit not in ("", "%"):
            raise DataValidationError(f"cannot parse {text!r}: the low end is in % but the high end in {unit!r}")
        unit = unit or percent
        if unit not in UNITS:
            raise DataValidationError(f"unknown unit {unit!r} in the range {text!r}")
        if low > high:
            raise DataValidationError(f"cannot parse {text!r}: the low end {low:g} is above the high end {high:g}")
        return Quantity(low, unit, RANGE_QUALIFIER, high)
    return None


def convert_unit(value: float, from_unit: str, to_unit: str) -> float:
    """Convert between units of one dimension (万元 → 亿元, 万人 → 人 ...).

    >>> convert_unit(15.44, "亿元", "万元")
    154400.0
    """
    try:
        dim_from, f_from = UNITS[from_unit]
        dim_to, f_to = UNITS[to_unit]
    except KeyError as exc:
        raise DataValidationError(f"unknown unit {exc.args[0]!r}") from None
    if dim_from != dim_to:
        raise DataValidationError(f"cannot convert {from_unit!r} ({dim_from}) to {to_unit!r} ({dim_to})")
    return round(value * f_from / f_to, 10)


def header_unit(name: str, where: str = "", *, expected: str = "") -> str:
    """The unit a table prints once in its header, e.g. ``在校生（万人）`` → ``万人``.

    ``（㎡）`` and ``（平方米）`` are both area (NFKC turns ㎡ into "m2"; it is read back).
    ``expected`` (the indicator's registry unit) only improves the message.

    Examples
    --------
    >>> header_unit("（义务教育）在校生（万人）"), header_unit("生均教学及辅助用房面积（㎡）")
    ('万人', '㎡')
    """
    match = _HEADER_UNIT_RE.search(unicodedata.normalize("NFKC", name))
    unit = match.group(1).strip() if match else ""
    unit = {"m2": "㎡", "m²": "㎡", "平方米": "平方米"}.get(unit, unit)
    if unit not in UNITS or unit == "":
        hint = f"（{expected}）" if expected else "（万人） or （%）"
        found = f" ({unit!r} is not a known unit)" if unit else ""
        raise DataValidationError(
            f"the number has no unit, and `name_in_source` does not end with a table header unit such as {hint}"
            f"{found}; when the document's table header gives none, add the indicator's unit in （） at the end "
            "of `name_in_source` and say so in `note`"
        )
    return unit
