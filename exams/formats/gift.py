"""
Read and write GIFT, Moodle's plain-text question format, the way Moodle reads it
(question/format/gift/format.php).

Questions are separated by blank lines; lines starting with "//" are comments (a
comment "// [tag:执法程序]" gives the question a tag, as in Moodle 4). A question is

    ::title::[html]stem {answers} rest-of-stem

and its type follows from the answers, in Moodle's order:

    {}                  essay → short_answer (marked by people)
    {#…}                numerical → skipped with a warning
    contains "~"        multichoice: "=right ~wrong", weights "~%50%…", "~%-100%…";
                        without any "=" it is multiple choice (every "~%n%" answer with
                        n > 0 is right), with "=" a single choice
    "=" and "->"        matching → skipped with a warning
    T, TRUE, F, FALSE   true_false
    anything else       short answer "=a =b" → fill_blank with one blank

Text after the closing brace makes a "missing word" question: the answers take the
place of a blank ("____") in the stem (single choice and fill_blank; for other types
the text is simply joined back). "#text" after an answer is its feedback, "####text" at
the end of the answers is the general feedback (→ explanation). "\\:", "\\~", "\\=",
"\\#", "\\{", "\\}" and "\\\\" escape the special characters, "\\n" is a line break.
[html] marks HTML text; [moodle], [plain] and [markdown] are read as plain text.
"$CATEGORY: $course$/通用法律/行政处罚法" sets the category of the questions after it.

Judgement calls where Lianbing differs from Moodle:
- Short answers worth less than 100% ("=%50%Cat") are left out with a warning: a
  Lianbing blank is either right or wrong. Answers worth 0% (often "*", "anything
  else") only carry feedback for wrong answers and are left out silently.
- A question with no answers at all ("description" in Moodle) is skipped with a
  warning; a true/false answer's feedback is not kept.
- Syntax Moodle silently tolerates is an error here, with its line: a "::title" that
  is not closed, a "{" with no "}" (or the reverse), a second "{…}" in one question.

Writing: questions GIFT cannot express are written in the nearest form it has — a
fill_blank with several blanks as an essay whose general feedback lists the answers, a
case analysis as its sub-questions with the case material before each stem. Points,
difficulty, legal basis, scoring points and reference answers have no place in GIFT.
"""
import re

from django.utils.translation import gettext as _

from .base import (
    BLANK,
    CASE_ANALYSIS,
    FILL_BLANK,
    MULTIPLE,
    SHORT_ANSWER,
    SINGLE,
    TRUE_FALSE,
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
from .encoding import decode_text, split_lines
from .validate import validate_question

# Escaped control characters are swapped for private-use characters while the
# question is taken apart, then swapped back (Moodle's escapedchar_pre/_post).
ESCAPES = {":": "\ue000", "#": "\ue001", "=": "\ue002", "{": "\ue003", "}": "\ue004",
           "~": "\ue005", "\\": "\ue006", "n": "\ue007"}
UNESCAPE = str.maketrans({placeholder: "\n" if char == "n" else char
                          for char, placeholder in ESCAPES.items()})
ESCAPE_PATTERN = re.compile(r"\\([:#={}~\\n])")
WEIGHT = re.compile(r"^%(-*[0-9]{1,2}\.?[0-9]*)%")
FORMAT_MARK = re.compile(r"^\[(html|moodle|plain|markdown)\]")
TAG_COMMENT = re.compile(r"\[tag:([^\]]+)\]")
TRUE_FALSE_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class GiftSyntaxError(Exception):
    """A question that cannot be taken apart; carries the line and the message."""

    def __init__(self, line, field_label, message):
        super().__init__(message)
        self.line = line
        self.field_label = field_label


def parse(data, filename):
    """Return the ParseResult of a GIFT file."""
    text, _encoding = decode_text(data, filename)
    result = ParseResult()
    category = []
    for start, lines in _chunks(split_lines(text)):
        tags = [tag.strip() for line in lines if line.strip().startswith("//")
                for tag in TAG_COMMENT.findall(line)]
        body = [("" if line.strip().startswith("//") else line) for line in lines]
        while body and not body[0].strip():  # comment lines before the question
            body.pop(0)
            start += 1
        if not "".join(body).strip():
            continue
        where = line_location(start)
        source = _escape("\n".join(body).strip())
        if source.startswith("$CATEGORY:"):
            category = moodle_category_path(_unescape(source[len("$CATEGORY:"):]))
            continue
        try:
            question = _read_question(source, start, where, result)
        except GiftSyntaxError as exc:
            location = line_location(exc.line)
            result.error(location, problem(location, exc.field_label, str(exc)))
            continue
        if question is None:
            continue
        question.category = list(category)
        question.tags = tags
        errors = validate_question(question)
        for message in errors:
            result.error(where, message)
        if not errors:
            result.questions.append(question)
    return result


def _chunks(lines):
    """Yield (first line number, lines) for each run of non-blank lines."""
    chunk, start = [], None
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if start is None:
                start = number
            chunk.append(line)
        elif chunk:
            yield start, chunk
            chunk, start = [], None
    if chunk:
        yield start, chunk


def _escape(text):
    return ESCAPE_PATTERN.sub(lambda match: ESCAPES[match.group(1)], text)


def _unescape(text):
    return text.translate(UNESCAPE)


def _with_format(text):
    """Return (text, "html"|"text") from text that may start with a [format] mark."""
    text = text.strip()
    match = FORMAT_MARK.match(text)
    if not match:
        return _unescape(text), "text"
    fmt = "html" if match.group(1) == "html" else "text"
    return _unescape(text[match.end():].strip()), fmt


def _read_question(source, start, where, result):
    """Return the ParsedQuestion in `source`, None if skipped, or raise GiftSyntaxError."""

    def line_at(position):
        return start + source.count("\n", 0, position)

    name = ""
    text = source
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            raise GiftSyntaxError(start, _("title"), _(
                "the title starts with “::” but is not closed with “::”"))
        name = _unescape(text[2:end]).strip()
        offset = end + 2
        text = text[offset:]
    else:
        offset = 0
    opening, closing = text.find("{"), text.find("}")
    if opening == -1 and closing == -1:
        result.skip(where, problem(where, _("question type"), _(
            "a question without answers (a Moodle “description”) is not supported; "
            "it was skipped")))
        return None
    if closing == -1:
        raise GiftSyntaxError(line_at(offset + opening), _("answers"), _(
            "the answers opened with “{” are not closed with “}”"))
    if opening == -1 or closing < opening:
        raise GiftSyntaxError(line_at(offset + closing), _("answers"), _(
            "“}” without an opening “{” (write \\} for a literal brace)"))
    after = text[closing + 1:]
    if "{" in after or "}" in after:
        raise GiftSyntaxError(line_at(offset + closing + 1 + max(after.find("{"),
                                                                   after.find("}"))),
                              _("answers"), _(
            "a question may have only one {…} answer section (write \\{ for a literal "
            "brace)"))
    answers = text[opening + 1:closing].strip()
    before = text[:opening]
    explanation = ""
    if "####" in answers:
        cut = answers.rfind("####")
        explanation = _with_format(answers[cut + 4:])[0]
        answers = answers[:cut].strip()

    question = ParsedQuestion(qtype=SHORT_ANSWER, name=name, explanation=explanation,
                              location=where)
    raw_answers = text[opening + 1:closing]

    def answer_line(fragment):
        """Return the line of an answer, for messages about it."""
        return line_at(offset + opening + 1 + max(raw_answers.find(fragment), 0))

    if not answers:
        question.qtype = SHORT_ANSWER
    elif answers.startswith("#"):
        result.skip(where, problem(where, _("question type"), _(
            "numerical questions are not supported; the question was skipped")))
        return None
    elif "~" in answers:
        _read_choices(question, answers, answer_line)
    elif "=" in answers and "->" in answers:
        result.skip(where, problem(where, _("question type"), _(
            "matching questions are not supported; the question was skipped")))
        return None
    elif answers.split("#", 1)[0].strip() in TRUE_FALSE_WORDS:
        question.qtype = TRUE_FALSE
        question.answer_bool = TRUE_FALSE_WORDS[answers.split("#", 1)[0].strip()]
    else:
        _read_short_answers(question, answers, answer_line, result)
    rest = text[closing + 1:]
    if after.strip() and question.qtype in (SINGLE, MULTIPLE, FILL_BLANK):
        stem_source = before + BLANK + rest  # a "missing word" question
    else:
        stem_source = before + rest
    question.stem, question.stem_format = _with_format(stem_source)
    return question


def _split_feedback(answer):
    text, _sep, feedback = answer.partition("#")
    return _with_format(text)[0], _with_format(feedback)[0]


def _weight(answer, line_of):
    """Return (fraction, rest of the answer) for an answer that starts with "%n%"."""
    match = WEIGHT.match(answer)
    number = match.group(1)
    value = -float(number.lstrip("-")) / 100 if number.startswith("-") else float(number) / 100
    fraction = snap_fraction(value)
    if fraction is None:
        raise GiftSyntaxError(line_of(answer), _("grade"), _(
            "“%(grade)s%%” is not a grade Moodle accepts (for a third write "
            "%%33.33333%%)") % {"grade": match.group(1)})
    return fraction, answer[match.end():]


def _read_choices(question, answers, line_of):
    question.qtype = SINGLE if "=" in answers else MULTIPLE
    parts = [part.strip() for part in answers.replace("=", "~=").split("~")]
    for part in filter(None, parts):
        if part.startswith("="):
            fraction, part = 1.0, part[1:]
        elif WEIGHT.match(part):
            fraction, part = _weight(part, line_of)
        else:
            fraction = 0.0
        text, feedback = _split_feedback(part)
        correct = fraction >= 1.0 if question.qtype == SINGLE else fraction > 0
        question.options.append(ParsedOption(text, correct, fraction, feedback))


def _read_short_answers(question, answers, line_of, result):
    question.qtype = FILL_BLANK
    accepted = []
    for part in filter(None, (part.strip() for part in answers.split("="))):
        fraction = 1.0
        if WEIGHT.match(part):
            fraction, part = _weight(part, line_of)
        text, _feedback = _split_feedback(part)
        if fraction >= 1.0:
            accepted.append(text)
        elif fraction > 0:
            result.warn(question.location, problem(question.location, _("answer"), _(
                "“%(answer)s” is worth %(percent)s%% in Moodle; Lianbing accepts only "
                "fully right answers, so it was left out") % {
                    "answer": text, "percent": f"{fraction * 100:g}"}))
    question.blanks = [ParsedBlank(accepted)] if accepted else []


# Writing ---------------------------------------------------------------------------

def write(questions):
    """Return GIFT text (UTF-8 bytes) for `questions`."""
    out = []
    category = None
    for question in _flatten(questions):
        if question.category != category:
            category = question.category
            out.append(f"$CATEGORY: {moodle_category_text(category)}\n\n")
        out.append(_write_question(question))
    return "".join(out).encode("utf-8")


def _flatten(questions):
    """Yield the questions, a case analysis replaced by its sub-questions."""
    for question in questions:
        if question.qtype != CASE_ANALYSIS:
            yield question
            continue
        for sub in question.sub_questions:
            copy = ParsedQuestion(**{**sub.__dict__})
            copy.stem = f"{question.case_text}\n\n{sub.stem}".strip()
            copy.category = question.category
            copy.name = sub.name or question.name
            yield copy


def escape(text):
    """Return `text` with GIFT's special characters escaped."""
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _write_question(question):
    lines = [f"// [tag:{tag}]\n" for tag in question.tags]
    head = f"::{escape(question.name)}::" if question.name else ""
    mark = "[html]" if question.stem_format == "html" else ""
    stem = escape(question.stem)
    general = f"####{escape(question.explanation)}" if question.explanation else ""
    if question.qtype in (SINGLE, MULTIPLE):
        body = "".join(_write_option(question.qtype, option) for option in question.options)
        answers = "{" + body + ("\n" + general if general else "") + "\n}"
    elif question.qtype == TRUE_FALSE:
        answers = "{" + ("TRUE" if question.answer_bool else "FALSE") + general + "}"
    elif question.qtype == FILL_BLANK and len(question.blanks) == 1:
        body = "".join(f"\n={escape(answer)}" for answer in question.blanks[0].answers)
        answers = "{" + body + ("\n" + general if general else "") + "\n}"
    elif question.qtype == FILL_BLANK:
        listing = "；".join("/".join(blank.answers) for blank in question.blanks)
        note = escape(_("Answers: %(answers)s") % {"answers": listing})
        if question.explanation:
            note = f"{note}\\n{escape(question.explanation)}"
        answers = "{####" + note + "}"
    else:
        answers = "{" + general + "}"
    # Blanks stay "____" in the stem and the answers follow it, so the stem reads back
    # unchanged (Moodle's "missing word" form would lose a blank at the very end).
    text = f"{stem}{answers}"
    lines.append(f"{head}{mark}{text}\n\n")
    return "".join(lines)


def _write_option(qtype, option):
    feedback = f"#{escape(option.feedback)}" if option.feedback else ""
    text = escape(option.text)
    if qtype == SINGLE and option.fraction == 1.0:
        return f"\n={text}{feedback}"
    if option.fraction:
        return f"\n~%{percent_text(option.fraction)}%{text}{feedback}"
    return f"\n~{text}{feedback}"
