"""
Self-check questions on a study page: a lesson's check questions and a typical case's
related questions, answered on the page with immediate feedback.

The page carries each question only as `exams.rendering.officer_view` shows it (never the
key, the explanation or the legal basis). The officer's answer is posted to
`content:self_check` for one question; it is graded by the same code as practice
(`exams.practice`), stored as a practice answer (so a wrong answer goes to the officer's
notebook) and only then are the key, the explanation and the legal basis returned.
While the officer has an exam in progress, self-check answers are refused, as practice is:
the feedback shows keys.
"""
from exams.grading import grade
from exams.practice import (answer_from_form, exam_in_progress, is_blank, practice_pool,
                            record_answer, solution_view)
from exams.rendering import officer_view

ANSWER_PREFIX = "q-"  # exams/includes/question.html names inputs q-<position>


class Refused(Exception):
    """The answer cannot be checked now (an exam in progress, or nothing answered)."""


def links_of(page):
    """Return the page's links to bank questions (check or related questions), or None."""
    relation = getattr(page, "self_check_relation", None)
    return getattr(page, relation) if relation else None


def questions_of(page):
    """Return the page's self-check questions that can be answered now, in order.

    Only active, standalone, objective questions with a version (the practice pool);
    a question linked twice is shown once. Two queries; works on a page being previewed
    too (its links are then held in memory, not in the database).
    """
    links = links_of(page)
    if links is None:
        return []
    ids = list(dict.fromkeys(link.question_id for link in sorted(
        links.all(), key=lambda link: (link.sort_order is None, link.sort_order or 0))
        if link.question_id))
    if not ids:
        return []
    found = {q.pk: q for q in practice_pool().filter(pk__in=ids).select_related(
        "current_version")}
    return [found[pk] for pk in ids if pk in found]


def items_for(page):
    """Return template contexts (answer-free) for the page's self-check questions."""
    items = []
    for number, question in enumerate(questions_of(page), start=1):
        view = officer_view(question.current_version.data, number=f"{number}.")
        view["position"] = question.pk
        items.append({"question": question, "q": view})
    return items


def find(page, question_id):
    """Return the page's self-check question `question_id`, or None."""
    return next((q for q in questions_of(page) if q.pk == question_id), None)


def check(question, values, officer=None):
    """Grade an answer to one self-check question; return (correct, solution view).

    `values` are the submitted values of the question's inputs. The answer is stored as a
    practice answer when the user is an officer. Raises Refused while an exam is in
    progress or when nothing was answered.
    """
    if officer is not None and exam_in_progress(officer) is not None:
        raise Refused("exam")
    version = question.current_version
    given = answer_from_form(version.qtype, values)
    if is_blank(given):
        raise Refused("blank")
    if officer is not None:
        correct = record_answer(officer, version, given).correct
    else:  # e.g. an administrator without an officer profile trying the page: not stored
        correct = grade(version.data, given).correct
    view = solution_view(version.data, given)
    view["position"] = question.pk
    return correct, view
