"""How a drafted figure's year, level and kind are decided from the words around it.

Used by :mod:`.extract`; each decision returns the value and a Chinese ``why`` saying which
words decided it.  The cues are in a fixed order (see :func:`.kinds.decide_kind`); a year that no
clause, heading or title states is inferred from the document's date and marked so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "document_year",
    "decide_district",
    "GROUPS",
    "LEVEL_OF",
    "LEVEL_RE",
    "MASK_RE",
    "DraftContext",
    "decide_level",
    "decide_year",
    "detached_groups",
    "learned_level",
    "listed_items",
    "procedural",
    "statistical_year",
    "squash",
]

# level words, longest first; 中小学 names no single level and is masked before the search
_LEVEL_WORDS = [
    ("学前教育", "学前"),
    ("幼儿园", "学前"),
    ("幼儿", "学前"),
    ("入园", "学前"),
    ("在园", "学前"),
    ("学前", "学前"),
    ("义务教育", "义务教育"),
    ("小学", "小学"),
    ("初中", "初中"),
    ("普通高中", "普通高中"),
    ("高中阶段", "高中阶段"),
    ("中等职业", "中职"),
    ("中职", "中职"),
    ("职业高中", "中职"),
    ("职高", "中职"),
    ("职校", "中职"),
    ("高等职业", "高职"),
    ("高职", "高职"),
    ("职业技术学院", "高职"),
    ("职业技术学校", "中职"),  # a secondary vocational school (学院 is the 高职 one)
    ("高等教育", "高等教育"),
    ("高校", "高等教育"),
    ("特殊教育", "特殊教育"),
    ("特教", "特殊教育"),
    ("残疾儿童", "特殊教育"),
    ("随班就读", "特殊教育"),
    ("职业教育", "职业教育"),
    ("职业院校", "职业教育"),
    ("高中", "普通高中"),
    ("普通高中阶段", "高中阶段"),
    ("高一", "普通高中"),
    ("高二", "普通高中"),
    ("高三", "普通高中"),
    ("初一", "初中"),
    ("初二", "初中"),
    ("初三", "初中"),
    ("义务段", "义务教育"),
    ("普高", "普通高中"),
    ("职普比", "高中阶段"),
    ("资源教室", "特殊教育"),
    ("示范园", "学前"),
    ("公办园", "学前"),
    ("民办园", "学前"),
    ("普惠园", "学前"),
]
LEVEL_RE = re.compile("|".join(sorted((re.escape(w) for w, _ in _LEVEL_WORDS), key=len, reverse=True)))
LEVEL_OF = dict(_LEVEL_WORDS)
MASK_RE = re.compile(
    r"中小学(?:校)?[、和及与]?(?:幼儿园|中职)|(?:幼儿园|学前教育)[、和及与]?(?:中小学|小学)(?:校)?|中小学|大中小|中小幼"
    r"|小学化|幼小衔接"
    # a span of levels names none of them: 学前教育阶段到高等教育阶段, 从小学至高中
    r"|(?:学前|幼儿园|小学|初中|义务)[^，。；、]{0,6}(?:到|至)[^，。；、]{0,6}(?:高中|高等教育|大学|高校)(?:教育)?(?:阶段)?"
)
GROUPS = ("城镇", "农村", "城区", "镇区", "乡村", "县城", "公办", "民办", "寄宿生", "随迁子女")
_YEAR_IN_RE = re.compile(r"(?<![较比与同0-9])((?:19|20)\d\d)\s*(?:[—\-–~至到]\s*((?:19|20)\d\d)\s*)?年")
_FIVE_YEAR = {"十二五": "2015", "十三五": "2020", "十四五": "2025"}


@dataclass
class DraftContext:
    """What is known about the document while it is read, block by block."""

    region: str
    source: str
    doc_year: str
    doc_year_why: str
    ref_year: int
    is_plan: bool
    districts: dict[str, str]
    phrases: list[tuple[str, str]]
    headings: list[str] = field(default_factory=list)
    table_years: list[str] = field(default_factory=list)
    table_title: str = ""
    header: tuple[str, ...] = ()
    title_level: str = ""
    segment_start: int = -1
    #: month of the document's date (0 when unknown)
    ref_month: int = 0
    #: the one year a title's 年度 names ("2023年度…自评报告"; not a span like 2019—2020年度), else ""
    title_annual: str = ""
    #: indicator → (level, rows): the level every transcribed row of the indicator has (see learn_synonyms)
    indicator_levels: dict[str, tuple[str, int]] = field(default_factory=dict)


def squash(text: str) -> str:
    """Text with the spaces a PDF copy puts inside words removed (for cue and word searches).

    Examples
    --------
    >>> squash("生 均 体 育 运 动 场 馆 面 积")
    '生均体育运动场馆面积'
    """
    return re.sub(r"\s+", "", text)


def listed_items(words: str, n: int, ctx: DraftContext) -> dict[str, list[str]]:
    """Years, levels or districts listed before 分别, when there are exactly ``n`` of them.

    Examples
    --------
    >>> ctx = DraftContext("", "", "", "", 0, False, {}, [])
    >>> listed_items("中等职业学校、普通高中、普通初中生均经费较2020年", 3, ctx)
    {'level': ['中职', '普通高中', '初中']}
    >>> listed_items("2017 年—2020 年,财政对教育投入", 4, ctx)
    {'year': ['2017', '2018', '2019', '2020']}
    """
    out: dict[str, list[str]] = {}
    flat = squash(words).replace("中、高职", "中职、高职").replace("中高职", "中职、高职")
    span = re.search(r"((?:19|20)\d\d)年?[—\-–~至到]((?:19|20)\d\d)年", flat)
    years = re.findall(r"((?:19|20)\d\d)年", flat)
    if span and int(span.group(2)) - int(span.group(1)) + 1 == n:
        out["year"] = [str(int(span.group(1)) + k) for k in range(n)]
    elif len(years) == n:
        out["year"] = years
    levels = [LEVEL_OF[m.group()] for m in LEVEL_RE.finditer(MASK_RE.sub("＿＿", flat))]
    if len(levels) == n:
        out["level"] = levels
    found = []
    for m in re.finditer("|".join(sorted(map(re.escape, ctx.districts), key=len, reverse=True)) or "(?!)", flat):
        found.append(ctx.districts[m.group()])
    if len(found) == n:
        out["district"] = found
    return out


def decide_year(
    before_clause: str, before_sentence: str, ctx: DraftContext, column: int, before_period: str = "", unit: str = ""
) -> tuple[str, str, bool]:
    """(year, why, inferred): the clause, the sentence, a heading, then the document (inferred).

    A period the words name wins over a single year: ``2021年以来`` (to the document's
    date: its year, the year before for a date in the first quarter), ``“十三五”期间``
    (2016-2020; its last year for a share or ratio), ``近三年``.

    Examples
    --------
    >>> ctx = DraftContext("", "", "2020", "取文件日期2021-03-18的前一年", 2021, False, {}, [])
    >>> decide_year("到2025年，", "到2025年，", ctx, -1)
    ('2025', '年份取自本句“到2025年”', False)
    >>> decide_year("较2020年增长", "较2020年增长", ctx, -1)[2]
    True
    >>> decide_year("", "2019年以来，全市", ctx, -1)[0]  # a document dated in 2021
    '2019-2021'
    >>> ctx.ref_month = 3
    >>> decide_year("", "2019年以来，全市", ctx, -1)[0]  # dated in March 2021: 2021 has barely begun
    '2019-2020'
    >>> ctx.ref_month = 0
    >>> ctx.headings = ["“十三五”时期发展情况"]
    >>> decide_year("取缔", "严格开展校外培训机构专项治理,颁发办学许可证 276 家,取缔", ctx, -1, unit="家")[0]
    '2016-2020'
    >>> decide_year("全市共创建国家级文明校园", "全市共创建国家级文明校园", ctx, -1, unit="所")[0]
    '2020'
    """
    year, why, inferred = _year_base(before_clause, before_sentence, ctx, column, before_period)
    # a flow over a reviewed five-year period (投入, 完成…改造, 颁发, 取缔) under its heading covers the
    # whole period; a stock or a rate (文明校园 1 所, 覆盖率) is the state at its end
    m = re.search(r"（(十[二三])五末年）$", why)
    flow = re.search(r"投入|完成|颁发|取缔|改造|新改扩建", squash(before_clause))
    if m and flow and unit not in ("%", "％", "ratio") and "百分点" not in unit and column < 0:
        end = int(year)
        if ctx.ref_year and end < ctx.ref_year:
            return f"{end - 4}-{end}", f"{why[: why.rfind('（')]}（“{flow.group()}”是整个时期的累计量）", False
    flat = squash(before_sentence)
    m = re.search(r"((?:19|20)\d\d)年以来", flat)
    # "以来" runs to the document's date: to its year, or to the year before when the date falls in the
    # first quarter (伊宁 2021-03-18: 2017年以来 → 2017-2020; 牡丹江 2022-07-25: 2021年以来 → 2021-2022)
    early = 1 <= ctx.ref_month <= 3
    end = ctx.ref_year - 1 if early and ctx.ref_year else ctx.ref_year
    if m and end and int(m.group(1)) < end:
        to = f"文件日期在{ctx.ref_year}年第一季度，至上一年{end}" if early else f"至文件年份{end}"
        return f"{m.group(1)}-{end}", f"年份取自“{m.group()}”（{to}）", False
    m = re.search(r"“?(十[二三四])五”?(?:期间|以来)", flat)
    if m:
        end = int(_FIVE_YEAR[m.group(1) + "五"])
        if unit in ("%", "％", "ratio"):  # a share or ratio is a state at the end of the period
            return str(end), f"年份取自“{m.group()}”（比率取期末{end}年）", False
        return f"{end - 4}-{end}", f"年份取自“{m.group()}”", False
    m = re.search(r"近(三|五|两)年", flat)
    if m and year[-4:].isdigit():
        n = {"两": 2, "三": 3, "五": 5}[m.group(1)]
        end = int(year[-4:])
        if inferred and end == ctx.ref_year:  # the recent complete years: the date's own year has not ended
            end -= 1
        return f"{end - n + 1}-{end}", f"年份取自“{m.group()}”（止于{end}）", inferred
    return year, why, inferred


def _year_base(
    before_clause: str, before_sentence: str, ctx: DraftContext, column: int, before_period: str
) -> tuple[str, str, bool]:
    if column >= 0 and ctx.table_years and column < len(ctx.table_years):
        return ctx.table_years[column], f"年份取自表头第{column + 1}列“{ctx.table_years[column]}年”", False
    for where, label in ((before_clause, "本句"), (before_sentence, "本句前文"), (before_period, "同一句号前文")):
        flat = squash(where)
        found = list(_YEAR_IN_RE.finditer(flat))
        if found:
            m = found[-1]
            year = f"{m.group(1)}-{m.group(2)}" if m.group(2) else m.group(1)
            words = ("到" if flat[max(0, m.start() - 1) : m.start()] == "到" else "") + m.group(0)
            return year, f"年份取自{label}“{words}”", False
    for heading in reversed(ctx.headings):
        m = _YEAR_IN_RE.search(heading)
        if m:
            return m.group(1), f"年份取自标题“{heading}”", False
        for word, year in _FIVE_YEAR.items():
            if word in heading:
                return year, f"年份取自标题“{heading}”（{word}末年）", False
    for word, year in _FIVE_YEAR.items():  # in a plan, "十四五" in the sentence dates a target
        if word in before_sentence and ctx.is_plan:
            return year, f"年份取自“{word}”（末年）", False
    if ctx.doc_year:
        return ctx.doc_year, f"年份推断自文件日期：{ctx.doc_year_why}（条文和标题未写年份）", True
    return "", ctx.doc_year_why, True


def decide_district(before_clause: str, before_sentence: str, ctx: DraftContext) -> tuple[str, str]:
    """(district slug, why): the place the clause names, else the sentence's; none for 其余各县.

    Examples
    --------
    >>> ctx = DraftContext("", "", "", "", 0, False, {"林口": "linkou", "绥芬河": "suifenhe"}, [])
    >>> decide_district("绥芬河市建成率达", "所辖林口县建成率达100%,绥芬河市建成率达", ctx)[0]
    'suifenhe'
    >>> decide_district("其余各县(市)2022年底覆盖率实现", "绥芬河市建成率达75%,其余各县(市)2022年底覆盖率实现", ctx)
    ('', '不标区县：“其余各县”指前文所列以外的地方')
    """
    others = re.search(r"(?:其余|其他|另外)的?各?(?:县|市|区|旗|乡|镇)", squash(before_clause))
    if others:  # "其余各县(市)2022年底…": the places not named, not the one named before
        return "", f"不标区县：“{others.group()}”指前文所列以外的地方"
    names = sorted(ctx.districts.items(), key=lambda kv: len(kv[0]), reverse=True)
    for where in (squash(before_clause), squash(before_sentence)):  # the clause's own place first
        found = next(((d, slug) for d, slug in names if d in where), None)
        if found:
            return found[1], f"区县取自“{found[0]}”"
    return "", ""


def decide_level(
    before_clause: str, before_sentence: str, after_clause: str, ctx: DraftContext, before_period: str = ""
) -> tuple[str, str]:
    """(level, why): the level word nearest before the number, then a heading's, then the title's.

    Examples
    --------
    >>> ctx = DraftContext("", "", "", "", 0, False, {}, [])
    >>> decide_level("全市普通高中阶段教育毛入学率达", "", "", ctx)[0]
    '高中阶段'
    >>> decide_level("全市公办中小学校、幼儿园", "", "", ctx)[0]  # no single level
    ''
    >>> decide_level("中学分别为", "海勃湾区、乌达区、海南区校际间差异系数小学分别为0.52,中学分别为", "", ctx)[0]
    '初中'
    """
    # the clause, the sentence (to ；), then the rest of the full stop's sentence (乌海职业技术学院 1636 名毕业生中…；
    # 355 人升入本科段…，初次就业率 73%): all nearer than a heading
    period = before_period[: max(0, len(before_period) - len(before_sentence))][-80:] if before_period else ""
    for where, label in ((before_clause, "本句"), (before_sentence[-80:], "本句前文"), (period, "同一句号前文")):
        flat = squash(where)
        found = list(LEVEL_RE.finditer(MASK_RE.sub("＿＿", flat)))
        # 差异系数 are computed for 小学 and 初中 schools only: "中学分别为 0.46…" there is 初中
        coefficient = "差异系数" in squash(before_sentence)
        middle = [m for m in re.finditer(r"(?<![小高])中学(?!校|生|段|教师)", flat)] if coefficient else []
        if middle and (not found or middle[-1].start() > found[-1].start()):
            return "初中", f"学段“初中”取自{label}“中学”（差异系数只对小学和初中计算）"
        if found:
            word = found[-1].group()
            return LEVEL_OF[word], f"学段“{LEVEL_OF[word]}”取自{label}“{word}”"
        span = MASK_RE.search(flat)
        if span:  # the sentence names several levels at once (全市中小学校): no heading's level applies,
            # only a document title's (伊宁's 义务教育 review: its 中小学 are the 义务教育 schools)
            if ctx.title_level:
                return ctx.title_level, f"学段“{ctx.title_level}”取自文件标题（{label}“{span.group()}”在全文学段之内）"
            return "", f"不标学段：{label}“{span.group()}”涉及多个学段"
    for heading in reversed(ctx.headings):
        found = list(LEVEL_RE.finditer(MASK_RE.sub("＿＿", heading)))
        if found:
            word = found[-1].group()
            return LEVEL_OF[word], f"学段“{LEVEL_OF[word]}”取自标题“{heading}”"
    if ctx.title_level:  # a document about one level: 伊宁市…义务教育基本均衡发展复查验收工作汇报
        return ctx.title_level, f"学段“{ctx.title_level}”取自文件标题（全文只涉及这一学段）"
    return "", ""


#: fewest transcribed rows agreeing on an indicator's level before that level is used
LEARNED_LEVEL_MIN_ROWS = 2


def learned_level(indicator: str, level: str, level_why: str, ctx: DraftContext) -> tuple[str, str]:
    """(level, why) with the transcribers' level of ``indicator`` where the words gave none of their own.

    A level read in the figure's own clause or sentence stands.  A level only inherited from a
    heading or the document title — or no level at all — gives way to the level every
    transcribed row of the indicator was given (at least ``LEARNED_LEVEL_MIN_ROWS`` rows, all
    agreeing; "" when they all leave it empty): 财政对教育投入 under an 义务教育 title is a
    whole-budget figure the transcriptions give no level.

    Examples
    --------
    >>> ctx = DraftContext("", "", "", "", 0, False, {}, [], indicator_levels={"edu_budget_expenditure": ("", 5)})
    >>> learned_level("edu_budget_expenditure", "义务教育", "学段“义务教育”取自文件标题（全文只涉及这一学段）", ctx)
    ('', '不标学段：已转录的5行同一指标均未标学段（标题的学段不用于此指标）')
    >>> learned_level("edu_budget_expenditure", "小学", "学段“小学”取自本句“小学”", ctx)[0]  # the sentence's own word
    '小学'
    """
    found = ctx.indicator_levels.get(indicator)
    # a level inherited from a heading or the title (not a decision to leave it empty: "不标学段：…")
    inherited = not level_why or (
        level_why.startswith("学段") and ("取自标题" in level_why or "取自文件标题" in level_why)
    )
    if found is None or not inherited or found[0] == level or found[1] < LEARNED_LEVEL_MIN_ROWS:
        return level, level_why
    learned, rows = found
    if not learned:
        return "", f"不标学段：已转录的{rows}行同一指标均未标学段（标题的学段不用于此指标）"
    return learned, f"学段“{learned}”取自转录惯例：已转录的{rows}行同一指标均为“{learned}”"


def document_year(date: str, title: str) -> tuple[str, str, int]:
    """(inferred year, why, reference year) from the title's years or the date.

    Examples
    --------
    >>> document_year("2020-09-28", "关于2019—2020年度履行教育职责自评报告")[::2]
    ('2020', 2020)
    >>> document_year("2022-07-25", "关于牡丹江市人民政府履行教育职责情况的自评报告")[::2]
    ('2021', 2022)
    """
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)\s*年", title)]
    ref = int(date[:4]) if re.match(r"\d{4}", date or "") else (max(years) if years else 0)
    if years:
        return str(max(years)), f"取文件标题“{title}”所述的最后一年", ref or max(years)
    if ref:
        return str(ref - 1), f"取文件日期{date}的前一年（报告写上一年的情况）", ref
    return "", "无年份：条文、标题和文件日期均未给出", 0


def statistical_year(year: str, inferred: bool, before_sentence: str, ctx: DraftContext) -> tuple[str, str] | None:
    """(year, why) for a statistics-year figure whose year is only inferred, else None.

    School statistics and funding execution for a year are published after that year ends, so
    an undated 差异系数 or a funding change 比上年 in a report dated before the year is over
    refers to the last complete year before the report's date, not to the last year of its
    title.  The transcriptions agree in every seed (乌海 000, dated 2020-09-28 and titled
    2019—2020年度: coefficients and 生均经费比上年增长 are 2019; 牡丹江 002 and 伊宁 004 already
    report the year before their date); data/raw/README.md states it for 乌海's coefficients.
    The seeds support it only for titles that name no single year's 年度 (乌海's title names the
    span 2019—2020年度; 牡丹江's and 伊宁's name no year): a title naming one 年度 (2023年度…自评报告)
    says which year the report covers, and that year stays (no seed has such a title).

    Examples
    --------
    >>> ctx = DraftContext("", "", "2020", "", 2020, False, {}, [])
    >>> statistical_year("2020", True, "海南区校际间差异系数小学分别为", ctx)[0]
    '2019'
    >>> statistical_year("2020", True, "全市62所公办中小学校", ctx) is None
    True
    >>> ctx.title_annual = "2020"  # "…2020年度…自评报告": the title's 年度 wins
    >>> statistical_year("2020", True, "全县小学综合差异系数为", ctx) is None
    True
    """
    if not inferred or not ctx.ref_year or year != str(ctx.ref_year) or ctx.title_annual == year:
        return None
    flat = squash(before_sentence)
    m = re.search(r"差异系数", flat)
    if m is None and re.search(r"比上年|较上年", flat) and re.search(r"经费|支出", flat):
        m = re.search(r"比上年|较上年", flat)
    if m is None:
        return None
    year = str(ctx.ref_year - 1)
    return year, (
        f"年份推断为{year}：“{m.group()}”是统计年度数据，取文件日期（{ctx.ref_year}年）前最后一个完整年度"
        "（条文和标题未写年份）"
    )


_PUBLICITY_RE = re.compile(r"宣传|横幅|报道|新媒体|公众号|推文|海报|展板|标语|电视台|录制[^，。；]{0,6}节目")
_AWARD_RE = re.compile(r"[一二三]等奖|获[^，。；]{0,8}奖|荣获|表彰")
_EVENT_RE = re.compile(r"会议|讲座|班会|演练|活动|讲堂|讲话|督查|检查|查访|明察暗访|部署")
_EVENT_UNITS = ("次", "场", "场次", "期", "轮", "条", "件", "篇", "所次", "家次", "人次")


def procedural(clause: str, unit: str) -> tuple[str, str] | None:
    """("宣传" | "获奖" | "活动", why) for a number of a kind the transcriptions leave out or rarely keep.

    data/raw/README.md: purely procedural counts were transcribed where they describe
    education provision and left out where they only describe publicity (banners, posters,
    WeChat posts).  A publicity count is therefore not drafted at all; award winners and
    counts of meetings, drills and inspections are drafted with a low confidence (the
    transcriptions keep a few of them: 151期 简报, 1100 余场次 演练, 88 个 获奖).

    Examples
    --------
    >>> procedural("悬挂横幅 27 条", "条")[0]
    '宣传'
    >>> procedural("7人获全能一等奖", "人")[0]
    '获奖'
    >>> procedural("召开主题班会 730 场", "场")[0]
    '活动'
    >>> procedural("全市普惠性幼儿园覆盖率95.4%", "%") is None
    True
    """
    flat = squash(clause)
    m = _PUBLICITY_RE.search(flat)
    if m:
        return "宣传", f"宣传类计数（“{m.group()}”）：按转录惯例不记录（data/raw/README.md）"
    m = _AWARD_RE.search(flat)
    if m:
        return "获奖", f"获奖人数或次数（“{m.group()}”）：转录通常不记录，置信度降低"
    m = _EVENT_RE.search(flat)
    if m and unit.strip().lstrip("余多") in _EVENT_UNITS:
        return "活动", f"会议、活动或检查的次数（“{m.group()}”）：转录通常不记录，置信度降低"
    return None


_GROUP_NAMES = {"学前教育": "学前", "九年义务教育": "义务教育", "义务教育": "义务教育", "高中阶段教育": "高中阶段"}
_GROUP_NAMES["高等教育"] = "高等教育"
_GROUP_RUN = re.compile(r"(?:(?:九年义务教育|学前教育|义务教育|高中阶段教育|高等教育)\s+){3,}")


def detached_groups(text: str, rows: list[dict]) -> None:
    """Levels of a flattened table whose group column came loose from its rows.

    A PDF copy of a table grouped by level (学前教育 / 义务教育 / 高中阶段教育 / 高等教育 in a merged
    first column) prints the group names as a run of words apart from the rows (乌海 001 表1 and
    表2).  Where such a run is in the block, the table's rows without a level word of their own
    are given the groups in order: a row naming a group's level moves to that group, and a count
    row after a rate row starts the next group (each group gives its scale, then its rates:
    在校生(万人) … 巩固率(%)).  Marked in ``why`` and with a lower confidence.

    ``rows`` are the drafted rows of the block, in order; a flattened table row carries
    ``_table`` = (its label, unit, whether its label names a level, position).

    Examples
    --------
    >>> text = "入园率(%) 97 在校生(万人) 4.39 巩固率(%) 93 在校生(万人) 1.06 学前教育 义务教育 高中阶段教育 "
    >>> def row(level, label, unit, own, at):
    ...     return {"level": level, "why": "", "confidence": 0.8, "_table": (label, unit, own, at)}
    >>> rows = [
    ...     row("学前", "学前三年入园率(%)", "%", True, 7),
    ...     row("", "在校生(万人)", "万人", False, 19),
    ...     row("义务教育", "九年义务教育巩固率(%)", "%", True, 32),
    ...     row("", "在校生(万人)", "万人", False, 45),
    ... ]
    >>> detached_groups(text, rows)
    >>> [r["level"] for r in rows]
    ['学前', '义务教育', '义务教育', '高中阶段']
    """
    runs = list(_GROUP_RUN.finditer(text + " "))
    if not runs or sum(1 for r in rows if r.get("_table")) < 3:
        return
    segments, current = [], []
    for r in rows:  # consecutive table rows form one table; any other figure ends it
        if r.get("_table"):
            current.append(r)
        elif current:
            segments.append(current)
            current = []
    if current:
        segments.append(current)
    for segment in segments:
        start, end = segment[0]["_table"][3] - 400, segment[-1]["_table"][3] + 400
        run = next((m for m in runs if start <= m.start() <= end), None)  # the table's own run of names
        if run is None:
            continue
        groups = list(dict.fromkeys(_GROUP_NAMES[w] for w in run.group().split()))
        cursor, previous_rate, label = 0, None, None
        for r in segment:
            name, unit, own, _ = r["_table"]
            rate = unit in ("%", "％")
            new_row = name != label
            label = name
            if own and r["level"] in groups:
                cursor = groups.index(r["level"])
            elif not own:  # no level word in the row's label (a learned level gives way to the table's groups)
                if new_row and not rate and previous_rate:
                    cursor += 1
                if cursor < len(groups):
                    r["level"] = groups[cursor]
                    r["why"] += (
                        f"；学段“{groups[cursor]}”按分组表的组名（“{run.group().strip()}”，文本中与各行分离）逐行对应"
                    )
                    r["confidence"] = round(max(0.05, r["confidence"] - 0.1), 2)
            if new_row:
                previous_rate = rate
