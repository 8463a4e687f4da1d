"""Reading documents into blocks (eduanalysis.data.intake.readers / normalise).

The expected texts are copied by hand from the documents themselves (the seeds beside the
repository, ``../shared/seeds``) or from the fixtures each test writes; none is produced by
the code under test.
"""

from __future__ import annotations

import pytest
from conftest import cjk_pdf as _cjk_pdf

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


# --- fixtures written by the tests: .pdf, .docx, .html ----------------------------------------


def test_pdf_text_layer_kangxi_broken_number_and_running_header(tmp_path):
    pdf = tmp_path / "plan.pdf"
    header = "乌海市教育事业发展规划"
    _cjk_pdf(
        pdf,
        [
            [header, "一、发展目标", "到2025年，学前三年毛⼊园率达到92.", "5%。", "- 1 -"],
            [header, "二、⼩学", "全市⼩学专任教师⼈数1200⼈。", "- 2 -"],
        ],
    )
    doc = read_document(pdf)
    assert doc.format == "pdf"
    assert doc.title == "某市教育事业发展规划"  # the PDF's own metadata
    assert [(b.locator, b.kind, b.text) for b in doc.blocks] == [
        ("第1页 第2行", "heading", "一、发展目标"),
        ("第1页 第3行", "paragraph", "到2025年，学前三年毛入园率达到92.5%。"),
        ("第2页 第2行", "heading", "二、小学"),
        ("第2页 第3行", "paragraph", "全市小学专任教师人数1200人。"),
    ]
    # ⼊ once, ⼩ twice, ⼈ twice; two page numbers; the header on both pages; 92. + 5%
    assert doc.notes == [
        "字形规范化 5 处：⼩→小 ×2、⼈→人 ×2、⼊→入 ×1",
        "删去页码 2 处",
        "删去每页重复的页眉/页脚 2 处（“乌海市教育事业发展规划”）",
        "接合跨行断开的数字或单位 1 处",
    ]


def test_pdf_table_rows_keep_cells_and_header(tmp_path):
    pdf = tmp_path / "annex.pdf"
    rows = [["区", "生师比", "班额"], ["海勃湾区", "13.5", "45"], ["乌达区", "12.1", "41"]]
    _cjk_pdf(pdf, [["附表 各区指标"]], table=rows)
    doc = read_document(pdf)
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [b.cells for b in rows] == [("区", "生师比", "班额"), ("海勃湾区", "13.5", "45"), ("乌达区", "12.1", "41")]
    assert rows[1].header == ("区", "生师比", "班额")
    assert [b.locator for b in rows] == ["第1页 表1 第1行", "第1页 表1 第2行", "第1页 表1 第3行"]
    assert doc.blocks[0].text == "附表 各区指标"  # the text above the table comes first
    assert "海勃湾区" not in "".join(b.text for b in doc.blocks if b.kind != "table_row")  # not read twice


def test_scanned_pdf_without_text_layer_is_refused(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan), pagesize=(200, 200))
    c.drawImage(ImageReader(Image.new("L", (40, 40), 128)), 10, 10, 100, 100)
    c.showPage()
    c.save()
    with pytest.raises(DocumentReadError, match=r"scan\.pdf: the PDF has no text layer .*it needs OCR first"):
        read_document(scan)


def test_damaged_pdf_is_refused(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(DocumentReadError, match=r"bad\.pdf: not a readable PDF file"):
        read_document(bad)


def test_docx_paragraphs_and_annex_table_in_document_order(tmp_path):
    import docx

    word = docx.Document()
    word.core_properties.title = "某县义务教育优质均衡发展自评报告"
    word.add_heading("一、基本情况", level=1)
    word.add_paragraph("全县共有⼩学18所，在校生１２３４５人。")
    word.add_paragraph("")
    table = word.add_table(rows=3, cols=3)
    rows = [["学校", "生均图书(册)", "师生比"], ["城关小学", "32.5", "1∶17"], ["新村小学", "28", "1∶15"]]
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            table.cell(r, k).text = text
    word.add_paragraph("——初中。")
    path = tmp_path / "report.docx"
    word.save(path)
    doc = read_document(path)
    assert doc.title == "某县义务教育优质均衡发展自评报告"
    assert [(b.locator, b.kind, b.text) for b in doc.blocks] == [
        ("第1段", "heading", "一、基本情况"),
        ("第2段", "paragraph", "全县共有小学18所，在校生12345人。"),
        ("表1 第1行", "table_row", "学校\t生均图书(册)\t师生比"),
        ("表1 第2行", "table_row", "城关小学\t32.5\t1∶17"),
        ("表1 第3行", "table_row", "新村小学\t28\t1∶15"),
        ("第3段", "heading", "——初中。"),
    ]
    assert doc.blocks[3].cells == ("城关小学", "32.5", "1∶17")
    assert doc.blocks[3].header == ("学校", "生均图书(册)", "师生比")


def test_not_a_docx_is_refused(tmp_path):
    fake = tmp_path / "old.docx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 an old binary .doc renamed")
    with pytest.raises(DocumentReadError, match=r"old\.docx: not a readable Word \.docx file .*saved as \.docx"):
        read_document(fake)


def test_html_drops_navigation_and_footer_and_reads_tables(tmp_path):
    page = """<!DOCTYPE html><html><head><meta charset="gbk"><title>某市教育局 - 统计公报</title>
    <style>p {color: red}</style><script>var x = "2025年达到100%";</script></head><body>
    <div class="top-nav"><a href="/">首页</a> | <a href="/jg">机构概况</a></div>
    <nav><ul><li>政务公开</li></ul></nav>
    <div id="breadcrumb">当前位置：首页 &gt; 政务公开</div>
    <div class="article"><h2>2023年某市教育事业统计公报</h2>
    <p>全市共有<b>幼儿园</b>120所，
       比上年增加3所。</p>
    <p>小学专任教师<span>4567</span>人，师生比1∶16.2。</p>
    <table><tr><th>区</th><th>学校数(所)</th></tr><tr><td>东区</td><td>40</td></tr></table>
    </div>
    <div class="footer">版权所有：某市教育局 电话：0471-1234567</div>
    <footer>网站标识码 1500000001</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gbk"))
    doc = read_document(path)
    assert doc.title == "某市教育局 - 统计公报"
    assert [(b.locator, b.kind, b.text) for b in doc.blocks] == [
        ("第1段", "heading", "2023年某市教育事业统计公报"),
        ("第2段", "paragraph", "全市共有幼儿园120所，比上年增加3所。"),  # a source line break between CJK: none
        ("第3段", "paragraph", "小学专任教师4567人，师生比1∶16.2。"),
        ("表1 第1行", "table_row", "区\t学校数(所)"),
        ("表1 第2行", "table_row", "东区\t40"),
    ]
    assert doc.notes[0] == "编码 gbk"


def test_html_article_header_and_headed_containers_are_kept(tmp_path):
    page = """<html><head><title>t</title></head><body>
    <header class="site-header"><div class="logo">某市人民政府</div></header>
    <article><header><h1>某县教育事业发展规划</h1><p>发布日期：2022-06-14</p></header>
    <div class="article-head"><h2>一、发展基础</h2></div>
    <p>全县小学入学率100%。</p><footer>责任编辑：张三</footer></article>
    <div class="bottom-nav"><a>网站地图</a></div></body></html>"""
    path = tmp_path / "plan.htm"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == [
        "某县教育事业发展规划",
        "发布日期：2022-06-14",
        "一、发展基础",
        "全县小学入学率100%。",
        "责任编辑：张三",
    ]
    assert doc.notes[1] == "删去导航、页眉页脚、脚本等页面元素 2 处"


def test_password_protected_pdf_and_empty_document_are_refused(tmp_path):
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    plain = tmp_path / "plain.pdf"
    c = canvas.Canvas(str(plain))
    c.drawString(72, 700, "2020: 12 schools")
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    writer.write(str(locked))
    with pytest.raises(DocumentReadError, match=r"locked\.pdf: the PDF is protected by a password"):
        read_document(locked)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(DocumentReadError, match=r"empty\.txt: no text found in the document"):
        read_document(empty)


def test_pdf_paragraph_unwrapping_rules():
    from eduanalysis.data.intake.readers import _unwrap

    lines = [
        Line("全市共有普通小学30所，在校生", "第1页 第1行", 1, True),  # a full line: the sentence goes on
        Line("2.1万人。", "第1页 第2行", 1, False),
        Line("二、学前教育", "第1页 第3行", 1, True),  # a heading, even a full line, stands alone
        Line("The plan covers", "第1页 第4行", 1, True),
        Line("all districts.", "第1页 第5行", 1, False),
    ]
    notes: list[str] = []
    out = _unwrap(lines, notes)
    assert [(x.locator, x.text) for x in out] == [
        ("第1页 第1行", "全市共有普通小学30所，在校生2.1万人。"),
        ("第1页 第3行", "二、学前教育"),
        ("第1页 第4行", "The plan covers all districts."),
    ]
    assert notes == ["按版面折行的 5 行合并为 3 段"]
