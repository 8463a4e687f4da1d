"""The balance report's 2017 school-rule section: which schools pass, and their shortfalls.

:class:`RuleSections` is mixed into :class:`~eduanalysis.presentation.balance.BalanceReport`
and only displays the verdicts of :func:`~eduanalysis.judgement.school_rule.quality_school_check`.
A ratio below 100 % is printed rounded down (99.5 %, never 100 %), a failing value beside its
threshold rounded toward failing (0.89 beside 0.9, never 0.90), and a shortfall in whole
persons or rooms rounded up (0.9 人 needs 1 人).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..data.registry import indicator_info
from ..judgement.standards import indicator_set
from .display import note, show_table
from .plan_numbers import ceil_amount, count_schools, floor_percent, toward_failing
from .plotting import LEVEL_COLORS, show_figure

__all__ = ["RuleSections"]

_LEVELS = ["小学", "初中"]
#: tables longer than this are summarised (as in balance.FULL_TABLE_ROWS)
_FULL_TABLE_ROWS = 60


def _name(indicator: str) -> str:
    return indicator_info(indicator)["name_zh"]


class RuleSections:
    """The school-rule section (mixed into ``BalanceReport``; uses ``rule``, ``rule_detail``,
    ``table``, ``large`` and ``_download``)."""

    def show_rule(self, rule: pd.DataFrame | None = None) -> None:
        """The 2017 school rule: counts, distribution, the weakest schools, the gaps."""
        summary = self.rule if rule is None else rule
        if summary is None:
            missing = [_name(i) for i in indicator_set("quality_balance_2017") if i not in self.table.columns]
            note("本表缺少优质均衡 7 项指标中的：" + "、".join(missing) + "，无法按学校判定。")
            return
        judged = summary[summary["passes"].notna()]
        note(
            count_schools(judged, ~judged["passes"].astype(bool))
            + "规则：7 项中至少 6 项达到标准值，其余不低于标准值的 85%（该规则与第 4–7 项标准值仍待与部颁原文核对）。"
            "特殊教育学校和 50 人以下教学点不参评。"
        )
        table = summary.rename(
            columns={
                "region": "区县",
                "school": "学校",
                "level": "学段",
                "enrolment": "在校生（人）",
                "n_met": "达标项数（项）",
                "failing": "未达标指标",
                "lowest_ratio": "最弱项/标准",
                "status": "判定",
            }
        ).drop(columns="passes")
        formats = {"在校生（人）": "{:,}"}
        shown = table.assign(**{"最弱项/标准": table["最弱项/标准"].map(floor_percent)})  # 99.5 %, never 100 %
        if not self.large:
            show_table(shown, status_column="判定", formats=formats)
        else:
            order = table[table["判定"] == "未达标"].sort_values("最弱项/标准").head(20).index
            weakest = shown.loc[order]
            show_table(
                weakest, caption="最弱的 20 所未达标学校（按最弱项与标准之比）", status_column="判定", formats=formats
            )
            # the failing indicators are exactly the 需补足 columns above 0: their names, repeated on
            # every row, would be a fifth of the page at 100,000 schools
            self._download(
                self._with_gaps(table).drop(columns="未达标指标"),
                "学校达标",
                "下载各校达标判定与各项缺口完整表（“需补足”大于 0 的各项即该校未达标的指标）",
            )
        self._rule_chart(judged)
        self._gaps()

    def _with_gaps(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rule table with one shortfall column per indicator (to the full threshold)."""
        detail = self.rule_detail
        judged = self.rule["passes"].notna().to_numpy()
        k = len(indicator_set("quality_balance_2017"))
        gaps = np.full((len(table), k), np.nan)
        gaps[judged] = detail["shortfall_total"].to_numpy().reshape(-1, k)
        units = detail["amount_unit"].astype(str).to_numpy()[:k]
        names = detail["name_zh"].astype(str).to_numpy()[:k]
        extra = pd.DataFrame(gaps, columns=[f"需补足：{n}（{u}）" for n, u in zip(names, units)], index=table.index)
        return pd.concat([table, extra], axis=1)

    def _rule_chart(self, judged: pd.DataFrame) -> None:
        fig, ax = plt.subplots(figsize=(7.5, 3.6), layout="constrained")
        levels = [lv for lv in _LEVELS if lv in set(judged["level"])]
        for k, level in enumerate(levels):
            counts = (
                judged.loc[judged["level"] == level, "n_met"].astype(int).value_counts().reindex(range(8), fill_value=0)
            )
            ax.bar(
                np.arange(8) + (k - (len(levels) - 1) / 2) * 0.4,
                counts.to_numpy(),
                width=0.38,
                color=LEVEL_COLORS[level],
                label=level,
            )
        ax.axvline(5.5, color="#333", linestyle="--", linewidth=1)
        ax.text(5.6, ax.get_ylim()[1] * 0.92, "≥ 6 项", fontsize=8)
        ax.set(title="各校达标指标数的分布（7 项）", xlabel="达标项数（项）", ylabel="学校数（所）", xticks=range(8))
        ax.legend(fontsize=8)
        plt.close(fig)
        show_figure(fig, alt="各校达标指标数的分布")

    def _gaps(self) -> None:
        detail = self.rule_detail
        gaps = detail[detail["shortfall_total"] > 0].copy()
        if gaps.empty:
            return
        # whole persons and rooms: a shortfall of 0.9 人 needs 1 人
        gaps["shortfall_total"] = [ceil_amount(v, u) for v, u in zip(gaps["shortfall_total"], gaps["amount_unit"])]
        total = (
            gaps.groupby(["level", "name_zh", "amount_unit"], sort=False)
            .agg(schools=("school", "size"), total=("shortfall_total", "sum"))
            .reset_index()
            .rename(
                columns={
                    "level": "学段",
                    "name_zh": "指标",
                    "amount_unit": "单位",
                    "schools": "未达标准值的学校（所）",
                    "total": "补足到标准值合计",
                }
            )
        )
        show_table(
            total,
            caption="把每所学校每项补足到标准值需要的合计（不利用 85% 的余地，见下一节）",
            formats={"补足到标准值合计": "{:,.1f}"},
        )
        table = gaps.rename(
            columns={
                "school": "学校",
                "level": "学段",
                "name_zh": "指标",
                "value": "现值",
                "threshold": "标准值",
                "ratio": "现值/标准",
                "shortfall_total": "需补足",
                "amount_unit": "单位",
            }
        )[["学校", "学段", "指标", "现值", "标准值", "现值/标准", "需补足", "单位"]]
        table["现值/标准"] = table["现值/标准"].map(floor_percent)
        # every 2017 school threshold is a minimum: a failing value is rounded down, with more
        # decimals when needed, so 0.896 beside 0.9 reads 0.89 (never 0.90, the standard itself)
        table["现值"] = [toward_failing(v, t) for v, t in zip(table["现值"], table["标准值"])]
        formats = {"标准值": "{:g}", "需补足": "{:,.1f}"}
        if len(table) <= _FULL_TABLE_ROWS:
            show_table(table, caption="各校需补足的缺口（按在校生数折算）", formats=formats, collapsed=len(table) > 12)
