"""
Lianbing's own Excel layout for the question bank: one row per question, on the first
sheet, headers in row 1 (Chinese; the English names in COLUMNS are accepted too, and
the order of the columns is free).

    题型      单选 / 多选 / 判断 / 填空 / 简答 / 案例分析 (also 单选题 …, or single …)
    分类      category path, levels separated by "/": 通用法律/行政处罚法
    题干      the stem; a fill-in-the-blank stem marks each blank with ____
    选项A…H   options of a choice question, left to right without gaps
    答案      choice: letters, "A" or "ABD"; true/false: 对/错 (正确/错误, √/×);
              fill_blank: blanks separated by "|", accepted alternatives within a blank
              by "/": 警告/通报批评|罚款 (write \\| or \\/ for a literal one);
              short answer: may hold the reference answer instead of 参考答案
    顺序不限   fill_blank: 是 if the blanks may be answered in any order
    解析  法律依据  难度 (1–5)  分值  标签 (separated by , ， 、 ;)
    参考答案  评分要点 (one per line)  名称 (a title, as Moodle and GIFT have)
    案例材料  案例编号  所属案例

A case analysis is one row of type 案例分析 holding the case material (案例材料), an
optional instruction in 题干 and a case id of your choice in 案例编号; each of its
sub-questions is a row below it, of its own type, with that id in 所属案例. Sub-questions
follow their case in row order; their 分类/标签/难度 are their own (normally empty).
`write()` numbers cases C1, C2, … and puts their sub-questions right under them, so an
exported file reads back as the same questions.

Not kept by this layout: stem_format (HTML is kept as text), option feedback, and
option fractions other than the defaults (a right single choice 100%, each of k right
multiple-choice options 1/k); use Moodle XML to keep those.

Reading uses workbooks.reading.open_workbook: read-only, cached values only (a formula
is read as the value Excel last computed, never evaluated). Writing uses a write-only
workbook; text that looks like a formula is written as text (workbooks.writing).
"""
import io
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from ops.i18n_text import join_list
from workbooks.reading import WorkbookError, cell_text, open_workbook
from workbooks.writing import (
    FORMULA_PREFIXES,
    header_cells,
    new_write_only_workbook,
    set_text,
    text_cell,
    workbook_bytes,
    write_header,
)

from .base import (
    CASE_ANALYSIS,
    CHOICE_TYPES,
    FILL_BLANK,
    MULTIPLE,
    SHORT_ANSWER,
    SINGLE,
    TRUE_FALSE,
    FormatError,
    ParsedBlank,
    ParsedOption,
    ParsedQuestion,
    ParseResult,
    problem,
)
from .validate import validate_question

SHEET_TITLE = "题库"
OPTION_LETTERS = "ABCDEFGH"
TYPE_NAMES = {SINGLE: "单选", MULTIPLE: "多选", TRUE_FALSE: "判断", FILL_BLANK: "填空",
              SHORT_ANSWER: "简答", CASE_ANALYSIS: "案例分析"}
TYPE_ALIASES = {alias: qtype for qtype, name in TYPE_NAMES.items()
                for alias in (name, name + "题", qtype, qtype.replace("_", "-"))}
TYPE_ALIASES.update({"判断正误": TRUE_FALSE, "true/false": TRUE_FALSE, "填空题": FILL_BLANK})
TRUE_WORDS = {"对", "正确", "√", "✓", "是", "T", "TRUE", "Y", "YES"}
FALSE_WORDS = {"错", "错误", "×", "✗", "否", "F", "FALSE", "N", "NO"}
YES_WORDS = {"是", "Y", "YES", "TRUE", "1", "√"}
LIST_SEPARATORS = re.compile(r"[,，、;；]")
LETTER_SEPARATORS = re.compile(r"[\s,，、;；]")
CATEGORY_SEPARATORS = re.compile(r"[/／]")


def columns():
    """Return (key, header, English header, note, required, width) for every column."""
    option_columns = [
        (f"option_{char}", f"选项{char}", f"option {char.lower()}", "", False, 18)
        for char in OPTION_LETTERS]
    return [
        ("qtype", "题型", "type", _("单选, 多选, 判断, 填空, 简答 or 案例分析 (pick from "
                                     "the list)."), True, 10),
        ("category", "分类", "category", _("Category path, levels separated by “/”, "
                                         "e.g. 通用法律/行政处罚法."), False, 22),
        ("stem", "题干", "stem", _("The question. In a fill-in-the-blank question mark "
                                  "each blank with ____ (four underscores)."), True, 40),
        *option_columns,
        ("answer", "答案", "answer", _(
            "Choice: the letters of the right options, e.g. A or ABD. True/false: 对 or "
            "错. Fill-in-the-blank: blanks separated by |, accepted alternatives by /, "
            "e.g. 警告/通报批评|罚款."), True, 16),
        ("order_insensitive", "顺序不限", "order insensitive", _(
            "Fill-in-the-blank: 是 if the blanks may be answered in any order."), False, 10),
        ("explanation", "解析", "explanation", "", False, 30),
        ("legal_basis", "法律依据", "legal basis", "", False, 30),
        ("difficulty", "难度", "difficulty", _("1 (easiest) to 5 (hardest)."), False, 8),
        ("points", "分值", "points", "", False, 8),
        ("tags", "标签", "tags", _("Separated by commas or 、."), False, 16),
        ("reference_answer", "参考答案", "reference answer", "", False, 30),
        ("scoring_points", "评分要点", "scoring points", _("One point per line."), False, 30),
        ("name", "名称", "name", "", False, 16),
        ("case_text", "案例材料", "case material", _(
            "Case analysis only: the case the sub-questions are about."), False, 40),
        ("case_id", "案例编号", "case id", _(
            "Case analysis only: any short id, e.g. C1, unique in the file."), False, 10),
        ("parent", "所属案例", "part of case", _(
            "Sub-question of a case analysis: the case id (案例编号) of its case, "
            "which must be on a row above."), False, 10),
    ]


# Reading ---------------------------------------------------------------------------

def parse(data, filename):
    """Return the ParseResult of a question-bank workbook, or raise FormatError."""
    try:
        workbook = open_workbook(io.BytesIO(data), filename)
    except WorkbookError as exc:
        raise FormatError(str(exc)) from None
    try:
        if not workbook.worksheets:
            raise FormatError(_("“%(name)s” has no worksheet.") % {"name": filename})
        sheet = workbook.worksheets[0]
        return _Reader(sheet).read(filename)
    finally:
        workbook.close()


class _Reader:
    """Read the rows of one sheet into questions, one row at a time."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.title = sheet.title
        self.result = ParseResult()
        self.cases = {}  # case id → case_analysis question
        self.index = {}  # column key → 0-based index
        self.headers = {}  # column key → header as written in the file

    def read(self, filename):
        rows = self.sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or not self._read_header(header):
            if header is None:
                raise FormatError(_("“%(name)s” is empty: the first sheet has no rows.")
                                  % {"name": filename})
            return self.result
        for number, row in enumerate(rows, start=2):
            if row and any(value is not None and str(value).strip() for value in row):
                self._read_row(number, row)
        for case in self.cases.values():
            if not case.sub_questions:
                self.result.error(case.location, problem(case.location, _("sub-questions"), _(
                    "no row names this case in 所属案例 (part of case)")))
                self.result.questions.remove(case)
        if not self.result.questions and not self.result.errors:
            self.result.error(f"{self.title}!A2", _("%(where)s: the sheet has no questions "
                                                    "below the header row") % {
                "where": f"{self.title}!A2"})
        return self.result

    def _read_header(self, header):
        names = {}
        for key, chinese, english, *_rest in columns():
            names[chinese.lower()] = key
            names[english.lower()] = key
            names[key] = key
        for position, value in enumerate(header):
            title = cell_text(value).rstrip("*").strip().lower()
            key = names.get(title)
            if key and key not in self.index:
                self.index[key] = position
                self.headers[key] = cell_text(value).rstrip("*").strip()
        missing = [chinese for key, chinese, _e, _n, required, _w in columns()
                   if required and key not in self.index]
        if missing:
            where = f"{self.title}!A1"
            self.result.error(where, _("%(where)s: the header row lacks the columns "
                                       "%(columns)s; download the template to see the "
                                       "layout") % {"where": where,
                                                    "columns": join_list(missing)})
            return False
        return True

    def _cell(self, key):
        return f"{self.title}!{get_column_letter(self.index.get(key, 0) + 1)}{self.number}"

    def _label(self, key):
        return self.headers.get(key) or next(c[1] for c in columns() if c[0] == key)

    def _error(self, key, text):
        where = self._cell(key)
        self.result.error(where, problem(where, self._label(key), text))

    def _read_row(self, number, row):
        self.number = number
        values = {key: cell_text(row[position]) if position < len(row) else ""
                  for key, position in self.index.items()}
        get = values.get
        qtype = TYPE_ALIASES.get(get("qtype", "").lower())
        if qtype is None:
            self._error("qtype", _("“%(value)s” is not a question type; use 单选, 多选, "
                                   "判断, 填空, 简答 or 案例分析") % {"value": get("qtype", "")})
            return
        question = ParsedQuestion(
            qtype=qtype, stem=get("stem", ""), location=self._cell("stem"),
            explanation=get("explanation", ""), legal_basis=get("legal_basis", ""),
            category=[part.strip() for part in CATEGORY_SEPARATORS.split(get("category", ""))
                      if part.strip()],
            tags=[tag.strip() for tag in LIST_SEPARATORS.split(get("tags", "")) if tag.strip()],
            reference_answer=get("reference_answer", ""), name=get("name", ""),
            scoring_points=[line.strip() for line in get("scoring_points", "").splitlines()
                            if line.strip()],
            case_text=get("case_text", ""))
        ok = self._read_numbers(question, get)
        if not self._read_answer(question, values) or not ok:
            return  # the answer could not be read; checking it further would repeat that
        errors = validate_question(question, locate=self._locate, sub_questions_read=False)
        for message in errors:
            self.result.error(self._cell("stem"), message)
        if errors:
            return
        self._place(question, get("case_id", ""), get("parent", ""))

    def _locate(self, field_name):
        key = {"options": "option_A", "case_text": "case_text", "sub_questions": "case_id"
               }.get(field_name, field_name)
        if key not in self.index:
            key = "stem"
        return self._cell(key)

    def _read_numbers(self, question, get):
        ok = True
        difficulty = get("difficulty", "")
        if difficulty:
            if difficulty.isdigit() and 1 <= int(difficulty) <= 5:
                question.difficulty = int(difficulty)
            else:
                self._error("difficulty", _("“%(value)s” is not a difficulty from 1 to 5")
                            % {"value": difficulty})
                ok = False
        points = get("points", "")
        if points:
            try:
                question.points = Decimal(points)
                if not question.points.is_finite() or question.points < 0:
                    raise InvalidOperation
            except InvalidOperation:
                self._error("points", _("“%(value)s” is not a number of points")
                            % {"value": points})
                question.points = None
                ok = False
        return ok

    def _read_answer(self, question, values):
        answer = values.get("answer", "")
        if question.qtype in CHOICE_TYPES:
            return self._read_choices(question, values, answer)
        if question.qtype == TRUE_FALSE:
            word = answer.upper()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                question.answer_bool = word in TRUE_WORDS
            elif answer:
                self._error("answer", _("“%(value)s” is not a true/false answer; write 对 "
                                        "or 错") % {"value": answer})
                return False
        elif question.qtype == FILL_BLANK:
            question.blanks = [
                ParsedBlank([_unescape(text).strip() for text in _split(blank, "/")
                             if text.strip()])
                for blank in _split(answer, "|")] if answer else []
            question.order_insensitive = values.get("order_insensitive", "").upper() \
                in YES_WORDS
        elif question.qtype == SHORT_ANSWER and not question.reference_answer:
            question.reference_answer = answer
        return True

    def _read_choices(self, question, values, answer):
        texts = [values.get(f"option_{char}", "") for char in OPTION_LETTERS]
        while texts and not texts[-1]:
            texts.pop()
        if "" in texts:
            gap = OPTION_LETTERS[texts.index("")]
            self._error(f"option_{gap}", _("option %(letter)s is empty but a later option "
                                           "is filled in") % {"letter": gap})
            return False
        question.options = [ParsedOption(text) for text in texts]
        letters = LETTER_SEPARATORS.sub("", answer).upper()
        for char in letters:
            if char not in OPTION_LETTERS[:8]:
                self._error("answer", _("“%(value)s” is not a list of option letters "
                                        "(A–H)") % {"value": answer})
                return False
            index = OPTION_LETTERS.index(char)
            if index >= len(question.options):
                self._error("answer", _(
                    "the answer names option %(letter)s, but there is no option "
                    "%(letter)s") % {"letter": char})
                return False
            question.options[index].correct = True
        return True  # no option values in this layout: they stay None (all or nothing)

    def _place(self, question, case_id, parent):
        if parent:
            case = self.cases.get(parent)
            if case is None:
                self._error("parent", _("no case analysis with the id “%(id)s” (案例编号) "
                                        "on a row above") % {"id": parent})
                return
            case.sub_questions.append(question)
            return
        if question.qtype == CASE_ANALYSIS:
            if not case_id:
                self._error("case_id", _("a case analysis needs a case id so its "
                                         "sub-questions can name it"))
                return
            if case_id in self.cases:
                self._error("case_id", _("the case id “%(id)s” is used twice")
                            % {"id": case_id})
                return
            self.cases[case_id] = question
        self.result.questions.append(question)


def _split(text, separator):
    """Split on `separator` unless it is escaped with a backslash."""
    return re.split(r"(?<!\\)" + re.escape(separator), text)


def _unescape(text):
    return text.replace("\\|", "|").replace("\\/", "/")


def _escape(text):
    return text.replace("|", "\\|").replace("/", "\\/")


# Writing ---------------------------------------------------------------------------

def write(questions):
    """Return an .xlsx workbook (bytes) of `questions` in the question-bank layout."""
    workbook = new_write_only_workbook()
    sheet = workbook.create_sheet(SHEET_TITLE)
    keys = [column[0] for column in columns()]
    sheet.append(header_cells(sheet, [column[1] for column in columns()]))
    case_number = 0
    for question in questions:
        if question.qtype == CASE_ANALYSIS:
            case_number += 1
            case_id = f"C{case_number}"
            sheet.append(_row(sheet, keys, question, case_id=case_id))
            for sub in question.sub_questions:
                sheet.append(_row(sheet, keys, sub, parent=case_id))
        else:
            sheet.append(_row(sheet, keys, question))
    return workbook_bytes(workbook)


def _safe(sheet, value):
    """Return `value`, as a text cell if a spreadsheet would take it for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return text_cell(sheet, value)
    return value if value != "" else None


def _row(sheet, keys, question, case_id="", parent=""):
    values = _row_values(question, case_id, parent)
    return [_safe(sheet, values.get(key, "")) for key in keys]


def _row_values(question, case_id="", parent=""):
    """Return the column values of one question as a dict keyed like columns()."""
    if len(question.options) > len(OPTION_LETTERS):
        raise FormatError(_("%(where)s: a question with more than 8 options cannot be "
                            "written to Excel") % {"where": question.location or question.stem})
    values = {
        "qtype": TYPE_NAMES.get(question.qtype, question.qtype),
        "category": "/".join(question.category), "stem": question.stem,
        "explanation": question.explanation, "legal_basis": question.legal_basis,
        "difficulty": question.difficulty, "points": question.points,
        "tags": "、".join(question.tags), "reference_answer": question.reference_answer,
        "scoring_points": "\n".join(question.scoring_points), "name": question.name,
        "case_text": question.case_text, "case_id": case_id, "parent": parent,
    }
    for index, option in enumerate(question.options):
        values[f"option_{OPTION_LETTERS[index]}"] = option.text
    if question.qtype in CHOICE_TYPES:
        values["answer"] = question.correct_letters
    elif question.qtype == TRUE_FALSE and question.answer_bool is not None:
        values["answer"] = "对" if question.answer_bool else "错"
    elif question.qtype == FILL_BLANK:
        values["answer"] = "|".join("/".join(_escape(text) for text in blank.answers)
                                    for blank in question.blanks)
        values["order_insensitive"] = "是" if question.order_insensitive else ""
    return {key: value for key, value in values.items() if value not in (None, "")}


# The template ------------------------------------------------------------------------

def example_questions():
    """Return one example question of every type, as the template shows them."""
    law = ["通用法律", "行政处罚法"]
    basis = "《中华人民共和国行政处罚法》第九条"
    return [
        ParsedQuestion(
            qtype=SINGLE, category=law, stem="下列哪一项不属于《行政处罚法》规定的行政处罚种类？",
            options=[ParsedOption("警告"), ParsedOption("罚款"),
                     ParsedOption("记过", True), ParsedOption("吊销许可证件")],
            explanation="记过属于政务处分，不是行政处罚。", legal_basis=basis, difficulty=2,
            points=Decimal(1), tags=["行政处罚种类"]),
        ParsedQuestion(
            qtype=MULTIPLE, category=law, stem="下列属于行政处罚种类的有（　）。",
            options=[ParsedOption("警告", True), ParsedOption("通报批评", True),
                     ParsedOption("责令检查"), ParsedOption("没收违法所得", True)],
            explanation="责令检查不是行政处罚。", legal_basis=basis, difficulty=3,
            points=Decimal(2), tags=["行政处罚种类"]),
        ParsedQuestion(
            qtype=TRUE_FALSE, category=law, answer_bool=True,
            stem="违法事实确凿并有法定依据，对公民处以二百元以下罚款的，可以当场作出行政处罚决定。",
            explanation="第五十一条规定，对公民处以二百元以下罚款的，可以当场作出行政处罚决定。",
            legal_basis="《中华人民共和国行政处罚法》第五十一条", difficulty=2, points=Decimal(1)),
        ParsedQuestion(
            qtype=FILL_BLANK, category=law,
            stem="行政处罚的种类包括____、____等。", blanks=[ParsedBlank(["警告", "通报批评"]),
                                                    ParsedBlank(["罚款"])],
            order_insensitive=True, legal_basis=basis, difficulty=1, points=Decimal(2)),
        ParsedQuestion(
            qtype=SHORT_ANSWER, category=["文化市场", "网吧管理"],
            stem="简述查处擅自从事互联网上网服务经营活动案件的主要步骤。",
            reference_answer="立案、调查取证、告知、法制审核、作出处罚决定、送达、执行。",
            scoring_points=["立案及时", "证据完整", "履行告知程序", "决定书送达"],
            difficulty=4, points=Decimal(10)),
        ParsedQuestion(
            qtype=CASE_ANALYSIS, category=["文化市场", "网吧管理"], stem="阅读案例，回答问题。",
            case_text="某网吧未悬挂《网络文化经营许可证》，且接纳未成年人进入营业场所。",
            difficulty=4, points=Decimal(10),
            sub_questions=[
                ParsedQuestion(
                    qtype=SINGLE, stem="对接纳未成年人的行为，应当依据哪部法规处理？",
                    options=[
                        ParsedOption("《互联网上网服务营业场所管理条例》", True),
                        ParsedOption("《娱乐场所管理条例》")], points=Decimal(4)),
                ParsedQuestion(
                    qtype=SHORT_ANSWER, stem="请写出处理意见。",
                    reference_answer="责令改正，给予警告，可以并处罚款；情节严重的，责令停业整顿。",
                    scoring_points=["责令改正", "警告并处罚款", "情节严重的停业整顿"],
                    points=Decimal(6)),
            ]),
    ]


def build_template():
    """Return the import template (bytes): headers with notes, dropdowns, examples."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    cols = columns()
    write_header(sheet, [(header, note, required, width)
                         for _key, header, _en, note, required, width in cols])
    keys = [column[0] for column in cols]
    row_number = 2
    case_number = 0
    for question in example_questions():
        rows = []
        if question.qtype == CASE_ANALYSIS:
            case_number += 1
            rows.append(_row_values(question, case_id=f"C{case_number}"))
            rows.extend(_row_values(sub, parent=f"C{case_number}")
                        for sub in question.sub_questions)
        else:
            rows.append(_row_values(question))
        for values in rows:
            for position, key in enumerate(keys, start=1):
                if key in values:
                    set_text(sheet.cell(row=row_number, column=position), values[key])
            row_number += 1
    last = 2000
    type_list = DataValidation(type="list", formula1='"' + ",".join(TYPE_NAMES.values()) + '"',
                               allow_blank=False, showErrorMessage=True,
                               errorTitle=_("Question type"),
                               error=_("Pick a question type from the list."))
    difficulty_list = DataValidation(type="list", formula1='"1,2,3,4,5"', allow_blank=True,
                                     showErrorMessage=True, errorTitle=_("Difficulty"),
                                     error=_("Difficulty is a whole number from 1 to 5."))
    for validation, key in ((type_list, "qtype"), (difficulty_list, "difficulty")):
        letter_ = get_column_letter(keys.index(key) + 1)
        validation.add(f"{letter_}2:{letter_}{last}")
        sheet.add_data_validation(validation)
    return workbook_bytes(workbook)
