"""How well `eduanalysis draft` reads documents: recall, precision and speed against hand transcriptions.

Run: ``.venv/bin/python benchmarks/bench_draft.py [--no-table]``

For each seed document (``data/raw/sources.csv`` → ``file``) the synonym table is learned
WITHOUT that document's rows (leave one document out), the document is read with
``read_document`` and drafted, and the draft is scored against the figures rows whose
``source`` is that document.  The same is done for every ``../shared/corpus/*_gold.csv``
(the gold format of the corpus README: quote, value, unit, indicator, year, level, kind),
once as the .txt and once written into a .docx and read back (the same document through
another reader); nothing of the corpus is used to build the synonym table or the rules.

Matching rule (one-to-one, by place before value):
- a gold figure and a drafted row are *candidates* when they have the same absolute numeric
  value (|a − b| ≤ 1e-6·max(1,|a|); values compared as printed, 万 not scaled; signs are
  compared as absolute values because the seed transcriptions put a direction such as 下降 in
  the indicator name and not in the value) and a compatible unit: the same unit, or units of
  one dimension of ``eduanalysis.data.numbers.UNITS`` (人 and 名; 个百分点 and 百分点), a ratio
  with a ratio (corpus ``1:x`` x compared with b of a drafted ``1:b``), a fraction with a
  fraction, ``所/人`` with an inverted ratio.  A gold number printed bare in a table takes its
  unit from the ``（单位）`` of its name;
- *place*: a candidate pair is *at the same place* when the drafted number stands (its quote
  found in the text, the number inside it) at an occurrence of the gold's ``value_as_written``
  in the document (seeds; occurrences scored by the characters of the gold's name in the 80
  characters before them; the best-fitting occurrence first, and among pairs of one tier
  those whose draft locator names the gold's 表N / 专栏N / 第N条) or inside the gold's quote
  (corpus).  Pairs at the same place are taken before pairs that only share the value, over
  the whole document, best first (place, place score, then fields right); each gold row and
  each drafted row is paired at most once;
- *full*: found and year, level and kind equal.  Seeds: strings equal (the gold level
  ``高中`` counts as ``普通高中``).  Corpus: a blank gold year (the text states none) is right
  when the drafted year is marked inferred (note ``年份推断：``); gold levels outside the
  project's list (中小学, 学生（全学段）, 全省) count as no level; 高校 counts as 高等教育;
- precision: drafted rows matched to some gold row ÷ all drafted rows (a number a
  transcriber would not record counts against);
- *indicator*: among found rows, the share whose drafted indicator equals the transcription's
  (a core or regional id).  A proposed ``local:<phrase>`` counts as wrong, unless the gold is
  itself a regional id (``data/raw/indicators/*.csv``) whose name is that phrase.  The corpus
  gold names indicators in words, not ids: there a drafted row is right when its indicator's
  vocabulary name (or the phrase of a ``local:`` id) equals the gold's words.  The indicator
  is not part of *full* (which stays comparable with earlier runs).

Targets (issue #18): recall ≥ 95 %, full ≥ 85 %, precision ≥ 90 %; a 30,000-character
document drafted in under 3 s.  The numbers printed are what was measured, met or not.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eduanalysis import paths  # noqa: E402
from eduanalysis.data.intake.extract import draft  # noqa: E402
from eduanalysis.data.intake.readers import read_document  # noqa: E402
from eduanalysis.data.intake.synonyms import learn_synonyms, phrase_key  # noqa: E402
from eduanalysis.data.numbers import UNITS  # noqa: E402
from eduanalysis.data.registry import INDICATORS_CSV  # noqa: E402

CORPUS = (paths.PROJECT_ROOT / ".." / "shared" / "corpus").resolve()
_NUM = r"[0-9]+(?:\.[0-9]+)?"
_LEVEL_ALIASES = {"高中": "普通高中", "高校": "高等教育", "中小学": "", "学生（全学段）": "", "全省": ""}


def _unit_key(unit: str) -> str:
    unit = unit.replace("％", "%").replace("平方米", "㎡").replace("m2", "㎡")
    if unit in ("ratio", "1:x"):
        return "ratio"
    if "/" in unit and unit not in ("元/生/年",):
        return "per"
    if unit in ("fraction",):
        return "fraction"
    unit = unit.replace("个百分点", "百分点")
    stripped = unit[1:] if unit.startswith("万") and len(unit) > 1 else unit
    if stripped == "百分点":
        return "百分点"
    dim = UNITS.get(stripped, (stripped, 1.0))[0]
    return ("万" if unit.startswith("万") else "") + dim


def _read_written(written: str) -> tuple[float, str] | None:
    """(absolute value, unit key) of a value_as_written (a draft's or a transcription's)."""
    text = str(written).replace("∶", ":").replace("：", ":").replace(" ", "")
    m = re.search(rf"({_NUM}):({_NUM})", text)
    if m:
        a, b = float(m.group(1)), float(m.group(2))
        return (b if a == 1 else a / b if b else 0.0), "ratio"
    m = re.search(rf"每({_NUM})(所|个|名|人|班|校)", text)
    if m and "配" in text:
        return float(m.group(1)), "per"
    m = re.search(rf"({_NUM})/({_NUM})", text)
    if m:
        return round(float(m.group(1)) / float(m.group(2)), 4), "fraction"
    m = re.search(r"([一二三四五六七八九十])分之([一二三四五六七八九十])", text)
    if m:
        cn = "一二三四五六七八九十"
        return round((cn.index(m.group(2)) + 1) / (cn.index(m.group(1)) + 1), 4), "fraction"
    m = re.search(rf"({_NUM})(?:[—–\-~～]{_NUM})?", text)
    if not m:
        return None
    rest = text[m.end() :]
    rest = re.sub(r"^(余|多)", "", rest)
    rest = re.sub(r"(以上|以内|以下|左右)$", "", rest)
    rest = re.sub(r"^(余|多)", "", rest)
    return float(m.group(1)), _unit_key(rest)


def _draft_value(written: str, name: str) -> tuple[float, str] | None:
    """A drafted row's value; a bare number takes its unit from the name's （单位）, as a transcription does."""
    parsed = _read_written(written)
    if parsed is not None and parsed[1] == "number":
        m = re.search(r"[（(]([^（）()]+)[)）]\s*$", str(name))
        if m:
            return parsed[0], _unit_key(m.group(1))
    return parsed


def _compatible(a: str, b: str) -> bool:
    return a == b


def _squash(text: str) -> str:
    """Whitespace runs as one space, full-width colon and percent as ASCII (adjacent numbers stay apart)."""
    return re.sub(r"\s+", " ", str(text)).replace("∶", ":").replace("％", "%")


def _occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of ``needle`` in ``text`` (a space optional between any two characters), not inside a number."""
    chars = [re.escape(c) for c in needle if not c.isspace()]
    if not chars:
        return []
    pattern = r"\s?".join(chars)
    if re.match(r"[0-9]", needle.strip()):
        pattern = r"(?<![0-9.])" + pattern
    if re.search(r"[0-9]$", needle.strip()):
        pattern += r"(?![0-9])"
    return [m.start() for m in re.finditer(pattern, text)]


def _draft_places(text: str, drafted: pd.DataFrame) -> list[set[int]]:
    """Where each drafted number stands in the squashed text: its quote's occurrences + its offset in the quote."""
    places = []
    for quote, written in zip(drafted["quote"], drafted["value_as_written"]):
        q = _squash(quote).strip()
        inner = _occurrences(q, _squash(written))
        offset = inner[0] if inner else 0
        places.append({start + offset for start in _occurrences(text, q)} if q else set())
    return places


def _gold_places(text: str, g: dict) -> dict[int, int]:
    """Occurrences of the gold figure in the squashed text → how well the place fits the gold's name/quote.

    Seeds: every occurrence of the value as written, scored by the characters of the name
    found in the 80 characters before it (the transcriber's name is words of that place).
    Corpus: the gold quote occurs once; every offset inside it fits.
    """
    if g.get("quote"):
        q = _squash(g["quote"]).strip()
        return {start + k: 100 for start in _occurrences(text, q) for k in range(len(q) + 2)}
    out = {}
    for pos in _occurrences(text, _squash(g["written"])):
        window = set(text[max(0, pos - 80) : pos + 10])
        out[pos] = len(g["chars"] & window)
    return out


def _match(gold: list[dict], drafted: pd.DataFrame, *, corpus: bool, text: str) -> tuple[int, int, set[int], list]:
    """(found, full, matched draft indices, per-gold results).

    Pairing is by place before value: every (gold, draft) pair of equal value and compatible
    unit gets a tier — 3 when the drafted number stands at the occurrence of the gold's printed
    value that fits the gold's name best (seeds; ties kept: a figure stated twice) or inside the
    gold's quote (corpus); 2 at another occurrence of the printed value; 1 when only the value
    agrees (a different place, or a printed form that differs).  Pairs are taken best first
    over the whole document (tier, place score, fields right), each gold row and each drafted
    row at most once.
    """
    text = _squash(text)
    parsed = [_draft_value(w, n) for w, n in zip(drafted["value_as_written"], drafted["name_in_source"])]
    dplaces = _draft_places(text, drafted)
    pairs = []
    for gi, g in enumerate(gold):
        gplaces = _gold_places(text, g)
        gv, gu = g["value"], g["unit"]
        for i, p in enumerate(parsed):
            if p is None:
                continue
            if abs(abs(p[0]) - abs(gv)) > 1e-6 * max(1.0, abs(gv)) or not _compatible(p[1], gu):
                continue
            row = drafted.iloc[i]
            ok = _fields_ok(g, row, corpus=corpus)
            at = [gplaces[d] for d in dplaces[i] if d in gplaces]
            # the gold's 表N / 专栏N / 第N条 in the draft's locator (two tables printing the same number)
            loc = int(any(t in _squash(row["locator"]).replace(" ", "") for t in g.get("loc_tokens", ())))
            if at and max(at) == max(gplaces.values()):  # the occurrence that fits the gold's name best
                score = (3, loc, max(at), sum(ok))
            elif at:  # another occurrence of the same printed value
                score = (2, loc, max(at), sum(ok))
            else:
                score = (1, loc, len(g["chars"] & set(str(row["quote"]))), sum(ok))
            pairs.append((score, -gi, -i, gi, i))
    pairs.sort(reverse=True)
    paired: dict[int, tuple[int, int]] = {}
    used: set[int] = set()
    for score, _, _, gi, i in pairs:
        if gi in paired or i in used:
            continue
        paired[gi] = (i, score[0])
        used.add(i)
    found = full = 0
    results = []
    for gi, g in enumerate(gold):
        if gi not in paired:
            results.append((g, None, (False, False, False), 0))
            continue
        i, tier = paired[gi]
        ok = _fields_ok(g, drafted.iloc[i], corpus=corpus)
        found += 1
        full += all(ok)
        results.append((g, i, ok, tier))
    return found, full, used, results


def _vocabulary() -> tuple[dict[str, str], dict[str, str]]:
    """(every id → its name as phrase_key folds it, regional id → name): core and regional vocabularies."""
    names: dict[str, str] = {}
    regional: dict[str, str] = {}
    for path in [INDICATORS_CSV, *sorted((paths.DATA_RAW / "indicators").glob("*.csv"))]:
        for r in pd.read_csv(path, dtype=str, keep_default_na=False).itertuples():
            names[r.id] = phrase_key(r.name_zh)
            if path != INDICATORS_CSV:
                regional[r.id] = phrase_key(r.name_zh)
    return names, regional


_NAMES, _REGIONAL = _vocabulary()


def _indicator_ok(g: dict, row, *, corpus: bool) -> bool:
    """Whether the drafted indicator is the transcription's (see the module docstring)."""
    drafted = str(row["indicator"])
    local = phrase_key(drafted[len("local:") :]) if drafted.startswith("local:") else None
    if corpus:
        return (local if local is not None else _NAMES.get(drafted)) == phrase_key(g["indicator"])
    if local is not None:
        return g["indicator"] in _REGIONAL and _REGIONAL[g["indicator"]] == local
    return drafted == g["indicator"]


def _fields_ok(g: dict, row, *, corpus: bool) -> tuple[bool, bool, bool]:
    if corpus and not g["year"]:
        year_ok = str(row["note"]).startswith("年份推断：") or not row["year"]
    else:
        year_ok = str(row["year"]) == g["year"]
    level = _LEVEL_ALIASES.get(g["level"], g["level"])
    return year_ok, str(row["level"]) == level, str(row["value_type"]) == g["kind"]


def _seed_gold(source_id: str) -> list[dict]:
    rows = []
    for path in sorted(paths.FIGURES_DIR.glob("*.csv")):
        with open(path, encoding="utf-8") as f:
            for line, r in enumerate(csv.DictReader(f), start=2):
                if r["source"] != source_id:
                    continue
                parsed = _read_written(r["value_as_written"])
                if parsed is None:
                    continue
                value, unit = parsed
                if unit == "number":  # printed bare: the unit is in the name's （单位）
                    m = re.search(r"[（(]([^（）()]+)[)）]\s*$", r["name_in_source"])
                    if m and not re.search(r"系数", r["name_in_source"]):
                        unit = _unit_key(m.group(1))
                rows.append(
                    {
                        "value": value,
                        "unit": unit,
                        "year": r["year"],
                        "level": r["level"],
                        "kind": r["value_type"],
                        "indicator": r["indicator"],
                        "label": f"{r['name_in_source']} {r['value_as_written']}",
                        "written": r["value_as_written"],
                        "loc_tokens": set(re.findall(r"表\s*\d+|专栏\s*\d+|第\d+条", r["locator"].replace(" ", ""))),
                        "where": f"{path.name}:{line}",
                        "chars": set(re.sub(r"[（）()0-9\s]", "", r["name_in_source"])),
                        "order": len(rows),
                    }
                )
    return rows


def _corpus_gold(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            unit = r["unit"]
            unit = (
                "ratio"
                if unit == "1:x"
                else "per"
                if "/" in unit
                else "fraction"
                if unit == "fraction"
                else _unit_key(unit)
            )
            rows.append(
                {
                    "value": abs(float(r["value"])),
                    "unit": unit,
                    "year": r["year"],
                    "level": r["level"],
                    "kind": r["kind"],
                    "indicator": r["indicator"],
                    "label": r["quote"],
                    "quote": r["quote"],
                    "where": f"{path.name}:{len(rows) + 2}",
                    "chars": set(re.sub(r"[0-9\s]", "", r["quote"])),
                    "order": len(rows),
                }
            )
    return rows


def _score(
    name: str,
    gold: list[dict],
    drafted: pd.DataFrame,
    seconds: float,
    text: str,
    *,
    corpus: bool,
    table: bool,
):
    found, full, used, results = _match(gold, drafted, corpus=corpus, text=text)
    n, d = len(gold), len(drafted)
    recall = found / n if n else float("nan")
    fullr = full / n if n else float("nan")
    precision = len(used) / d if d else float("nan")
    wrong = {"year": 0, "level": 0, "kind": 0}
    named = 0
    for g, i, ok, _ in results:
        if i is not None:
            for key, good in zip(wrong, ok):
                wrong[key] += not good
            named += _indicator_ok(g, drafted.iloc[i], corpus=corpus)
    if table:
        print(f"\n=== {name}: drafted figures ({d}) — ✓ matched a gold row, ✗ not in the transcription ===")
        for i, row in drafted.iterrows():
            mark = "✓" if i in used else "✗"
            print(
                f"{mark} {row['value_as_written']:<16} {row['year']:<10} {row['level']:<6} {row['value_type']:<3} "
                f"{row['indicator'][:40]:<40} {row['confidence']:.2f}  {row['quote'][:50]}"
            )
        missed = [g for g, i, _, _ in results if i is None]
        print(f"--- {name}: gold figures not drafted ({len(missed)}) ---")
        for g in missed:
            print(f"  {g['label'][:70]}  [{g['year']} {g['level']} {g['kind']}]")
        print(f"--- {name}: found, indicator not the transcription's (gold → draft) ---")
        for g, i, _, _ in results:
            if i is not None and not _indicator_ok(g, drafted.iloc[i], corpus=corpus):
                print(f"  {g['where']:<16} {g['label'][:44]:<44} {g['indicator']} → {drafted.iloc[i]['indicator']}")
        print(f"--- {name}: found but not full (gold → draft) ---")
        for g, i, ok, tier in results:
            if i is None or all(ok):
                continue
            row = drafted.iloc[i]
            fields = [
                f"{key} {gv or '∅'}→{dv or '∅'}"
                for key, good, gv, dv in zip(
                    ("year", "level", "kind"),
                    ok,
                    (g["year"], g["level"], g["kind"]),
                    (row["year"], row["level"], row["value_type"]),
                )
                if not good
            ]
            place = {3: "", 2: " (paired at another occurrence of the value)"}.get(tier, " (paired by value only)")
            print(f"  {g['where']:<16} {g['label'][:44]:<44} {'; '.join(fields)}{place}")
    return {
        "document": name,
        "chars": len(text),
        "gold": n,
        "drafted": d,
        "recall": recall,
        "full": fullr,
        "precision": precision,
        "seconds": seconds,
        "wrong": wrong,
        "named": named,
        "found": found,
        "by_place": sum(1 for _, i, _, tier in results if i is not None and tier == 3),
    }


# the conventions of data/raw/README.md a gold row is checked against (not the code's own lists)
_README_LEVELS = {
    *("", "学前", "小学", "初中", "义务教育", "普通高中", "中职"),
    *("高中阶段", "高中", "高职", "高等教育", "特殊教育", "职业教育"),
}
_README_KINDS = {"实际", "目标", "标准", "计划", "预计", "基期", "对照"}


def _inconsistent_gold() -> list[str]:
    """Transcription rows whose year, level or kind is outside data/raw/README.md's conventions."""
    out = []
    for path in sorted(paths.FIGURES_DIR.glob("*.csv")):
        with open(path, encoding="utf-8") as f:
            for line, r in enumerate(csv.DictReader(f), start=2):
                problems = []
                if r["level"] not in _README_LEVELS:
                    problems.append(f"level “{r['level']}” is not a level of the README")
                if r["value_type"] not in _README_KINDS:
                    problems.append(f"value_type “{r['value_type']}” is not a kind of the README")
                if not re.fullmatch(r"(?:19|20)\d\d(?:-(?:19|20)\d\d)?", r["year"]):
                    problems.append(f"year “{r['year']}” is neither a year nor a span")
                if problems:
                    where = f"{path.name}:{line} {r['name_in_source']} {r['value_as_written']}"
                    out.append(f"{where}: {'; '.join(problems)}")
    return out


def _as_docx(text_path: Path):
    """The text written into a temporary .docx (one paragraph per line) and read back; None without python-docx."""
    try:
        import docx
    except ImportError:
        return None
    document = docx.Document()
    for line in text_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (text_path.stem + ".docx")
        document.save(path)
        return read_document(path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-table", action="store_true", help="print only the summary, not every drafted figure")
    args = ap.parse_args()
    sources = pd.read_csv(paths.SOURCES_CSV, dtype=str, keep_default_na=False)
    summary = []
    seed_drafts: list[tuple[list[dict], pd.DataFrame]] = []
    for _, src in sources.iterrows():
        file = (paths.PROJECT_ROOT / src["file"]).resolve()  # sources.csv paths are relative to the project
        doc = read_document(file)
        table = learn_synonyms(exclude_sources=[src["source_id"]])
        start = time.perf_counter()
        drafted = draft(doc, region=src["region"], source=src["source_id"], synonyms=table)
        seconds = time.perf_counter() - start
        seed_drafts.append((_seed_gold(src["source_id"]), drafted, doc.text))
        summary.append(
            _score(
                f"{src['source_id']} ({file.name})",
                _seed_gold(src["source_id"]),
                drafted,
                seconds,
                doc.text,
                corpus=False,
                table=not args.no_table,
            )
        )
    full_table = learn_synonyms()
    for gold_path in sorted(CORPUS.glob("*_gold.csv")):
        text_path = gold_path.with_name(gold_path.name.replace("_gold.csv", ".txt"))
        doc = read_document(text_path)
        start = time.perf_counter()
        drafted = draft(doc, synonyms=full_table)
        seconds = time.perf_counter() - start
        summary.append(
            _score(
                f"corpus {text_path.name}",
                _corpus_gold(gold_path),
                drafted,
                seconds,
                doc.text,
                corpus=True,
                table=not args.no_table,
            )
        )
        # the same document as a Word file (one paragraph per line): drafted from the .docx reader's blocks
        docx_doc = _as_docx(text_path)
        if docx_doc is not None:
            start = time.perf_counter()
            drafted = draft(docx_doc, synonyms=full_table)
            seconds = time.perf_counter() - start
            summary.append(
                _score(
                    f"corpus {text_path.stem}.docx (written from the .txt)",
                    _corpus_gold(gold_path),
                    drafted,
                    seconds,
                    docx_doc.text,
                    corpus=True,
                    table=False,
                )
            )
    # a 30,000-character document: the seeds' text run together and cut at 30,000 characters
    texts = []
    for _, src in sources.iterrows():
        texts.append((paths.PROJECT_ROOT / src["file"]).resolve().read_text(encoding="utf-8"))
    long_text = "\n".join(texts)[:30000]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text(long_text, encoding="utf-8")
        doc = read_document(path)
        start = time.perf_counter()
        long_rows = draft(doc, synonyms=full_table)
        long_seconds = time.perf_counter() - start
        start = time.perf_counter()
        learn_synonyms()
        learn_seconds = time.perf_counter() - start
    print(
        "\n=== summary (targets: recall ≥ 95 %, full ≥ 85 %, precision ≥ 90 %, 30k chars < 3 s; "
        "indic. = found rows whose indicator is the transcription's, no target) ==="
    )
    print(
        f"{'document':<58} {'chars':>7} {'gold':>5} {'draft':>5} {'recall':>7} {'full':>7} {'prec.':>7} {'sec':>6} "
        f"{'indic.':>7}"
    )
    for s in summary:
        named = s["named"] / s["found"] if s["found"] else float("nan")
        print(
            f"{s['document'][:58]:<58} {s['chars']:>7} {s['gold']:>5} {s['drafted']:>5} {s['recall']:>7.1%} "
            f"{s['full']:>7.1%} {s['precision']:>7.1%} {s['seconds']:>6.2f} {named:>7.1%}"
        )
    seeds = [s for s in summary if not s["document"].startswith("corpus")]
    g = sum(s["gold"] for s in seeds)
    d = sum(s["drafted"] for s in seeds)
    rec = sum(s["recall"] * s["gold"] for s in seeds) / g
    ful = sum(s["full"] * s["gold"] for s in seeds) / g
    pre = sum(s["precision"] * s["drafted"] for s in seeds) / d
    named = sum(s["named"] for s in seeds) / sum(s["found"] for s in seeds)
    print(f"{'all seeds (pooled)':<58} {'':>7} {g:>5} {d:>5} {rec:>7.1%} {ful:>7.1%} {pre:>7.1%} {'':>6} {named:>7.1%}")
    # what a reviewer sorting by confidence sees: only the rows at or above a threshold
    for threshold in (0.6, 0.7):
        found = full = used = kept = 0
        for gold, drafted, text in seed_drafts:
            top = drafted[drafted["confidence"] >= threshold].reset_index(drop=True)
            f, u, matched, _ = _match(gold, top, corpus=False, text=text)
            found, full, used, kept = found + f, full + u, used + len(matched), kept + len(top)
        print(
            f"{f'  seeds, rows with confidence ≥ {threshold}':<58} {'':>7} {g:>5} {kept:>5} {found / g:>7.1%} "
            f"{full / g:>7.1%} {used / kept:>7.1%}"
        )
    print("\n=== found but not full: wrong fields (a row may be wrong in several) ===")
    print(f"{'document':<58} {'by place':>8} {'year':>5} {'level':>5} {'kind':>5}")
    for s in summary:
        w = s["wrong"]
        print(f"{s['document'][:58]:<58} {s['by_place']:>8} {w['year']:>5} {w['level']:>5} {w['kind']:>5}")
    inconsistent = _inconsistent_gold()
    print(
        f"\n=== transcription rows outside data/raw/README.md's conventions ({len(inconsistent)}; "
        "the full score counts gold 高中 as 普通高中) ==="
    )
    for line in inconsistent:
        print(f"  {line}")
    print(
        f"30,000-character document: {len(long_text)} chars, {len(long_rows)} figures drafted in {long_seconds:.2f} s "
        f"(target < 3 s); learning the synonym table: {learn_seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
