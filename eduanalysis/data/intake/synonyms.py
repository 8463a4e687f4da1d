"""The synonym table: phrases documents use → indicator ids of the vocabulary.

Learned at run time from every ``name_in_source`` already transcribed in
``data/raw/figures/*.csv`` (so it grows with every region), plus the display names of the
core and regional vocabularies and a small curated list, ``eduanalysis/data/synonyms.csv``.
``exclude_sources`` leaves the rows of some documents out (the benchmark drafts each seed
with a table learned without it).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from ... import paths
from ..registry import INDICATORS_CSV

__all__ = ["CURATED_CSV", "learn_synonyms", "phrase_key"]

#: curated core synonyms (phrase, indicator, note), shipped with the package
CURATED_CSV = paths.PACKAGE_DIR / "data" / "synonyms.csv"
_PARENS = re.compile(r"[（(][^（）()]*[)）]")


def phrase_key(text: str) -> str:
    """A phrase as compared: NFKC-folded, spaces and bracketed context removed.

    Examples
    --------
    >>> phrase_key("（专职辅导员）师生比")
    '师生比'
    >>> phrase_key("幼儿在园人数（万人）")
    '幼儿在园人数'
    """
    text = unicodedata.normalize("NFKC", str(text))
    text = _PARENS.sub("", text)
    return re.sub(r"\s+", "", text).strip("“”\"'：:，,")


def learn_synonyms(
    *,
    exclude_sources: tuple[str, ...] | list[str] = (),
    figures_dir: str | Path | None = None,
    curated: str | Path | None = None,
) -> pd.DataFrame:
    """The synonym table: one row per (phrase, indicator) with how often it was seen and where from.

    Columns ``phrase`` (as :func:`phrase_key` folds it), ``indicator``, ``count``,
    ``origin`` (``转录`` for a transcribed name_in_source, ``词表`` for a vocabulary name,
    ``整理`` for the curated list), ``level`` and ``level_rows``: the level every transcribed
    row of the indicator was given (empty for no level) and how many rows agree on it —
    ``level_rows`` is 0 when the transcriptions disagree or never used the indicator.  Phrases
    shorter than two characters are dropped.

    Examples
    --------
    >>> table = learn_synonyms()
    >>> table.loc[table.phrase == "普惠性幼儿园覆盖率", "indicator"].iloc[0]
    'puhui_coverage'
    >>> row = table.loc[table.indicator == "puhui_coverage"].iloc[0]
    >>> row["level"], bool(row["level_rows"] > 0)
    ('学前', True)
    """
    frames = []
    levels: dict[str, set[str]] = {}
    level_rows: dict[str, int] = {}
    folder = Path(figures_dir) if figures_dir is not None else paths.FIGURES_DIR
    for path in sorted(folder.glob("*.csv")):
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        if {"name_in_source", "indicator", "source"} <= set(rows.columns):
            rows = rows[~rows["source"].isin(list(exclude_sources))]
            frames.append(
                pd.DataFrame({"phrase": rows["name_in_source"], "indicator": rows["indicator"], "origin": "转录"})
            )
            if "level" in rows.columns:
                for indicator, level in zip(rows["indicator"], rows["level"]):
                    levels.setdefault(indicator, set()).add(level)
                    level_rows[indicator] = level_rows.get(indicator, 0) + 1
    vocab = [INDICATORS_CSV, *sorted((paths.DATA_RAW / "indicators").glob("*.csv"))]
    for path in vocab:
        names = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames.append(pd.DataFrame({"phrase": names["name_zh"], "indicator": names["id"], "origin": "词表"}))
    cur = pd.read_csv(curated or CURATED_CSV, dtype=str, keep_default_na=False)
    frames.append(pd.DataFrame({"phrase": cur["phrase"], "indicator": cur["indicator"], "origin": "整理"}))
    table = pd.concat(frames, ignore_index=True)
    table["phrase"] = table["phrase"].map(phrase_key)
    table = table[table["phrase"].str.len() >= 2]
    out = (
        table.groupby(["phrase", "indicator"], as_index=False)
        .agg(count=("origin", "size"), origin=("origin", lambda s: "、".join(sorted(set(s)))))
        .sort_values(["phrase", "count"], ascending=[True, False])
    )
    # the level transcribers gave an indicator, where every transcribed row of it agrees ("" = no level)
    agreed = {ind: next(iter(ls)) for ind, ls in levels.items() if len(ls) == 1}
    out["level"] = [agreed.get(ind, "") for ind in out["indicator"]]
    out["level_rows"] = out["indicator"].map(lambda ind: level_rows.get(ind, 0) if ind in agreed else 0)
    return out.reset_index(drop=True)
