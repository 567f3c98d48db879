"""
Read Aiken files: single-choice questions, one line of stem, lettered options, and an
answer line.

    《行政处罚法》自何时起施行？
    A. 1996年10月1日
    B) 2021年7月15日
    ANSWER: B

Like Moodle's reader (question/format/aiken): an option is a capital letter followed by
")" or "." (a space after it is optional, as Moodle now allows); any other non-empty line
starts a new question; "ANSWER:" ends it. Lianbing also accepts the Chinese habits
"A、", "A．", "A）" and "答案：B". Problems are reported on the line where Moodle reports
them: a question with fewer than two options at its answer line, an option or answer
line with no question before it, and a question that is not finished (no answer line)
at the line that starts the next one.
"""
import re

from django.utils.translation import gettext as _

from .base import SINGLE, ParsedOption, ParsedQuestion, ParseResult, \
    line_location, problem
from .encoding import decode_text, split_lines
from .validate import validate_question

OPTION = re.compile(r"^([A-Z])[).、．）]\s*(.*)$")
ANSWER = re.compile(r"^(?:ANSWER|答案)\s*[:：]\s*(.*)$")


def parse(data, filename):
    """Return the ParseResult of an Aiken file."""
    text, _encoding = decode_text(data, filename)
    result = ParseResult()
    question = None
    for number, raw in enumerate(split_lines(text), start=1):
        line = raw.strip()
        where = line_location(number)
        if len(line) < 2:  # blank lines (and stray single characters, as in Moodle)
            continue
        option = OPTION.match(line)
        answer = ANSWER.match(line)
        if option and option.group(2):
            if question is None:
                result.error(where, problem(where, _("option"), _(
                    "an option line with no question before it")))
                continue
            question.options.append(ParsedOption(option.group(2).strip()))
        elif answer:
            if question is None:
                result.error(where, problem(where, _("answer"), _(
                    "an answer line with no question before it")))
                continue
            _finish(question, answer.group(1).strip(), where, result)
            question = None
        else:
            if question is not None:
                result.error(where, problem(where, _("answer"), _(
                    "the question that starts at %(start)s has no “ANSWER:” line")
                    % {"start": question.location}))
            question = ParsedQuestion(qtype=SINGLE, stem=line, location=where)
    if question is not None:
        result.error(question.location, problem(question.location, _("answer"), _(
            "the question has no “ANSWER:” line")))
    return result


def _finish(question, letters, where, result):
    """Mark the right option of a question that has reached its answer line."""
    if len(question.options) < 2:
        result.error(where, problem(where, _("options"), _(
            "a choice question needs at least two options, this one has %(count)s")
            % {"count": len(question.options)}))
        return
    if not letters:
        result.error(where, problem(where, _("answer"), _("the answer is missing")))
        return
    index = ord(letters[0]) - ord("A")
    if not 0 <= index < len(question.options):
        result.error(where, problem(where, _("answer"), _(
            "the answer “%(letter)s” names no option (the options are A–%(last)s)")
            % {"letter": letters[0], "last": chr(ord("A") + len(question.options) - 1)}))
        return
    question.options[index].correct = True  # Aiken gives no option values: they stay None
    errors = validate_question(question)
    for message in errors:
        result.error(question.location, message)
    if not errors:
        result.questions.append(question)
