"""Export-time preprocessing of report notebooks: drop what an HTML reader should not see.

A report notebook groups each section's cells with a tag ``section-<id>`` (a markdown
cell explaining the section, a code cell showing it).  When the section's code found no
data it displays a note whose output metadata is
``{"eduanalysis": {"empty_section": "<id>"}}``: the researcher in JupyterLab sees the
explanation and the note, the HTML reader sees no empty section at all (section numbers
are CSS counters, so none is skipped).  Cells tagged ``researcher-note`` speak to people
editing the notebook and are dropped from the HTML too.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor

__all__ = ["DropEmptySections", "empty_sections"]


def empty_sections(nb) -> set[str]:
    """Section ids whose code reported no data in an executed notebook."""
    found = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("eduanalysis", {})
            if meta.get("empty_section"):
                found.add(meta["empty_section"])
    return found


class DropEmptySections(Preprocessor):
    """Remove the cells of sections without data, and researcher-only notes."""

    def preprocess(self, nb, resources):
        empty = {f"section-{s}" for s in empty_sections(nb)}
        nb.cells = [
            cell
            for cell in nb.cells
            if not (set(cell.get("metadata", {}).get("tags", [])) & (empty | {"researcher-note"}))
        ]
        return nb, resources
