"""Shared fixtures: small, hand-computable inputs; figures closed after every test."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from eduanalysis import paths


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def project_root():
    return paths.PROJECT_ROOT


@pytest.fixture
def worked_example() -> pd.DataFrame:
    """The published worked example of the difference coefficient (5 primary schools).

    Source: 县域义务教育校际均衡指标计算方法(以生均图书册数为例), as quoted in
    shared/reference/standards.md §1 (students and books per school).
    """
    return pd.DataFrame(
        {
            "school": ["小学1", "小学2", "小学3", "小学4", "小学5"],
            "students": [45, 37, 89, 76, 55],
            "books": [279, 137, 935, 160, 402],
        }
    )
