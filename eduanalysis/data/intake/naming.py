"""Which indicator and name a drafted number gets: a known phrase of the synonym table, else
a proposed local indicator carrying the document's own words.

Used by :mod:`.extract`.  The words before the number in its clause name it (``全市普惠性
幼儿园覆盖率达到`` → ``普惠性幼儿园覆盖率``); a list member named only by a level or group
borrows the sentence's subject (``其中:高中326人`` → ``（专任教师）高中``); a count whose noun
follows it is named by that noun (``建设40个示范性职教集团``).
"""

from __future__ import annotations

import re

from .cues import GROUPS, LEVEL_OF, DraftContext, squash
from .quantities import Mention
from .synonyms import phrase_key

__all__ = ["CLASSIFIERS", "counted_noun", "indicator_for", "own_phrase"]

_COMPARISON_RE = re.compile(r"比上年|较上年|同比|高于|低于|优于|规定的?|省定|国家|标准|指标|要求|[比较、和及与]")
_STOP_PREFIX = re.compile(r"^(?:其中|全市|全省|全区|全县|共计|共|有|累计|分别|达到|达|为|是|占|合计)+")
CLASSIFIERS = {"个", "所", "名", "人", "套", "项", "家", "支", "间", "台", "册", "班", "件", "座", "处", "门", "批"}


def counted_noun(q: Mention, after_clause: str) -> str:
    """What a count names when the noun follows it: 建设40个示范性职教集团 → 示范性职教集团.

    Examples
    --------
    >>> from eduanalysis.data.intake.quantities import find_quantities
    >>> text = "建设40个示范性职教集团、150个产教融合实训基地"
    >>> [counted_noun(q, text[q.end :]) for q in find_quantities(text)]
    ['示范性职教集团', '产教融合实训基地']
    """
    if q.unit.lstrip("万") not in CLASSIFIERS:
        return ""
    m = re.match(
        r"(?:以上|以内|左右)?的?([^，,。；;、0-9（(]{2,14}?)(?=在|被|获|参加|通过|实现|达到|为|进行|开展|完成|[，,。；;、（(]|$)",
        squash(after_clause),
    )
    return m.group(1) if m else ""


def indicator_for(
    before_sentence: str, before_clause: str, after_clause: str, ctx: DraftContext, counted: str = ""
) -> tuple[str, str, str]:
    """(indicator, name_in_source, why) for a number, from the words before it.

    The best synonym is the longest known phrase in the clause (or, when the clause names
    only a level or group, in the sentence), nearer ones preferred; without one the number
    gets a proposed local indicator ``local:<phrase>`` carrying its own words.

    Examples
    --------
    >>> ctx = DraftContext("", "", "", "", 0, False, {}, [("普惠性幼儿园覆盖率", "puhui_coverage")])
    >>> indicator_for("全省普惠性幼儿园覆盖率超过", "全省普惠性幼儿园覆盖率超过", "", ctx)[:2]
    ('puhui_coverage', '普惠性幼儿园覆盖率')
    >>> indicator_for("全市专任教师共1200人，其中:高中", "其中:高中", "", ctx)[:2]
    ('local:专任教师', '（专任教师）高中')
    """
    own, subset = own_phrase(before_clause)
    core = _COMPARISON_RE.sub("", own)
    for word in [*LEVEL_OF, *GROUPS, *ctx.districts]:
        core = core.replace(word, "")
    # named only by a level, group, district or comparison word ("高中326人", "比上年增长3.36%",
    # "高于1:6"): the sentence's subject names it
    carried = subset or len(core) <= 1
    clause_key = phrase_key(before_clause)
    # a phrase of an earlier clause names this number only when its own clause names nothing
    window = phrase_key(before_sentence[-60:]) if carried else clause_key
    best = None
    for phrase, indicator in ctx.phrases:
        if len(phrase) < 3 and phrase not in clause_key:
            continue
        pos = window.rfind(phrase)
        if pos < 0:
            continue
        distance = len(window) - (pos + len(phrase))
        score = len(phrase) * 2 - distance * 0.3 + (3 if phrase in clause_key else 0)
        if best is None or score > best[0]:
            best = (score, phrase, indicator)
    name, local = own, own
    if own and carried:  # 其中:高中326人,职校91人 — the subject carries over
        opening = re.sub(r"^\s*(?:19|20)\d\d\s*年(?:以来)?[，,]?", "", before_sentence)  # "2021年，全市…"
        subject, _ = own_phrase(re.split(r"[0-9０-９]", opening)[0])
        if subject and subject != own:
            name, local = f"（{subject}）{own}", subject
    if not own:  # the number opens its clause: 三分之一的学校
        tail = re.match(r"的?([^，,。；;0-9（(]{1,12})", squash(after_clause))
        name = local = tail.group(1) if tail else ""
    elif counted and len(own) <= 6 and not carried:  # 重点支持15所左右省属高校: the noun follows the count
        name = local = f"{own}{counted}"
    if best is None and counted:
        for phrase, indicator in ctx.phrases:
            if len(phrase) >= 3 and phrase in counted:
                best = (len(phrase) * 2, phrase, indicator)
                break
    if best is not None and best[0] >= 6:
        return best[2], name or best[1], f"指标“{best[2]}”取自同义词“{best[1]}”"
    local = (local or "未命名")[:20]  # a long phrase keeps its subject, which comes first
    return f"local:{local}", name, f"未匹配已知指标：拟议本地指标 local:{local}（取原文短语）"


def own_phrase(before: str) -> tuple[str, bool]:
    """The words naming a number in its own clause, and whether they open a subset (其中).

    Examples
    --------
    >>> own_phrase("补助标准为小学 600 元/生/年、初中")
    ('初中', False)
    >>> own_phrase("全市共有幼儿园52所（其中民办")
    ('民办', True)
    >>> own_phrase("到2025年学生体质健康测试优良率达到")
    ('学生体质健康测试优良率', False)
    """
    raw = squash(before)
    subset = re.search(r"其中[:：]?", raw)
    if subset:
        raw = raw[subset.end() :]
    if re.search(r"[0-9０-９]", raw):  # "小学600元/生/年、初中": only what follows the last figure
        raw = re.split(r"[0-9０-９][^、（(和及与]*[、（(和及与]", raw)[-1]
    raw = re.sub(r"[（(][^（）()]*[)）]", "", raw).strip("（()）、:：")
    # a date opening the clause dates the figure (decide_year reads it); it does not name it
    raw = re.sub(r"^(?:到|至|截至|截止|从|自)?(?:19|20)\d\d年(?:\d{1,2}月)?(?:底|末|前|初|以来|起)?", "", raw)
    raw = _STOP_PREFIX.sub("", raw)
    raw = re.sub(
        r"(达到|达|为|是|有|共|计|超过|不低于|不少于|近|约|至少|增长|增加|提高|下降|减少|分别|占比?|的)+$", "", raw
    )
    return raw, bool(subset)
