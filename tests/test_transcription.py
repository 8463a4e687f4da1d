"""Every transcribed figure can be found, as written, in its source document.

The seeds live in ``../shared/seeds`` beside the repository (CI clones the project there).
"""

from __future__ import annotations

import re

import pytest

from eduanalysis import load_figures, load_regions, paths
from eduanalysis.data.sources import load_sources, source_text

SEEDS = paths.PROJECT_ROOT.parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS} (they sit beside the repo)"
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    """Registered documents by source id (text squashed), for those whose copy is present."""
    texts = {sid: source_text(sid) for sid in load_sources().index}
    return {sid: _squash(text) for sid, text in texts.items() if text is not None}


@pytest.mark.parametrize("region", ["wuhai", "mudanjiang", "mianyang", "yining"])
def test_every_value_appears_in_its_source(region, seeds):
    figures = load_figures(region)
    assert len(figures) > 50
    missing = []
    for rec in figures.itertuples():
        assert rec.source in seeds, f"row {rec.row}: unknown source {rec.source}"
        if _squash(rec.value_as_written) not in seeds[rec.source]:
            missing.append((rec.row, rec.value_as_written))
    assert missing == [], f"values not found verbatim in the source: {missing}"


def test_each_city_draws_on_its_own_documents():
    expected = {
        "wuhai": {"wuhai_2020_selfeval", "wuhai_2022_plan"},
        "mudanjiang": {"mudanjiang_2022_selfeval"},
        "mianyang": {"mianyang_2020_selfeval"},
        "yining": {"yining_2021_balance_review"},
    }
    for region, sources in expected.items():
        assert set(load_figures(region)["source"]) == sources


def test_every_district_named_has_figures_or_is_a_registry_entry():
    regions = load_regions()
    for slug in ["wuhai", "mudanjiang", "mianyang", "yining"]:
        districts = set(load_figures(slug)["district"]) - {""}
        assert districts <= set(regions.index[regions["parent"] == slug])
