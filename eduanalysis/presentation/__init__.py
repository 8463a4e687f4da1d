"""Presentation: report sections, tables, charts, the summary, the index page and exports.
Shows what judgement computed; never re-derives a verdict.  Imports judgement, data and
measures; never running."""
