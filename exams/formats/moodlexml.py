"""
Read and write Moodle XML (question/format/xml), the format Moodle's question bank
exports.

Read as Lianbing types:
    multichoice  single="true" → single (the option worth 100% is right; others may
                 give partial credit), single="false" → multiple (options worth more
                 than 0% are right); every fraction is kept as ParsedOption.fraction
    truefalse    → true_false (the answer worth 100%)
    shortanswer  → fill_blank with one blank: the answers worth 100% are accepted;
                 answers worth less but more than 0% are left out with a warning (a
                 Lianbing blank is right or wrong), 0% answers ("*") carry only feedback
                 and are left out silently
    essay        → short_answer, <graderinfo> → reference_answer
    cloze        → fill_blank when every blank is a SHORTANSWER ("{1:SA:=a~=b}"),
                 which is how Lianbing writes fill_blanks with several blanks
    category     → the category path of the questions that follow ("$course$/" or
                 "$system$/" and Moodle's hidden "top" are dropped, "/" separates levels)
Every other type (matching, numerical, calculated, description, ddwtos, …) is
skipped with a warning naming the type and the line. <generalfeedback> → explanation,
<defaultgrade> → points, <tags> → tags.

Grades must be ones Moodle offers (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40,
33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0 and their negatives):
as in Moodle, a question with any other grade ("33") is an error.

Lianbing's own fields travel in one extra element Moodle ignores on import:
    <lianbing difficulty="3" orderinsensitive="1">
      <legalbasis><text>…</text></legalbasis>
      <scoringpoint><text>…</text></scoringpoint> …
    </lianbing>
A case analysis is written as a Moodle "description" (the case material) marked
<lianbing case="c1" stem="…">, followed by its sub-questions marked <lianbing
partof="c1">; Moodle shows the material and the questions, Lianbing reads the case back.

Safety: the file is parsed by defusedxml with entity declarations forbidden, so
external entities are never fetched and a "billion laughs" file fails at its first
<!ENTITY>, before anything expands. The file is streamed: each <question> is converted
and dropped as soon as it ends.
"""
import re
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

from .base import (
    CASE_ANALYSIS,
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
    line_location,
    moodle_category_path,
    moodle_category_text,
    percent_text,
    problem,
    snap_fraction,
)
from .encoding import decode_text
from .validate import validate_question

CHUNK = 1 << 16
CLOZE_PART = re.compile(r"\{(\d*):(SHORTANSWER|SA|MW|SHORTANSWER_C|SAC|MWC|[A-Z_]+):"
                        r"((?:\\.|[^}])*)\}")
HTML_FORMATS = {"html"}


class _Node:
    """A light XML element: enough of ElementTree's for reading one question."""

    __slots__ = ("tag", "attrib", "children", "parts", "line")

    def __init__(self, tag, attrib, line):
        self.tag, self.attrib, self.line = tag, attrib, line
        self.children, self.parts = [], []

    def find(self, tag):
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag):
        return [child for child in self.children if child.tag == tag]

    @property
    def text(self):
        return "".join(self.parts)

    def text_of(self, tag):
        """Return the stripped <text> inside child `tag` ("" if there is none)."""
        child = self.find(tag)
        if child is None:
            return ""
        inner = child.find("text")
        return (inner.text if inner is not None else child.text).strip()


class _QuestionCollector:
    """Parser target that hands each finished <question> (depth 2) to a callback."""

    def __init__(self, on_question):
        self.on_question = on_question
        self.stack = []
        self.expat = None  # set once the parser exists; gives the current line

    def start(self, tag, attrib):
        node = _Node(tag, attrib, self.expat.CurrentLineNumber)
        if len(self.stack) >= 2:  # inside a question: keep the element
            self.stack[-1].children.append(node)
        self.stack.append(node)

    def end(self, tag):
        node = self.stack.pop()
        if len(self.stack) == 1 and node.tag == "question":
            self.on_question(node)

    def data(self, text):
        if len(self.stack) > 2:
            self.stack[-1].parts.append(text)

    def close(self):
        return None


def parse(data, filename):
    """Return the ParseResult of a Moodle XML file, or raise FormatError."""
    reader = _Reader(filename)
    collector = _QuestionCollector(reader.read_question)
    parser = DefusedXMLParser(target=collector, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    collector.expat = parser.parser
    text, _encoding = decode_text(data, filename)
    # Text is fed to expat as UTF-8, whatever the declaration says; drop the
    # declaration's encoding so a GB18030 file does not contradict it.
    text = re.sub(r"^(\s*<\?xml[^>]*?)\s+encoding=(['\"])[^'\"]*\2", r"\1", text, count=1)
    try:
        for start in range(0, len(text), CHUNK):
            parser.feed(text[start:start + CHUNK])
        parser.close()
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else "?"
        raise FormatError(_("“%(name)s” is not well-formed XML (%(where)s): %(reason)s") % {
            "name": filename, "where": line_location(line), "reason": str(exc)}) from None
    except DefusedXmlException:
        raise FormatError(_(
            "“%(name)s” declares XML entities, which are refused for safety (they can "
            "read server files or expand without end); export the questions again from "
            "Moodle.") % {"name": filename}) from None
    reader.finish()
    return reader.result


class _Reader:
    """Turn <question> elements into ParsedQuestions, tracking the current category."""

    def __init__(self, filename):
        self.filename = filename
        self.result = ParseResult()
        self.category = []
        self.cases = {}  # Lianbing case id → its case_analysis question

    def read_question(self, node):
        qtype = node.attrib.get("type", "")
        where = line_location(node.line)
        if qtype == "category":
            self.category = moodle_category_path(node.text_of("category"))
            return
        extra = node.find("lianbing")
        if qtype == "description" and extra is not None and extra.attrib.get("case"):
            self._start_case(node, extra, where)
            return
        reader = READERS.get(qtype)
        if reader is None:
            self.result.skip(where, problem(where, _("question type"), _(
                "“%(type)s” questions are not supported; the question was skipped")
                % {"type": qtype or "?"}))
            return
        question = self._common(node, where)
        if not self._check_grades(node, question, where):
            return
        if reader(node, question, self.result) is False:
            return
        self._read_extra(extra, question)
        errors = validate_question(question)
        for message in errors:
            self.result.error(where, message)
        if errors:
            return
        case = self.cases.get(extra.attrib.get("partof")) if extra is not None else None
        if case is not None:
            question.category = []
            case.sub_questions.append(question)
        else:
            self.result.questions.append(question)

    def finish(self):
        """Check each case analysis now that all its sub-questions have been read."""
        for case in self.cases.values():
            errors = validate_question(case)
            for message in errors:
                self.result.error(case.location, message)
            if errors:
                self.result.questions.remove(case)

    def _common(self, node, where):
        text_node = node.find("questiontext")
        question = ParsedQuestion(
            qtype="", stem=node.text_of("questiontext"), location=where,
            stem_format="html" if text_node is not None and text_node.attrib.get(
                "format") in HTML_FORMATS else "text",
            name=node.text_of("name"), explanation=node.text_of("generalfeedback"),
            category=list(self.category),
            tags=[tag.text_of("text") or tag.text.strip()
                  for tags in node.findall("tags") for tag in tags.findall("tag")],
        )
        grade = node.find("defaultgrade")
        if grade is not None and grade.text.strip():
            try:
                question.points = _decimal(grade.text.strip())
            except InvalidOperation:
                self.result.warn(where, problem(where, _("points"), _(
                    "“%(value)s” is not a number; the default is used")
                    % {"value": grade.text.strip()}))
        return question

    def _check_grades(self, node, question, where):
        """Report grades Moodle would refuse; return False if there are any."""
        invalid = []
        for answer in node.findall("answer"):
            value = _fraction(answer)
            if value is None or snap_fraction(value) is None:
                invalid.append(answer.attrib.get("fraction", ""))
        if invalid:
            self.result.error(where, problem(where, _("grade"), _(
                "the question “%(name)s” has grades Moodle does not accept: %(grades)s "
                "(for a third write 33.33333)") % {
                    "name": question.name, "grades": ", ".join(invalid)}))
            return False
        return True

    def _read_extra(self, extra, question):
        if extra is None:
            return
        difficulty = extra.attrib.get("difficulty", "")
        if difficulty.isdigit():
            question.difficulty = int(difficulty)
        question.order_insensitive = extra.attrib.get("orderinsensitive") == "1"
        question.legal_basis = extra.text_of("legalbasis")
        question.scoring_points = [point.text_of("text") or point.text.strip()
                                   for point in extra.findall("scoringpoint")]

    def _start_case(self, node, extra, where):
        case = ParsedQuestion(
            qtype=CASE_ANALYSIS, case_text=node.text_of("questiontext"),
            stem=extra.attrib.get("stem", ""), name=node.text_of("name"),
            explanation=node.text_of("generalfeedback"), category=list(self.category),
            location=where,
            tags=[tag.text_of("text") for tags in node.findall("tags")
                  for tag in tags.findall("tag")])
        grade = node.find("defaultgrade")
        if grade is not None and grade.text.strip():
            case.points = _decimal(grade.text.strip())
        self._read_extra(extra, case)
        self.cases[extra.attrib["case"]] = case
        self.result.questions.append(case)


def _decimal(text):
    """Return Moodle's "1.0000000" as Decimal("1")."""
    value = Decimal(text)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _fraction(answer):
    try:
        return float(answer.attrib.get("fraction", "0")) / 100
    except ValueError:
        return None


def _answers(node):
    """Yield (text, fraction, feedback) for each <answer>, fraction snapped to Moodle's."""
    for answer in node.findall("answer"):
        yield (answer.text_of("text") if answer.find("text") is not None
               else answer.text.strip(),
               snap_fraction(_fraction(answer)), answer.text_of("feedback"))


def _read_multichoice(node, question, result):
    single = node.find("single")
    is_single = single is None or single.text.strip().lower() in ("true", "1")
    question.qtype = SINGLE if is_single else MULTIPLE
    for text, fraction, feedback in _answers(node):
        correct = fraction >= 1.0 if is_single else fraction > 0
        question.options.append(ParsedOption(text, correct, fraction, feedback))
    if not is_single:
        total = sum(option.fraction for option in question.options if option.fraction > 0)
        if question.options and abs(total - 1) > 0.0001:
            result.warn(question.location, problem(question.location, _("grade"), _(
                "the right options add up to %(total)s%%, not 100%%")
                % {"total": percent_text(total)}))


def _read_truefalse(node, question, result):
    question.qtype = TRUE_FALSE
    for text, fraction, _feedback in _answers(node):
        if fraction >= 1.0:
            question.answer_bool = text.strip().lower() == "true"


def _read_shortanswer(node, question, result):
    question.qtype = FILL_BLANK
    accepted = []
    for text, fraction, _feedback in _answers(node):
        if fraction >= 1.0:
            accepted.append(text)
        elif fraction > 0:
            _warn_partial(question, text, fraction, result)
    question.blanks = [ParsedBlank(accepted)] if accepted else []


def _warn_partial(question, text, fraction, result):
    result.warn(question.location, problem(question.location, _("answer"), _(
        "“%(answer)s” is worth %(percent)s%% in Moodle; Lianbing accepts only fully "
        "right answers, so it was left out") % {
            "answer": text, "percent": percent_text(fraction)}))


def _read_essay(node, question, result):
    question.qtype = SHORT_ANSWER
    question.reference_answer = node.text_of("graderinfo")


def _read_cloze(node, question, result):
    """Read a cloze question whose blanks are all short answers; skip any other."""
    question.qtype = FILL_BLANK
    blanks = []
    kinds = set()

    def blank(match):
        kind = match.group(2)
        if kind not in ("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"):
            kinds.add(kind)
            return match.group(0)
        accepted = []
        for part in re.split(r"(?<!\\)~", match.group(3)):
            part = re.split(r"(?<!\\)#", part, maxsplit=1)[0]
            weight = re.match(r"^(=|%(-?[\d.]+)%)", part)
            full = weight and (weight.group(1) == "=" or float(weight.group(2)) >= 100)
            if full:
                accepted.append(re.sub(r"\\(.)", r"\1", part[weight.end():]))
        blanks.append(ParsedBlank(accepted))
        return "____"

    question.stem = CLOZE_PART.sub(blank, question.stem)
    if kinds or not blanks:
        result.skip(question.location, problem(question.location, _("question type"), _(
            "cloze questions are supported only when every blank is a short answer "
            "(this one has %(kinds)s); the question was skipped")
            % {"kinds": ", ".join(sorted(kinds)) or "—"}))
        return False
    question.blanks = blanks
    return True


READERS = {
    "multichoice": _read_multichoice,
    "truefalse": _read_truefalse,
    "shortanswer": _read_shortanswer,
    "essay": _read_essay,
    "cloze": _read_cloze,
}


# Writing ---------------------------------------------------------------------------

def write(questions):
    """Return Moodle XML (UTF-8 bytes) for `questions`."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    category = None
    for number, question in enumerate(questions, start=1):
        if question.category != category:
            category = question.category
            out.append(f'  <question type="category">\n    <category>'
                       f'{_text(moodle_category_text(category))}</category>\n'
                       f'  </question>\n')
        if question.qtype == CASE_ANALYSIS:
            case_id = f"c{number}"
            out.append(_write_question(question, {"case": case_id, "stem": question.stem}))
            for sub in question.sub_questions:
                out.append(_write_question(sub, {"partof": case_id}))
        else:
            out.append(_write_question(question, {}))
    out.append("</quiz>\n")
    return "".join(out).encode("utf-8")


def _text(value):
    return f"<text>{xml_escape(value)}</text>"


def _write_question(question, link):
    moodle_type = {SINGLE: "multichoice", MULTIPLE: "multichoice", TRUE_FALSE: "truefalse",
                   SHORT_ANSWER: "essay", CASE_ANALYSIS: "description"}.get(question.qtype)
    stem = question.case_text if question.qtype == CASE_ANALYSIS else question.stem
    if question.qtype == FILL_BLANK:
        if len(question.blanks) == 1:
            moodle_type = "shortanswer"
        else:
            moodle_type = "cloze"
            stem = _cloze_stem(stem, question.blanks)
    stem_format = "html" if question.stem_format == "html" else "plain_text"
    parts = [f'  <question type="{moodle_type}">\n',
             f"    <name>{_text(question.name)}</name>\n",
             f'    <questiontext format="{stem_format}">{_text(stem)}</questiontext>\n',
             f'    <generalfeedback format="{stem_format}">{_text(question.explanation)}'
             f"</generalfeedback>\n"]
    if question.points is not None:
        parts.append(f"    <defaultgrade>{question.points}</defaultgrade>\n")
    if question.qtype in (SINGLE, MULTIPLE):
        single = "true" if question.qtype == SINGLE else "false"
        parts.append(f"    <single>{single}</single>\n")
        parts.extend(_answer(option.text, option.fraction, option.feedback)
                     for option in question.options)
    elif question.qtype == TRUE_FALSE:
        parts.append(_answer("true", 1.0 if question.answer_bool else 0.0))
        parts.append(_answer("false", 0.0 if question.answer_bool else 1.0))
    elif question.qtype == FILL_BLANK and len(question.blanks) == 1:
        parts.extend(_answer(answer, 1.0) for answer in question.blanks[0].answers)
    elif question.qtype == SHORT_ANSWER:
        parts.append(f'    <graderinfo format="plain_text">{_text(question.reference_answer)}'
                     f"</graderinfo>\n")
    if question.tags:
        tags = "".join(f"<tag>{_text(tag)}</tag>" for tag in question.tags)
        parts.append(f"    <tags>{tags}</tags>\n")
    parts.append(_extra(question, link))
    parts.append("  </question>\n")
    return "".join(parts)


def _answer(text, fraction, feedback=""):
    return (f'    <answer fraction="{percent_text(fraction)}">{_text(text)}'
            f"<feedback>{_text(feedback)}</feedback></answer>\n")


def _cloze_stem(stem, blanks):
    """Return the stem with each "____" replaced by a cloze short-answer blank."""
    pieces = iter(blanks)

    def cloze(match):
        blank = next(pieces, None)
        if blank is None:
            return match.group(0)
        answers = "~".join("=" + re.sub(r"([}~#\\])", r"\\\1", answer)
                           for answer in blank.answers)
        return "{1:SHORTANSWER:" + answers + "}"

    return re.sub(r"_{4,}", cloze, stem)


def _extra(question, link):
    attributes = dict(link)
    if question.difficulty is not None:
        attributes["difficulty"] = str(question.difficulty)
    if question.order_insensitive:
        attributes["orderinsensitive"] = "1"
    inner = ""
    if question.legal_basis:
        inner += f"<legalbasis>{_text(question.legal_basis)}</legalbasis>"
    inner += "".join(f"<scoringpoint>{_text(point)}</scoringpoint>"
                     for point in question.scoring_points)
    if not attributes and not inner:
        return ""
    attrs = "".join(f" {key}={quoteattr(value)}" for key, value in attributes.items())
    return f"    <lianbing{attrs}>{inner}</lianbing>\n"
