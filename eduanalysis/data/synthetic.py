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

__all__ = ["DEMO_FILE", "SYNTHETIC_LABEL", "make_demo_county", "write_demo_county"]

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


if __name__ == "__main__":  # pragma: no cover
    print(write_demo_county())
