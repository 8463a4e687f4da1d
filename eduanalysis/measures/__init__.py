"""Measures: numbers in, numbers out (差异系数, growth rates, ratios, per-student indicators).

The bottom layer: imports only :mod:`eduanalysis.errors`, nothing about files, regions
or standards."""
