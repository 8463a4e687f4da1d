"""Reading documents into blocks (eduanalysis.data.intake.readers / normalise).

The expected texts are copied by hand from the documents themselves (the seeds beside the
repository, ``../shared/seeds``) or from the fixtures each test writes; none is produced by
the code under test.
"""

from __future__ import annotations

import pytest

from eduanalysis import paths
from eduanalysis.data.intake.normalise import Line, drop_page_furniture, fold_glyphs, join_broken_lines
from eduanalysis.data.intake.readers import DocumentReadError, is_heading, read_document
from eduanalysis.errors import EduAnalysisError

SEEDS = paths.PROJECT_ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not found beside the repository")


# --- plain text --------------------------------------------------------------------------


@needs_seeds
def test_seed_000_lines_headings_and_locators():
    doc = read_document(SEEDS / "000_e3347fe4d2ea7ebf.txt")
    # 130 lines in the file, 65 of them non-empty (wc -l / grep -c .): one block each
    assert len(doc.blocks) == 65
    assert doc.format == "txt"
    assert doc.notes[0] == "编码 UTF-8"
    # line 3 of the file is the document number, line 13 the first section heading
    assert (doc.blocks[0].locator, doc.blocks[0].text) == ("第3行", "乌海政办字〔2020〕25号")
    assert doc.title == "乌海政办字〔2020〕25号"
    heading = next(b for b in doc.blocks if b.locator == "第13行")
    assert (heading.kind, heading.text) == ("heading", "一、自查自评情况")
    # the full-width punctuation of this seed is kept as printed (not folded to ASCII)
    assert "自治区人民政府教育督导委员会办公室：" in doc.text


@needs_seeds
def test_seed_002_indented_headings_are_stripped_and_detected():
    doc = read_document(SEEDS / "002_bbad99955d51e316.txt")
    headings = [(b.locator, b.text) for b in doc.blocks if b.kind == "heading"]
    # the seed's section structure (lines 7, 9, 53: "  一、自查自评情况及工作成效" …)
    assert headings[:2] == [("第7行", "一、自查自评情况及工作成效"), ("第9行", "(一)坚持教育优先发展,教育经费得到保障")]
    assert ("第53行", "二、经验做法") in headings
    assert next(b for b in doc.blocks if b.locator == "第3行").text == "发布时间:2022-07-28"


@needs_seeds
def test_every_seed_reads_and_keeps_every_non_empty_line():
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        doc = read_document(path)
        nonempty = [t for t in raw.splitlines() if t.strip()]
        assert len(doc.blocks) == len(nonempty), path.name


def test_gbk_and_bom_text(tmp_path):
    text = "一、基本情况\n全市共有⼩学１２所。\n"
    (tmp_path / "gbk.txt").write_bytes(text.replace("⼩", "小").encode("gbk"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    gbk = read_document(tmp_path / "gbk.txt")
    bom = read_document(tmp_path / "bom.txt")
    assert [b.text for b in gbk.blocks] == ["一、基本情况", "全市共有小学12所。"]
    assert [b.text for b in bom.blocks] == ["一、基本情况", "全市共有小学12所。"]
    assert gbk.notes[0] == "编码 GB18030/GBK"
    assert bom.notes[0] == "编码 UTF-8（带 BOM）"
    assert bom.notes[1] == "字形规范化 3 处：⼩→小 ×1、１→1 ×1、２→2 ×1"


def test_text_in_no_known_encoding_is_refused(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x81\x30\xff\xfe\x81")  # invalid as UTF-8 and as GB18030
    with pytest.raises(DocumentReadError, match=r"bad\.txt: the text is neither UTF-8 .* nor GBK/GB18030"):
        read_document(bad)
    assert issubclass(DocumentReadError, EduAnalysisError)


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(DocumentReadError, match=r"a\.doc.*cannot read documents of type '\.doc'; supported: \.txt"):
        read_document(tmp_path / "a.doc")
    with pytest.raises(DocumentReadError, match=r"none\.txt: no such file"):
        read_document(tmp_path / "none.txt")


# --- normalisation -----------------------------------------------------------------------


def test_radicals_supplement_folded_where_nfkc_does_not():
    # ⻓ U+2ED3 and ⻔ U+2ED4 survive NFKC; the explicit table folds them
    assert fold_glyphs("⻓期专⻔") == "长期专门"
    assert fold_glyphs("⼩⼈") == "小人"  # Kangxi radicals U+2F29, U+2F08 (NFKC)


def test_ratio_colon_kept_distinct():
    assert fold_glyphs("师生比1∶13.5") == "师生比1∶13.5"
    assert fold_glyphs("比例为１：４") == "比例为1：4"  # full-width digits fold, sentence colon kept as printed


def test_headings():
    assert is_heading("——小学。")
    assert is_heading("(十一) 对旗县级人民政府履行教育职责评价工作进展情况")
    assert not is_heading("1.5万名学生参加")


def test_page_numbers_and_running_header_dropped_and_counted():
    lines = [
        Line("乌海市教育事业发展规划", "第1页 第1行", 1),
        Line("全市小学30所。", "第1页 第2行", 1),
        Line("- 1 -", "第1页 第3行", 1),
        Line("乌海市教育事业发展规划", "第2页 第1行", 2),
        Line("初中12所。", "第2页 第2行", 2),
        Line("2", "第2页 第3行", 2),
    ]
    notes: list[str] = []
    assert [x.text for x in drop_page_furniture(lines, notes)] == ["全市小学30所。", "初中12所。"]
    assert notes == ["删去页码 2 处", "删去每页重复的页眉/页脚 2 处（“乌海市教育事业发展规划”）"]


def test_a_number_inside_a_page_is_not_a_page_number():
    lines = [Line("学校数", "第1页 第1行", 1), Line("30", "第1页 第2行", 1), Line("完", "第1页 第3行", 1)]
    assert [x.text for x in drop_page_furniture(lines, [])] == ["学校数", "30", "完"]


def test_broken_numbers_joined_but_not_ordinary_line_ends():
    notes: list[str] = []
    lines = [Line("投入3.5万", "第1行"), Line("元,新增12", "第2行"), Line("所学校", "第3行"), Line("2025", "第4行")]
    out = join_broken_lines(lines, notes)
    # 万|元 is joined; "12" then "所学校" is also a broken figure (所 is a unit); "所学校" then "2025" is not
    assert [(x.text, x.locator) for x in out] == [("投入3.5万元,新增12所学校", "第1行"), ("2025", "第4行")]
    assert notes == ["接合跨行断开的数字或单位 2 处"]
