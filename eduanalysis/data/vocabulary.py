"""Controlled vocabularies of the raw tables and the "did you mean" that goes with them.

A value outside a vocabulary is refused with the allowed values and, where one is close,
a suggestion: a Traditional-Chinese spelling (小學 → 小学), a common synonym (中学 is
初中 or 普通高中, the document must say which), or the nearest spelling
(:func:`difflib.get_close_matches`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["ALIASES", "suggest"]

#: common spellings that are not in a vocabulary, and what they stand for
ALIASES: dict[str, str] = {
    # Traditional characters
    "小學": "小学",
    "學前": "学前",
    "義務教育": "义务教育",
    "中職": "中职",
    "高職": "高职",
    "職業教育": "职业教育",
    "實際": "实际",
    "目標": "目标",
    "標準": "标准",
    "計劃": "计划",
    "預計": "预计",
    # synonyms and ambiguous words
    "中学": "初中（初级中学）或 普通高中（高级中学）——请按文件所指选择",
    "初级中学": "初中",
    "高级中学": "普通高中",
    "高中阶段教育": "高中阶段",
    "幼儿园": "学前",
    "学前教育": "学前",
    "小学阶段": "小学",
    "初中阶段": "初中",
    "义务段": "义务教育",
    "中等职业教育": "中职",
    "中等职业学校": "中职",
    "高等职业教育": "高职",
    "高职院校": "高职",
    "特教": "特殊教育",
    "实际值": "实际",
    "目标值": "目标",
    "规划目标": "目标",
    "基期值": "基期",
    "城市": "城区",
    # region kinds
    "区": "市辖区",
    "市": "地级市 or 县级市",
    "州": "自治州",
    "直辖县": "县",
}


def suggest(value: str, allowed: Iterable[str]) -> str:
    """A hint for a value outside ``allowed``: ``"; did you mean …?"`` or ``""``.

    Examples
    --------
    >>> suggest("小學", ["小学", "初中"])
    '; did you mean 小学?'
    >>> suggest("中学", ["小学", "初中", "普通高中"])
    '; did you mean 初中（初级中学）或 普通高中（高级中学）——请按文件所指选择?'
    >>> suggest("edu_budget_expendture", ["edu_budget_expenditure", "teacher_avg_salary"])
    '; did you mean edu_budget_expenditure?'
    >>> suggest("qqq", ["小学"])
    ''
    """
    allowed = [a for a in allowed if a]
    if value in ALIASES:
        return f"; did you mean {ALIASES[value]}?"
    close = difflib.get_close_matches(value, allowed, n=3, cutoff=0.6)
    if close:
        return f"; did you mean {' or '.join(close)}?"
    return ""
