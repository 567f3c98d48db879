"""
Checks every format applies to the questions it read, whatever the file looked like.

A question that fails a check is reported as an error at its location, naming the
field; the importer refuses a file with errors (a dry run shows them all at once).
"""
from django.utils.translation import gettext as _

from .base import (
    BLANK_PATTERN,
    CASE_ANALYSIS,
    CHOICE_TYPES,
    FILL_BLANK,
    QUESTION_TYPES,
    SINGLE,
    TRUE_FALSE,
    problem,
)


def field_labels():
    """Return the user-facing name of each field checked here."""
    return {
        "qtype": _("question type"),
        "stem": _("stem"),
        "options": _("options"),
        "answer": _("answer"),
        "difficulty": _("difficulty"),
        "case_text": _("case material"),
        "sub_questions": _("sub-questions"),
    }


def validate_question(question, locate=None, sub_questions_read=True):
    """Return the error messages for one question, in order (sub-questions are checked
    on their own, where they were read).

    `locate(field)` returns where a field is (an Excel cell, say); by default every
    field is at the question's location. A reader that meets sub-questions after
    their case passes `sub_questions_read=False` and checks their number at the end.
    """
    labels = field_labels()

    def error(field_name, text):
        where = locate(field_name) if locate else question.location
        return problem(where, labels[field_name], text)

    errors = []
    if question.qtype not in QUESTION_TYPES:
        return [error("qtype", _("unknown question type “%(type)s”") % {
            "type": question.qtype})]
    if question.qtype == CASE_ANALYSIS:
        if not question.case_text.strip() and not question.stem.strip():
            errors.append(error("case_text", _("the case material is empty")))
        if sub_questions_read and not question.sub_questions:
            errors.append(error("sub_questions", _("a case analysis needs at least one "
                                                   "sub-question")))
    elif not question.stem.strip():
        errors.append(error("stem", _("the stem is empty")))
    if question.qtype in CHOICE_TYPES:
        errors.extend(error(name, text) for name, text in _choice_problems(question))
    elif question.qtype == TRUE_FALSE and question.answer_bool is None:
        errors.append(error("answer", _("the answer is missing (true or false)")))
    elif question.qtype == FILL_BLANK:
        errors.extend(error("answer", text) for text in _blank_problems(question))
    if question.difficulty is not None and not 1 <= question.difficulty <= 5:
        errors.append(error("difficulty", _("“%(value)s” is not a difficulty from 1 to 5")
                            % {"value": question.difficulty}))
    return errors


def _choice_problems(question):
    options = question.options
    if len(options) < 2:
        yield "options", _("a choice question needs at least two options, this one has "
                           "%(count)s") % {"count": len(options)}
    seen = set()
    for option in options:
        text = option.text.strip()
        if not text:
            yield "options", _("an option is empty")
        elif text in seen:
            yield "options", _("the option “%(text)s” appears twice") % {"text": text}
        seen.add(text)
    right = sum(1 for option in options if option.correct)
    if right == 0:
        yield "answer", _("the answer is missing: no option is marked correct")
    elif question.qtype == SINGLE and right > 1:
        yield "answer", _("a single-choice question has %(count)s correct options; "
                          "make it a multiple-choice question or keep one") % {"count": right}


def _blank_problems(question):
    if not question.blanks or any(
            not [answer for answer in blank.answers if answer.strip()]
            for blank in question.blanks):
        yield _("the answer is missing: every blank needs at least one accepted answer")
        return
    markers = len(BLANK_PATTERN.findall(question.stem))
    if markers and markers != len(question.blanks):
        yield _("the stem has %(markers)s blanks (“____”) but %(answers)s answers are "
                "given") % {"markers": markers, "answers": len(question.blanks)}
    elif not markers and len(question.blanks) > 1:
        yield _("%(answers)s answers are given but the stem marks no blanks; mark each "
                "blank with “____”") % {"answers": len(question.blanks)}
