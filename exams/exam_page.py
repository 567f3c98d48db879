"""
The exam page's questions and navigation panel as HTML, built in Python.

Opening the exam page is the heaviest request of a mass start: a thousand officers open it
in the same minute. Everywhere else a question is rendered by the template
`exams/includes/question.html` (review, practice, preview); through the template engine
that costs about 0.6 ms per question, so the exam page builds the *same markup* here
instead (≈ 20× cheaper). tests/exams/test_taking_perf.py checks, question type by question
type, that both give the same HTML; change them together.

Only what an officer may see leaves this module: stem, option keys and texts, never
`correct`, `fraction`, the key or the explanation. The stem's HTML (rich text, tables,
images) is cached per process by version id, checked against the stem it was made from,
so an edited version can never be served stale.
"""
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .blocks import StemBlock
from .models import QuestionType

_STEM_BLOCK = StemBlock()
_STEMS = {}  # version id -> (stem as stored, its HTML)
_STEM_CACHE_SIZE = 4096


@dataclass
class Item:
    """One row of the paper as the exam page needs it (see `load_items`)."""

    position: int
    version_id: int
    parent_id: int | None
    points: object
    option_order: list
    answer: object
    flagged: bool
    qtype: str = ""
    stem: list | None = None
    options: list | None = None
    blanks: list | None = None


ITEM_FIELDS = ("position", "version_id", "parent_id", "points", "option_order", "answer",
               "flagged")


def load_items(attempt):
    """Return the attempt's items in order with the answer-free parts of their versions.

    One query: the items joined to their versions, reading only the version's type, stem,
    options and blanks out of its JSON (never the key, explanation or reference answer).
    """
    rows = attempt.items.order_by("position").values_list(
        *ITEM_FIELDS, "version__data__qtype", "version__data__stem", "version__data__options",
        "version__data__blanks")
    return [Item(*row[:7], qtype=row[7], stem=row[8], options=row[9] or [], blanks=row[10] or [])
            for row in rows]


def stem_html(version_id, stem):
    """Return the stem's HTML, from the cache when it was made from this very stem."""
    cached = _STEMS.get(version_id)
    if cached is not None and cached[0] == stem:
        return cached[1]
    html = _STEM_BLOCK.to_python(stem).render_as_block()
    if len(_STEMS) >= _STEM_CACHE_SIZE:
        _STEMS.clear()
    _STEMS[version_id] = (stem, html)
    return html


def _is_in(key, answer):
    try:  # the template's `in`: a string answer to a multiple-choice question still works
        return key in answer
    except TypeError:
        return False


def _options(item, texts):
    options = item.options
    if item.option_order:
        by_key = {option["key"]: option for option in options}
        options = [by_key[key] for key in item.option_order if key in by_key]
    multiple = item.qtype == QuestionType.MULTIPLE
    kind = "checkbox" if multiple else "radio"
    name = f"q-{item.position}"
    parts = ['<fieldset class="question-options"><legend class="helptext">',
             texts["choose_all"] if multiple else texts["choose_one"], "</legend>"]
    for index, option in enumerate(options):
        key = option["key"]
        checked = _is_in(key, item.answer) if multiple else key == item.answer
        parts.append(
            f'<label class="option"><input type="{kind}" name="{name}" value="{escape(key)}" '
            f'data-answer{" checked" if checked else ""}> <span class="option-key">'
            f'{chr(ord("A") + index)}.</span> <span>{escape(option["text"])}</span></label>')
    parts.append("</fieldset>")
    return "".join(parts)


def _true_false(item, texts):
    name = f"q-{item.position}"
    yes = " checked" if item.answer is True else ""
    no = " checked" if item.answer is False else ""
    return (f'<fieldset class="question-options"><legend class="helptext">{texts["tf"]}'
            f'</legend><label class="option"><input type="radio" name="{name}" value="true" '
            f'data-answer{yes}> {texts["true"]}</label><label class="option"><input '
            f'type="radio" name="{name}" value="false" data-answer{no}> {texts["false"]}'
            f'</label></fieldset>')


def _blanks(item, texts):
    count = len(item.blanks)
    given = list(item.answer) if isinstance(item.answer, list) else []
    values = (given + [""] * count)[:count]
    name = f"q-{item.position}"
    inputs = "".join(
        f'<label>{texts["blank"] % {"n": n}} <input type="text" name="{name}" '
        f'value="{escape(value)}" data-answer autocomplete="off"></label>'
        for n, value in enumerate(values, start=1))
    return f'<div class="question-blanks">{inputs}</div>'


def _long_answer(item, texts):
    return (f'<label class="long-answer">{texts["your_answer"]}<textarea '
            f'name="q-{item.position}" rows="6" data-answer>'
            f'{escape(item.answer) if item.answer else ""}</textarea></label>')


def _texts():
    """The page's fixed words, translated once per request (same msgids as the template)."""
    return {
        "flag": escape(_("Flag for review")), "choose_one": escape(_("Choose one")),
        "choose_all": escape(_("Choose all that apply")), "tf": escape(_("True or false?")),
        "true": escape(_("True")), "false": escape(_("False")),
        "blank": escape(_("Blank %(n)s")), "your_answer": escape(_("Your answer")),
        "points": escape(_("%(points)s points")), "question": escape(_("Question %(n)s")),
        "labels": {value: escape(label) for value, label in QuestionType.choices},
    }


def question_html(item, number, texts):
    """One question as question.html renders it on the exam page (not disabled)."""
    is_case = item.qtype == QuestionType.CASE_ANALYSIS
    head = [f'<span class="question-number">{number}</span>' if number else "",
            f'<span class="badge">{texts["labels"].get(item.qtype, escape(item.qtype))}</span>']
    if not is_case:
        head.append(f'<span class="helptext">'
                    f'{texts["points"] % {"points": floatformat(item.points, "-2")}}</span>')
        head.append(f'<label class="flag"><input type="checkbox" data-flag'
                    f'{" checked" if item.flagged else ""}> {texts["flag"]}</label>')
    if item.options:
        body = _options(item, texts)
    elif item.qtype == QuestionType.TRUE_FALSE:
        body = _true_false(item, texts)
    elif item.qtype == QuestionType.FILL_BLANK:
        body = _blanks(item, texts)
    elif item.qtype == QuestionType.SHORT_ANSWER:
        body = _long_answer(item, texts)
    else:
        body = ""
    return (f'<article class="question{" in-case" if item.parent_id else ""}" '
            f'data-qtype="{escape(item.qtype)}" data-position="{item.position}" '
            f'id="q-{item.position}"><header class="question-head">{"".join(head)}</header>'
            f'<div class="question-stem">{stem_html(item.version_id, item.stem)}</div>'
            f'{body}</article>')


@dataclass(frozen=True)
class Paper:
    questions: str  # every question's HTML, in order
    nav: str  # the navigation panel's buttons
    answered: int
    total: int  # questions that take an answer (a case's own row does not)


def render(items):
    """Return the exam page's questions and navigation for `items` (from `load_items`)."""
    texts = _texts()
    questions, nav, number, answered = [], [], 0, 0
    for item in items:
        is_case = item.qtype == QuestionType.CASE_ANALYSIS
        if not is_case:
            number += 1
            label = texts["question"] % {"n": number}
            nav.append(f'<button type="button" class="nav-q" data-goto="{item.position}" '
                       f'aria-label="{label}">{number}</button>')
        if item.answer not in (None, "", []):
            answered += 1
        questions.append(question_html(item, None if is_case else number, texts))
    return Paper(mark_safe("".join(questions)), mark_safe("".join(nav)), answered, number)

