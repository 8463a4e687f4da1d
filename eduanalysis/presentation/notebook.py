"""Notebook set-up and the provenance footer shared by every report notebook.

The sections themselves live in :mod:`eduanalysis.city` (per-city report),
:mod:`eduanalysis.balance` (school-level balance report) and
:mod:`eduanalysis.crosscity` (comparison of the cities).
"""

from __future__ import annotations

import html
import platform
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from ..data.provenance import input_hashes, region_inputs
from .plotting import set_theme

__all__ = ["provenance_footer", "provenance_html", "setup_notebook"]


def setup_notebook() -> None:
    """Theme, Chinese font and pandas display options for a report notebook."""
    set_theme()
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 160)


def provenance_footer(parameters: dict, inputs: list[str | Path] | None = None) -> None:
    """Show parameters, input files with SHA-256, package version and run time.

    ``inputs`` defaults to the files a city report reads for ``parameters["region"]``.
    """
    if inputs is None:
        region = parameters.get("region")
        files = region_inputs(region) if region else []
    else:
        files = [Path(p) for p in inputs]
    display(HTML(provenance_html(parameters, files)))


def provenance_html(parameters: dict, files: list[Path]) -> str:
    """The provenance footer of a report as escaped HTML."""
    from .. import __version__

    now = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    params = "".join(
        f"<tr><td><code>{html.escape(str(k))}</code></td><td><code>{html.escape(repr(v))}</code></td></tr>"
        for k, v in parameters.items()
    )
    inputs = "".join(
        f"<tr><td><code>{html.escape(name)}</code></td><td><code>{digest}</code></td></tr>"
        for name, digest in input_hashes(files).items()
    )
    # for maintainers only: folded away, so a reader never has to see past hashes and versions
    return (
        '<footer class="ea-provenance"><details>'
        "<summary><h2>报告来源与生成信息（供维护者复核，阅读报告不需要）</h2></summary>"
        "<p>供复核和重新生成本报告之用：生成时的参数、所读数据文件及其 SHA-256 校验值。</p>"
        "<table><thead><tr><th>参数</th><th>取值</th></tr></thead>"
        f"<tbody>{params}</tbody></table>"
        "<table><thead><tr><th>输入文件</th><th>SHA-256</th></tr></thead>"
        f"<tbody>{inputs}</tbody></table>"
        f"<p>eduanalysis 版本 <code>{html.escape(__version__)}</code> · "
        f"Python {html.escape(platform.python_version())} · 生成时间 {html.escape(now)}</p>"
        "</details></footer>"
    )
