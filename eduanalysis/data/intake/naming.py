"""Which indicator and name a drafted number gets: a known phrase of the synonym table, else
a proposed local indicator carrying the document's own words.

Used by :mod:`.extract`.  The words before the number in its clause name it (``全市普惠性
幼儿园覆盖率达到`` → ``普惠性幼儿园覆盖率``); a list member named only by a level or group
borrows the sentence's subject (``其中:高中326人`` → ``（专任教师）高中``); a count whose noun
follows it is named by that noun (``建设40个示范性职教集团``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ... import paths
from ..registry import INDICATORS_CSV
from .cues import GROUPS, LEVEL_OF, DraftContext, squash
from .quantities import Mention
from .synonyms import phrase_key

__all__ = [
    "CLASSIFIERS",
    "counted_noun",
    "growth_twin",
    "indicator_for",
    "own_phrase",
    "refine_by_level",
    "run_indicator",
    "vocabulary",
]

_COMPARISON_RE = re.compile(r"比上年|较上年|同比|高于|低于|优于|规定的?|省定|国家|标准|指标|要求|[比较、和及与]")
_STOP_PREFIX = re.compile(r"^(?:其中|全市|全省|全区|全县|共计|共|有|累计|分别|达到|达|为|是|占|合计)+")
CLASSIFIERS = {"个", "所", "名", "人", "套", "项", "家", "支", "间", "台", "册", "班", "件", "座", "处", "门", "批"}


# words a document uses for 生均 ("按在校学生人数平均的一般公共预算教育支出" is the per-student spending)
_PER_STUDENT_ALIASES = (("按在校学生人数平均的", "生均"), ("按在校生人数平均的", "生均"))
_GROWTH_SUFFIX = re.compile(r"(?:同比)?(?:增长率|增长|增幅)$")
# units of a count or an amount: a percentage is never one of these
_COUNT_UNITS = re.compile(r"^(?:万|亿)?(?:人|名|所|个|元|项|家|支|间|台|册|班|件|座|处|门|批|次|节|套|平方米|㎡|亩)")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, tuple[str, str, str]]:
    """Every indicator id of the core and regional vocabularies → (name, unit, kind).

    Examples
    --------
    >>> vocabulary()["edu_budget_growth"]
    ('一般公共预算教育支出增长率', '%', 'growth')
    """
    out: dict[str, tuple[str, str, str]] = {}
    for path in [INDICATORS_CSV, *sorted((paths.DATA_RAW / "indicators").glob("*.csv"))]:
        for r in pd.read_csv(path, dtype=str, keep_default_na=False).itertuples():
            out.setdefault(r.id, (phrase_key(r.name_zh), r.unit, r.kind))
    return out


def growth_twin(words: str, region: str = "") -> str:
    """The growth indicator a growth rate of ``words`` belongs to, or "" when none fits.

    A growth sentence (比上年增长3.36%) states the rate of change of the quantity it names, not
    the quantity: the growth indicators of the vocabulary (kind ``growth``) are compared by
    their name without 增长率 (the *stem*), and the one whose stem is found in the words
    (characters in order, ≥ 80 %) wins, the fuller and then the longer stem first.  生均 must
    agree: a per-student rate is not the total's and the reverse.  Regional growth indicators
    are only those of ``region``'s own vocabulary.

    Examples
    --------
    >>> growth_twin("2021年全市一般公共预算教育支出319322万元,比上年增长")
    'edu_budget_growth'
    >>> growth_twin("幼儿园生均一般公共预算教育事业性经费支出较2020年分别增长")
    'per_student_spending_growth'
    >>> growth_twin("按在校学生人数平均的一般公共预算教育支出，小学比上年增长")
    'per_student_spending_growth'
    >>> growth_twin("全市幼儿园比上年增长")
    ''
    """
    from difflib import SequenceMatcher

    for old, new in _PER_STUDENT_ALIASES:
        words = words.replace(old, new)
    window = phrase_key(words)
    regional = _regional_ids(region)
    best = (0.0, 0, "")
    for ind, (name, _, kind) in vocabulary().items():
        if kind != "growth" or (ind not in _core_ids() and ind not in regional):
            continue
        stem = _GROWTH_SUFFIX.sub("", name)
        if len(stem) < 3 or ("生均" in stem) != ("生均" in window):
            continue
        blocks = SequenceMatcher(None, stem, window, autojunk=False).get_matching_blocks()
        cover = sum(b.size for b in blocks if b.size >= 2) / len(stem)
        if cover >= 0.8 and (cover, len(stem)) > best[:2]:
            best = (cover, len(stem), ind)
    return best[2]


@lru_cache(maxsize=1)
def _core_ids() -> frozenset[str]:
    return frozenset(pd.read_csv(INDICATORS_CSV, dtype=str, keep_default_na=False)["id"])


@lru_cache(maxsize=32)
def _regional_ids(region: str) -> frozenset[str]:
    path = paths.DATA_RAW / "indicators" / f"{region}.csv"
    if not region or not path.exists():
        return frozenset()
    return frozenset(pd.read_csv(path, dtype=str, keep_default_na=False)["id"])


def _fits_unit(indicator: str, unit: str) -> str | None:
    """The indicator (or its share twin) a number of ``unit`` may have; None when a % meets a count.

    A percentage is a share or a rate: an indicator counted in 人/所/元 cannot hold it, but its
    twin of the same id with ``_share`` or ``_rate`` for ``_count`` can (teacher_exchange_count →
    teacher_exchange_share).  Ids outside the vocabulary, and other units, are left as they are.
    """
    vocab = vocabulary()
    if unit.replace("％", "%") != "%" or indicator not in vocab or not _COUNT_UNITS.match(vocab[indicator][1]):
        return indicator
    stem = re.sub(r"_(?:count|number|total)$", "", indicator)
    for suffix in ("_share", "_rate"):
        twin = stem + suffix
        if twin in vocab and vocab[twin][1] == "%":
            return twin
    return None


def _refine(indicator: str, words: str, region: str) -> tuple[str, str]:
    """(indicator, why) after the twins of the vocabulary that the words ask for.

    - 差异系数 in the words: the coefficient twin named ``<name>差异系数`` (师生比 → 师生比差异系数);
      a coefficient indicator without 差异系数 in the words: its base (a 1:350 is no coefficient);
    - a specialisation of the name whose added words the words spell out (characters in order,
      ≥ 80 %, in pieces of two or more): （高中阶段教育）毛入学率 → 高中阶段毛入学率 (初中阶段
      毛入学率 is not), 残疾儿童少年义务教育入学率 → 残疾儿童少年入学率; the fullest and then the
      longest wins.  Core ids and ``region``'s own.

    Examples
    --------
    >>> _refine("gross_enrolment_rate", "（高中阶段教育）毛入学率（%）", "")
    ('hs_gross_enrolment_rate', '（细化为“高中阶段毛入学率”）')
    >>> _refine("gross_enrolment_rate", "初中阶段毛入学率", "")[0]
    'gross_enrolment_rate'
    >>> _refine("teachers_per_student", "师生比（差异系数）", "")[0]
    'cv_teachers_per_student'
    """
    from difflib import SequenceMatcher

    vocab = vocabulary()
    if indicator not in vocab:
        return indicator, ""
    name, own_unit, kind = vocab[indicator]
    allowed = _core_ids() | _regional_ids(region)
    by_name = {n: ind for ind, (n, _, _) in vocab.items() if ind in allowed}
    coefficient = "差异系数" in words
    if coefficient and kind != "coefficient" and f"{name}差异系数" in by_name:
        return by_name[f"{name}差异系数"], f"（差异系数：取“{name}差异系数”）"
    if not coefficient and kind == "coefficient" and name.endswith("差异系数") and name[:-4] in by_name:
        indicator = by_name[name[:-4]]
        name, own_unit, kind = vocab[indicator]
    flat = phrase_key(re.sub(r"[（()）]", "", words))
    best = (0.0, len(name), indicator)
    for other in allowed:
        other_name, other_unit, other_kind = vocab.get(other, ("", "", ""))
        if other == indicator or not other_name.endswith(name) or other_kind != kind or other_unit != own_unit:
            continue
        added = other_name[: len(other_name) - len(name)]
        blocks = SequenceMatcher(None, added, flat, autojunk=False).get_matching_blocks()
        cover = sum(b.size for b in blocks if b.size >= 2) / len(added)
        if cover >= 0.8 and (cover, len(other_name)) > best[:2]:
            best = (cover, len(other_name), other)
    if best[2] != indicator:
        return best[2], f"（细化为“{vocab[best[2]][0]}”）"
    return indicator, ""


def refine_by_level(rows: list[dict], region: str = "") -> None:
    """Give drafted rows the vocabulary's level-specific indicator of a generic one, once their level is known.

    A table's rows under 高中阶段教育 name only 毛入学率 (the level heads the row group): the
    indicator is 高中阶段毛入学率 when the vocabulary has one; a level without such an indicator
    leaves it as it is.  Changes ``indicator`` and ``why`` in place.

    Examples
    --------
    >>> rows = [{"indicator": "gross_enrolment_rate", "level": lv, "why": ""} for lv in ("高中阶段", "初中")]
    >>> refine_by_level(rows)
    >>> [r["indicator"] for r in rows]
    ['hs_gross_enrolment_rate', 'gross_enrolment_rate']
    """
    for row in rows:
        indicator, level = row["indicator"], row["level"]
        if not level or indicator.startswith("local:"):
            continue
        row["indicator"], refined = _refine(indicator, f"{level}{vocabulary().get(indicator, ('',))[0]}", region)
        if refined:
            row["why"] += f"；指标按学段“{level}”{refined}"


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
    before_sentence: str,
    before_clause: str,
    after_clause: str,
    ctx: DraftContext,
    counted: str = "",
    *,
    unit: str = "",
    growth: bool = False,
) -> tuple[str, str, str]:
    """(indicator, name_in_source, why) for a number, from the words before it.

    The best synonym is the longest known phrase in the clause (or, when the clause names
    only a level or group, in the sentence), nearer ones preferred; without one the number
    gets a proposed local indicator ``local:<phrase>`` carrying its own words.  A percentage
    never takes an indicator counted in 人/所/元 (its ``_share``/``_rate`` twin instead, see
    :func:`_fits_unit`); a ``growth`` rate (比上年增长3.36%) takes the growth indicator of the
    quantity it names (:func:`growth_twin`).  A number named only by a level (其中:小学1820人)
    borrows the subject of the nearest earlier clause that names one (专任教师).

    Examples
    --------
    >>> ctx = DraftContext("", "", "", "", 0, False, {}, [("普惠性幼儿园覆盖率", "puhui_coverage")])
    >>> indicator_for("全省普惠性幼儿园覆盖率超过", "全省普惠性幼儿园覆盖率超过", "", ctx)[:2]
    ('puhui_coverage', '普惠性幼儿园覆盖率')
    >>> indicator_for("全市专任教师共1200人，其中:高中", "其中:高中", "", ctx)[:2]
    ('local:专任教师', '（专任教师）高中')
    >>> indicator_for("全县共有专任教师3265人，其中：小学1820人，初中1105人，特殊教育学校", "特殊教育学校", "", ctx)[:2]
    ('local:专任教师', '（专任教师）特殊教育学校')
    """
    own, subset = own_phrase(before_clause)
    core = _COMPARISON_RE.sub("", own)
    for word in [*LEVEL_OF, *GROUPS, *ctx.districts]:
        core = core.replace(word, "")
    # named only by a level, group, district or comparison word ("高中326人", "比上年增长3.36%",
    # "高于1:6"): the sentence's subject names it
    # a level word with its institution (特殊教育学校, 初中阶段) names a level, not an indicator
    core = re.sub(r"^(?:学校|阶段|学段|教育)+|(?:学校|阶段|学段)+$", "", core) if core != own else core
    carried = subset or len(core) <= 1
    clause_key = phrase_key(before_clause)
    # a phrase of an earlier clause names this number only when its own clause names nothing
    window = phrase_key(before_sentence[-60:]) if carried else clause_key
    best = None
    for phrase, indicator in ctx.phrases:
        if len(phrase) < 3 and phrase not in clause_key:
            continue
        fitted = _fits_unit(indicator, unit)
        if fitted is None:  # a % is no count: "交流教师人数占…的比例超过7%" is not 交流教师人数
            continue
        indicator = fitted
        pos = window.rfind(phrase)
        if pos < 0:
            continue
        distance = len(window) - (pos + len(phrase))
        score = len(phrase) * 2 - distance * 0.3 + (3 if phrase in clause_key else 0)
        if best is None or score > best[0]:
            best = (score, phrase, indicator)
    name, local = own, own
    if own and carried:  # 其中:高中326人,职校91人 — the subject carries over
        cut = before_sentence.rfind("其中") if subset else len(before_sentence) - len(before_clause)
        subject = _subject(before_sentence[: max(cut, 0)], ctx, total=subset)
        if subject and subject != own:
            name, local = f"（{subject}）{own}", subject
    # 比上年增长3.36%: the rate of change of what it names ("" : 与去年一致, a zero change)
    if growth and unit.replace("％", "%") in ("%", ""):
        twin = growth_twin(before_sentence[-80:], ctx.region)
        if twin:
            stem = _GROWTH_SUFFIX.sub("", vocabulary()[twin][0])
            return twin, name, f"指标“{twin}”：增长率，所指“{stem}”见于本句"
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
        # a bare number in a sentence of 差异系数 (…差异系数为小学0.0994、初中0.1404,师生比小学0.3860) is one
        coefficient = not unit and "差异系数" in squash(before_sentence)
        words = squash(before_sentence[-60:] + after_clause[:8])
        indicator, how = _refine(best[2], words + ("（差异系数）" if coefficient else ""), ctx.region)
        return indicator, name or best[1], f"指标“{indicator}”取自同义词“{best[1]}”{how}"
    local = (local or "未命名")[:20]  # a long phrase keeps its subject, which comes first
    return f"local:{local}", name, f"未匹配已知指标：拟议本地指标 local:{local}（取原文短语）"


def _subject(before: str, ctx: DraftContext, total: bool = False) -> str:
    """The subject of the nearest earlier clause that names more than a level: 全县共有专任教师3265人 → 专任教师.

    With ``total`` (the words before a 其中) the nearest clause is the total's and its subject is
    taken even when it is a level word (全县共有幼儿园48所（其中民办12所） → 幼儿园).
    """
    for clause in reversed(re.split(r"[，,；;。]", before)):
        clause = re.sub(r"[《（(][^》）)]*[》）)]", "", clause)  # titles and asides do not name it
        clause = re.sub(r"^\s*(?:19|20)\d\d\s*年(?:以来)?", "", clause)  # "2021年，全市…"
        head = re.split(r"[0-9０-９]", clause)[0]
        subject, _ = own_phrase(head)
        core = subject
        for word in [*LEVEL_OF, *GROUPS, *ctx.districts]:
            core = core.replace(word, "")
        if subject.endswith("率") and not total:  # a rate stated before is no subject a later figure shares
            continue
        if len(_COMPARISON_RE.sub("", core)) > 1 or (total and subject):
            return subject
    return ""


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
    >>> own_phrase("2018-2020 年 拨付资金")[0], own_phrase("力争到2025年义务教育优质均衡区比例达到")[0]
    ('拨付资金', '义务教育优质均衡区比例')
    >>> own_phrase("在校生(万人) 4.39 ")[0]
    '在校生'
    >>> own_phrase("2月24日起全市")[0], own_phrase("2. 全市")[0]
    ('', '')
    """
    raw = squash(before)
    subset = re.search(r"其中[:：]?", raw)
    if subset:
        raw = raw[subset.end() :]
    if re.search(r"[0-9０-９]", raw):  # "小学600元/生/年、初中": only what follows the last figure
        raw = re.split(r"[0-9０-９][^、（(和及与]*[、（(和及与]", raw)[-1]
    raw = re.sub(r"[（(][^（）()]*[)）]", "", raw).strip("（()）、:：")
    raw = re.sub(r"(?<=[^\d\s.])[\d.\s]+$", "", raw)  # a table row's earlier value: "在校生(万人) 4.39 " → 在校生
    # a date opening the clause dates the figure (decide_year reads it); it does not name it
    # (also a span 2018-2020年, a day 2月10日起, a half-year, a plan verb before it: 力争到2025年, 计划2022年12月底前)
    raw = re.sub(r"^\d{1,2}[.．、](?!\d)", "", raw)  # a serial number: "2. 全市62所…"
    raw = re.sub(
        r"^(?:力争|计划|预计)?(?:到|至|截至|截止|从|自|在)?(?:(?:19|20)\d\d年?\s*[-—–~至到]\s*)?(?:19|20)\d\d年"
        r"(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末|前|初|以来|起|上半年|下半年)*的?",
        "",
        raw,
    )
    raw = re.sub(r"^\d{1,2}月(?:\d{1,2}日)?(?:起|以来|前)?", "", raw)
    raw = _STOP_PREFIX.sub("", raw)
    raw = re.sub(
        r"(达到|达|为|是|有|共|计|超过|不低于|不少于|近|约|至少|增长|增加|提高|下降|减少|分别|占比?|的)+$", "", raw
    )
    return raw, bool(subset)


def run_indicator(run, text: str, sentence_start: int, ctx: DraftContext, unit: str, growth: bool):
    """(indicator, name, why) of the k-th member of a 分别-list: the list maps member by member.

    ``学校空间、教师空间、学生空间开通率分别达到81.67%、…``: the k-th listed item with the
    shared tail of the last (学校空间开通率).  ``学前三年毛入园率达到90.7%,…,公办园在园幼儿占比达到
    50.3%,分别高于85%、80%、50%的省定指标``: words that name nothing of their own point back, and
    the k-th member belongs to the k-th of the last n figures stated before it.  Otherwise every
    member is named by the words before 分别.
    """
    k, n, raw = run[:3]
    words = squash(raw)
    items = re.split(r"[、]", re.split(r"[，,:：]", words)[-1])
    if len(items) == n and all(items):
        tail = items[-1]
        known = {phrase for phrase, _ in ctx.phrases}
        # the shared tail: the split of the last item under which most members are known phrases
        best = max(
            range(1, len(tail)), key=lambda j: (sum(phrase_key(i + tail[j:]) in known for i in items), -j), default=0
        )
        if best and sum(phrase_key(i + tail[best:]) in known for i in items) >= 2:
            member = items[k] + tail[best:] if k < n - 1 else tail
            indicator, name, why = indicator_for(member, member, "", ctx, unit=unit, growth=growth)
            return indicator, name, f"{why}（按“分别”对应第{k + 1}项“{member}”）"
    clause_text = text[max(text.rfind(c, 0, run[3]) for c in "，,") + 1 : run[3]]
    core = squash(clause_text[: clause_text.rfind("分别")]) if "分别" in clause_text else words
    for word in ("比上年", "较上年", "高于", "低于", "优于", "均", "省定", "国家", "规定", "标准", "指标", "的"):
        core = core.replace(word, "")
    if len(core) <= 1 and "分别" in clause_text:  # "…,分别高于": the figures stated before name the members
        before = text[sentence_start : run[3] - len(clause_text)]
        stated = [c for c in re.split(r"[，,；;]", before) if re.search(r"[0-9]", c)]
        if len(stated) >= n:
            source = stated[len(stated) - n + k]
            head = re.split(r"[0-9０-９]", source)[0]
            indicator, name, why = indicator_for(head, head, "", ctx, unit=unit)
            return indicator, name, f"{why}（按“分别”对应前文第{k + 1}项“{squash(head)}”）"
    indicator, name, why = indicator_for(words, words, "", ctx, unit=unit, growth=growth)
    return indicator, name, why
