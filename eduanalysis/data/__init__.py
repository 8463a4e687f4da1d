"""Data: reported figures, school tables, regions, sources, the indicator registry, their
validation and ``prepare``.  Imports measures (parsing ratios, deriving indicators); never
judgement, presentation or running."""
