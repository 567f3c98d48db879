"""Every importer, fed hostile and random files: it succeeds or raises its own clear error.

Hypothesis builds workbooks (the importer's real header, shuffled or broken headers, cells of
every type including formulas and odd text), damaged zip files and random text in each
question format. Any exception other than the importer's own error type is a crash and
fails the test. The examples are derandomized so CI runs the same cases every time.
"""
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from certificates import importing as certificate_import
from content import attendance, benchmark_workbook, lawtext
from exams import formats
from exams.formats import FormatError
from people import roster
from people.models import Officer, Unit
from tests.competitions.judging_setup import marking  # noqa: F401 - fixture
from workbooks.reading import WorkbookError

FUZZ = hsettings(max_examples=60, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow, HealthCheck.data_too_large])

# --- Strategies -----------------------------------------------------------------------------

TOKENS = ["=1+1", '=HYPERLINK("http://evil.example","x")', "-2+3", "+86", "@SUM(A1:A2)",
          "在职", "离职", "是", "否", "A", "ABD", "单选题", "多选题", "判断题", "填空题", "简答题",
          "T", "T-E", "T-E-1", "T-W-1", "测试市文化市场综合执法总队", "东区第一大队（T-E-1）",
          "T000001", "2026-01-31", "2026/13/45", "1900-01-00", "０１２", "１．５", "¥100",
          "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "' OR 1=1 --",
          "\u202e反向", "\ufeffBOM", " ", "\t", "一、", "第三条", "警告", "罚款", "1-3", "5~10",
          "3.5", "-1", "1e308", "NaN", "∞", "|", ";", "；", "、", "\n", "x" * 300]

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30).map(
    lambda value: ILLEGAL_CHARACTERS_RE.sub("", value))
cell = st.one_of(
    st.none(), text, st.sampled_from(TOKENS),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=False),
    st.dates(), st.datetimes(), st.booleans(), st.decimals(allow_nan=False, places=3),
)


def header_variants(header):
    header = list(header)
    return st.one_of(
        st.just(header),
        st.permutations(header),
        st.lists(st.sampled_from(header + ["", "备注", "Name", None]), max_size=len(header) + 2),
        st.lists(cell, max_size=len(header) + 2),
    )


def workbooks(header, sheet_names=("Sheet",)):
    """Workbook bytes: a (possibly broken) header and up to 8 rows of arbitrary cells."""
    return st.builds(
        build_workbook,
        header_variants(header),
        st.lists(st.lists(cell, max_size=len(header) + 2), max_size=8),
        st.sampled_from(list(sheet_names)),
        st.booleans(),
    )


def build_workbook(header, rows, sheet_name, extra_sheet):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name
    for row in [header, *rows]:
        ws.append([value for value in row])
    if extra_sheet:
        wb.create_sheet("说明").append(["备注"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def damaged(valid):
    """Bytes of `valid` truncated or with a few bytes overwritten."""
    patch = st.tuples(st.integers(min_value=0, max_value=len(valid) - 1),
                      st.binary(min_size=1, max_size=16))
    return st.one_of(
        st.integers(min_value=0, max_value=len(valid)).map(lambda n: valid[:n]),
        st.lists(patch, min_size=1, max_size=6).map(lambda patches: apply(valid, patches)),
        st.binary(max_size=600).map(lambda junk: b"PK\x03\x04" + junk),
    )


def apply(data, patches):
    data = bytearray(data)
    for offset, chunk in patches:
        data[offset:offset + len(chunk)] = chunk
    return bytes(data)


def header_of(xlsx_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes), read_only=True)
    ws = wb.worksheets[0]
    header = [value for value in next(ws.iter_rows(values_only=True)) if value is not None]
    wb.close()
    return header


_VALID = {}


def valid_workbook(header):
    """One valid workbook per header (made once: each save stamps a new time in it)."""
    key = tuple(header)
    if key not in _VALID:
        _VALID[key] = build_workbook(list(header), [], "S", False)
    return _VALID[key]


def template_bytes(template):
    return template if isinstance(template, bytes) else template.getvalue()


# --- Roster ---------------------------------------------------------------------------------

ROSTER_HEADER = ["姓名*", "执法证号*", "所属单位*", "职务", "入职日期", "状态", "手机号"]


def parse_roster(data):
    try:
        roster.parse_roster(io.BytesIO(data), "花名册.xlsx", Unit.objects.all())
    except WorkbookError as exc:
        assert "花名册.xlsx" in str(exc)


@pytest.mark.django_db
@FUZZ
@given(data=workbooks(ROSTER_HEADER, ("花名册", "Sheet1")))
def test_roster_import_survives_any_workbook(org, data):
    parse_roster(data)


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_roster_import_survives_damaged_files(org, data):
    parse_roster(data.draw(damaged(valid_workbook(ROSTER_HEADER))))


# --- Question bank: Excel, Moodle XML, GIFT, Aiken ------------------------------------------------

def parse_questions(data, filename, fmt):
    try:
        formats.parse(data, filename, fmt)
    except FormatError as exc:
        assert str(exc)


@pytest.fixture(scope="module")
def question_template():
    return template_bytes(formats.xlsx.build_template())


@FUZZ
@given(data=st.data())
def test_question_workbooks_parse_or_fail_clearly(question_template, data):
    header = header_of(question_template)
    parse_questions(data.draw(workbooks(header)), "题库.xlsx", "xlsx")


@FUZZ
@given(data=st.data())
def test_damaged_question_workbooks_fail_clearly(question_template, data):
    parse_questions(data.draw(damaged(question_template)), "题库.xlsx", "xlsx")


XML_TYPES = ["multichoice", "truefalse", "shortanswer", "essay", "matching", "category",
             "description", "numerical", "cloze", "", "<"]
xml_text = st.one_of(text, st.sampled_from(TOKENS + ["<![CDATA[x]]>", "]]>", "&amp;", "&lt;",
                                                      "&#0;", "&#x110000;", "&unknown;"]))


@st.composite
def moodle_xml(draw):
    parts = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<quiz>"]
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        qtype = draw(st.sampled_from(XML_TYPES))
        parts.append(f'<question type="{qtype}">')
        if draw(st.booleans()):
            parts.append(f"<category><text>{draw(xml_text)}</text></category>")
        parts.append(f"<name><text>{draw(xml_text)}</text></name>")
        fmt = draw(st.sampled_from(["html", "moodle_auto_format", "plain_text", "markdown"]))
        parts.append(f'<questiontext format="{fmt}"><text>{draw(xml_text)}</text></questiontext>')
        for _ in range(draw(st.integers(min_value=0, max_value=5))):
            fraction = draw(st.sampled_from(["100", "0", "-50", "33.33333", "x", "", "1e9"]))
            parts.append(f'<answer fraction="{fraction}"><text>{draw(xml_text)}</text></answer>')
        for tag in draw(st.lists(st.sampled_from(["single", "shuffleanswers", "defaultgrade",
                                                  "penalty", "tags"]), max_size=3)):
            parts.append(f"<{tag}>{draw(xml_text)}</{tag}>")
        parts.append("</question>")
    if draw(st.booleans()):
        parts.append("</quiz>")
    document = "".join(parts)
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "utf-16"]))
    return document.encode(encoding, errors="replace")


@FUZZ
@given(data=st.one_of(moodle_xml(), st.binary(max_size=400)))
def test_moodle_xml_parses_or_fails_clearly(data):
    parse_questions(data, "题库.xml", "moodlexml")


GIFT_TOKENS = ["::标题::", "{", "}", "=", "~", "#", "%50%", "%-100%", "TRUE", "FALSE", "T", "F",
               "//注释", "$CATEGORY: 行政处罚/程序", "\n", "\n\n", "\\{", "\\=", "->", "[html]",
               "[markdown]", ":", "1..5", "#3:1", "行政处罚的种类有哪些？", "警告"]
AIKEN_TOKENS = ["A. 警告", "B) 罚款", "C. ", "ANSWER: A", "ANSWER: Z", "ANSWER:", "答案：B", "\n",
                "\n\n", "下列说法正确的是？", "A.", "E. 其他", "ANSWER: A,B"]


def token_text(tokens):
    return st.lists(st.one_of(st.sampled_from(tokens), text), max_size=40).map("".join)


def encoded(texts):
    return st.tuples(texts, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])).map(
        lambda pair: pair[0].encode(pair[1], errors="replace"))


@FUZZ
@given(data=st.one_of(encoded(token_text(GIFT_TOKENS)), st.binary(max_size=300)))
def test_gift_parses_or_fails_clearly(data):
    parse_questions(data, "题库.gift.txt", "gift")


@FUZZ
@given(data=st.one_of(encoded(token_text(AIKEN_TOKENS)), st.binary(max_size=300)))
def test_aiken_parses_or_fails_clearly(data):
    parse_questions(data, "题库.txt", "aiken")


# --- Certificates ------------------------------------------------------------------------------

@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_certificate_import_survives_any_workbook(people, data):
    header = header_of(template_bytes(certificate_import.build_template()))
    upload = data.draw(st.one_of(workbooks(header), damaged(valid_workbook(header))))
    try:
        certificate_import.parse(io.BytesIO(upload), "证书.xlsx", Officer.objects.all())
    except WorkbookError as exc:
        assert "证书.xlsx" in str(exc)


# --- Study material: law text, discretion benchmarks, attendance ---------------------------------

LAW_TOKENS = ["第一章 总则", "第二章", "第一节", "第一条", "第二条", "第二条之一", "第十条", "第三条",
              "第一百条", "第零条", "第条", "第一千零一条", "（一）", "1.", "\n", "\n\n", "　", "附则",
              "中华人民共和国行政处罚法", "目录", "为了规范行政处罚的设定和实施，制定本法。", "第"]


@FUZZ
@given(source=st.one_of(token_text(LAW_TOKENS), text))
def test_law_text_parses_or_fails_clearly(source):
    try:
        lawtext.parse_law(source)
    except lawtext.LawTextError as exc:
        assert str(exc)


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_benchmark_workbooks_parse_or_fail_clearly(data):
    header = header_of(template_bytes(benchmark_workbook.build_template()))
    upload = data.draw(st.one_of(workbooks(header), damaged(valid_workbook(header))))
    try:
        benchmark_workbook.parse_benchmark(io.BytesIO(upload), "裁量基准.xlsx")
    except WorkbookError as exc:
        assert "裁量基准.xlsx" in str(exc)


@pytest.fixture
def training_event(org):
    from tests.content import factories

    return factories.event(factories.shelf(), units=[org.east])


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_attendance_sheets_parse_or_fail_clearly(people, training_event, data):
    header = header_of(template_bytes(attendance.build_template(training_event)))
    upload = data.draw(st.one_of(workbooks(header), damaged(valid_workbook(header))))
    try:
        attendance.parse_attendance(training_event, io.BytesIO(upload), "签到表.xlsx")
    except WorkbookError as exc:
        assert "签到表.xlsx" in str(exc)


# --- Contest mark sheets ---------------------------------------------------------------------------

@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_contest_mark_sheets_parse_or_fail_clearly(marking, data):
    from competitions import judging, marksheets
    from competitions.models import JudgeAssignment

    assignment = JudgeAssignment.objects.select_related("event__rubric", "event__contest").get(
        event=marking.drafting, judge=marking.judge)
    submissions = list(judging.visible_submissions(assignment).select_related("entry"))
    key = ("mark sheet", assignment.pk)
    if key not in _VALID:  # written once: each save stamps a new time in the file
        _VALID[key] = marksheets.write_mark_sheet(assignment, submissions)
    sheet = _VALID[key]
    header = header_of(sheet)
    upload = data.draw(st.one_of(workbooks(header, (marksheets.MARKS_SHEET,)), damaged(sheet)))
    try:
        marksheets.parse_mark_sheet(io.BytesIO(upload), "评分表.xlsx", assignment,
                                    data.draw(st.booleans()))
    except WorkbookError as exc:
        assert "评分表.xlsx" in str(exc)
