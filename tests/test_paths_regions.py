from __future__ import annotations

import subprocess
import sys

import pytest

from eduanalysis import UnknownRegionError, get_region, load_regions, paths
from eduanalysis.data.regions import report_regions
from eduanalysis.errors import DataValidationError


def test_paths_do_not_depend_on_the_working_directory(tmp_path):
    code = "from eduanalysis import paths; print(paths.PROJECT_ROOT); print(paths.REGIONS_CSV)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == str(paths.PROJECT_ROOT)
    assert (paths.PROJECT_ROOT / "pyproject.toml").exists()
    assert out[1] == str(paths.PROJECT_ROOT / "data" / "raw" / "regions.csv")


def test_registry_has_the_four_cities():
    regions = load_regions()
    assert {"wuhai", "mudanjiang", "mianyang", "yining"} <= set(regions.index)
    assert get_region("yining")["name_zh"] == "伊宁市"
    assert set(report_regions()) >= {"wuhai", "mudanjiang", "mianyang", "yining"}


def test_unknown_region_lists_the_known_ones():
    with pytest.raises(UnknownRegionError, match=r"unknown region 'atlantis'; known regions: .*yining"):
        get_region("atlantis")


def test_bad_registry_slug_names_row_and_column(tmp_path):
    bad = tmp_path / "regions.csv"
    bad.write_text(
        "slug,name_zh,province,parent,kind\nyining,伊宁市,新疆,,县级市\nWu Hai,乌海市,内蒙古,,地级市\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError, match=r"regions.csv, row 3, column `slug`.*'Wu Hai'"):
        load_regions(bad)


def test_registry_parent_must_exist(tmp_path):
    bad = tmp_path / "regions.csv"
    bad.write_text("slug,name_zh,province,parent,kind\nhaibowan,海勃湾区,内蒙古,wuhai,市辖区\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"row 2, column `parent`: 'wuhai'"):
        load_regions(bad)
