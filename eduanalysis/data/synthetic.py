"""The synthetic demo county (合成示例数据): made-up schools for demonstrations and tests.

Not real schools.  The generator is seeded, so the committed file
``data/raw/schools/synthetic_demo_county.csv`` is reproducible byte for byte
(``python -m eduanalysis.synthetic`` rewrites it; a test checks it).  Magnitudes are
chosen around the 2017 thresholds so that some schools pass and some do not: primary
schools of 60–2,000 students, junior schools of 200–2,500, one 九年一贯制 school with
both sections and one 教学点 under 50 students.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths

__all__ = [
    "DEMO_FILE",
    "SYNTHETIC_LABEL",
    "add_synthetic_regions",
    "make_demo_county",
    "synthetic_region",
    "write_demo_county",
]

DEMO_FILE = paths.SCHOOLS_DIR / "synthetic_demo_county.csv"
SYNTHETIC_LABEL = "合成示例数据，非真实学校"
_SEED = 20261123
_NUMERALS = "一二三四五六七八九十"


def _name(i: int, suffix: str) -> str:
    n = i + 1
    text = _NUMERALS[n - 1] if n <= 10 else "十" + _NUMERALS[n - 11]
    return f"示例县第{text}{suffix}"


def make_demo_county(seed: int = _SEED) -> pd.DataFrame:
    """Return the synthetic county as a table with the Chinese headers of an export."""
    rng = np.random.default_rng(seed)
    rows = []

    def school(name, level, kind, pupils, good):
        # good ∈ (0.7, 1.4): how well-resourced the school is relative to the 2017 thresholds
        def g(spread=0.15):
            return good * rng.uniform(1 - spread, 1 + spread)

        primary = level == "小学"
        per = {
            "教学及辅助用房面积": (4.5 if primary else 5.8) * g(),
            "体育运动场馆面积": (7.5 if primary else 10.2) * g(0.3),
            "教学仪器设备值": (2000 if primary else 2500) * g(0.25),
            "计算机台数": 0.12 * g(0.3),
            "图书册数": (25 if primary else 35) * g(0.2),
            "专任教师数": (1 / 17 if primary else 1 / 12.5) * g(0.1),
            "高于规定学历教师数": (0.045 if primary else 0.055) * g(0.2),
            "中级及以上专业技术职务教师数": 0.03 * g(0.3),
            "县级以上骨干教师数": 0.011 * g(0.4),
            "体育艺术专任教师数": 0.010 * g(0.3),
            "网络多媒体教室数": (0.024 if primary else 0.025) * g(0.2),
        }
        row = {"学校名称": name, "学段": level, "学校类型": kind, "在校生数": pupils}
        for column, value in per.items():
            total = value * pupils
            row[column] = round(total, 1) if column.endswith("面积") else int(round(total))
        row["教学仪器设备值"] = int(round(row["教学仪器设备值"], -2))
        row["备注"] = SYNTHETIC_LABEL
        rows.append(row)

    for i in range(14):
        pupils = int(rng.integers(60, 2000))
        school(_name(i, "小学"), "小学", "完全小学", pupils, rng.uniform(0.75, 1.35))
    for i in range(6):
        pupils = int(rng.integers(200, 2500))
        school(_name(i, "中学"), "初中", "初级中学", pupils, rng.uniform(0.8, 1.3))
    school("示例县实验学校", "小学", "九年一贯制学校", 1100, 1.1)
    school("示例县实验学校", "初中", "九年一贯制学校", 620, 1.05)
    school("示例县山口教学点", "小学", "教学点", 38, 0.7)
    return pd.DataFrame(rows)


def write_demo_county(path: str | Path = DEMO_FILE) -> Path:
    """Write the demo county as UTF-8 CSV (LF line ends); returns the path."""
    path = Path(path)
    buffer = io.StringIO()
    make_demo_county().to_csv(buffer, index=False, lineterminator="\n")
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


#: the eight 2012 indicators whose coefficients a district review reports, with their wording
_CV_NAMES = {
    "cv_teaching_aux_area_per_student": "生均教学及辅助用房面积差异系数",
    "cv_sports_area_per_student": "生均体育运动场馆面积差异系数",
    "cv_equipment_value_per_student": "生均教学仪器设备值差异系数",
    "cv_computers_per_100": "每百名学生拥有计算机台数差异系数",
    "cv_books_per_student": "生均图书册数差异系数",
    "cv_teachers_per_student": "师生比差异系数",
    "cv_qualified_teachers_per_student": "生均高于规定学历教师数差异系数",
    "cv_senior_title_teachers_per_student": "生均中级及以上专业技术职务教师数差异系数",
}
_DISTRICTS = ("东区", "西区", "南区", "北区")
FIGURE_COLUMNS = [
    "region", "district", "year", "level", "group", "indicator", "name_in_source",
    "value_as_written", "value_type", "attribute", "source", "locator", "note",
]  # fmt: skip


def synthetic_region(i: int, template: list[dict], rng: np.random.Generator) -> dict:
    """One made-up city (合成示例数据) for benchmarks: its registry rows and its figures.

    The city reports ``template``'s figures (a real city's, as transcribed) with its budget
    series redrawn, and has three or four districts that each report the eight 2012
    coefficients and their composite for 小学 and 初中 (composites consistent with the
    coefficients, as in ``tests/fixtures/demo_region``).  Returns ``{"regions": rows,
    "source": row, "figures": rows}`` with the columns of ``data/raw``.

    >>> rng = np.random.default_rng(1)
    >>> r = synthetic_region(3, [], rng)
    >>> r["regions"][0]["slug"], r["regions"][0]["name_zh"], len(r["regions"]) - 1 >= 3
    ('synth003', '合成示例市3', True)
    >>> composite = [f for f in r["figures"] if f["indicator"] == "composite_cv"][0]
    >>> parts = [f for f in r["figures"] if f["district"] == composite["district"]
    ...          and f["level"] == composite["level"] and f["indicator"].startswith("cv_")]
    >>> mean = sum(float(f["value_as_written"]) for f in parts) / 8
    >>> len(parts), float(composite["value_as_written"]) == round(mean, 2)
    (8, True)
    """
    slug = f"synth{i:03d}"
    name = f"合成示例市{i}"
    source = f"{slug}_synthetic"
    regions = [{"slug": slug, "name_zh": name, "province": "合成省", "parent": "", "kind": "地级市"}]
    figures = []
    budget = 100000 * rng.uniform(0.5, 2.0)
    for row in template:
        row = dict(row, region=slug, district="", source=source, note="合成示例数据")
        if row["indicator"] == "edu_budget_expenditure":
            budget *= rng.uniform(0.97, 1.12)
            row["value_as_written"] = f"{budget:.0f} 万元"
        figures.append(row)
    for k, district_zh in enumerate(_DISTRICTS[: int(rng.integers(3, 5))]):
        district = f"{slug}_d{k + 1}"
        regions.append(
            {"slug": district, "name_zh": district_zh, "province": "合成省", "parent": slug, "kind": "市辖区"}
        )
        for level, scale in (("小学", 0.45), ("初中", 0.35)):
            values = np.round(rng.uniform(0.5, 1.6, len(_CV_NAMES)) * scale, 2)
            for (indicator, wording), value in zip(_CV_NAMES.items(), values, strict=True):
                said = f"{district_zh}{level}{wording}"
                figures.append(_figure(slug, district, level, indicator, said, f"{value:.2f}", source, k))
            composite = round(float(values.sum()) / len(values), 2)
            said = f"{district_zh}{level}综合差异系数"
            figures.append(_figure(slug, district, level, "composite_cv", said, f"{composite:.2f}", source, k))
    source_row = {
        "source_id": source, "region": slug, "title": f"{name}义务教育均衡发展情况（合成示例，非真实文件）",
        "issuer": f"{name}教育局（合成）", "date": "2024-06-30", "kind": "督导评估报告", "doc_number": "",
        "address": "", "file": "", "note": "基准测试用合成数据",
    }  # fmt: skip
    return {"regions": regions, "source": source_row, "figures": figures}


def _figure(region, district, level, indicator, name, value, source, k) -> dict:
    return {
        "region": region, "district": district, "year": "2023", "level": level, "group": "",
        "indicator": indicator, "name_in_source": name, "value_as_written": value, "value_type": "实际",
        "attribute": "", "source": source, "locator": f"{_NUMERALS[k]}、{_DISTRICTS[k]}", "note": "合成示例数据",
    }  # fmt: skip


def add_synthetic_regions(raw_dir: str | Path, n: int, *, template: str = "yining", seed: int = _SEED) -> list[str]:
    """Add ``n`` synthetic cities to the ``data/raw`` copy at ``raw_dir``; return their slugs.

    For benchmarks and tests in a temporary project (``EDUANALYSIS_ROOT``): the project's
    own ``data/raw`` is refused (``ValueError``), raw data is never modified by code.
    ``template`` names the real city whose transcribed figures each synthetic city reuses.
    """
    import csv

    raw_dir = Path(raw_dir)
    if raw_dir.resolve() == paths.DATA_RAW.resolve():
        raise ValueError(f"{raw_dir} is the project's own raw data: synthetic regions go into a copy")
    with open(raw_dir / "figures" / f"{template}.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["district"]]
    rng = np.random.default_rng(seed)
    slugs = []
    with (
        open(raw_dir / "regions.csv", "a", encoding="utf-8", newline="") as regions,
        open(raw_dir / "sources.csv", "a", encoding="utf-8", newline="") as sources,
    ):
        region_writer = csv.DictWriter(regions, ["slug", "name_zh", "province", "parent", "kind"], lineterminator="\n")
        source_writer = None
        for i in range(1, n + 1):
            made = synthetic_region(i, rows, rng)
            region_writer.writerows(made["regions"])
            source_writer = source_writer or csv.DictWriter(sources, list(made["source"]), lineterminator="\n")
            source_writer.writerow(made["source"])
            slug = made["regions"][0]["slug"]
            with open(raw_dir / "figures" / f"{slug}.csv", "w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, FIGURE_COLUMNS, lineterminator="\n")
                writer.writeheader()
                writer.writerows(made["figures"])
            slugs.append(slug)
    return slugs


if __name__ == "__main__":  # pragma: no cover
    print(write_demo_county())
