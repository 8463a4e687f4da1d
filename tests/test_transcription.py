"""Every transcribed figure and every quoted claim can be found, as written, in its source.

The tests run for every region that has a file in ``data/raw/figures/`` or
``data/raw/claims/``: adding a region adds its tests.  The registered text copies of the
documents (``sources.csv`` column ``file``) sit beside the repository (``../shared/seeds``;
CI clones the project there); a region whose documents have no copy is skipped with a reason.
"""

from __future__ import annotations

import re

import pytest

from eduanalysis import load_figures, load_regions, paths
from eduanalysis.data.claims import load_claims, unquoted_claims
from eduanalysis.data.regions import ancestors
from eduanalysis.data.sources import load_sources, source_text

FIGURE_REGIONS = sorted(p.stem for p in paths.FIGURES_DIR.glob("*.csv"))
CLAIM_REGIONS = sorted(p.stem for p in paths.CLAIMS_DIR.glob("*.csv"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    """Registered documents by source id (text squashed), for those whose copy is present."""
    texts = {sid: source_text(sid) for sid in load_sources().index}
    return {sid: _squash(text) for sid, text in texts.items() if text is not None}


def _lineage_sources(region: str) -> set[str]:
    sources = load_sources()
    lineage = {region, *ancestors(region)}
    return set(sources.index[sources["region"].isin(lineage)])


def test_the_data_has_regions():
    assert FIGURE_REGIONS, f"no figures files in {paths.FIGURES_DIR}"


@pytest.mark.parametrize("region", FIGURE_REGIONS)
def test_every_value_appears_in_its_source(region, seeds):
    figures = load_figures(region)
    assert len(figures) > 0
    if not set(figures["source"]) & set(seeds):
        pytest.skip(f"no text copy of {region}'s documents is present")
    missing = []
    for rec in figures.itertuples():
        if rec.source not in seeds:
            continue  # a document registered without a text copy
        if _squash(rec.value_as_written) not in seeds[rec.source]:
            missing.append((rec.row, rec.value_as_written))
    assert missing == [], f"values not found verbatim in the source: {missing}"


@pytest.mark.parametrize("region", CLAIM_REGIONS)
def test_every_claim_is_quoted_verbatim(region, seeds):
    claims = load_claims(region)
    assert len(claims) > 0
    if not set(claims["source"]) & set(seeds):
        pytest.skip(f"no text copy of {region}'s documents is present")
    missing = unquoted_claims(claims)
    assert missing.empty, "quotes not found verbatim in the source: " + "; ".join(
        f"row {r.row} ({r.claim_id}): {r.quote}" for r in missing.itertuples()
    )


@pytest.mark.parametrize("region", FIGURE_REGIONS)
def test_each_region_draws_on_its_own_documents(region):
    # expectations from sources.csv: figures cite only documents of the region or a region
    # above it, and every document registered for the region itself is used
    used = set(load_figures(region)["source"]) | set(load_claims(region)["source"])
    assert used <= _lineage_sources(region)
    sources = load_sources()
    own = set(sources.index[sources["region"] == region])
    assert own <= used, f"documents registered for {region} but never cited: {sorted(own - used)}"


@pytest.mark.parametrize("region", sorted(set(FIGURE_REGIONS) | set(CLAIM_REGIONS)))
def test_every_district_named_is_a_registered_child(region):
    regions = load_regions()
    children = set(regions.index[regions["parent"] == region])
    named = (set(load_figures(region)["district"]) | set(load_claims(region)["district"])) - {""}
    assert named <= children
