"""``eduanalysis new-region``: start a region's data files, following docs/adding-a-region.md.

It creates only *new* files — ``data/raw/figures/<slug>.csv`` and
``data/raw/checks/<slug>.csv`` with their header rows — and never edits an existing one:
``data/raw/`` is the user's data, changed by hand in reviewed commits.  The rows the
region registry and the source registry need are printed for the user to paste in.
"""

from __future__ import annotations

import csv
import io

from .. import paths
from ..errors import DataValidationError
from .figures import FIGURE_COLUMNS
from .regions import REGION_COLUMNS, REGION_KINDS, load_regions
from .sources import SOURCE_COLUMNS
from .vocabulary import suggest

__all__ = ["new_region"]

_CHECK_COLUMNS = ["check_id", "kind", "target", "inputs", "description", "note"]


def _line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def _check_slug(slug: str, what: str) -> None:
    if not slug or not slug.isascii() or not all(c.isalnum() or c == "_" for c in slug) or slug.lower() != slug:
        raise DataValidationError(f"{what}: expected lower-case ASCII letters, digits or _, found {slug!r}")


def _check_kind(kind: str, what: str) -> None:
    if kind not in REGION_KINDS:
        raise DataValidationError(
            f"{what}: expected one of {'、'.join(REGION_KINDS)}, found {kind!r}{suggest(kind, REGION_KINDS)}"
        )


def new_region(
    slug: str,
    *,
    name_zh: str,
    province: str,
    kind: str,
    parent: str = "",
    districts: list[str] = (),
) -> list[str]:
    """Create the region's empty data files; return the lines to show the user.

    ``districts`` items are ``"slug:名称:类型"``.  Slugs already in ``regions.csv`` must
    describe the same region (name); a slug used by another region is refused, with the
    advice to prefix the city's slug.
    """
    _check_slug(slug, "slug")
    _check_kind(kind, "--kind")
    regions = load_regions()
    if parent and parent not in regions.index:
        raise DataValidationError(f"--parent: {parent!r} is not in regions.csv{suggest(parent, regions.index)}")
    wanted = [(slug, name_zh, province, parent, kind)]
    for item in districts:
        parts = item.split(":")
        if len(parts) != 3:
            raise DataValidationError(
                f"--district: expected SLUG:名称:类型, e.g. changchun_chaoyang:朝阳区:市辖区, found {item!r}"
            )
        d_slug, d_name, d_kind = (p.strip() for p in parts)
        _check_slug(d_slug, f"--district {item!r}")
        _check_kind(d_kind, f"--district {item!r}")
        wanted.append((d_slug, d_name, province, slug, d_kind))
    to_register = []
    for row in wanted:
        if row[0] in regions.index:
            have = regions.loc[row[0]]
            if (have["name_zh"], have["province"], have["parent"]) != (row[1], row[2], row[3]):
                raise DataValidationError(
                    f"slug {row[0]!r} is already used by {have['name_zh']}"
                    f"（{have['province']}{'，' + have['parent'] if have['parent'] else ''}）; "
                    f"slugs are unique across provinces — use e.g. {slug if row[0] != slug else 'city'}_{row[0]}"
                )
        else:
            to_register.append(row)
    created = []
    for path, header in (
        (paths.FIGURES_DIR / f"{slug}.csv", FIGURE_COLUMNS),
        (paths.CHECKS_DIR / f"{slug}.csv", _CHECK_COLUMNS),
    ):
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_line(header) + "\n", encoding="utf-8")
        created.append(path)
    lines = []
    if created:
        lines.append("created (header rows only):")
        lines += [f"  {p.relative_to(paths.PROJECT_ROOT)}" for p in created]
    else:
        lines.append("the region's data files already exist; nothing was created")
    if to_register:
        lines.append(
            f"\nadd these rows to {paths.REGIONS_CSV.relative_to(paths.PROJECT_ROOT)} ({','.join(REGION_COLUMNS)}):"
        )
        lines += ["  " + _line(list(row)) for row in to_register]
    lines.append(
        f"\nregister each source document in {paths.SOURCES_CSV.relative_to(paths.PROJECT_ROOT)} "
        f"({','.join(SOURCE_COLUMNS)}), e.g.:"
    )
    lines.append(
        "  "
        + _line([f"{slug}_2023_selfeval", slug, "文件标题", "发文机关", "2023-06-30", "履职自评报告", "", "", "", ""])
    )
    lines.append(
        f"\nthen transcribe the figures into data/raw/figures/{slug}.csv (docs/adding-a-region.md) and run "
        f"`eduanalysis validate {slug}`"
    )
    return lines
