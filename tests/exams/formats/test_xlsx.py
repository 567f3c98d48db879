"""The Excel question-bank layout: template, errors by cell, safe reading, lossless export."""
import io
import re
import time
import zipfile

import openpyxl
import pytest

from exams.formats import FormatError, build_template, parse, write
from exams.formats.base import ParsedOption, ParsedQuestion
from exams.formats.xlsx import columns, example_questions

HEADERS = [column[1] for column in columns()]


def workbook_bytes(rows, headers=HEADERS, title="题库"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse_rows(*rows, **kwargs):
    return parse(workbook_bytes(rows, **kwargs), "题库.xlsx", "xlsx")


def test_the_template_has_one_valid_question_of_every_type():
    result = parse(build_template(), "模板.xlsx", "xlsx")
    assert result.ok and result.warnings == []
    assert [q.qtype for q in result.questions] == [
        "single", "multiple", "true_false", "fill_blank", "short_answer", "case_analysis"]
    assert result.questions == example_questions()


def test_the_template_has_notes_and_dropdowns():
    sheet = openpyxl.load_workbook(io.BytesIO(build_template())).active
    assert sheet["A1"].value == "题型*" and sheet["A1"].comment is not None
    ranges = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert '"单选,多选,判断,填空,简答,案例分析"' in ranges.values()
    assert '"1,2,3,4,5"' in ranges.values()


def test_export_then_import_gives_the_same_questions():
    questions = example_questions() + [
        ParsedQuestion(qtype="single", stem="=SUM(A1:A2) 是公式吗？", category=["其他"],
                       options=[ParsedOption("+是", True), ParsedOption("-否"),
                                ParsedOption("@也许")], tags=["公式", "安全"]),
        ParsedQuestion(qtype="fill_blank", stem="比例为____。",
                       blanks=[_blank("1/2", "一半|半数")]),
    ]
    data = write(questions, "xlsx")
    result = parse(data, "导出.xlsx", "xlsx")
    assert result.ok
    assert result.questions == questions


def _blank(*answers):
    from exams.formats.base import ParsedBlank
    return ParsedBlank(list(answers))


def test_formula_like_text_is_exported_as_text_not_a_formula():
    question = ParsedQuestion(qtype="short_answer", stem="=HYPERLINK(\"http://x\")")
    sheet = openpyxl.load_workbook(io.BytesIO(write([question], "xlsx"))).active
    assert sheet["C2"].data_type == "s" and sheet["C2"].value.startswith("=HYPERLINK")


def test_formula_cells_are_read_as_their_cached_values():
    data = workbook_bytes([{"题型": "单选", "题干": "题干", "选项A": "甲", "选项B": "乙",
                            "答案": "PLACEHOLDER"}])
    # Replace the answer cell by a formula whose last computed value is "B", as Excel
    # would have saved it.
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = re.sub(r'<c r="L2"[^>]*>.*?</c>',
                              '<c r="L2" t="str"><f>CHAR(66)</f><v>B</v></c>', text)
                content = text.encode()
            target.writestr(item, content)
    (question,) = parse(out.getvalue(), "公式.xlsx", "xlsx").questions
    assert question.correct_letters == "B"


@pytest.mark.parametrize("row, cell, words", [
    ({"题型": "单选", "题干": "缺答案", "选项A": "甲", "选项B": "乙"}, "题库!L2", "missing"),
    ({"题型": "单选", "题干": "无此选项", "选项A": "甲", "选项B": "乙", "答案": "D"},
     "题库!L2", "no option D"),
    ({"题型": "多选", "题干": "只有一项", "选项A": "甲", "答案": "A"}, "题库!D2", "two options"),
    ({"题型": "单选", "题干": "重复", "选项A": "甲", "选项B": "甲", "答案": "A"},
     "题库!D2", "twice"),
    ({"题型": "问答", "题干": "未知题型"}, "题库!A2", "not a question type"),
    ({"题型": "判断", "题干": "难度错", "答案": "对", "难度": 9}, "题库!P2", "difficulty"),
    ({"题型": "判断", "题干": "", "答案": "对"}, "题库!C2", "stem is empty"),
    ({"题型": "填空", "题干": "两空____和____", "答案": "甲"}, "题库!L2", "2 blanks"),
    ({"题型": "判断", "题干": "是非", "答案": "也许"}, "题库!L2", "true/false"),
    ({"题型": "单选", "题干": "所属", "选项A": "甲", "选项B": "乙", "答案": "A",
      "所属案例": "C9"}, "题库!X2", "C9"),
])
def test_row_errors_name_the_cell_and_the_column(row, cell, words):
    result = parse_rows(row)
    assert not result.ok
    (error,) = result.errors
    assert error.message.startswith(cell) and words in error.message


def test_english_headers_are_accepted_and_column_order_is_free():
    headers = ["answer", "stem", "type", "option a", "option b", "category"]
    result = parse_rows({"answer": "B", "stem": "题干", "type": "single", "option a": "甲",
                         "option b": "乙", "category": "通用法律/行政处罚法"},
                        headers=headers)
    (question,) = result.questions
    assert question.correct_letters == "B"
    assert question.category == ["通用法律", "行政处罚法"]
    assert question.location == "题库!B2"


def test_a_missing_required_column_is_reported_at_the_header():
    result = parse_rows({"题干": "x"}, headers=["题干"])
    assert [e.location for e in result.errors] == ["题库!A1"]
    assert "题型" in result.errors[0].message


def test_a_sheet_with_only_headers_is_an_error():
    result = parse_rows()
    assert not result.ok and "no questions" in result.errors[0].message


@pytest.mark.parametrize("filename, data, words", [
    ("题库.xls", b"PK\x03\x04", ".xlsx"),
    ("题库.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password"),
    ("题库.xlsx", b"PK\x03\x04 damaged", "damaged"),
    ("题库.xlsx", "题型,题干\n单选,x\n".encode(), "not an Excel"),
])
def test_unreadable_workbooks_are_format_errors_naming_the_file(filename, data, words):
    with pytest.raises(FormatError, match=words) as caught:
        parse(data, filename, "xlsx")
    assert filename in str(caught.value)


def test_an_empty_workbook_is_a_format_error():
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FormatError, match="empty"):
        parse(buffer.getvalue(), "空.xlsx", "xlsx")


@pytest.mark.slow
def test_twenty_thousand_questions_parse():
    question = example_questions()[1]
    data = write([question] * 20_000, "xlsx")
    started = time.monotonic()
    result = parse(data, "大题库.xlsx", "xlsx")
    elapsed = time.monotonic() - started
    assert result.ok and len(result.questions) == 20_000
    assert result.questions[-1].location == "题库!C20001"
    # openpyxl alone needs ~7 s here (it reads through defusedxml's pure-Python
    # parser); bench/question_formats.py measures the ratio properly.
    assert elapsed < 60
