"""Which kind a drafted figure is: 实际, 目标, 标准, 计划, 预计, 基期 or 对照, from the cues around it.

Split from :mod:`.cues` (which decides year, level and district); used by :mod:`.extract`.
"""

from __future__ import annotations

import re

from .cues import DraftContext, squash
from .quantities import Mention

__all__ = ["decide_kind"]


#: heading words of a section of plans: what follows is intended, not done
_PLAN_HEADINGS = ("下一步", "下步工作", "工作打算", "工作计划", "工作思路", "努力方向", "今后工作")


def decide_kind(
    before_clause,
    before_sentence,
    after_clause,
    q: Mention,
    year,
    inferred,
    ctx: DraftContext,
    column,
    run_context=None,
):
    """(kind, why) from the cues of the clause and sentence, in this order.

    A plan table's base/target column (基期/目标); 预计; 招生计划/拟新建 (计划); a norm
    next to the number (不低于…, 标准/规定/要求/指标 just before or after it, a number
    compared with by 高于, an inverted staffing ratio) → 标准 unless 力争/到 YYYY 年 make it a
    target; a level compared with (国家…水平) → 对照; a year-end or month-end after the
    document's date (2022年底 in a report of 2022-07) → 目标; past tense (已, 累计, 同比 …)
    → 实际; 力争/到 YYYY 年/目标/稳定在 … → 目标; a stated year after the document's → 目标;
    a heading of plans (下一步工作打算) → 目标; a retrospective heading (十三五, 发展情况,
    成效, 问题) → 实际; a plan's remaining text → 目标;
    else 实际.

    Examples
    --------
    >>> from eduanalysis.data.intake.quantities import find_quantities
    >>> ctx = DraftContext("", "", "2020", "", 2020, False, {}, [])
    >>> q = find_quantities("力争覆盖率达到90%")[0]
    >>> decide_kind("力争覆盖率达到", "力争覆盖率达到", "", q, "2020", True, ctx, -1)
    ('目标', '类别“目标”取自“力争”')
    >>> q = find_quantities("生均公用经费不低于1000元")[0]
    >>> decide_kind("生均公用经费", "生均公用经费", "", q, "2020", True, ctx, -1)[0]
    '标准'
    """
    if (
        column >= 0
        and len(ctx.table_years) >= 2
        and ("目标" in ctx.table_title or ctx.is_plan and "十四五" in ctx.table_title)
    ):
        return ("基期", "类别“基期”：规划目标表的基期列") if column == 0 else ("目标", "类别“目标”：规划目标表的目标列")
    clause, sentence, after = squash(before_clause), squash(before_sentence), squash(after_clause)
    if run_context:  # a member of "分别高于85%、80%、50%的省定指标": the list's own words decide
        clause, after = squash(run_context[0]), squash(run_context[1])
    if "预计" in clause + after[:6]:
        return "预计", "类别“预计”取自“预计”"
    m = re.search(r"招生计划|拟新建|拟建|计划新建|计划招生", sentence)
    if m:
        return "计划", f"类别“计划”取自“{m.group()}”"
    target = re.search(
        r"力争|到20\d\d年|目标|预期|努力|争取(?:到|达到|实现)|计划(?:到|于|在)?20\d\d年|计划到|逐步提高|提升至|稳定在|保持在",
        sentence,
    )
    norm = next((w for w in ("不低于", "不少于", "不超过", "不高于", "至少", "不多于") if w in q.qualifier), None)
    if norm is None:
        # a bound word may stand a few words before the number ("不低于绩效工资总量的70%"); a norm
        # noun only right before it ("规定标准90%", "省定指标85%"), not inside a name ("高于规定学历教师数")
        m = re.search(r"(至少|不少于|不低于|不超过|不高于)[^，。；0-9]{0,10}$", clause) or re.search(
            r"(标准|指标|规定|要求|必须|原则上|应当|应达到)(?:的|为|是|达到|达|[:：])?$", clause
        )
        # "补助标准为小学600元" states the standard a region applies (实际); "标准化考点" is no norm
        if m and not re.match(r"标准(化|为|是|提高|调整|由)", clause[m.start() :]) and "百分点" not in q.unit:
            norm = m.group(1)
    if norm is None:
        m = re.match(r"(?:以上|以内)?[（(]?的?(?:国家|省定|省|自治区|全国|规定)?的?(标准要求|要求|标准|指标)", after)
        if m:
            norm = m.group(1)
    if norm is None and "百分点" not in q.unit:  # "1:5.6,高于1:6": the number compared with is the norm
        m = re.search(r"(高于|低于|优于|好于)(?:规定的?|国家|省定|全国|自治区)?的?$", clause)
        if m:
            norm = m.group(1)
    if norm is None:  # "超过1000人规模的学校必须配备专职教师": the requirement follows the number
        m = re.search(r"必须|应当|须", after[:14])
        if m:
            norm = m.group()
    if norm is None and q.form == "inverted":
        norm = "每…配备"
    if norm:
        if target and not re.search(r"标准|规定|要求", norm):
            return "目标", f"类别“目标”取自“{target.group()}”（限定词“{norm}”）"
        return "标准", f"类别“标准”取自“{norm}”"
    # a level the document compares with (全国平均, 国家…的支出水平): not a norm, never used to judge
    m = re.search(r"(全国|国家|全省|全区|自治区)(?:平均)?(?:水平)?(?:为|是)?$", clause)
    if m and "水平" in after[:24]:
        return "对照", f"类别“对照”：与“{m.group(1)}”水平比较"
    if re.search(r"全国平均|全省平均|全区平均", clause[-12:]):
        return "对照", "类别“对照”：与平均水平比较"
    # "其余各县(市)2022年底覆盖率实现100%" in a report dated 2022-07-25: a date after the document's → 目标
    m = re.search(r"((?:19|20)\d\d)年(?:(\d{1,2})月)?(?:底|末)", clause)
    if m and ctx.ref_year and ctx.ref_month:
        when = (int(m.group(1)), int(m.group(2) or 12))
        if when > (ctx.ref_year, ctx.ref_month):
            return "目标", f"类别“目标”：“{m.group()}”晚于文件日期（{ctx.ref_year}年{ctx.ref_month}月）"
    past = re.search(r"已|累计|共计|完成了|实现了|达到了|同比|比上年|较上年|较20\d\d年", sentence[-40:])
    if past:
        return "实际", f"类别“实际”取自“{past.group()}”"
    if target:
        return "目标", f"类别“目标”取自“{target.group()}”"
    single = year if re.fullmatch(r"\d{4}", str(year)) else ""
    if single and not inferred and ctx.ref_year and int(single) > ctx.ref_year:
        return "目标", f"类别“目标”：年份{year}晚于文件年份"
    # a heading of plans (四、下一步工作打算) makes what follows a target
    plan = next((w for h in ctx.headings for w in _PLAN_HEADINGS if w in h), None)
    if plan:
        return "目标", f"类别“目标”：标题含“{plan}”（工作打算部分）"
    retrospective = next(
        (w for h in ctx.headings for w in ("十三五", "发展情况", "主要成绩", "成效", "问题") if w in h), None
    )
    if retrospective:
        return "实际", f"类别“实际”：标题含“{retrospective}”（回顾部分）"
    if ctx.is_plan:
        return "目标", "类别“目标”：规划文本的前瞻条文（无完成时用语）"
    return "实际", "类别“实际”：无目标或标准用语"
