"""How a report was made: parameters, input files with hashes, package version, run time."""

from __future__ import annotations

import hashlib
import html
import platform
from datetime import UTC, datetime
from pathlib import Path

from . import paths
from .registry import INDICATORS_CSV

__all__ = ["display_path", "file_sha256", "region_inputs", "input_hashes", "provenance_html"]


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """A file's path relative to the project (or the package), else as given."""
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        try:
            return "eduanalysis/" + path.resolve().relative_to(paths.PACKAGE_DIR).as_posix()
        except ValueError:
            return path.as_posix()


def region_inputs(region: str) -> list[Path]:
    """The input files one region's city report reads (those that exist)."""
    from .figures import figures_path

    candidates = [
        paths.REGIONS_CSV,
        figures_path(region),
        paths.DATA_RAW / "checks" / f"{region}.csv",
        INDICATORS_CSV,
        paths.PACKAGE_DIR / "standards" / "standards.csv",
    ]
    return [p for p in candidates if p.exists()]


def input_hashes(files: list[Path]) -> dict[str, str]:
    """``{project-relative path: sha256}`` for the given files."""
    return {display_path(Path(p)): file_sha256(p) for p in files}


def provenance_html(parameters: dict, files: list[Path]) -> str:
    """The provenance footer of a report as escaped HTML."""
    from . import __version__

    now = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    params = "".join(
        f"<tr><td><code>{html.escape(str(k))}</code></td><td><code>{html.escape(repr(v))}</code></td></tr>"
        for k, v in parameters.items()
    )
    inputs = "".join(
        f"<tr><td><code>{html.escape(name)}</code></td><td><code>{digest}</code></td></tr>"
        for name, digest in input_hashes(files).items()
    )
    return (
        '<footer class="ea-provenance">'
        "<h2>报告来源与生成信息</h2>"
        "<table><thead><tr><th>参数</th><th>取值</th></tr></thead>"
        f"<tbody>{params}</tbody></table>"
        "<table><thead><tr><th>输入文件</th><th>SHA-256</th></tr></thead>"
        f"<tbody>{inputs}</tbody></table>"
        f"<p>eduanalysis 版本 <code>{html.escape(__version__)}</code> · "
        f"Python {html.escape(platform.python_version())} · 生成时间 {html.escape(now)}</p>"
        "</footer>"
    )
