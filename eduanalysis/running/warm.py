"""Work every report repeats, done once in a process that then forks many.

Two processes fork the rest of a local batch: multiprocessing's *forkserver* forks the
worker of each report (:mod:`.workers`), and the kernel *preload server* forks each
report's kernel (:mod:`.preload`).  Whatever they have computed before forking, every
child inherits (copy-on-write) instead of computing it again:

- :func:`warm_export` (forkserver): nbconvert's exporter with the offline template
  compiled, its filters imported, and fontTools' tables imported by one small subsetting
  of the Chinese font — the HTML-export and font stages of every report;
- :func:`warm_registries` (preload server): the registries and judgement data every
  report reads (regions, sources, indicators, standards, rules, plausibility limits).
  Each loader caches by file (the region and source registries by path, size and
  modification time, so an edited file is read again; the others are package data,
  whose change gives the batch a new server).

Neither changes what a report contains; a failure here only costs the time it would
have saved (the child does the work itself), so both swallow their errors.  With the
environment variable ``EDUANALYSIS_NO_WARM`` set (to anything but empty) both do nothing:
``benchmarks/bench_batch.py`` measures what they save that way.
"""

from __future__ import annotations

import os
import traceback

__all__ = ["warm_export", "warm_registries"]


def warm_export() -> None:
    """Export a two-cell notebook once (template, filters, font subsetting warmed)."""
    if os.environ.get("EDUANALYSIS_NO_WARM"):
        return
    try:
        import nbformat

        from .render import export_html

        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_markdown_cell('<h2 id="sec-warm" class="ea-section">预热</h2>'),
            nbformat.v4.new_code_cell(
                "1",
                outputs=[nbformat.v4.new_output("display_data", {"text/html": "<table><tr><td>一</td></tr></table>"})],
            ),
        ]
        nb.metadata["title"] = "预热"
        for keep_code in (False, True):
            export_html(nb, keep_code=keep_code)
    except Exception:  # pragma: no cover - the report then does this work itself
        traceback.print_exc()


def warm_registries() -> None:
    """Load the registries and judgement tables into their caches."""
    if os.environ.get("EDUANALYSIS_NO_WARM"):
        return
    try:
        from ..data.regions import load_regions
        from ..data.registry import indicator_registry
        from ..data.sources import load_sources
        from ..judgement.rules import load_rules, plausible_max
        from ..judgement.standards import get_threshold, load_standards

        load_regions()
        load_sources()
        indicator_registry()
        standards = load_standards()
        load_rules()
        plausible_max("retention_rate")
        if len(standards):  # builds the lookup table every report's ~100 look-ups use
            row = standards.iloc[0]
            get_threshold(row["standard"], row["indicator"], row["level"])
    except Exception:  # pragma: no cover - the report then does this work itself
        traceback.print_exc()
