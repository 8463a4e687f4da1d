"""The section registry is the one declaration of a report section (issue #19, item 1).

The notebook, the report's headings and table of contents, the coverage table and the
findings rules all read :data:`eduanalysis.judgement.sections.SECTIONS`; these tests check
that none of them declares a section of its own.
"""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from eduanalysis import paths
from eduanalysis.errors import ParameterError
from eduanalysis.judgement.rules import load_rules
from eduanalysis.judgement.sections import JUDGED_SECTIONS, SECTIONS, get_section, section_shows
from eduanalysis.presentation.city import CityReport

IDS = [s.id for s in SECTIONS]


@pytest.fixture(autouse=True)
def _shell():
    """An IPython shell, so that ``display`` publishes rich outputs that can be captured."""
    InteractiveShell.instance()


def _html(captured) -> str:
    return "".join(o.data.get("text/html", "") + o.data.get("text/markdown", "") for o in captured.outputs)


def test_the_notebook_declares_no_section_of_its_own():
    nb = nbformat.read(paths.NOTEBOOKS_DIR / "city_report.ipynb", as_version=4)
    tagged = [t[len("section-") :] for c in nb.cells for t in c.metadata.get("tags", []) if t.startswith("section-")]
    assert tagged == IDS  # one cell per registered section, in the registry's order
    assert not any("<h2" in c.source or "ea-section" in c.source for c in nb.cells)
    for c in nb.cells:  # the one call of each section cell displays the registry's heading
        if any(t.startswith("section-") for t in c.metadata.get("tags", [])):
            assert c.cell_type == "code"


def test_rules_only_name_registered_sections():
    assert set(load_rules()["section"]) <= set(JUDGED_SECTIONS)
    assert set(JUDGED_SECTIONS) == {"funding", "balance", "preschool", "staffing", "quality"}


def test_an_unknown_section_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unknown report section 'budget'.*known: funding"):
        get_section("budget")


def test_when_a_section_shows_follows_its_declaration():
    none = pd.DataFrame({"section": []})
    cv = pd.DataFrame({"indicator": ["cv_books_per_student"], "level": ["小学"]})
    kindergarten = pd.DataFrame({"indicator": ["gross_enrolment_preschool"], "level": ["学前"]})
    assert section_shows("balance", findings=none, figures=cv)
    assert not section_shows("preschool", findings=none, figures=cv)
    assert section_shows("preschool", findings=none, figures=kindergarten)  # a figure of level 学前
    judged = pd.DataFrame({"section": ["quality"]})
    assert section_shows("quality", findings=judged, figures=cv)
    assert not section_shows("quality", findings=none, figures=cv)  # quality shows only what is judged
    assert not section_shows("plan", findings=none, figures=cv, tables={"targets": pd.DataFrame()})
    assert section_shows("appendix", findings=none, figures=pd.DataFrame(columns=["indicator", "level"]))


def test_the_report_prints_each_heading_and_explanation_from_the_registry():
    report = CityReport("wuhai")
    with capture_output() as captured:
        report.header()
    toc = re.findall(r'<li><a href="#sec-([a-z]+)">([^<]+)</a></li>', _html(captured))
    shown = report.sections_with_data()
    assert toc[0] == ("summary", "摘要") and [(s, get_section(s).title) for s in shown] == toc[1:]
    assert {"funding", "balance", "preschool", "staffing", "plan", "appendix"} <= set(shown)
    with capture_output() as captured:
        report.preschool()
    out = _html(captured)
    declared = get_section("preschool")
    assert f'<h2 id="sec-preschool" class="ea-section">{declared.title}</h2>' in out
    assert declared.about in out


def test_a_section_without_data_shows_only_the_empty_note():
    # 伊宁's documents give no kindergarten figure (docs/yining seeds): no heading, an empty-section note
    report = CityReport("yining")
    assert "preschool" not in report.sections_with_data()
    with capture_output() as captured:
        report.preschool()
    assert "ea-section" not in _html(captured)
    meta = [o.metadata for o in captured.outputs]
    assert {"eduanalysis": {"empty_section": "preschool"}} in meta


def test_the_coverage_table_lists_every_registered_section_but_the_appendix():
    report = CityReport("yining")
    with capture_output() as captured:
        report.appendix()
    out = _html(captured)
    for s in SECTIONS:
        if not s.always:
            assert s.title in out and s.shows_when in out


def test_the_appendix_quotes_the_applicability_table():
    # 乌海's findings read a 县域 rule on the city (参照) and the city holding itself to the 2020 preschool
    # standard (适用): both cases appear with the basis applicability.csv gives
    from eduanalysis.judgement.applicability import applicability

    report = CityReport("wuhai")
    with capture_output() as captured:
        report.appendix()
    out = _html(captured)
    assert "标准适用情况" in out
    assert applicability("县域", False, True).basis in out
    assert applicability("判读", False, False).basis in out
