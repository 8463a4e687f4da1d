"""The report sections, declared once: id, title, when a section shows, what it explains.

Every place that needs a section reads :data:`SECTIONS` — the findings rules
(``rules.csv``'s ``section`` column must name a judged section), the city report (its
headings, the table of contents, the explanation under each heading, the coverage table in
the appendix), the notebook (one call per section, which displays the heading and the
explanation from here) and the tests.  Adding a section is adding one :class:`Section`.

A section shows when any of its conditions holds:

- ``judged``: the findings table has rows of this section;
- ``indicators`` / ``indicator_prefix`` / ``levels``: the documents report a figure of one of
  these indicators (or of indicators starting with the prefix, or of these levels);
- ``table``: the report's table of that name (``targets``, ``audit``) has rows;
- ``always``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import ParameterError

__all__ = ["JUDGED_SECTIONS", "SECTIONS", "Section", "get_section", "section_shows"]


@dataclass(frozen=True)
class Section:
    """One report section.

    ``title`` is the heading a reader sees (numbered in the HTML by CSS counters, in the
    order of :data:`SECTIONS`); ``shows_when`` says in Chinese when the section shows (the
    coverage table quotes it); ``about`` is the Markdown explanation under the heading
    (测什么、对照什么、为什么); ``empty`` the note a researcher sees when it has no data.
    """

    id: str
    title: str
    shows_when: str
    about: str
    empty: str
    judged: bool = False
    indicators: tuple[str, ...] = ()
    indicator_prefix: str = ""
    levels: tuple[str, ...] = ()
    table: str = ""
    always: bool = False


#: indicators whose figures make the staffing section show even when none is judged
STAFFING_INDICATORS = (
    "student_teacher_ratio",
    "class_teacher_ratio",
    "counsellor_student_ratio",
    "ideology_teacher_student_ratio",
    "vocational_general_ratio",
    "hs_admissions",
    "hs_admissions_general",
    "hs_admissions_vocational",
    "fulltime_teachers",
    "staff_count",
    "support_staff_count",
    "substitute_teachers",
    "teacher_posts_approved",
    "counsellors_fulltime",
    "ideology_teachers_fulltime",
    "teacher_exchange_share",
    "teacher_exchange_count",
    "staff_child_ratio",
    "teacher_child_ratio",
)

SECTIONS: tuple[Section, ...] = (
    Section(
        id="funding",
        title="教育经费投入",
        shows_when="有经费判定，或文件报告一般公共预算教育支出、教育经费总支出",
        judged=True,
        indicators=("edu_budget_expenditure", "edu_total_expenditure"),
        empty="文件未报告教育经费数据。",
        about=(
            "**测什么**：一般公共预算教育支出及其逐年增长，分学段生均一般公共预算教育支出的增长，"
            "义务教育教师与当地公务员的年平均工资。\n\n"
            "**对照什么**：“两个只增不减”——一般公共预算教育支出逐年只增不减，按在校学生人数平均的一般公共预算"
            "教育支出逐年只增不减；义务教育教师平均工资收入水平不低于当地公务员平均工资收入水平。\n\n"
            "**为什么**：这是政府履行教育职责评价中经费保障的核心要求。两部分须同时满足；文件只报告其中一部分时，"
            "另一部分记为“无法判定”。增长率由相邻两年的数值计算时，注明“计算”。"
        ),
    ),
    Section(
        id="balance",
        title="义务教育均衡发展（差异系数）",
        shows_when="文件报告综合差异系数或单项指标差异系数",
        judged=True,
        indicators=("composite_cv",),
        indicator_prefix="cv_",
        empty="文件未报告差异系数。",
        about=(
            "**测什么**：县域内同一学段各校之间办学条件的差异系数（以在校生数加权的标准差 ÷ 加权平均值），"
            "每个区县、每个学段分别计算。\n\n"
            "**对照什么**：2012 年《县域义务教育均衡发展督导评估暂行办法》——8 项指标差异系数的平均值"
            "（综合差异系数）小学 ≤ 0.65、初中 ≤ 0.55；2017 年《县域义务教育优质均衡发展督导评估办法》对 7 项指标"
            "中的每一项要求小学 ≤ 0.50、初中 ≤ 0.45（与 2012 年指标相同或相对应的几项，如生均高于规定学历教师数，"
            "仅作参照列出）。\n\n"
            "**为什么**：综合系数只能在一个区县、一个学段之内计算和判定，不同区县的系数不能合并。"
        ),
    ),
    Section(
        id="preschool",
        title="学前教育普及普惠",
        shows_when="有学前教育判定，或文件报告学前教育数据",
        judged=True,
        levels=("学前",),
        empty="文件未报告学前教育数据。",
        about=(
            "**测什么**：学前三年毛入园率、普惠性幼儿园覆盖率、公办园在园幼儿占比，以及幼儿园教职工配备。\n\n"
            "**对照什么**：《县域学前教育普及普惠督导评估办法》（2020，标准值待核对）：毛入园率 ≥ 85%、"
            "普惠覆盖率 ≥ 80%、公办园占比 ≥ 50%；《幼儿园教职工配备标准（暂行）》（2013）：全日制幼儿园教职工与"
            "幼儿之比 1:5 至 1:7。\n\n"
            "**为什么**：这些是县域标准，对照地级市全市数值时只作参照（文件自己以该标准衡量本地区时按适用判定）；早于标准发布年份的数据不作判定。"
        ),
    ),
    Section(
        id="staffing",
        title="师资配备与结构",
        shows_when="有师资判定，或文件报告生师比、班师比、职普比、教师数等",
        judged=True,
        indicators=STAFFING_INDICATORS,
        empty="文件未报告师资配备数据。",
        about=(
            "**测什么**：高职专职辅导员和思政课教师的配备、职普比、教师交流轮岗，以及文件给出的生师比、班师比等。\n\n"
            "**对照什么**：专职辅导员与学生之比不低于 1:200，专职思政课教师不低于 1:350；职普比“大体相当”"
            "（政策原文未给数值，本报告以中职占比 40%–60% 作参照判读）；2017 年优质均衡办法的教师交流比例（参照）。\n\n"
            "**为什么**：生师比（学生∶专任教师）与国家编制标准（教职工∶学生）口径不同，本报告不以编制标准判定生师比。"
        ),
    ),
    Section(
        id="quality",
        title="普及程度与教育质量",
        shows_when="有巩固率、残疾儿童少年入学率等的判定",
        judged=True,
        empty="文件未报告可对照标准的普及与质量数据。",
        about=(
            "**测什么**：义务教育巩固率、残疾儿童少年入学率等。\n\n"
            "**对照什么**：2017 年优质均衡办法中的巩固率 ≥ 95%、残疾儿童少年入学率 ≥ 95%"
            "（标准待核对；对非优质均衡评估的文件仅作参照）。\n\n"
            "**为什么**：巩固率超过 100% 说明流入学生多于流出，此时不能据以判断巩固情况，记为“数据存疑”。"
        ),
    ),
    Section(
        id="plan",
        title="规划目标与所需增速",
        shows_when="文件给出规划目标",
        table="targets",
        empty="文件未给出规划目标。",
        about=(
            "**测什么**：规划文件给出的目标值、基期值，以及达到目标每年需要的变化；有基期之后的实际数据时，"
            "比较实际进度与线性进度。\n\n"
            "**怎样算**：比率类指标（%）给出每年需提高的百分点，数量类给出年均增速 (目标 ÷ 基期)^(1/年数) − 1；"
            "基期已达到的目标不再计算增速。"
        ),
    ),
    Section(
        id="audit",
        title="数据核对",
        shows_when="文件中有可相互推算的数据",
        table="audit",
        empty="本地区尚无数据核对项。",
        about=(
            "**做什么**：用文件中的组成部分重新计算文件所述的占比、增长率、合计与比例，按文件所用的小数位数比较。\n\n"
            "**怎样读**：“不一致”是需要核实的线索，不等于数据错误；“口径/时点不同”指两处数值取自不同时点，"
            "或文件数值按另一口径计算相符；“无法核对”说明缺少所需的数据。"
        ),
    ),
    Section(
        id="appendix",
        title="附录",
        shows_when="总是",
        always=True,
        empty="",
        about="依据文件、判定所用标准及其适用情况、各章节数据覆盖情况，以及按文件原文转录的全部数据。",
    ),
)

#: the sections a finding can belong to (``rules.csv``'s ``section`` column)
JUDGED_SECTIONS: tuple[str, ...] = tuple(s.id for s in SECTIONS if s.judged)


def get_section(section_id: str) -> Section:
    """The declaration of one section.

    Examples
    --------
    >>> get_section("balance").title
    '义务教育均衡发展（差异系数）'
    >>> get_section("nope")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    eduanalysis.errors.ParameterError: unknown report section 'nope'; known: funding, balance, ...
    """
    for s in SECTIONS:
        if s.id == section_id:
            return s
    raise ParameterError(f"unknown report section {section_id!r}; known: {', '.join(s.id for s in SECTIONS)}")


def section_shows(
    section: Section | str,
    *,
    findings: pd.DataFrame,
    figures: pd.DataFrame,
    tables: dict[str, pd.DataFrame] | None = None,
) -> bool:
    """Whether a section has anything to show, by its declared conditions.

    Parameters
    ----------
    section : Section or str
    findings : DataFrame
        The region's findings (column ``section``).
    figures : DataFrame
        The region's figures (columns ``indicator`` and ``level``).
    tables : dict, optional
        Other tables by name (``targets``, ``audit``).

    Examples
    --------
    >>> figs = pd.DataFrame({"indicator": ["cv_books_per_student"], "level": ["小学"]})
    >>> none = pd.DataFrame({"section": []})
    >>> section_shows("balance", findings=none, figures=figs), section_shows("preschool", findings=none, figures=figs)
    (True, False)
    >>> section_shows("plan", findings=none, figures=figs, tables={"targets": pd.DataFrame({"x": [1]})})
    True
    """
    s = get_section(section) if isinstance(section, str) else section
    if s.always:
        return True
    if s.judged and len(findings) and (findings["section"] == s.id).any():
        return True
    if len(figures):
        indicator = figures["indicator"]
        if s.indicators and indicator.isin(s.indicators).any():
            return True
        if s.indicator_prefix and indicator.str.startswith(s.indicator_prefix).any():
            return True
        if s.levels and figures["level"].isin(s.levels).any():
            return True
    if s.table:
        table = (tables or {}).get(s.table)
        return table is not None and len(table) > 0
    return False
