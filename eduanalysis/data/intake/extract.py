"""Draft the figures of a document: every stated quantity with indicator, year, level, kind.

:func:`draft` reads a :class:`~eduanalysis.data.intake.document.Document` (never the file)
and returns rows in the figures format of ``data/raw/figures/`` plus ``quote`` (the clause
holding the figure, verbatim from ``document.text``), ``confidence`` (0–1) and ``why`` (in
Chinese: how each field was decided).  A person reviews the draft; nothing here writes into
``data/raw/``.

How each field is decided, in order (year, level and kind in :mod:`.cues`):

- **value** — :func:`.quantities.find_quantities`: numbers with units and bounds words as
  printed, ratios, fractions, ranges, inverted ratios, signed changes, “与去年一致”; numbers
  that are not figures (years, dates, document numbers, titles, list numbers) are dropped
  (:func:`.quantities.non_figure_reason`).  A bare number is kept only where its unit is
  given elsewhere: a table column header ``（万人）``, a list ``4.84、2.72个百分点`` sharing
  one unit, or a 差异系数 (a coefficient has no unit).
- **indicator** — the longest known phrase of the synonym table (:mod:`.synonyms`) in the
  sentence before the number, nearer phrases preferred; a subject carries over from earlier
  clauses (其中:高中326人,职校91人 → 专任教师).  No match: a proposed local indicator
  ``local:<phrase>`` carrying the clause's own words.
- **year** — the clause (``到2025年``; not ``较2020年``), then the sentence, then the heading,
  then the document: the period a report covers (years in its title, else the year before
  its date) — the last marked ``年份推断自文件日期`` in ``why`` and ``年份推断：`` in ``note``;
  an undated statistics-year figure (差异系数, 经费…比上年) takes the last complete year before
  the document's date (:func:`.cues.statistical_year`), still marked inferred.
- **level**, **district**, **group** — level words nearest before the number (clause, then
  sentence, then heading: ``——小学。`` sets the level for what follows); district names
  of the region's hierarchy; a group (民办, 农村 …) only inside a ``其中`` subset.  A sentence
  naming several levels (中小学) takes no heading's level; an amount of money takes no level
  from the document title or a heading; a level only inherited from a heading or the title gives way to the
  level the transcriptions agree on for the indicator (:func:`.cues.learned_level`).
- **kind** — cues in a fixed order (:func:`.kinds.decide_kind`): a plan table's base and
  target columns → 基期/目标; 预计; 招生计划/拟新建 → 计划; a norm next to the number
  (不低于/不少于/至少, 标准/规定/要求/指标, 高于1:6, 每5所…配备1名) → 标准; 国家…水平 → 对照;
  past tense (已, 累计, 同比) → 实际; 力争/到 YYYY 年/目标 or a later year → 目标; a
  retrospective heading → 实际; a plan's other text → 目标; else 实际.
- **confidence** — 0.9, less for a unit taken from elsewhere (−0.1), a proposed local
  indicator (−0.2), an inferred year (−0.15), no year at all (−0.2).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ... import paths
from ...errors import ParameterError
from ..figures import FIGURE_COLUMNS  # one definition of the figures format
from ..regions import children, load_regions
from .cues import (
    GROUPS,
    LEVEL_OF,
    LEVEL_RE,
    MASK_RE,
    DraftContext,
    decide_district,
    decide_level,
    decide_year,
    detached_groups,
    document_year,
    learned_level,
    listed_items,
    procedural,
    squash,
    statistical_year,
)
from .document import Block, Document
from .kinds import decide_kind
from .naming import counted_noun, indicator_for, own_phrase, refine_by_level, run_indicator
from .quantities import Mention, find_quantities, non_figure_reason
from .synonyms import learn_synonyms

__all__ = ["DRAFT_COLUMNS", "FIGURE_COLUMNS", "LOW_CONFIDENCE", "draft", "draft_output_path"]

DRAFT_COLUMNS = [*FIGURE_COLUMNS, "quote", "confidence", "why"]
#: rows below this confidence are counted as low-confidence in the CLI summary
LOW_CONFIDENCE = 0.5

_SENT_SPLIT = re.compile(r"[。；;！!？?\n]")
_CLAUSE_SPLIT = re.compile(r"[，,]|(?<![0-9０-９])[:：](?![0-9０-９])")
_HEADING_RE = re.compile(
    r"(?:^|(?<=[\s。；;！]))("
    r"[一二三四五六七八九十]{1,3}、[^。；;，,\s0-9]{2,40}"
    r"|[（(][一二三四五六七八九十]{1,3}[)）][^。；;，,\s]{2,40}"
    r"|专栏\s*\d+\s*[^。；;，,\s]{2,30}"
    r"|表\s*\d+\s*[^。；;，,\s]{2,40}"
    r"|——[^。；;，,\s]{1,20}(?=[。；]|$)"
    r"|“十[二三四五]五”(?:时期|期间)[^。；;，,\s]{0,6}(?=\s|$)"  # “十三五”时期发展情况, not a sentence
    r")"
)
_PLAN_CUES = ("规划", "行动计划", "实施方案")
_HEADER_UNIT_RE = re.compile(r"([^\s0-9—\-.%()（）]{2,30})[（(]([^（）()]{1,6})[)）]((?:\s*(?:[0-9.]+|—|-))*)\s*$")


def draft_output_path(out: str | Path) -> Path:
    """The path a draft may be written to: anywhere but inside ``data/raw/`` (inputs only).

    Examples
    --------
    >>> draft_output_path("/tmp/wuhai_draft.csv").name
    'wuhai_draft.csv'
    >>> draft_output_path(paths.DATA_RAW / "figures" / "x.csv")
    Traceback (most recent call last):
    ...
    eduanalysis.errors.ParameterError: --out ... is inside data/raw/ ...
    """
    path = Path(out).expanduser().resolve()
    raw = paths.DATA_RAW.resolve()
    if path == raw or raw in path.parents:
        raise ParameterError(
            f"--out {out} is inside data/raw/ ({raw}); a draft is never written there: write it elsewhere, "
            "review it, and accepted rows reach data/raw/figures/ through validation"
        )
    return path


def _districts(region: str | None) -> dict[str, str]:
    """District names (full and without 区/县/市 suffix) → slug; empty for an unregistered region."""
    if not region:
        return {}
    table = load_regions()
    if region not in table.index:
        return {}
    names = {}
    for slug in children(region, table):
        name = table.loc[slug, "name_zh"]
        names[name] = slug
        short = re.sub(r"(区|县|市|自治县|旗)$", "", name)
        if len(short) >= 2:
            names[short] = slug
    return names


def draft(
    document: Document,
    *,
    region: str | None = None,
    source: str | None = None,
    synonyms: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Draft every figure of ``document`` as rows of the figures format (plus quote, confidence, why).

    ``region`` (a slug, registered or not) fills ``region`` and lets district names be
    recognised; ``source`` (a ``source_id``) fills ``source`` and, when registered, gives the
    date and title the year falls back on; ``synonyms`` is a table of :func:`.learn_synonyms`
    (learned from every transcription when omitted).

    Examples
    --------
    >>> from eduanalysis.data.intake.document import Block, Document
    >>> doc = Document([Block("到2025年，力争普惠性幼儿园覆盖率达到85%以上。", "第1段")], date="2021-10-21")
    >>> row = draft(doc).iloc[0]
    >>> row["value_as_written"], row["year"], row["level"], row["value_type"], row["indicator"]
    ('85%以上', '2025', '学前', '目标', 'puhui_coverage')
    """
    title, date = document.title, document.date
    if source:
        from ..sources import load_sources

        known = load_sources()
        if source not in known.index:
            raise ParameterError(
                f"--source {source!r} is not in data/raw/sources.csv; register the document there first "
                f"(known: {', '.join(sorted(known.index)) or 'none'}) or leave --source out"
            )
        # the registered title and date are the document's own metadata, preferred to a first line
        date = str(known.loc[source, "date"]) or date
        title = str(known.loc[source, "title"]) or title
    doc_year, doc_year_why, ref_year = document_year(date, title)
    if synonyms is None:
        synonyms = learn_synonyms()
    # one indicator per phrase: the most often transcribed; on a tie the curated entry, then the
    # vocabulary's own name, then the id — a stable, total order, so that adding unrelated rows to
    # the data never changes which indicator a phrase drafts to (师生比 → teachers_per_student,
    # not a 高职 ratio that one document happened to call 师生比)
    origin = synonyms["origin"].astype(str) if "origin" in synonyms.columns else pd.Series("", synonyms.index)
    rank = pd.DataFrame(
        {
            "count": -synonyms["count"],
            "curated": ~origin.str.contains("整理"),
            "vocabulary": ~origin.str.contains("词表"),
            "indicator": synonyms["indicator"],
        }
    )
    best = synonyms.loc[rank.sort_values(list(rank.columns), kind="stable").index].drop_duplicates("phrase")
    phrases = sorted(zip(best["phrase"], best["indicator"]), key=lambda p: len(p[0]), reverse=True)
    text = document.text
    future = [int(y) for y in re.findall(r"到\s*((?:19|20)\d\d)\s*年", text)]
    is_plan = any(c in title for c in _PLAN_CUES) or (ref_year > 0 and len(future) >= 3)
    ctx = DraftContext(
        region or "", source or "", doc_year, doc_year_why, ref_year, is_plan, _districts(region), phrases
    )
    if {"level", "level_rows"} <= set(synonyms.columns):
        agreed = synonyms[synonyms["level_rows"] > 0].drop_duplicates("indicator")
        ctx.indicator_levels = dict(zip(agreed["indicator"], zip(agreed["level"], agreed["level_rows"])))
    annual = re.findall(r"(?<![—\-–~至到0-9])\s*((?:19|20)\d\d)\s*年度", title or "")
    ctx.title_annual = annual[0] if len(set(annual)) == 1 else ""
    month = re.match(r"\d{4}-(\d{1,2})", date or "")
    ctx.ref_month = int(month.group(1)) if month else 0
    levels = {LEVEL_OF[m.group()] for m in LEVEL_RE.finditer(MASK_RE.sub("＿＿", squash(title)))}
    ctx.title_level = levels.pop() if len(levels) == 1 else ""
    rows: list[dict] = []
    for block in document.blocks:
        if block.kind == "table_row" and block.cells:
            rows.extend(_table_row(block, block.cells, block.header, ctx))
        elif block.kind != "heading" and (cells := _line_cells(block.text, ctx)) is not None:  # a table as text
            if not any(re.search(r"\d", c) for c in cells[1:]) or all(
                re.fullmatch(r"(?:19|20)\d\d\s*年?", c) for c in cells[1:] if c
            ):
                ctx.header = cells
                _note_years(cells, ctx)
            else:
                rows.extend(_table_row(block, cells, ctx.header, ctx))
        else:
            ctx.header = ()
            if block.kind == "heading":  # a heading the reader recognised (docx style, html h1–h6, short line)
                _push_heading(ctx, block.text.strip())
            rows.extend(_text_block(block, ctx))
    refine_by_level(rows, ctx.region)  # the level, known now (a table's group rows too), may name the indicator
    return pd.DataFrame(rows, columns=DRAFT_COLUMNS)


_NUMBER_CELL = re.compile(r"[-+]?[0-9.]+\s*(?:%|％|‰)?|—|-")


def _line_cells(text: str, ctx: DraftContext) -> tuple[str, ...] | None:
    """The cells of a line that is a table row or header in plain text, else None.

    Tab-separated lines always; lines split by runs of spaces only when they look like a
    table: a header of at least three short cells without numbers (other than years), or a
    row whose first cell is a label and whose other cells are all numbers, as many as the
    header has after its first cell.
    """
    text = text.strip()
    if "\t" in text:
        return tuple(c.strip() for c in text.split("\t"))
    cells = tuple(re.split(r"\s{2,}", text)) if re.search(r"\s{2,}", text) else tuple(text.split())
    if len(cells) < 3 or any(len(c) > 16 for c in cells):
        return None
    if not re.search(r"[0-9]", "".join(cells)) or all(re.fullmatch(r"(?:19|20)\d\d\s*年?", c) for c in cells[1:]):
        return cells if not re.search(r"[。，,；;]", text) else None
    numeric = all(_NUMBER_CELL.fullmatch(c) for c in cells[1:]) and not re.search(r"[0-9]", cells[0])
    if numeric and ctx.header and len(cells) == len(ctx.header):
        return cells
    return None


def _note_years(cells, ctx: DraftContext) -> None:
    years = [re.search(r"(?:19|20)\d\d", c).group() for c in cells if re.search(r"(?:19|20)\d\d", c)]
    if years:
        ctx.table_years = years


# ---------------------------------------------------------------------------------------
# running text


def _spans(text: str, splitter: re.Pattern) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in splitter.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _text_block(block: Block, ctx: DraftContext) -> list[dict]:
    text = block.text
    headings = [(m.start(1), m.group(1)) for m in _HEADING_RE.finditer(text)]
    tables = [(m.start(), m) for m in re.finditer(r"(?:项目名称|指标)\s+((?:(?:19|20)\d\d\s*年\s*){2,})", text)]
    mentions = find_quantities(text)
    sentences = _spans(text, _SENT_SPLIT)
    rows = []
    kept: list[tuple[Mention, str | None]] = []
    for q in mentions:
        reason = non_figure_reason(text, q)
        kept.append((q, reason))
    runs = _runs(text, kept)
    for i, (q, reason) in enumerate(kept):
        if reason:
            continue
        # headings passed so far set the section
        while headings and headings[0][0] <= q.start:
            _push_heading(ctx, headings.pop(0)[1])
        while tables and tables[0][0] <= q.start:
            m = tables.pop(0)[1]
            ctx.table_years = re.findall(r"(?:19|20)\d\d", m.group(1))
            ctx.table_title = ctx.headings[-1] if ctx.headings else ""
        index = next(k for k, (a, b) in enumerate(sentences) if a <= q.start <= b)
        s0, s1 = sentences[index]
        if text[s0:s1].lstrip().startswith("其中") and index > 0:  # "…招生3647人。其中，普高招生2596人"
            s0 = sentences[index - 1][0]
        sentence = text[s0:s1]
        clauses = _spans(sentence, _CLAUSE_SPLIT)
        c0, c1 = next((a, b) for a, b in clauses if a <= q.start - s0 <= b)
        clause_start, clause_end = s0 + c0, s0 + max(c1, q.end - s0)
        row = _row(
            block,
            ctx,
            text,
            q,
            sentence_start=s0,
            clause=(clause_start, clause_end),
            following=kept[i + 1 :],
            run=runs.get(i),
        )
        if row is not None:
            rows.append(row)
    for _, h in headings:
        _push_heading(ctx, h)
    detached_groups(text, rows)
    return rows


def _runs(text: str, kept: list) -> dict[int, tuple[int, int, str, int, int]]:
    """Members of 分别-lists: mention index → (position, length, words before 分别, list start, list end)."""
    out: dict[int, tuple[int, int, str]] = {}
    run: list[int] = []

    def close():
        if len(run) >= 2:
            first = kept[run[0]][0]
            start = max(text.rfind(c, 0, first.start) for c in "。；;\n")
            head = text[start + 1 : first.start]
            if "分别" in head:
                words = head[: head.rfind("分别")]
                last = kept[run[-1]][0]
                for k, idx in enumerate(run):
                    out[idx] = (k, len(run), words, first.start, last.end)

    for i, (q, reason) in enumerate(kept):
        if reason:
            continue
        if run and re.fullmatch(r"\s*[、和及与]\s*", text[kept[run[-1]][0].end : q.start]):
            run.append(i)
        else:
            close()
            run = [i]
    close()
    return out


def _push_heading(ctx: DraftContext, heading: str) -> None:
    rank = _heading_rank(heading)
    ctx.headings = [h for h in ctx.headings if _heading_rank(h) < rank] + [heading]


def _heading_rank(h: str) -> int:
    if h.startswith("“十"):
        return 0
    if re.match(r"[一二三四五六七八九十]", h):
        return 1
    if h.startswith(("（", "(")):
        return 2
    if h.startswith(("专栏", "表")):
        return 2
    return 3  # ——小学


def _bare_unit(text: str, q: Mention, following: list, ctx: DraftContext) -> tuple[str, str, int] | None:
    """(unit, why, column) for a number printed without a unit, or None when it is not a figure."""
    before = text[max(0, q.start - 80) : q.start]
    header = _HEADER_UNIT_RE.search(before)
    if header:
        column = len(re.findall(r"[0-9.]+|—|-", header.group(3)))
        if ctx.table_years and column >= len(ctx.table_years):  # more values than the header has columns
            return None
        ctx.segment_start = q.start - len(before) + header.start(1)  # a flattened table row starts at its name
        return header.group(2), f"单位取自表头“{header.group(1)}（{header.group(2)}）”", column
    for nxt, reason in following[:3]:
        if reason == "页码":
            continue
        gap = text[q.end : nxt.start]
        # "4.84、 —9— 2.72 个百分点": a page number of the copy may sit inside the list
        gap = re.sub(r"[—\-]\s*\d{1,3}\s*[—\-]", "", gap)
        if reason is None and nxt.unit and re.fullmatch(r"\s*[、和及与]\s*(?:[0-9.]+\s*[、和及与]\s*)*", gap):
            return nxt.unit, f"单位取自并列的“{nxt.written}”", -1
        break
    # a coefficient has no unit: 差异系数 named earlier in the same sentence (a list of them)
    sentence_before = squash(text[max(text.rfind(c, 0, q.start) for c in "。；;\n") + 1 : q.start])
    if "系数" in sentence_before and q.value < 10 and "." in q.written:
        return "", "差异系数（无单位）", -1
    return None


def _row(
    block: Block, ctx: DraftContext, text: str, q: Mention, *, sentence_start: int, clause, following, run=None
) -> dict | None:
    why: list[str] = list(q.why)
    confidence = 0.9
    unit = q.unit
    column = -1
    if not unit and q.form == "number":
        found = _bare_unit(text, q, following, ctx)
        if found is None:
            return None
        unit, unit_why, column = found
        why.append(unit_why)
        confidence -= 0.1
    c0, c1 = clause
    if column >= 0 and ctx.segment_start >= 0:  # a flattened table row: quote "名称(单位) 值 值"
        c0, c1 = max(c0, ctx.segment_start), q.end
    ctx.segment_start = -1
    quote = text[c0:c1].strip()
    procedure = procedural(text[c0:c1], unit or "")
    if procedure is not None and procedure[0] == "宣传":  # a publicity count is no figure (README convention)
        return None
    if procedure is not None:
        why.append(procedure[1])
        confidence = min(confidence, 0.3)
    before_clause = text[c0 : q.start]
    before_sentence = text[sentence_start : q.start]
    after_clause = text[q.end : c1]
    # indicator: nearest known phrase, else a local one
    counted = counted_noun(q, after_clause)
    # a rate of change (比上年增长3.36%, 较2020年分别增长3.61%、…; 与去年一致): named by its growth indicator
    lead = text[max(0, (run[3] if run is not None else q.start) - 8) : run[3] if run is not None else q.start]
    growth = q.form == "zero" or bool(re.search(r"(?:增长|增幅|下降|减少|降低)了?(?:为|达到?)?\s*$", squash(lead)))
    if run is not None:  # every member of a 分别-list is named by the words before 分别
        indicator, name, ind_why = run_indicator(run, text, sentence_start, ctx, q.unit, growth)
    else:
        indicator, name, ind_why = indicator_for(
            before_sentence, before_clause, after_clause, ctx, counted, unit=q.unit, growth=growth
        )
    why.append(ind_why)
    if unit != q.unit and unit:  # a bare number: its unit goes into the name, as transcriptions write it
        name = f"{name}（{unit}）"
    if indicator.startswith("local:"):
        confidence -= 0.2
    # year
    period_start = max(text.rfind(c, 0, sentence_start) for c in "。！？\n") + 1
    year, year_why, inferred = decide_year(
        before_clause,
        before_sentence,
        ctx,
        column,
        text[period_start : q.start],
        "ratio" if q.form == "ratio" else unit,
    )
    # an inverted ratio names its level inside itself: 每5所幼儿园配备1名
    # a flattened table row: the level comes from the row's own label, not from the rows before it
    level, level_why = decide_level(
        before_clause + (q.written if q.form == "inverted" else ""),
        before_clause if column >= 0 else before_sentence,
        after_clause,
        ctx,
        text[period_start : q.start] if column < 0 else "",
    )
    if re.search(r"取自(?:文件标题|标题|同一句号前文)", level_why) and re.search(r"元", unit):
        # a title or heading naming one level (…义务教育基本均衡…汇报, （七）义务教育有保障…) scopes the
        # section, not the region's budget: an amount of money takes a level only from its own sentence
        level, level_why = "", "不标学段：金额的学段只取自本句，不取自前句、文件标题或章节标题"
    found = LEVEL_RE.search(MASK_RE.sub("＿＿", counted)) if counted else None
    if found:  # "拟新建 6 所幼儿园、2 所小学": the counted noun names the level
        level, level_why = LEVEL_OF[found.group()], f"学段“{LEVEL_OF[found.group()]}”取自计数对象“{counted}”"
    district, district_why = decide_district(before_clause, before_sentence, ctx)
    if run is not None:  # "A、B、C分别为x、y、z": the k-th value belongs to the k-th word
        k, n, words = run[:3]
        listed = listed_items(words, n, ctx)
        if "year" in listed:
            year, year_why, inferred = listed["year"][k], f"年份按“分别”对应第{k + 1}项“{listed['year'][k]}”", False
        if "level" in listed:
            level, level_why = listed["level"][k], f"学段按“分别”对应第{k + 1}项“{listed['level'][k]}”"
        if "district" in listed:
            district, district_why = listed["district"][k], f"区县按“分别”对应第{k + 1}项"
        member = next((listed[key][k] for key in ("level", "district", "year") if key in listed), "")
        if member:  # the words after the listed items: "…、幼儿园生均经费支出较2020年" → 生均经费支出较2020年
            words = squash(run[2])
            ends = [m.end() for m in LEVEL_RE.finditer(words)] if "level" in listed else []
            ends += [words.rfind(d) + len(d) for d in ctx.districts if "district" in listed and d in words]
            rest = re.sub(r"^[学校、]+", "", words[max(ends, default=0) :])
            name = f"（{member}）{own_phrase(rest)[0] or name}"
    stats = statistical_year(year, inferred, before_sentence, ctx)
    if stats is not None:
        year, year_why = stats
    level, level_why = learned_level(indicator, level, level_why, ctx)
    why.append(year_why)
    if inferred:
        confidence -= 0.15
    if level_why:
        why.append(level_why)
    if district_why:
        why.append(district_why)
    group = ""
    if re.search(r"[（(]?其中", before_clause):
        for g in GROUPS:
            if g in before_clause:
                group = g
                why.append(f"口径“{g}”取自“其中”分项")
                break
    run_context = None
    if run is not None:
        clause_of_first = text[max(text.rfind(c, 0, run[3]) for c in "，,。；;\n") + 1 : run[3]]
        run_context = (clause_of_first, text[run[4] : run[4] + 12])
    kind, kind_why = decide_kind(
        before_clause, before_sentence, after_clause, q, year, inferred, ctx, column, run_context
    )
    why.append(kind_why)
    note = _year_note(year, inferred, ctx, year_why if stats is not None else "")
    if not year:
        confidence -= 0.2
    if q.form in ("zero", "range", "inverted", "fraction"):  # kept verbatim; the parser reads each form
        reading = {
            "zero": "读作零变化（单位取指标的登记单位）",
            "range": "读作区间（下限至上限）",
            "inverted": "读作比例 1:x（两侧所指见指标名称）",
            "fraction": "读作分数（可换算为百分比）",
        }[q.form]
        note = (note + "；" if note else "") + f"原文“{q.written}”{reading}"
    if unit == "万" and not q.written.endswith("万元"):
        note = (note + "；" if note else "") + "原文单位为“万”（未写“元”）"
    if q.qualifier:
        why.append(f"限定词“{q.qualifier}”保留在数值中")
    return {
        "region": ctx.region,
        "district": district,
        "year": year,
        "level": level,
        "group": group,
        "indicator": indicator,
        "name_in_source": name,
        "value_as_written": q.written,
        "value_type": kind,
        "attribute": "",
        "source": ctx.source,
        "locator": " / ".join([*ctx.headings, block.locator]) if ctx.headings else block.locator,
        "note": note,
        "quote": quote,
        "confidence": round(max(0.05, min(confidence, 1.0)), 2),
        "why": "；".join(why),
        # for cues.detached_groups (not columns of the draft): a flattened table row's label, unit and own level
        "_table": (squash(text[c0 : q.start]), unit, "取自本句" in level_why, q.start) if column >= 0 else None,
    }


def _year_note(year: str, inferred: bool, ctx: DraftContext, why: str = "") -> str:
    """The row's note on its year: inferred (kept through acceptance, shown by reports) or missing."""
    if inferred and year:
        return f"年份推断：{why or ctx.doc_year_why}"
    if not year:
        return "年份缺失：条文、标题和文件日期均未给出年份，审核时须补上"
    return ""


# ---------------------------------------------------------------------------------------
# tables


def _table_row(block: Block, cells, header, ctx: DraftContext) -> list[dict]:
    """One table row: row label + header label per cell; the header names indicators or years."""
    rows = []
    label = cells[0]
    district = next((slug for name, slug in ctx.districts.items() if name in label), "")
    for j, cell in enumerate(cells[1:], start=1):
        mentions = [q for q in find_quantities(cell) if non_figure_reason(cell, q) is None]
        if not mentions:
            continue
        q = mentions[0]
        column_label = header[j] if j < len(header) else ""
        year_m = re.search(r"(?:19|20)\d\d", column_label)
        name = label if year_m or district else f"{label}{column_label}"
        if district:
            name = column_label
        unit_m = re.search(r"[（(]([^（）()]{1,6})[)）]", name)
        why = [f"表格行“{label}”，列“{column_label}”"]
        indicator, name_src, ind_why = indicator_for(name, name, "", ctx)
        why.append(ind_why)
        if year_m:
            year, inferred = year_m.group(), False
            why.append(f"年份取自表头“{column_label}”")
        else:
            year, year_why, inferred = decide_year("", label, ctx, -1)
            why.append(year_why)
        level, level_why = decide_level(name, name, "", ctx)
        level, level_why = learned_level(indicator, level, level_why, ctx)
        if level_why:
            why.append(level_why)
        if district:
            why.append(f"区县取自行首“{label}”")
        kind = "实际"
        if year_m and ctx.ref_year and int(year_m.group()) >= ctx.ref_year:
            kind = "目标"
        why.append(f"类别“{kind}”" + ("：年份不早于文件年份" if kind == "目标" else "：表格中的报告值"))
        written = q.written
        if not q.unit and unit_m:
            why.append(f"单位取自表头“（{unit_m.group(1)}）”")
        confidence = 0.8 - (0.2 if indicator.startswith("local:") else 0) - (0.15 if inferred else 0)
        rows.append(
            {
                "region": ctx.region,
                "district": district,
                "year": year,
                "level": level,
                "group": "",
                "indicator": indicator,
                "name_in_source": name_src or name,
                "value_as_written": written,
                "value_type": kind,
                "attribute": "",
                "source": ctx.source,
                "locator": block.locator,
                "note": _year_note(year, inferred, ctx),
                "quote": block.text,  # the whole row: label, header context and value
                "confidence": round(confidence, 2),
                "why": "；".join(why),
            }
        )
    return rows
