"""Figures in % above 100: which measures may exceed it by definition, and which figures do.

Part of the audit (:func:`eduanalysis.judgement.audit.audit` lists every such figure as a check
of kind ``over_100``): a share cannot exceed its whole, but a gross enrolment rate, a 巩固率 with
pupils moving in, or a completion rate can (standards.md §6).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["may_exceed_100", "over_100"]

#: rates that may exceed 100 % by their definition and are not (yet) listed in
#: ``judgement/plausibility.csv``; the audit reads that file for the others
_ALSO_MAY_EXCEED: dict[str, str] = {
    "preschool_three_year_enrolment_rate": "学前三年入园率按毛入园率口径，可以超过 100%",
    "basic_balance_plan_completion": "完成率可以超过 100%（超额完成）",
}
_BOUNDED_KINDS = ("rate", "share")  # registry kinds of a proportion (growth, pp_change are not)


def may_exceed_100() -> dict[str, str]:
    """Indicators in % whose value may exceed 100 % by definition, and why.

    Those that ``judgement/plausibility.csv`` lists with no maximum or a maximum of at least
    100 (gross enrolment rates; 巩固率, believable above 100 % with pupils moving in, though the
    findings mark it 数据存疑), plus a few the audit knows of (a completion rate).

    Examples
    --------
    >>> "hs_gross_enrolment_rate" in may_exceed_100(), "public_kindergarten_share" in may_exceed_100()
    (True, False)
    """
    from ..data.readers import read_csv_table
    from .rules import PLAUSIBILITY_CSV, plausible_max

    listed = {}
    for indicator in read_csv_table(PLAUSIBILITY_CSV, columns=["indicator", "max", "note"])["indicator"]:
        limit, why = plausible_max(indicator)  # validated there
        if limit is None or limit >= 100:
            listed[indicator] = why
    return {**_ALSO_MAY_EXCEED, **listed}


def over_100(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures in % of a rate or share indicator whose value is above 100.

    Returns one row per such figure: ``row``, ``indicator``, ``value_as_written``,
    ``may_exceed`` (True when the measure can exceed 100 % by definition, see
    :func:`may_exceed_100`) and ``reason``.

    Examples
    --------
    >>> from eduanalysis.data.figures import load_figures
    >>> over_100(load_figures("mianyang"))[["row", "indicator", "may_exceed"]].to_dict("records")
    [{'row': 56, 'indicator': 'retention_rate', 'may_exceed': True}]
    """
    from ..data.registry import indicator_registry

    kinds = indicator_registry()["kind"]
    columns = ["row", "indicator", "value_as_written", "may_exceed", "reason"]
    mask = (
        (figures["unit"] == "%")
        & figures["indicator"].map(kinds).isin(_BOUNDED_KINDS)
        & (pd.to_numeric(figures["value"], errors="coerce") > 100)
    )
    out = figures.loc[mask, ["row", "indicator", "value_as_written"]].copy()
    exceed = may_exceed_100()
    out["may_exceed"] = out["indicator"].isin(list(exceed))
    out["reason"] = [exceed.get(ind, "占比超过100%：部分不能大于整体") for ind in out["indicator"]]
    return out[columns].reset_index(drop=True)
