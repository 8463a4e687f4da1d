"""`eduanalysis draft`: exit codes, the refusal to write into data/raw/, and a small end-to-end
draft of a seed document checked against rows read off its sentences by hand."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import pytest

from eduanalysis import paths
from eduanalysis.cli import main
from eduanalysis.data.intake.extract import DRAFT_COLUMNS, draft
from eduanalysis.data.intake.readers import read_document
from eduanalysis.data.intake.synonyms import learn_synonyms
from eduanalysis.data.numbers import parse_quantity
from eduanalysis.data.sources import load_sources
from eduanalysis.data.verbatim import found_verbatim, prepare_text
from eduanalysis.errors import EduAnalysisError

SEED_004 = (paths.PROJECT_ROOT / ".." / "shared" / "seeds" / "004_e96ec64e726a0813.txt").resolve()
CORPUS_PLAN = (paths.PROJECT_ROOT / ".." / "shared" / "corpus" / "shandong_2021_plan14.txt").resolve()
needs_seed = pytest.mark.skipif(not SEED_004.exists(), reason="the seed documents live in ../shared/seeds/")


def _raw_digest() -> str:
    h = hashlib.sha256()
    for p in sorted(paths.DATA_RAW.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(paths.DATA_RAW)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "到2025年，力争普惠性幼儿园覆盖率达到90%以上。\n全市共有幼儿园52所（其中民办1所）。\n", encoding="utf-8"
    )
    return path


def test_draft_writes_the_csv_and_prints_one_line(document, tmp_path, capsys):
    out = tmp_path / "draft.csv"
    assert main(["-q", "draft", str(document), "--region", "newcity", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and printed[0].startswith("3 figures drafted, ")
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(rows.columns) == DRAFT_COLUMNS
    assert rows["value_as_written"].tolist() == ["90%以上", "52所", "1所"]
    assert set(rows["region"]) == {"newcity"}


def test_out_inside_data_raw_is_refused_and_nothing_written(document, capsys):
    before = _raw_digest()
    target = paths.DATA_RAW / "figures" / "drafted.csv"
    assert main(["-q", "draft", str(document), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "data/raw/" in err and "Traceback" not in err
    assert not target.exists()
    assert _raw_digest() == before


def test_missing_document_is_one_line_exit_2(tmp_path, capsys):
    assert main(["-q", "draft", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "d.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nope.txt" in err
    assert not (tmp_path / "d.csv").exists()


def test_unknown_source_is_one_line_exit_2(document, tmp_path, capsys):
    assert main(["-q", "draft", str(document), "--source", "no_such_doc", "--out", str(tmp_path / "d.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no_such_doc" in err and "sources.csv" in err


def test_out_is_required(document):
    with pytest.raises(SystemExit) as exc:
        main(["draft", str(document)])
    assert exc.value.code == 2


def test_docx_paragraphs_and_table_are_drafted_the_same_way(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("全市普惠性幼儿园覆盖率达到90.3%，公办园在园幼儿占比达到50.3%。")
    table = document.add_table(rows=3, cols=3)
    for i, row in enumerate(
        [("区县", "小学生师比", "初中生师比"), ("海勃湾区", "16.5", "12.1"), ("乌达区", "15.2", "11.8")]
    ):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    path = tmp_path / "report.docx"
    document.save(path)
    doc = read_document(path)
    rows = draft(doc, region="wuhai")
    assert rows["value_as_written"].tolist() == ["90.3%", "50.3%", "16.5", "12.1", "15.2", "11.8"]
    assert rows["district"].tolist()[2:] == ["haibowan", "haibowan", "wuda", "wuda"]
    assert rows["level"].tolist()[2:] == ["小学", "初中", "小学", "初中"]
    # no year or date anywhere: the year is left for the reviewer, and the note says so
    assert rows["year"].tolist() == [""] * 6
    assert all(note.startswith("年份缺失") for note in rows["note"])
    for quote in rows["quote"]:
        assert quote in doc.text


@needs_seed
def test_end_to_end_seed_004_known_rows():
    """伊宁 (004) drafted with a synonym table learned without its own transcription."""
    doc = read_document(SEED_004)
    rows = draft(
        doc,
        region="yining",
        source="yining_2021_balance_review",
        synonyms=learn_synonyms(exclude_sources=["yining_2021_balance_review"]),
    )
    assert len(rows) > 50
    for quote in rows["quote"]:
        assert quote in doc.text

    def find(written: str) -> pd.Series:
        hit = rows[rows["value_as_written"] == written]
        assert len(hit) >= 1, written
        return hit.iloc[0]

    # 三(一): "2017 年—2020 年,伊 宁市财政从公共财政预算中对教育投入分别达到 122064 万元、 138501 万元、
    # 145654 万元、150438 万元"
    assert [find(v)["year"] for v in ("122064 万元", "138501 万元", "145654 万元", "150438 万元")] == [
        "2017",
        "2018",
        "2019",
        "2020",
    ]
    # 五(一)三: "2020 年伊宁市初中毕业生 8709 人(含内初班毕 业生)"
    grads = find("8709 人")
    assert (grads["year"], grads["level"], grads["value_type"]) == ("2020", "初中", "实际")
    # 三(二): "标准为小学 1250 元/生/年,初中 1500 元/生/年,特殊教育 1750 元/生/年" (2018-2019 年)
    assert find("1500 元/生/年")["level"] == "初中"
    assert find("1750 元/生/年")["level"] == "特殊教育"
    # 六: the primary-school CV of 生均体育运动场馆面积 is printed bare, 1.2059 (data/raw/README.md, item 5)
    assert find("1.2059")["level"] == "小学"
    # no figure is drafted from the document's dates: "2017 年 10 月 23 日-10 月 25 日"
    assert not rows["value_as_written"].isin(["23", "25", "10"]).any()


@needs_seed
def test_every_drafted_value_parses_and_is_found_verbatim():
    """A drafted value goes through the same parser and verbatim check as hand-typed figures when
    accepted: every value drafted from the five seeds and the corpus plan is acceptable as drafted
    (ranges 2—3个, fractions 1/3, inverted ratios 每5所幼儿园配备1名 included)."""
    documents = [
        ((paths.PROJECT_ROOT / s["file"]).resolve(), s["region"], source_id)
        for source_id, s in load_sources().iterrows()
    ]
    if CORPUS_PLAN.exists():
        documents.append((CORPUS_PLAN, None, None))
    forms = set()
    for path, region, source_id in documents:
        rows = draft(read_document(path), region=region, source=source_id)
        text = prepare_text(path.read_text(encoding="utf-8"))
        for written in rows["value_as_written"]:
            try:
                parse_quantity(written)
            except EduAnalysisError as exc:
                pytest.fail(f"{path.name}: drafted {written!r} cannot be read: {exc}")
            assert found_verbatim(written, text, prepared=True), (path.name, written)
        forms |= {w for w in rows["value_as_written"] if re.search(r"[—~]|/|分之|^每", w)}
    # the forms the parser could not read before are among them (the corpus plan prints each)
    if CORPUS_PLAN.exists():
        assert {"2—3个", "每5所幼儿园配备1名", "超过1/3"} <= forms


def test_pdf_end_to_end_through_eduanalysis_draft(tmp_path, capsys):
    """A PDF with a text layer (Kangxi glyphs, a number broken across lines, a running header,
    page numbers) drafted through the command line: rows with page/line locators, each acceptable
    as drafted.  Expected fields are read off the lines below by hand."""
    from conftest import cjk_pdf

    pdf = tmp_path / "plan.pdf"
    header = "乌海市教育事业发展规划"
    cjk_pdf(
        pdf,
        [
            [
                header,
                "一、发展目标",
                "到2025年，学前三年毛⼊园率达到92.",
                "5%。",
                "每5所幼儿园配备1名责任督学。",
                "- 1 -",
            ],
            [header, "二、⼩学", "全市⼩学专任教师⼈数1200⼈。", "每校建设2—3个科学实验室。", "- 2 -"],
        ],
    )
    out = tmp_path / "draft.csv"
    assert main(["-q", "draft", str(pdf), "--region", "newcity", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("4 figures drafted, ")
    rows = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("value_as_written")
    assert rows.index.tolist() == ["92.5%", "每5所幼儿园配备1名", "1200人", "2—3个"]
    # the page and line the figure starts on, after the section heading
    assert rows.loc["92.5%", "locator"] == "一、发展目标 / 第1页 第3行"
    assert rows.loc["每5所幼儿园配备1名", "locator"] == "一、发展目标 / 第1页 第5行"
    assert rows.loc["1200人", "locator"] == "二、小学 / 第2页 第3行"
    assert rows.loc["2—3个", "locator"] == "二、小学 / 第2页 第4行"
    # 92. + 5% joined across the line break; 毛⼊园率 normalised to 毛入园率 in the quote
    first = rows.loc["92.5%"]
    assert (first["year"], first["level"], first["value_type"]) == ("2025", "学前", "目标")
    assert "毛入园率" in first["quote"]
    # the heading "二、⼩学" (Kangxi ⼩) sets 小学 for the lines under it
    assert rows.loc["1200人", "level"] == "小学" and rows.loc["2—3个", "level"] == "小学"
    assert rows.loc["每5所幼儿园配备1名", "level"] == "学前"
    assert rows.loc["每5所幼儿园配备1名", "value_type"] == "标准"
    # every drafted value is read by the parser of hand-typed figures
    for written in rows.index:
        parse_quantity(written)
