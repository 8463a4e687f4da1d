"""Which standard applies to which reported figure: the rules table, as data.

``eduanalysis/judgement/rules.csv`` has one row per rule:

==============  ==========================================================================
column          meaning
==============  ==========================================================================
rule_id         short ASCII id
section         report section the finding belongs to (funding, balance, preschool,
                staffing, quality)
indicator       the reported figure's indicator id (registry)
level           figure levels it applies to: one level, ``小学|初中``, ``*`` (any) or
                empty (figures without a level)
group           sub-population (城镇, 农村 …): empty = the whole population only, ``*`` any
standard        standard id in ``standards/standards.csv``
std_indicator   the standard's indicator (after ``transform``)
std_level       the standard's level: ``=`` the figure's own level, else a level or empty
transform       identity · inverse (1:x → x) · share (a:b → a/(a+b)) · floor (the figure
                is at most the standard's measure: a share over a denominator that may be
                wider, 交流教师 ÷ 全部专任教师 against ÷ 符合交流条件教师; judged as a lower bound)
scope           what the standard is made for: 县域 (a county-level evaluation) · 学校 (a
                per-school norm) · 参照 (another evaluation or measure) · 任意 (any area) ·
                判读 (a band that is this report's reading of words without a number) ·
                口径不同 (a related standard of another measure: shown beside the figure,
                never a verdict — 无法判定 with the note as the reason).  Whether it
                applies (适用/参照) is read from ``applicability.csv``
                (:mod:`eduanalysis.judgement.applicability`), not decided here
unit_zh         unit of the compared value as a reader says it (%, 名学生/名辅导员 …)
shortfall       how to state a shortfall in natural units: ``per_capita:<base>:<have>``
                (people needed for base ÷ limit), ``share_of:<part>:<whole>`` (people to
                add to part, whole unchanged, for a share below its floor),
                ``salary_gap:<a>:<b>`` (元 per person), or empty
claim_indicators  registry ids (space-separated) whose claims in ``data/raw/claims/`` bear on
                this rule besides the rule's own indicator: a document says its spending
                (``edu_budget_expenditure``) 未增长, the rule judges its growth rate
note            Chinese explanation shown beside the verdict
==============  ==========================================================================

Figures that no national rule covers but for which the same document cites a norm
(a ``标准`` row of the same area, indicator and level) are judged against that norm by
:mod:`eduanalysis.judgement.findings`, marked as the document's own norm.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..data.readers import read_csv_table
from ..data.registry import indicator_registry
from ..errors import DataValidationError
from .sections import JUDGED_SECTIONS
from .standards import get_threshold

__all__ = ["PLAUSIBILITY_CSV", "RULES_CSV", "RULE_COLUMNS", "SCOPES", "SECTIONS", "load_rules", "plausible_max"]

RULES_CSV = Path(__file__).resolve().parent / "rules.csv"
PLAUSIBILITY_CSV = Path(__file__).resolve().parent / "plausibility.csv"
RULE_COLUMNS = [
    "rule_id",
    "section",
    "indicator",
    "level",
    "group",
    "standard",
    "std_indicator",
    "std_level",
    "transform",
    "scope",
    "unit_zh",
    "shortfall",
    "claim_indicators",
    "note",
]
SECTIONS = JUDGED_SECTIONS  # the report sections a finding can belong to, from the one registry
SCOPES = ("县域", "学校", "参照", "任意", "判读", "口径不同")
TRANSFORMS = ("identity", "inverse", "share", "floor")
_SHORTFALLS = ("per_capita", "share_of", "salary_gap")


@lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    table = read_csv_table(RULES_CSV, columns=RULE_COLUMNS)
    registry = indicator_registry()
    for i, rec in enumerate(table.itertuples(index=False), start=2):
        where = f"{RULES_CSV.name}, row {i} ({rec.rule_id})"
        for column, allowed in (("section", SECTIONS), ("scope", SCOPES), ("transform", TRANSFORMS)):
            if getattr(rec, column) not in allowed:
                raise DataValidationError(
                    f"{where}, column `{column}`: expected one of {', '.join(allowed)}, found {getattr(rec, column)!r}"
                )
        if rec.indicator not in registry.index:
            raise DataValidationError(f"{where}, column `indicator`: {rec.indicator!r} is not in the registry")
        levels = ["小学", "初中"] if rec.std_level == "=" else [rec.std_level]
        for level in levels:
            try:
                get_threshold(rec.standard, rec.std_indicator, level)
            except LookupError as exc:
                raise DataValidationError(f"{where}: {exc}") from None
        unknown = [i for i in rec.claim_indicators.split() if i not in registry.index]
        if unknown:
            raise DataValidationError(f"{where}, column `claim_indicators`: {unknown} are not in the registry")
        if rec.shortfall:
            kind, *args = rec.shortfall.split(":")
            if kind not in _SHORTFALLS or len(args) != 2 or any(a not in registry.index for a in args):
                raise DataValidationError(
                    f"{where}, column `shortfall`: expected per_capita:<base>:<have>, share_of:<part>:<whole> "
                    f"or salary_gap:<a>:<b> with registry ids, found {rec.shortfall!r}"
                )
    dup = table["rule_id"][table["rule_id"].duplicated()].tolist()
    if dup:
        raise DataValidationError(f"{RULES_CSV.name}, column `rule_id`: duplicated ids {dup}")
    return table


def load_rules() -> pd.DataFrame:
    """The rules table (a copy), validated against the registry and the standards data.

    Examples
    --------
    >>> rules = load_rules()
    >>> rules.set_index("rule_id").loc["composite_2012", ["standard", "scope"]].tolist()
    ['basic_balance_2012', '县域']
    """
    return _load().copy()


@lru_cache(maxsize=1)
def _plausibility() -> dict[str, tuple[float | None, str]]:
    table = read_csv_table(PLAUSIBILITY_CSV, columns=["indicator", "max", "note"])
    out = {}
    for i, rec in enumerate(table.itertuples(index=False), start=2):
        try:
            limit = float(rec.max) if rec.max else None
        except ValueError:
            raise DataValidationError(
                f"{PLAUSIBILITY_CSV.name}, row {i}, column `max`: expected a number or empty, found {rec.max!r}"
            ) from None
        out[rec.indicator] = (limit, rec.note)
    return out


def plausible_max(indicator: str) -> tuple[float | None, str]:
    """The largest believable value of an indicator and why: a value above it is 数据存疑.

    Rates and shares in % may not exceed 100 unless ``plausibility.csv`` says otherwise
    (gross enrolment rates may; a 巩固率 above 100 % is believable but says nothing about
    retention, so it is flagged); other indicators have no limit.

    Examples
    --------
    >>> plausible_max("public_kindergarten_share")[0], plausible_max("hs_gross_enrolment_rate")[0]
    (100.0, None)
    """
    special = _plausibility()
    if indicator in special:
        return special[indicator]
    info = indicator_registry().loc[indicator]
    if info["unit"] == "%" and info["kind"] in ("rate", "share"):
        return 100.0, "比例、比率不超过 100%"
    return None, ""
