"""Large synthetic school tables for the benchmarks (seeded; generated, never committed).

Schools are drawn around the 2017 thresholds like the demo county
(``eduanalysis.data.synthetic``): each school has a "how well-resourced" factor in
0.7–1.4 and indicator-level noise, so some pass the school rule and some do not.  The
table has the Chinese headers of an export, so ``read_school_table`` reads it as it
would a real one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["make_school_table", "write_school_table"]

# (Chinese header, primary per student, junior per student, spread)
_RESOURCES = [
    ("教学及辅助用房面积", 4.5, 5.8, 0.15),
    ("体育运动场馆面积", 7.5, 10.2, 0.3),
    ("教学仪器设备值", 2000.0, 2500.0, 0.25),
    ("计算机台数", 0.12, 0.12, 0.3),
    ("图书册数", 25.0, 35.0, 0.2),
    ("专任教师数", 1 / 17, 1 / 12.5, 0.1),
    ("高于规定学历教师数", 0.045, 0.055, 0.2),
    ("中级及以上专业技术职务教师数", 0.03, 0.03, 0.3),
    ("县级以上骨干教师数", 0.011, 0.011, 0.4),
    ("体育艺术专任教师数", 0.010, 0.010, 0.3),
    ("网络多媒体教室数", 0.024, 0.025, 0.2),
]


def make_school_table(n_schools: int, *, n_regions: int = 1, seed: int = 20261123) -> pd.DataFrame:
    """A table of ``n_schools`` school sections (about 70 % primary), Chinese headers."""
    rng = np.random.default_rng(seed)
    junior = rng.random(n_schools) < 0.3
    pupils = np.where(junior, rng.integers(200, 2500, n_schools), rng.integers(60, 2000, n_schools))
    good = rng.uniform(0.75, 1.35, n_schools)
    data: dict[str, object] = {}
    if n_regions > 1:
        data["县区"] = np.char.add("县", rng.integers(0, n_regions, n_schools).astype(str))
    data["学校名称"] = np.char.add("合成学校", np.arange(1, n_schools + 1).astype(str))
    data["学段"] = np.where(junior, "初中", "小学")
    data["在校生数"] = pupils
    for header, primary, junior_value, spread in _RESOURCES:
        per = np.where(junior, junior_value, primary) * good * rng.uniform(1 - spread, 1 + spread, n_schools)
        total = per * pupils
        data[header] = np.round(total, 1) if header.endswith("面积") else np.round(total).astype(np.int64)
    data["教学仪器设备值"] = (np.round(np.asarray(data["教学仪器设备值"]), -2)).astype(np.int64)
    # teachers of a kind are among the school's full-time teachers: never more of them (the
    # reader refuses such a row, as it would in a real table)
    for header in ("高于规定学历教师数", "中级及以上专业技术职务教师数", "县级以上骨干教师数", "体育艺术专任教师数"):
        data[header] = np.minimum(data[header], data["专任教师数"])
    data["备注"] = "合成示例数据，非真实学校"
    return pd.DataFrame(data)


def write_school_table(path: str | Path, n_schools: int, **kwargs) -> Path:
    """Write :func:`make_school_table` as a UTF-8 CSV; returns the path."""
    path = Path(path)
    make_school_table(n_schools, **kwargs).to_csv(path, index=False)
    return path
