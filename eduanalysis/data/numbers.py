"""Numbers as documents write them: a value, a unit, and the words that make it a bound.

``parse_quantity("15.44 亿元")``, ``parse_quantity("95%以上")``, ``parse_quantity("1:211")``:
full-width forms are folded (NFKC), 万 multiplies any unit, qualifiers (超过, 以上, 近, 余 …)
are kept so a bound is never read as an exact value, and anything that cannot be read
unambiguously is refused with the text quoted.  Used for every figure, check and claim.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from ..errors import DataValidationError
from ..measures.ratios import parse_ratio

__all__ = ["UNITS", "Quantity", "convert_unit", "header_unit", "parse_quantity"]

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

_PREFIXES = ("不低于", "不少于", "超过", "高于", "达到", "近", "约")
_NEGATING = ("减少", "下降")  # "比上年减少 2.4%" is a change of −2.4 %
_HEADER_UNIT_RE = re.compile(r"\(([^()]+)\)\s*$")  # after NFKC, （） are ()
_SUFFIXES = ("以上", "以内", "以下", "左右")
_NUMBER_RE = re.compile(r"^([-+]?\d[\d,]*(?:\.\d+)?)\s*(万)?\s*(余|多)?\s*(.*?)$")


class Quantity(NamedTuple):
    """A parsed figure: ``value`` in ``unit`` (``"ratio"`` for a:b, value = a/b).

    ``qualifier`` keeps words that make the number a bound or an approximation
    (``超过``, ``以上``, ``余``, ``左右`` …), so "95%以上" is never read as exactly 95.
    """

    value: float
    unit: str
    qualifier: str = ""


def parse_quantity(text: str) -> Quantity:
    """Parse a figure as written: a number and a unit, or a ratio.

    Full-width digits and punctuation are folded (NFKC); thousands separators are
    allowed; ``平方米`` and ``㎡`` are both accepted; ``万`` multiplies any unit.
    Qualifiers before the number (超过, 不低于, 近, 约 …) or after it (余, 多, 以上,
    以内, 左右) are kept in ``qualifier``.  A ratio ``a:b`` gives
    ``Quantity(a/b, "ratio")``.

    Examples
    --------
    >>> parse_quantity("15.44 亿元")
    Quantity(value=15.44, unit='亿元', qualifier='')
    >>> parse_quantity("４７.１９％")
    Quantity(value=47.19, unit='%', qualifier='')
    >>> parse_quantity("5万余名")
    Quantity(value=5.0, unit='万名', qualifier='余')
    >>> parse_quantity("超过7%")
    Quantity(value=7.0, unit='%', qualifier='超过')
    >>> parse_quantity("减少 2.4%")
    Quantity(value=-2.4, unit='%', qualifier='减少')
    >>> parse_quantity("1:211").value == 1 / 211
    True
    """
    if not isinstance(text, str) or not text.strip():
        raise DataValidationError(f"expected a number with a unit, found {text!r}")
    folded = unicodedata.normalize("NFKC", text).replace("\u2236", ":").strip()
    if ":" in folded:
        return Quantity(parse_ratio(folded).quotient, "ratio")
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
    match = _NUMBER_RE.match(folded)
    if match is None:
        raise DataValidationError(f"cannot parse {text!r}: expected a number followed by a unit such as 万元, %, 人")
    number, wan, approx, unit = match.groups()
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


def header_unit(name: str, where: str) -> str:
    """The unit a table prints once in its header, e.g. ``在校生（万人）`` → ``万人``."""
    match = _HEADER_UNIT_RE.search(unicodedata.normalize("NFKC", name))
    unit = match.group(1).strip() if match else ""
    if unit not in UNITS or unit == "":
        raise DataValidationError(
            f"{where}: the number has no unit, and `name_in_source` does not end with a table "
            f"header unit such as （万人） or （%）"
        )
    return unit
