"""The balance report's plan sections, as a county official reads them (达标测算).

:class:`PlanSections` is mixed into :class:`~eduanalysis.presentation.balance.BalanceReport`:
it only displays the plans that :mod:`eduanalysis.judgement.planning` computed and judged.

- :meth:`~PlanSections.show_summary` — page 1: how many schools fail, which coefficients
  exceed their limits, what passing takes (one-off and yearly, new posts, the price range),
  a saving against the naive plan only when that plan passes too, and the yearly budget;
- :meth:`~PlanSections.show_costs`, :meth:`~PlanSections.show_plan` — unit costs (example
  prices marked 示例单价/待核对), the plan by resource and by school, with why each school
  gets what it gets, and how the coefficients move;
- :meth:`~PlanSections.show_schedule` — the plan over years within a yearly budget;
- :meth:`~PlanSections.show_method_appendix` — how the plan was found and how sure it is.

Numbers are written one way: money in 万元 with one decimal, counts with thousands
separators, ratios as percentages rounded *down* and coefficients rounded *up* where a
verdict depends on them, so a failing value never reads as a pass (99.5 %, not 100 %).
"""

from __future__ import annotations

import math
from functools import cached_property

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..data.registry import indicator_info
from ..judgement.plan_costs import BASIS_YEARLY
from ..judgement.planning import STATUS_ZH, resources, schedule_plan
from ..judgement.standards import indicator_set
from ..measures.coefficients import STATUS_OK
from .display import empty_section, note, show_table
from .labels import fmt_num
from .plan_numbers import ceil_cv, count_schools, floor_percent, parts_to_total, wan
from .plotting import LEVEL_COLORS

__all__ = ["PlanSections"]

_LEVELS = ["小学", "初中"]


def _name(indicator: str) -> str:
    return indicator_info(indicator)["name_zh"]


class PlanSections:
    """The plan's sections of the balance report (mixed into ``BalanceReport``).

    Uses the report's ``plans``, ``rule``, ``coefficients``, ``costs``, ``by``, ``label``,
    ``plan_years``, ``budget_per_year`` and ``_download``.
    """

    # ------------------------------------------------------------------ computed
    @cached_property
    def schedule(self):
        """The county plan over ``plan_years`` within ``budget_per_year`` (元; 0: the least
        budget that works), or None when there is no plan to schedule."""
        plan = self.plans.get("county") if self.can_plan else None
        if plan is None or plan.status == "infeasible" or not self.plan_years:
            return None
        return schedule_plan(plan, years=self.plan_years, budget_per_year=self.budget_per_year or None)

    # ------------------------------------------------------------------ page 1
    def show_summary(self) -> None:
        """The first screen: failures, what it takes (one-off and yearly), the budget."""
        lines = []
        rule = self.rule
        if rule is not None:
            judged = rule[rule["passes"].notna()]
            lines.append(count_schools(judged, ~judged["passes"].astype(bool)))
        cv = self.coefficients
        if len(cv):
            over = cv[cv["verdict"] == "未达标"]
            if len(over):
                names = "、".join(
                    "".join(str(r[c]) for c in self.by)
                    + f"{_name(r['indicator'])}（{ceil_cv(r['cv'])}，限值 {r['limit_2017']:g}）"
                    for _, r in over.head(4).iterrows()
                )
                more = f"等 {len(over)} 项" if len(over) > 4 else ""
                lines.append(f"差异系数超过限值的有：{names}{more}。")
            elif (cv["verdict"] == "达标").any():
                lines.append("2017 年 7 项指标的差异系数均未超过限值。")
            if not (cv["verdict"].isin(["达标", "未达标"])).any():
                lines += self._summary_unjudged(cv)
        if not self.can_plan:
            lines.append("学校表缺少测算所需的原始数量，本报告不测算达标所需投入。")
        else:
            lines += self._summary_plan_lines()
        note("".join(lines))

    def _summary_unjudged(self, cv: pd.DataFrame) -> list[str]:
        """Page 1 when no coefficient has a limit of its own (the 2012 indicators): the values,
        what they mean, and why there is no verdict."""
        shown = cv[cv["status"].eq(STATUS_OK) & cv["cv"].notna()]
        if shown.empty:
            return []
        values = "、".join(
            "".join(str(r[c]) for c in self.by) + f"{_name(r['indicator'])}的差异系数为 {r['cv']:.3f}"
            for _, r in shown.head(4).iterrows()
        )
        first = shown.iloc[0]
        out = [
            f"{values}{f'等 {len(shown)} 项' if len(shown) > 4 else ''}"
            f"（以在校生数加权，即各校该指标的标准差约为全县平均值的 {first['cv'] * 100:.1f}%"
            f"{'，以第一项为例' if len(shown) > 1 else ''}）。"
        ]
        comp = self.composite
        if not comp.empty:
            verdicts = "；".join(
                "".join(str(r[c]) for c in self.by)
                + (
                    f"综合差异系数 {ceil_cv(r['composite'])}，{r['verdict']}"
                    if pd.notna(r["composite"])
                    else f"的综合差异系数{str(r['verdict']).replace('：', '（', 1)}），因此不作达标判定"
                )
                for _, r in comp.iterrows()
            )
            out.append(
                "2012 年办法不对单项指标设限，只要求 8 项指标差异系数的平均值（综合差异系数）"
                f"小学 ≤ 0.65、初中 ≤ 0.55：{verdicts}。"
            )
        return out

    def _summary_plan_lines(self) -> list[str]:
        plan, naive = self.plans["county"], self.plans["naive"]
        if plan.status == "infeasible":
            return ["在给定的追加上限内不存在达标方案（原因见“达标测算”一节）。"]
        if plan.total_cost == 0:
            return ["各校与各项差异系数均已达标，无需追加投入。"]
        spent = plan.additions[plan.additions["cost"] > 0]
        needing = len(spent[[c for c in ("region", "school") if c in spent.columns]].drop_duplicates())
        ranges = plan.cost_range()
        out = [
            f"达标所需（最低成本方案，涉及 {needing:,} 所学校）：一次性投入 {wan(plan.one_off_cost)}"
            f"（按单价区间约 {wan(ranges['one_off'][0])}～{wan(ranges['one_off'][1])}），"
        ]
        if plan.new_posts:
            out.append(
                f"新增编制 {plan.new_posts:,} 个，工资每年 {wan(plan.yearly_cost)}"
                f"（约 {wan(ranges['yearly'][0])}～{wan(ranges['yearly'][1])}），从增编当年起每年支出。"
            )
        else:
            out.append("不需新增编制，没有逐年增加的支出。")
        beyond = int(plan.additions["beyond_training"].sum())
        if beyond:
            out.append(
                f"按方案需培养的教师中有 {beyond:,} 人超出有关学校在岗可培养的人数，按新聘计：工资已计入每年支出，"
                "编制已计入新增编制。"
            )
        if naive.after is not None and naive.after.passes:
            saving = naive.total_cost - plan.total_cost
            if saving > 0:
                out.append(
                    f"按第一年支出（一次性投入加一年工资）计，最低成本方案共需 {wan(plan.total_cost)}，"
                    f"把每所学校每项都补足到标准值的做法需 {wan(naive.total_cost)}，节省 {wan(saving)}"
                    f"（{floor_percent(saving / naive.total_cost)}）。"
                )
        else:
            out.append("把每所学校每项都补足到标准值的做法本身不能使全部差异系数达标，与本方案不可直接比较节省。")
        phased = self.schedule
        if phased is not None:
            if phased.status in ("optimal", "feasible"):
                budget = (
                    f"每年预算 {wan(phased.budget_per_year)} 即可（最少需要每年 {wan(phased.min_budget_per_year)}）"
                    if self.budget_per_year
                    else f"每年预算至少需要 {wan(phased.min_budget_per_year)}"
                )
                out.append(f"分 {phased.years} 年完成，{budget}，{phased.years} 年合计支出 {wan(phased.total_cost)}。")
            else:
                out.append(f"分 {phased.years} 年完成：{phased.binding}。")
        if plan.status != "optimal":
            out.append(f"方案已按标准重新核算达标；求解情况：{STATUS_ZH.get(plan.status, plan.status)}（见附录）。")
        if self.costs.loc[plan.resources, "assumption"].any():
            out.append("单价多为示例单价，待核对，请换成本地数字后再用于预算。")
        return out

    # ------------------------------------------------------------------ costs
    def show_costs(self) -> None:
        """The unit costs the plan uses: what the intervention is, once or yearly, the range
        (left out when the table cannot be planned: nothing is priced)."""
        if not self.can_plan:
            return
        names = [raw for _, raw, _ in resources("quality_2017")]
        costs = self.costs.loc[names]
        nature = np.where(
            costs["assumption"], "示例单价，待核对", np.where(costs["source"] == "用户提供", "用户提供", "按定义")
        )
        show_table(
            pd.DataFrame(
                {
                    "资源": costs["name_zh"],
                    "做法": costs["intervention"],
                    "每次增加": [fmt_num(s, u, 0) for s, u in zip(costs["step"], costs["unit"])],
                    "单价（元/单位）": costs["cost_yuan"],
                    "单价区间（元）": [
                        f"{lo:,.0f}～{hi:,.0f}" for lo, hi in zip(costs["cost_low"], costs["cost_high"])
                    ],
                    "支出方式": np.where(costs["basis"] == BASIS_YEARLY, "每年（新增编制工资）", "一次性"),
                    "性质": nature,
                    "依据与说明": (costs["source"].map(self._cite) + "；" + costs["note"]).str.strip("；"),
                }
            ),
            caption="测算所用单位成本（示例单价待核对，可在报告参数中替换）",
            formats={"单价（元/单位）": "{:,.0f}"},
        )

    # ------------------------------------------------------------------ the plan
    def show_plan(self) -> None:
        """The least-cost plan: totals apart (one-off, yearly), by resource, by school with
        reasons, and how the coefficients move."""
        if not self.can_plan:  # the HTML leaves the section out; the notebook keeps the sentence
            missing = [raw for _, raw, _ in resources("quality_2017") if raw not in self.table.columns]
            empty_section(
                "plan",
                f"本表缺少测算所需的 {len(missing)} 项原始数量（如教师数、面积、设备值），无法测算达标所需投入。",
            )
            return
        plan, alone, naive = self.plans["county"], self.plans["school"], self.plans["naive"]
        if plan.status == "infeasible":
            note("在给定的追加上限内不存在达标方案。约束如下：", kind="ea-warning")
            show_table(
                plan.binding.rename(
                    columns={"school": "学校", "level": "学段", "region": "区县", "detail": "说明"}
                ).drop(columns=["kind", "indicator"])
            )
            return
        self._plan_totals(plan, alone, naive)
        self._plan_by_resource(plan)
        self._plan_schools(plan)
        self._plan_coefficients(plan)
        basic = self.plans.get("basic_2012")
        if basic is not None:
            self._plan_2012(basic)

    def _plan_totals(self, plan, alone, naive) -> None:
        rows = [
            ("最低成本方案（每校达标且各项差异系数达标）", plan),
            ("各校各自最省（只看学校达标）", alone),
            ("逐项补足到标准值（不利用 85% 的余地）", naive),
        ]
        show_table(
            pd.DataFrame(
                {
                    "做法": [r[0] for r in rows],
                    "一次性投入（万元）": [p.one_off_cost / 1e4 for _, p in rows],
                    "每年新增工资（万元/年）": [p.yearly_cost / 1e4 for _, p in rows],
                    "新增编制（个）": [p.new_posts for _, p in rows],
                    "核算结果": ["学校与差异系数全部达标" if p.after.passes else "仍有未达标" for _, p in rows],
                }
            ),
            caption="三种做法的投入（一次性投入与每年支出分列）",
            formats={"一次性投入（万元）": "{:,.1f}", "每年新增工资（万元/年）": "{:,.1f}", "新增编制（个）": "{:,}"},
        )
        text = ""
        if naive.after.passes:
            saving = naive.total_cost - plan.total_cost
            if saving > 0:
                text += (
                    f"按第一年的支出（一次性投入加一年工资）比较，最低成本方案比逐项补足的做法节省 {wan(saving)}"
                    f"（{floor_percent(saving / naive.total_cost)}），省在利用“其余 1 项不低于 85%”的余地。"
                )
        else:
            text += "逐项补足的做法本身不能使全部差异系数达标，因此不与它比较节省。"
        if plan.total_cost > alone.total_cost:
            text += (
                f"为使差异系数达标，比各校各自最省的做法多投入 {wan(plan.total_cost - alone.total_cost)}，"
                "多出的部分加在指标最低的学校（见下表“原因”一列）。"
            )
        if plan.cv_margin:
            text += f"本方案在每项差异系数限值以下另留了 {plan.cv_margin:g} 的余量。"
        text += (
            "测算方法：先为每所学校找出最省的达标办法（7 项中哪一项可以只达到 85%），"
            "再在全县统筹，使每项差异系数不超过限值时总投入最少；结果用本报告同样的规则重新核算。"
            "新增一名教师只计入一项指标，成本在这一点上偏保守。"
            "金额以万元保留一位小数：先把合计四舍五入，各分项再按“最大余数法”取整，"
            "所以各表分项相加恰好等于所列合计（单个分项与精确值相差不到 0.1 万元）。"
        )
        note(text)

    def _plan_by_resource(self, plan) -> None:
        by = plan.cost_by_resource()
        show_table(
            pd.DataFrame(
                {
                    "资源": by["name_zh"],
                    "做法": by["intervention"],
                    "新增数量": by["added"],
                    "单位": by["unit"],
                    # rounded so that the rows add up to the totals printed above (parts_to_total)
                    "一次性投入（万元）": parts_to_total(np.where(by["basis"] == BASIS_YEARLY, 0.0, by["cost"] / 1e4)),
                    "每年支出（万元/年）": parts_to_total(np.where(by["basis"] == BASIS_YEARLY, by["cost"] / 1e4, 0.0)),
                    "投入区间（万元）": [
                        f"{lo / 1e4:,.1f}～{hi / 1e4:,.1f}" for lo, hi in zip(by["cost_low"], by["cost_high"])
                    ],
                }
            ),
            caption="按资源分列的新增数量与投入",
            formats={"新增数量": "{:,.0f}", "一次性投入（万元）": "{:,.1f}", "每年支出（万元/年）": "{:,.1f}"},
        )

    def _plan_table(self, plan) -> pd.DataFrame:
        names = {r: f"{self.costs.loc[r, 'name_zh']}（{self.costs.loc[r, 'unit']}）" for r in plan.resources}
        keys = {"region": "区县", "school": "学校", "level": "学段", "enrolment": "在校生（人）"}
        table = plan.additions.rename(
            columns={
                **keys,
                **names,
                "cost_one_off": "一次性投入（万元）",
                "cost_yearly": "每年支出（万元/年）",
                "new_posts": "新增编制（个）",
                "at_floor": "只达到85%的指标",
                "reason": "原因",
            }
        ).drop(columns=["cost", "beyond_training"])
        # rounded so that the schools add up to the plan's printed totals (parts_to_total)
        table["一次性投入（万元）"] = parts_to_total(table["一次性投入（万元）"] / 1e4)
        table["每年支出（万元/年）"] = parts_to_total(table["每年支出（万元/年）"] / 1e4)
        return table

    def _plan_schools(self, plan) -> None:
        table = self._plan_table(plan)
        spend = plan.additions["cost_one_off"] + plan.additions["cost_yearly"]  # exact, not as printed
        needing = table[spend > 0].assign(_s=spend[spend > 0]).sort_values("_s", ascending=False).drop(columns="_s")
        whole = ("（人）", "（间）", "（㎡）", "（元）", "（个）")
        formats = {c: "{:,.0f}" for c in table.columns if c.endswith(whole)}
        formats.update({"一次性投入（万元）": "{:,.1f}", "每年支出（万元/年）": "{:,.1f}"})
        if needing.empty:
            note("全部学校与差异系数已经达标，无需追加投入。")
            return
        top = needing.head(10)
        caption = (
            f"投入最多的 {len(top)} 所学校" if len(needing) > len(top) else f"需要投入的全部 {len(needing)} 所学校"
        )
        show_table(top, caption=caption, formats=formats)
        if len(needing) > len(top) and len(needing) <= 60:
            show_table(needing, caption=f"全部需要投入的学校（{len(needing)} 所）", formats=formats, collapsed=True)
        exact = needing.assign(
            **{
                "一次性投入（元）": plan.additions.loc[needing.index, "cost_one_off"],
                "每年支出（元/年）": plan.additions.loc[needing.index, "cost_yearly"],
            }
        ).drop(columns=["一次性投入（万元）", "每年支出（万元/年）"])
        self._download(exact, "达标测算方案", "下载达标测算方案（每校新增数量、投入与原因）")

    def _plan_coefficients(self, plan) -> None:
        before, after = plan.before.coefficients, plan.after.coefficients
        keys = [*self.by, "indicator"]
        moved = before[[*keys, "cv", "limit"]].merge(
            after[[*keys, "cv", "met", "status"]], on=keys, suffixes=("_before", "_after")
        )
        verdict = np.where(
            moved["met"].isna(), "无法判定", np.where(moved["met"].fillna(False).astype(bool), "达标", "未达标")
        )
        table = pd.DataFrame(
            {
                **({"区县": moved["region"]} if "region" in moved else {}),
                "学段": moved["level"],
                "指标": moved["indicator"].map(_name),
                "测算前差异系数": moved["cv_before"].map(ceil_cv),
                "测算后差异系数": moved["cv_after"].map(ceil_cv),
                "限值": moved["limit"].map(lambda v: f"≤ {v:g}"),
                "测算后判定": verdict,
            }
        )
        if len(table) <= 30:
            show_table(table, caption="差异系数如何变化（2017 年 7 项）", status_column="测算后判定")
        else:
            self._download(table, "差异系数变化", "下载各区县差异系数的变化")
        if moved[self.by].drop_duplicates().shape[0] > 2:
            return
        names = [_name(i) for i in indicator_set("quality_balance_2017")]
        order = {i: k for k, i in enumerate(indicator_set("quality_balance_2017"))}
        fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(names) + 1.6), layout="constrained")
        for k, level in enumerate([lv for lv in _LEVELS if lv in set(moved["level"])]):
            sub = moved[(moved["level"] == level) & moved["cv_before"].notna()]
            pos = np.array(sub["indicator"].map(order).to_numpy()) + (k - 0.5) * 0.3
            ax.scatter(
                sub["cv_before"], pos, color="#bbbbbb", s=28, zorder=3, label=f"{level}测算前" if k == 0 else None
            )
            ax.scatter(sub["cv_after"], pos, color=LEVEL_COLORS[level], s=28, zorder=3, label=f"{level}测算后")
            for x0, x1, y in zip(sub["cv_before"], sub["cv_after"], pos):
                ax.annotate("", (x1, y), (x0, y), arrowprops={"arrowstyle": "->", "color": LEVEL_COLORS[level]})
            if len(sub):
                self._limit_line(ax, level, float(sub["limit"].iloc[0]))
        self._indicator_chart(fig, ax, names, "测算前后的差异系数", "差异系数（无单位）")

    def _plan_2012(self, basic) -> None:
        comp = basic.before.composite
        if basic.status == "infeasible":
            note("2012 年基本均衡：在追加上限内综合差异系数无法达标。")
            return
        if basic.total_cost == 0:
            values = "、".join(
                f"{r['level']} {ceil_cv(r['composite'])}（≤ {r['limit']:g}）" for _, r in comp.iterrows()
            )
            note(f"2012 年基本均衡：综合差异系数已经达标（{values}），无需为此追加投入。")
            return
        after = basic.after.composite
        values = "、".join(
            f"{r['level']} {ceil_cv(b)} → {ceil_cv(r['composite'])}"
            for (_, r), b in zip(after.iterrows(), comp["composite"])
        )
        note(
            f"2012 年基本均衡：使综合差异系数达标的最低投入约为一次性 {wan(basic.one_off_cost)}、"
            f"每年 {wan(basic.yearly_cost)}（{values}；这一测算只找到较优方案，不保证最低）。"
        )

    # ------------------------------------------------------------------ over the years
    def show_schedule(self) -> None:
        """达标测算分年安排: what is added in which year, spending per year against the budget."""
        phased = self.schedule
        if phased is None:  # one sentence on why the section is empty
            if not self.can_plan:
                empty_section("schedule", "本表缺少测算所需的原始数量，没有达标方案，因此不作分年安排。")
            elif self.plans["county"].status == "infeasible":
                note("在给定的追加上限内不存在达标方案，因此不作分年安排。")
            elif self.plans["county"].total_cost == 0:
                note("无需追加投入，因此不作分年安排。")
            else:
                note("未设定分年年数（参数 plan_years），不作分年安排。")
            return
        if phased.status not in ("optimal", "feasible"):
            note(f"分 {phased.years} 年、每年预算 {wan(phased.budget_per_year)}：{phased.binding}。", kind="ea-warning")
            return
        chosen = "（未设定预算，按完成所需的最少年度预算安排）" if not self.budget_per_year else ""
        note(
            f"分 {phased.years} 年完成，每年预算 {wan(phased.budget_per_year)}{chosen}。一次性投入记在实施当年；"
            "新增编制的工资从增编当年起每年支出，所以增编尽量放在后面几年，校舍、设备和培训尽量提前。"
            f"{phased.years} 年合计支出 {wan(phased.total_cost)}，此后每年仍需工资 {wan(phased.plan.yearly_cost)}。"
            "下表各年支出按“最大余数法”取整到 0.1 万元，相加等于上述合计；每年的两项相加等于当年支出。"
        )
        by = phased.by_year
        one_off, salaries, spending = self.schedule_printed()
        show_table(
            pd.DataFrame(
                {
                    "年度": [f"第 {y} 年" for y in by["year"]],
                    "一次性投入（万元）": one_off,
                    "新增编制工资（万元）": salaries,
                    "当年支出（万元）": spending,
                    "年度预算（万元）": by["budget"] / 1e4,
                    "当年新增编制（个）": by["new_posts"],
                }
            ),
            caption="各年支出与预算",
            formats={
                c: "{:,.1f}"
                for c in ("一次性投入（万元）", "新增编制工资（万元）", "当年支出（万元）", "年度预算（万元）")
            },
        )
        sched = phased.schedule
        if len(sched):
            keys = [c for c in ("region", "school", "level") if c in sched.columns]
            wide = (
                sched.assign(item=sched["name_zh"] + "（" + sched["unit"] + "）")
                .pivot_table(index=[*keys, "year"], columns="item", values="added", aggfunc="sum", fill_value=0)
                .reset_index()
                .rename(columns={"region": "区县", "school": "学校", "level": "学段", "year": "年度"})
            )
            wide.columns.name = None
            if len(wide) <= 60:
                show_table(wide, caption="各校各年新增", collapsed=len(wide) > 12)
            self._download(wide, "分年安排", "下载各校各年新增（完整表）")

    def schedule_printed(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The 分年安排 table's money columns as printed (万元, one decimal), rounded so that
        they add up: each year's spending to the printed total of all years, and each year's
        one-off and salary parts to that year's printed spending (:func:`parts_to_total`)."""
        by = self.schedule.by_year
        spending = parts_to_total(by["spending"].to_numpy(dtype=float) / 1e4)
        one_off, salaries = np.zeros(len(by)), np.zeros(len(by))
        for y, (a, b) in enumerate(zip(by["one_off"], by["salaries"])):
            # the year's parts to the year's printed spending (not to their own rounded sum)
            scaled = np.array([a, b]) / 1e4
            parts = parts_to_total(scaled)
            short = round((spending[y] - parts.sum()) * 10)
            if short:  # the year itself was rounded the other way: move one unit by the remainders
                rem = scaled * 10 - np.floor(np.round(scaled * 10, 6))
                k = int(np.argmax(rem)) if short > 0 else int(np.argmin(np.where(parts > 0, rem, np.inf)))
                parts[k] += short / 10
            # the salaries to their usual rounding (the yearly wage printed elsewhere on the page) when
            # the one-off part then still lies within 0.1 万元 of its exact value
            usual = math.floor(scaled[1] * 10 + 0.5) / 10
            move = round(usual - parts[1], 1)
            if move and abs(parts[0] - move - scaled[0]) < 0.1:
                parts = np.array([round(parts[0] - move, 1), usual])
            one_off[y], salaries[y] = parts
        return one_off, salaries, spending

    # ------------------------------------------------------------------ appendix
    def show_method_appendix(self) -> None:
        """How the plan was found and how sure it is: for maintainers and careful readers."""
        if not self.can_plan:
            empty_section("method", "本表没有测算达标方案（缺少所需的原始数量），本附录无内容。")
            return
        plan = self.plans["county"]
        method = {
            "per_school_enumeration": "逐校枚举（差异系数未构成约束）",
            "milp_conic_cuts": "混合整数线性规划，差异系数限值以切平面逐轮逼近",
            "single_school": "只有 1 所学校（无差异系数）",
        }
        rows = []
        for _, r in plan.groups.iterrows():
            rows.append(
                {
                    **({"区县": r["region"]} if "region" in r else {}),
                    "学段": r["level"],
                    "学校数": int(r["n_schools"]),
                    "方法": method.get(r["method"], r["method"]),
                    "结果": STATUS_ZH.get(r["status"], r["status"]),
                    "与理论下界之差": floor_percent(r["gap"]) if pd.notna(r.get("gap")) else "—",
                    "用时（秒）": r["seconds"],
                }
            )
        note(
            "求解细节：每所学校“哪一项只达到 85%”的全部情形逐一定价取最省；若某项差异系数仍超限，"
            "用 scipy 的混合整数线性规划（HiGHS）在全县求最省方案，差异系数限值（二阶锥约束）以切平面逐轮逼近，"
            "每轮的解先只补其超限部分、再以“先补最低的学校”重新分配，取两者中较省且达标者；"
            "当方案成本与规划给出的理论下界之差不超过 0.01% 时判为最优。教师、教室按整数计；"
            "学校数不超过 30 的学段面积与设备也按整数批量计，可以证明最优；更大的学段面积与设备按连续量求解后向上取整，"
            "当方案与下界之差不超过“每项新增多一个单位”的费用时停止，判为接近最优，并在下表列出与下界之差。"
            "每个学段有各自的时间上限。"
        )
        show_table(pd.DataFrame(rows), caption="各学段的求解情况", formats={"用时（秒）": "{:.1f}"})
        hired = int(plan.additions["beyond_training"].sum())
        if hired:
            note(
                f"上表的求解按在岗教师培训的单价计；方案中有 {hired:,} 名教师超出有关学校在岗可培养的人数，"
                "按新聘（每年工资、新增编制）计入总额，因此整个方案只称“可行”，不再保证是最低成本"
                "（在求解中直接限制可培养人数的做法尚未实现，待改进）。"
            )
