"""The onboarding commands as a new user meets them: validate, new-region, regions.

Each test works in a copy of the project's data (``EDUANALYSIS_ROOT``), so the real
``data/raw/`` is never touched; no kernel is started.
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import run_cli

from eduanalysis import paths
from eduanalysis.data.figures import FIGURE_COLUMNS


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(paths.DATA_RAW, root / "data" / "raw")
    (tmp_path / "shared").mkdir()
    seeds = paths.PROJECT_ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        (tmp_path / "shared" / "seeds").symlink_to(seeds)
    return root, {**os.environ, "EDUANALYSIS_ROOT": str(root)}


def _append(path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def test_validate_reports_every_problem_at_once_with_suggestions(project):
    root, env = project
    figures = root / "data" / "raw" / "figures" / "yining.csv"
    row = "yining,,2020,{level},,{indicator},名称,{value},实际,,yining_2021_balance_review,四,"
    first = len(figures.read_text(encoding="utf-8").splitlines()) + 1  # the line the first appended row gets
    _append(figures, row.format(level="小學", indicator="retention_rate", value="99.71%"))  # Traditional 學
    _append(figures, row.format(level="初中", indicator="retention_rat", value="99.71%"))  # typo in the id
    _append(figures, row.format(level="中学", indicator="retention_rate", value="99.71%"))  # ambiguous level
    _append(figures, row.format(level="初中", indicator="retention_rate", value="99.17%"))  # not in the document
    result = run_cli("validate", "yining", cwd=root, env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    out = result.stdout
    assert "4 error(s)" in out
    assert f"row {first}, column `level`" in out and "did you mean 小学?" in out
    assert f"row {first + 1}, column `indicator`: 'retention_rat'" in out and "did you mean retention_rate" in out
    assert f"row {first + 2}, column `level`" in out and "初中（初级中学）或 普通高中" in out
    assert f"row {first + 3}, column `value_as_written`: '99.17%' is not found verbatim" in out


def test_validate_warns_about_gbk_and_conflicting_duplicates(project):
    root, env = project
    regions = root / "data" / "raw" / "regions.csv"
    regions.write_bytes(regions.read_text(encoding="utf-8").encode("gbk"))
    result = run_cli("validate", "wuhai", cwd=root, env=env)
    assert result.returncode == 0, result.stdout  # warnings only
    assert "saved as GBK; it was read correctly, but save it as UTF-8" in result.stdout
    assert "is stated with different values (51.2%；50.8%)" in result.stdout


def test_new_region_creates_only_new_files_and_prints_rows_to_register(project):
    root, env = project
    result = run_cli(
        "new-region",
        "changchun",
        "--name",
        "长春市",
        "--province",
        "吉林省",
        "--kind",
        "地级市",
        "--district",
        "changchun_nanguan:南关区:市辖区",
        cwd=root,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    header = (root / "data" / "raw" / "figures" / "changchun.csv").read_text(encoding="utf-8")
    assert header == ",".join(FIGURE_COLUMNS) + "\n"
    assert (root / "data" / "raw" / "checks" / "changchun.csv").exists()
    assert "changchun,长春市,吉林省,,地级市" in result.stdout
    assert "changchun_nanguan,南关区,吉林省,changchun,市辖区" in result.stdout
    assert "长春市" not in (root / "data" / "raw" / "regions.csv").read_text(encoding="utf-8")  # never edited
    # the new region has no figures yet: validate says what to add, exit 2
    _append(root / "data" / "raw" / "regions.csv", "changchun,长春市,吉林省,,地级市")
    result = run_cli("validate", "changchun", cwd=root, env=env)
    assert result.returncode == 2
    assert "no document is registered for 'changchun'" in result.stdout
    assert "changchun.csv: the file has a header but no rows yet" in result.stdout


def test_a_slug_used_in_another_province_is_refused(project):
    root, env = project
    same = ["--name", "海南区", "--province", "内蒙古自治区", "--kind", "市辖区", "--parent", "wuhai"]
    result = run_cli("new-region", "hainan", *same, cwd=root, env=env)
    assert result.returncode == 0, result.stderr  # the registered 海南区 itself: nothing to register
    for other in (
        ["--name", "海南省", "--province", "海南省", "--kind", "省"],
        [*same[:2], "--province", "海南省", *same[4:]],
    ):
        result = run_cli("new-region", "hainan", *other, cwd=root, env=env)
        assert result.returncode == 2
        assert "slug 'hainan' is already used by 海南区（内蒙古自治区，wuhai）" in result.stderr
        assert "slugs are unique across provinces" in result.stderr
    # a district reusing another city's district slug is refused too, not silently dropped
    result = run_cli(
        "new-region",
        "liaoyuan",
        "--name",
        "辽源市",
        "--province",
        "吉林省",
        "--kind",
        "地级市",
        "--district",
        "xian:西安区:市辖区",
        cwd=root,
        env=env,
    )
    assert result.returncode == 2 and "slug 'xian' is already used by 西安区（黑龙江省，mudanjiang）" in result.stderr


def test_duplicate_slugs_in_the_registry_name_both_rows(project):
    root, env = project
    _append(root / "data" / "raw" / "regions.csv", "hainan,海南区,海南省,,地级市")
    result = run_cli("regions", cwd=root, env=env)
    assert result.returncode == 2
    assert "'hainan' is used twice (海南区（内蒙古自治区）、海南区（海南省）)" in result.stderr
    assert "<city>_hainan" in result.stderr


def test_regions_says_which_have_figures(project):
    root, env = project
    result = run_cli("regions", cwd=root, env=env)
    assert result.returncode == 0
    lines = {line.split("\t")[0]: line for line in result.stdout.splitlines()}
    assert lines["haibowan"].endswith("\t6\t是") and lines["xian"].endswith("\t0\t否（尚无数据）")


@pytest.mark.parametrize("command", ["findings", "audit"])
def test_findings_and_audit_of_a_region_whose_figures_file_is_empty_say_what_to_add(project, command):
    root, env = project
    figures = root / "data" / "raw" / "figures" / "yining.csv"
    figures.write_text(",".join(FIGURE_COLUMNS) + "\n", encoding="utf-8")  # the header, no rows
    result = run_cli(command, "伊宁", cwd=root, env=env)
    assert result.returncode == 2, result.stderr
    assert "region 'yining' (伊宁市) has no figures to report" in result.stderr
    assert "Traceback" not in result.stderr
