"""Judgement: national standards as data, rules that say which standard applies to which
figure, findings (verdicts with margins and shortfalls), the audit of reported figures.
Imports data and measures; never presentation or running."""
