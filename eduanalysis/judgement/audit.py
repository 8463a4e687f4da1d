"""Audit: recompute reported figures from their parts and flag inconsistencies.

Reports state shares, ratios, growth rates, differences and sums next to the counts
they come from.  A check (one row of ``data/raw/checks/<slug>.csv``) names the stated
figure (``target``), how it can be recomputed (``kind``) and from which figure rows
(``inputs``).  The recomputed value is compared at the precision the document used: a
stated ``47.19%`` is checked to two decimals, ``78%`` to the unit, ``1:211`` to the unit
on the side that is not 1.

Verdicts: ``一致`` (consistent), ``不一致`` (inconsistent, with the gap), ``无法核对``
(an input the check needs is not reported: the check says which).  A stated bound
(``超过7%``, ``95%以上``, ``15%以内``) is consistent when the recomputed value lies on the
stated side; an approximation (``约``, ``近``, ``左右``, ``余``, ``多``) when it lies within
5 % of the stated number (a convention of this project, not of the documents).

Reference syntax in the check files:

- ``r25:weak_school_area_completed`` — line 25 of the region's figures file, which must
  hold that indicator (so a shifted file is caught instead of silently mis-read);
- ``r53:a+r54:b`` — the sum of several rows;
- ``std:preschool_2020/public_kindergarten_share/学前`` — a threshold of the standards data;
- ``missing:2018年教育经费总支出`` — an input the documents do not report.

Two kinds say less than an equation: ``within`` checks that named parts do not exceed a
stated total when the document does not say the parts are all of it (47 completed and 41
under way of 102 planned projects; 1398 teachers under 45 of 1672), and ``over_100`` is
not written in the check files at all: every figure in % of an indicator that is a rate
or a share is scanned, and one above 100 % is listed — as ``不一致`` where a part cannot
exceed its whole, and as ``一致`` with the reason where the measure can exceed 100 %
(巩固率 with pupils moving in, gross enrolment rates, a relative excess, a completion rate;
see :func:`may_exceed_100` and standards.md §6).  Such a value is not an inconsistency,
but it is not a plain pass either: the findings mark it for explanation.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from .. import paths
from ..data.bounds import bound_of
from ..data.figures import load_figures, with_header_unit
from ..data.numbers import convert_unit, header_unit, parse_quantity
from ..data.readers import read_csv_table
from ..errors import DataValidationError
from ..measures.ratios import parse_ratio
from .observations import year_is_inferred
from .over_hundred import may_exceed_100, over_100
from .standards import get_threshold

__all__ = ["CHECK_COLUMNS", "KINDS", "audit", "checks_path", "load_checks", "may_exceed_100", "over_100"]

CHECK_COLUMNS = ["check_id", "kind", "target", "inputs", "description", "note"]
#: a check's note that says the figures compared may count different things ("口径不同：126所或按校区、
#: 教学点计"): a mismatch is then 口径/时点不同, not 不一致
OTHER_SCOPE_NOTE = "口径不同："
#: kind -> the input roles it needs
KINDS: dict[str, tuple[str, ...]] = {
    "share": ("part", "whole"),  # target % = 100 · part / whole (also: completion of a plan)
    "ratio": ("a", "b"),  # target a:b as written = a : b
    "growth": ("previous", "current"),  # target % = 100 · (current − previous) / previous
    "difference": ("a", "b"),  # target = a − b
    "pp_difference": ("a", "b"),  # target (percentage points) = a − b, both in %
    "sum": ("parts",),  # target = Σ parts
    "mean": ("parts",),  # target = mean of parts (composite difference coefficient)
    "same": ("a",),  # the same figure stated again: target = a
    "exceeds": ("a", "b"),  # the document claims a is above (better than) b
    "share_common_total": ("part", "ref_part", "ref_share"),  # two shares of one total
    "within": ("parts",),  # Σ parts ≤ target: named parts of a total that may have others
}
_COUNT_UNITS = {"所", "人", "个", "项", "间", "人次", "次", "场次", "册", "套", "台", "节", "件", "期", "支"}


# what a qualifier means is decided once, in eduanalysis.data.bounds (不超过 is an upper bound
# although it contains 超过); the audit is tolerant of "近": it treats it like "约" (±5 %)
def _lower(qualifier: str) -> bool:
    return bound_of(qualifier) in ("at_least", "above")


def _upper(qualifier: str) -> bool:
    return bound_of(qualifier) == "at_most"


def _approx(qualifier: str) -> bool:
    return bound_of(qualifier) in ("about", "nearly")


_REF_RE = re.compile(r"^r(\d+):([a-z0-9_]+)$")
#: full-width digits, letters, _ and the separators of references → ASCII
_FULL_WIDTH_REFERENCE = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
    | {"：": ":", "；": ";", "＝": "=", "＋": "+", "＿": "_", "／": "/"}
)


def checks_path(region: str) -> Path:
    """Path of a region's check file."""
    return paths.DATA_RAW / "checks" / f"{region}.csv"


@dataclass
class _Input:
    role: str
    value: float | None  # None when missing
    unit: str
    text: str  # how it is shown: "第25行 38887 平方米" or "未报告：…"
    locators: list[str]
    n: int = 1  # how many figures were added up
    rows: tuple[int, ...] = ()  # the figure rows it was read from


def _parse_inputs(spec: str, where: str) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    for item in filter(None, (p.strip() for p in spec.split(";"))):
        if "=" not in item:
            raise DataValidationError(f"{where}, column `inputs`: expected role=reference, found {item!r}")
        role, refs = (s.strip() for s in item.split("=", 1))
        roles[role] = [r.strip() for r in refs.split("+")]
    return roles


def load_checks(region: str, path: str | Path | None = None, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read a region's checks; validate kinds, roles and that every reference resolves.

    ``figures`` (from :func:`~eduanalysis.figures.load_figures`) defaults to the region's
    figures file.
    """
    path = Path(path) if path is not None else checks_path(region)
    if not path.exists():
        return pd.DataFrame(columns=CHECK_COLUMNS)
    table = read_csv_table(path, columns=CHECK_COLUMNS)
    # references typed with full-width forms (r２５：…；whole＝…) read as their ASCII forms,
    # as numbers do everywhere; the words of a missing: input keep their （）
    for column in ("target", "inputs"):
        table[column] = table[column].str.translate(_FULL_WIDTH_REFERENCE)
    figures = (load_figures(region) if figures is None else figures).set_index("row")
    dup = table["check_id"][table["check_id"].duplicated()].tolist()
    if dup:
        raise DataValidationError(f"{path}, column `check_id`: duplicated ids {dup}")
    problems = []  # every row's problem, not only the first (``eduanalysis validate`` lists them all)
    for i, rec in enumerate(table.itertuples(index=False), start=2):
        try:
            _check_row(rec, figures, f"{path}, row {i} ({rec.check_id})")
        except DataValidationError as exc:
            problems.append(str(exc))
    if problems:
        raise DataValidationError(f"{len(problems)} problem(s) in {path}:\n" + "\n".join(problems))
    return table


def _check_row(rec, figures: pd.DataFrame, where: str) -> None:
    """Raise ``DataValidationError`` for the first problem of one row of a checks file."""
    if rec.kind not in KINDS:
        raise DataValidationError(f"{where}, column `kind`: expected one of {', '.join(KINDS)}, found {rec.kind!r}")
    _resolve_row(rec.target, figures, f"{where}, column `target`")
    roles = _parse_inputs(rec.inputs, where)
    if rec.kind == "within":
        target = _resolve_row(rec.target, figures, f"{where}, column `target`")
        if _lower(target["qualifier"]):
            raise DataValidationError(
                f"{where}, column `target`: a `within` check needs a total that is not a lower bound, "
                f"found {target['value_as_written']!r} (parts can exceed it without contradicting it)"
            )
    if set(roles) != set(KINDS[rec.kind]):
        raise DataValidationError(
            f"{where}, column `inputs`: kind {rec.kind!r} needs roles "
            f"{', '.join(KINDS[rec.kind])}, found {', '.join(roles) or 'none'}"
        )
    for refs in roles.values():
        for ref in refs:
            if ref.startswith("r"):
                _resolve_row(ref, figures, f"{where}, column `inputs`")
            elif ref.startswith("std:"):
                _standard(ref, f"{where}, column `inputs`")
            elif not ref.startswith("missing:") or len(ref) <= len("missing:"):
                raise DataValidationError(
                    f"{where}, column `inputs`: {ref!r} is not r<row>:<indicator>, "
                    "std:<standard>/<indicator>/<level> or missing:<what>"
                )


def _resolve_row(ref: str, figures: pd.DataFrame, where: str) -> pd.Series:
    match = _REF_RE.match(ref)
    if not match:
        raise DataValidationError(f"{where}: {ref!r} is not of the form r<row>:<indicator>")
    row, indicator = int(match.group(1)), match.group(2)
    if row not in figures.index:
        raise DataValidationError(f"{where}: figure row {row} does not exist")
    fig = figures.loc[row]
    if fig["indicator"] != indicator:
        raise DataValidationError(
            f"{where}: figure row {row} holds {fig['indicator']!r}, not {indicator!r} "
            "(has the figures file been re-ordered?)"
        )
    return fig


def _standard(ref: str, where: str) -> pd.Series:
    parts = ref[len("std:") :].split("/")
    if len(parts) != 3:
        raise DataValidationError(f"{where}: {ref!r} is not std:<standard>/<indicator>/<level>")
    try:
        return get_threshold(*parts)
    except LookupError as exc:
        raise DataValidationError(f"{where}: {exc}") from None


def _decimals(number_text: str) -> int:
    match = re.search(r"\d+(?:\.(\d+))?", number_text)
    return len(match.group(1)) if match and match.group(1) else 0


def _round(x: float, d: int, mode=ROUND_HALF_UP) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-d), rounding=mode)


def _fmt_value(value: float, unit: str) -> str:
    """A number as the reports print it: thousands separated, a space before a unit, none before %."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def _gather(region_figures: pd.DataFrame, refs: list[str], role: str) -> _Input:
    total, units, texts, locs = 0.0, set(), [], []
    for ref in refs:
        if ref.startswith("missing:"):
            return _Input(role, None, "", "未报告：" + ref[len("missing:") :], [])
        if ref.startswith("std:"):
            row = _standard(ref, "check")
            total += float(row["value"])
            unit = _registry_unit(row["indicator"])
            units.add(unit)
            texts.append(f"标准 {_fmt_value(float(row['value']), unit)}")
            locs.append(f"{row['source']}")
            continue
        fig = region_figures.loc[int(_REF_RE.match(ref).group(1))]
        total += float(fig["value"])
        units.add(fig["unit"])
        texts.append(f"第{fig.name}行 {fig['value_as_written']}")
        locs.append(f"{fig['source']} · {fig['locator']}")
    if len(units) > 1:
        raise DataValidationError(f"input {role!r} adds figures in different units {sorted(units)}")
    rows = tuple(int(m.group(1)) for m in (_REF_RE.match(r) for r in refs) if m)
    return _Input(role, total, units.pop(), " + ".join(texts), locs, len(refs), rows)


def _registry_unit(indicator: str) -> str:
    from ..data.registry import indicator_info

    return indicator_info(indicator)["unit"]


def _same_unit(*inputs: _Input) -> str:
    units = {i.unit for i in inputs}
    if len(units) != 1:
        raise DataValidationError(
            "inputs must share a unit, found " + ", ".join(f"{i.role}: {i.unit!r}" for i in inputs)
        )
    return units.pop()


def _judge(stated: float, recomputed: float, decimals: int, qualifier: str) -> tuple[str, str]:
    """Verdict and explanation for a stated number against a recomputed one."""
    if _approx(qualifier):
        ok = abs(recomputed - stated) <= 0.05 * abs(stated)
        return ("一致" if ok else "不一致"), f"约数（{qualifier}），按±5%判断"
    if _lower(qualifier):
        ok = float(_round(recomputed, decimals)) >= stated
        return ("一致" if ok else "不一致"), f"下限（{qualifier}）"
    if _upper(qualifier):
        ok = float(_round(recomputed, decimals)) <= stated
        return ("一致" if ok else "不一致"), f"上限（{qualifier}）"
    if _round(recomputed, decimals) == _round(stated, decimals):
        return "一致", f"按{decimals}位小数四舍五入"
    if _round(recomputed, decimals, ROUND_DOWN) == _round(stated, decimals):
        # 79.487 % written 79.4 %: the document truncated instead of rounding — the same figure
        return "一致", f"按{decimals}位小数截断一致（文件截断取值，未四舍五入）"
    return "不一致", f"按{decimals}位小数四舍五入"


def _evaluate(kind: str, target: pd.Series, inputs: dict[str, _Input]) -> dict:
    missing = [i.text for i in inputs.values() if i.value is None]
    if missing:
        return {"verdict": "无法核对", "reason": "；".join(missing)}
    written = parse_quantity(target["value_as_written"])
    if written.unit == "" and target["unit"]:
        written = written._replace(unit=header_unit(target["name_in_source"], "check target"))
    number_text = re.sub(r"^[^\d]*", "", target["value_as_written"])
    decimals = _decimals(number_text)
    qualifier = written.qualifier

    if kind == "ratio":
        a, b = inputs["a"], inputs["b"]
        _same_unit(a, b)
        stated = parse_ratio(target["value_as_written"])
        da, db = (_decimals(s) for s in re.split(r"[:：∶]", target["value_as_written"]))
        if stated.antecedent == 1:
            rec, st, d = b.value / a.value, stated.consequent, db
            shown = f"1:{_round(rec, d + 1)}"
        elif stated.consequent == 1:
            rec, st, d = a.value / b.value, stated.antecedent, da
            shown = f"{_round(rec, d + 1)}:1"
        else:
            scale = stated.antecedent + stated.consequent
            rec, st, d = a.value / (a.value + b.value) * scale, stated.antecedent, da
            shown = f"{_round(rec, da + 1)}:{_round(scale - rec, db + 1)}"
        verdict, reason = _judge(st, rec, d, qualifier)
        return {
            "verdict": verdict,
            "reason": reason,
            "recomputed": rec,
            "recomputed_text": shown,
            "gap": rec - st,
        }

    if kind == "exceeds":
        a, b = inputs["a"], inputs["b"]
        _same_unit(a, b)
        ok = a.value > b.value
        return {
            "verdict": "一致" if ok else "不一致",
            "reason": "文件称前者高于（优于）后者",
            "recomputed": a.value - b.value,
            "recomputed_text": _exceeds_text(inputs["a"], inputs["b"]),
            "gap": a.value - b.value,
        }

    if kind == "within":
        return _within(target, inputs["parts"], written, decimals, qualifier)

    if kind == "share":
        _same_unit(inputs["part"], inputs["whole"])
        rec_registry = 100 * inputs["part"].value / inputs["whole"].value
        rec_unit = "%"
    elif kind == "growth":
        _same_unit(inputs["previous"], inputs["current"])
        prev, cur = inputs["previous"].value, inputs["current"].value
        rec_registry, rec_unit = 100 * (cur - prev) / prev, "%"
    elif kind in ("difference", "pp_difference"):
        unit = _same_unit(inputs["a"], inputs["b"])
        rec_registry = inputs["a"].value - inputs["b"].value
        rec_unit = "个百分点" if kind == "pp_difference" else unit
        if kind == "pp_difference" and unit != "%":
            raise DataValidationError("pp_difference needs two rates in %")
    elif kind in ("sum", "mean"):
        parts = inputs["parts"]
        rec_registry = parts.value if kind == "sum" else parts.value / parts.n
        rec_unit = parts.unit
    elif kind == "same":
        rec_registry, rec_unit = inputs["a"].value, inputs["a"].unit
    elif kind == "share_common_total":
        return _share_common_total(target, inputs, decimals, qualifier)
    else:  # pragma: no cover - guarded by load_checks
        raise DataValidationError(f"unknown kind {kind!r}")

    recomputed = convert_unit(rec_registry, rec_unit, written.unit) if rec_unit != written.unit else rec_registry
    verdict, reason = _judge(written.value, recomputed, decimals, qualifier)
    return {
        "verdict": verdict,
        "reason": reason,
        "recomputed": recomputed,
        "recomputed_text": _fmt_value(float(_round(recomputed, max(decimals, 0) + 2)), written.unit),
        "gap": recomputed - written.value,
    }


def _exceeds_text(a: _Input, b: _Input) -> str:
    """How far a is above b, in the reader's words: points for rates, the x of 1:x for ratios."""
    if a.unit == "%":
        diff = a.value - b.value
        return f"比所比数值{'高' if diff >= 0 else '低'} {_fmt_value(abs(diff), '个百分点')}"
    first, second = (re.sub(r"^第\d+行\s*", "", i.text) for i in (a, b))
    try:
        ra, rb = parse_ratio(first), parse_ratio(second)
    except (ValueError, DataValidationError):
        ra = rb = None
    if ra is not None and ra.antecedent == 1 and rb.antecedent == 1:  # 1:5.6 against 1:6: compare the x
        diff = rb.consequent - ra.consequent
        return f"{first} 与 {second} 相比，1:x 中的 x {'少' if diff >= 0 else '多'} {abs(diff):g}"
    diff = a.value - b.value
    return f"比所比数值{'高' if diff >= 0 else '低'} {_fmt_value(abs(diff), a.unit)}"


def _within(target: pd.Series, parts: _Input, written, decimals: int, qualifier: str) -> dict:
    """Named parts against a stated total that may have further, unnamed parts."""
    if parts.unit != target["unit"]:
        raise DataValidationError(
            f"inputs must share the target's unit, found parts: {parts.unit!r}, target: {target['unit']!r}"
        )
    total = float(target["value"])
    allowed = total * 1.05 if _approx(qualifier) else total
    ok = parts.value <= allowed

    def as_written(value: float) -> float:
        return convert_unit(value, parts.unit, written.unit) if written.unit != parts.unit else value

    shown, rest = as_written(parts.value), as_written(total - parts.value)
    if not ok:
        reason = "所列部分之和超过文中总数"
    elif parts.value == total:
        reason = "所列部分之和等于总数"
    else:
        reason = f"所列部分之和不超过总数（另有 {_fmt_value(rest, written.unit)} 文中未列出）"
    return {
        "verdict": "一致" if ok else "不一致",
        "reason": reason + ("；总数为约数，按+5%判断" if allowed != total else ""),
        "recomputed": shown,
        "recomputed_text": _fmt_value(float(_round(shown, max(decimals, 0) + 2)), written.unit),
        "gap": shown - written.value,
    }


def _share_common_total(target, inputs, decimals, qualifier) -> dict:
    """Two shares of one (unstated) total: derive the total from the reference share."""
    part, ref_part, ref_share = inputs["part"], inputs["ref_part"], inputs["ref_share"]
    _same_unit(part, ref_part)
    ref_row_share = ref_share.value
    ref_dec = _decimals(ref_share.text.split()[-1])
    half = 0.5 * 10 ** (-ref_dec)
    low, high = (
        ref_part.value / ((ref_row_share + half) / 100),
        ref_part.value / ((ref_row_share - half) / 100),
    )
    stated = parse_quantity(target["value_as_written"]).value
    if part.unit in _COUNT_UNITS:
        candidates = list(range(math.ceil(low), math.floor(high) + 1))
        if not candidates:
            return {"verdict": "不一致", "reason": f"参照占比推得总数在{low:.2f}–{high:.2f}之间，无整数解"}
    else:
        candidates = [ref_part.value / (ref_row_share / 100)]
    results = [(100 * part.value / t, t) for t in candidates]
    for rec, total in results:
        if _round(rec, decimals) == _round(stated, decimals):
            return {
                "verdict": "一致",
                "reason": f"由参照占比推得总数 {total:g}",
                "recomputed": rec,
                "recomputed_text": f"{rec:.{decimals + 2}f}%",
                "gap": rec - stated,
            }
    rec, total = results[0]
    verdict, reason = _judge(stated, rec, decimals, qualifier)
    return {
        "verdict": verdict,
        "reason": f"由参照占比推得总数 {total:g}；{reason}",
        "recomputed": rec,
        "recomputed_text": f"{rec:.{decimals + 2}f}%",
        "gap": rec - stated,
    }


def _other_time_point(result: dict, target: pd.Series, inputs: dict, figures: pd.DataFrame) -> dict:
    """A figure stated twice with two values is 口径/时点不同, not 不一致, when one statement gives no
    year (its year is our inference, note "年份推断："), or when one statement was written
    before its year ended and the other after (乌海's self-evaluation of 2020-09-28 and its 2022 plan
    both give a "2020" 公办园占比: one is the autumn 2020 figure, the other the year's)."""
    from ..data.sources import load_sources

    rows = inputs["a"].rows
    if len(rows) != 1 or not re.fullmatch(r"\d{4}", str(target["year"])):
        return result
    other = figures.loc[rows[0]]
    guessed = [f for f in (target, other) if year_is_inferred(str(f["note"]))]
    if guessed:  # a statement whose year we inferred cannot establish that both are the same time point
        return {
            **result,
            "verdict": "口径/时点不同",
            "reason": (
                f"两处数值不同，但其中一处（{guessed[0]['name_in_source']}）文件未写年份，"
                f"按推断记为 {guessed[0]['year']}；两处可能不是同一时点，不作不一致处理"
            ),
        }
    dates = load_sources()["date"]
    year_end = f"{target['year']}-12-31"
    written = [str(dates.get(target["source"], "")), str(dates.get(other["source"], ""))]
    if not all(written) or (written[0] <= year_end) == (written[1] <= year_end):
        return result
    early = target if written[0] <= year_end else other
    return {
        **result,
        "verdict": "口径/时点不同",
        "reason": (
            f"两处数值不同，但其中一处所在文件成文于 {dates.get(early['source'])}，当时 {target['year']} 年尚未结束，"
            "所报可能是年中时点或另一口径的数值，不作不一致处理"
        ),
    }


def audit(region: str, checks: pd.DataFrame | None = None, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Run every check of a region; inconsistent ones first, then cannot-check, then consistent.

    Besides the rows of the checks file, every figure in % of a rate or share above 100 %
    gets a row of kind ``over_100`` (check id ``AUTO-r<row>``), see :func:`over_100`.

    Returns one row per check: ``check_id``, ``kind``, ``description``, ``indicator``,
    ``name_zh``, ``year``, ``stated`` (as written), ``recomputed`` (number, in the stated
    unit), ``recomputed_text``, ``gap`` (recomputed − stated), ``verdict``, ``reason``,
    ``inputs`` (the figures used, with their rows), ``target_row``, ``locators``, ``note``.
    """
    figures = load_figures(region) if figures is None else figures
    checks = load_checks(region, figures=figures) if checks is None else checks
    figures = figures.set_index("row")
    rows = []
    for rec in checks.itertuples(index=False):
        target = _resolve_row(rec.target, figures, rec.check_id)
        inputs = {role: _gather(figures, refs, role) for role, refs in _parse_inputs(rec.inputs, rec.check_id).items()}
        try:
            result = _evaluate(rec.kind, target, inputs)
        except DataValidationError as exc:
            raise DataValidationError(f"{checks_path(region)}, check {rec.check_id}: {exc}") from None
        if rec.kind == "same" and result["verdict"] == "不一致":
            result = _other_time_point(result, target, inputs, figures)
        if result["verdict"] == "不一致" and str(rec.note).startswith(OTHER_SCOPE_NOTE):
            # the check file says why the two counts may not be the same 口径 (乌海 126 查访 may count
            # 校区/教学点): a lead, not an inconsistency
            result = {**result, "verdict": "口径/时点不同", "reason": f"{result['reason']}；{rec.note}"}
        locators = [f"{target['source']} · {target['locator']}"]
        for i in inputs.values():
            locators += [loc for loc in i.locators if loc not in locators]
        rows.append(
            {
                "check_id": rec.check_id,
                "kind": rec.kind,
                "description": rec.description,
                "indicator": target["indicator"],
                "name_zh": target["name_zh"],
                "year": target["year"],
                "stated": with_header_unit(target["value_as_written"], target["name_in_source"]),
                "recomputed": result.get("recomputed", float("nan")),
                "recomputed_text": result.get("recomputed_text", ""),
                "gap": result.get("gap", float("nan")),
                "verdict": result["verdict"],
                "reason": result["reason"],
                "inputs": "；".join(f"{i.role}: {i.text}" for i in inputs.values()),
                "target_row": int(target.name),
                "locators": " | ".join(locators),
                "note": rec.note,
            }
        )
    for rec in over_100(figures.reset_index()).itertuples(index=False):
        fig = figures.loc[rec.row]
        rows.append(
            {
                "check_id": f"AUTO-r{rec.row}",
                "kind": "over_100",
                "description": f"{fig['name_zh']}超过100%",
                "indicator": rec.indicator,
                "name_zh": fig["name_zh"],
                "year": fig["year"],
                "stated": rec.value_as_written,
                "recomputed": float("nan"),
                "recomputed_text": "",
                "gap": float(fig["value"]) - 100,
                "verdict": "一致" if rec.may_exceed else "不一致",
                "reason": rec.reason,
                "inputs": "",
                "target_row": int(rec.row),
                "locators": f"{fig['source']} · {fig['locator']}",
                "note": "凡超过100%的比率都逐项列出",
            }
        )
    columns = [
        "check_id",
        "kind",
        "description",
        "indicator",
        "name_zh",
        "year",
        "stated",
        "recomputed",
        "recomputed_text",
        "gap",
        "verdict",
        "reason",
        "inputs",
        "target_row",
        "locators",
        "note",
    ]
    out = pd.DataFrame(rows, columns=columns)
    order = {"不一致": 0, "口径/时点不同": 1, "无法核对": 2, "一致": 3}
    out = out.sort_values("verdict", key=lambda s: s.map(order), kind="stable")
    return out.reset_index(drop=True)
