"""
Practice 练习 and mock exams 模拟考试.

Practice serves objective questions one at a time — from a category of the bank, or from
the officer's notebook — and shows the key, the explanation and the legal basis as soon as
the officer answers. Answers are checked by the same `grading.grade` as exams, stored as
PracticeAnswers and fed to the notebook (`notebook.py`). The question being answered is
kept on the server (the view holds its version id in the session), so the page only ever
carries the question as `rendering.officer_view` shows it: never the key.

While an officer has an exam in progress, practice and the notebook are closed: both show
keys, and some of those questions may be on the exam.

Mock exams are ordinary Exams of kind MOCK, taken with the normal exam pages
(`sitting.py`). Every officer may take an open mock exam, as often as they like: each
start after a finished attempt draws a fresh paper. They never count as monthly exams.
"""
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from . import notebook, sitting
from .grading import grade
from .models import (Attempt, AttemptStatus, Category, Exam, ExamKind, ExamStatus,
                     PracticeAnswer, Question, QuestionStatus, QuestionType, QuestionVersion,
                     WrongAnswer)
from .rendering import officer_view

PRACTICE_TYPES = notebook.OBJECTIVE_TYPES
MAX_VALUES = 50  # answer values accepted from one form (a fill-in question's blanks)
MAX_VALUE_CHARS = 1000


@dataclass(frozen=True)
class CategoryCount:
    category: Category
    count: int


def practice_pool(category=None):
    """Return the questions practice serves: active, standalone, objective, versioned."""
    pool = Question.objects.active().top_level().filter(qtype__in=PRACTICE_TYPES,
                                                        current_version__isnull=False)
    if category is not None:
        pool = pool.filter(category__path__startswith=category.path)
    return pool


def category_tree(counts):
    """Return CategoryCounts in tree order for every category whose subtree counts anything.

    `counts` maps a category's tree path to the number of things filed directly under it;
    a category's count includes its descendants'. Two queries at most, whatever the depth.
    """
    totals = {}
    for path, count in counts.items():
        for end in range(Category.steplen, len(path) + 1, Category.steplen):
            totals[path[:end]] = totals.get(path[:end], 0) + count
    if not totals:
        return []
    return [CategoryCount(category, totals[category.path])
            for category in Category.objects.filter(path__in=list(totals)).order_by("path")]


def practice_categories():
    """Return the category tree with the number of practice questions in each subtree."""
    rows = practice_pool().order_by().values_list("category__path").annotate(n=Count("pk"))
    return category_tree(dict(rows))


def next_question(category=None, previous=None, rng=random):
    """Return the version of a random practice question, not `previous` (a question id) again.

    `previous` is served again only if it is the only question there is.
    """
    pairs = list(practice_pool(category).order_by().values_list("pk", "current_version_id"))
    return _pick(pairs, previous, rng)


def next_from_notebook(officer, category=None, previous=None, rng=random):
    """Return a random question of the officer's notebook to practise again, or None.

    An active question is served as it reads now (a corrected key is practised
    corrected); a retired one as the officer got it wrong.
    """
    entries = notebook.open_entries(officer)
    if category is not None:
        entries = entries.filter(question__category__path__startswith=category.path)
    pairs = [(question_id, current if status == QuestionStatus.ACTIVE and current else version)
             for question_id, version, current, status in entries.order_by().values_list(
                 "question_id", "version_id", "question__current_version_id", "question__status")]
    return _pick(pairs, previous, rng)


def _pick(pairs, previous, rng):
    if len(pairs) > 1:
        pairs = [pair for pair in pairs if pair[0] != previous]
    if not pairs:
        return None
    _question_id, version_id = rng.choice(pairs)
    return QuestionVersion.objects.get(pk=version_id)


def answer_from_form(qtype, values):
    """Return the answer as exams store it, from the form's submitted values (a list)."""
    values = [str(value)[:MAX_VALUE_CHARS] for value in values[:MAX_VALUES]]
    if qtype == QuestionType.SINGLE:
        return values[0] if values else None
    if qtype == QuestionType.MULTIPLE:
        return sorted(set(values))
    if qtype == QuestionType.TRUE_FALSE:
        return {"true": True, "false": False}.get(values[0] if values else None)
    if qtype == QuestionType.FILL_BLANK:
        return values
    return None


def is_blank(answer):
    """Return True if nothing was answered (no option picked, every blank empty)."""
    if isinstance(answer, list):
        return not any(str(value).strip() for value in answer)
    return answer is None or answer == ""


@transaction.atomic
def record_answer(officer, version, answer, from_notebook=False):
    """Check an answer, store it as a PracticeAnswer and update the notebook; return it."""
    result = grade(version.data, answer)
    practice_answer = PracticeAnswer.objects.create(
        officer=officer, version=version, answer=answer, correct=result.correct,
        from_notebook=from_notebook)
    if result.correct:
        notebook.record_right(officer, version.question_id)
    else:
        notebook.record_wrong(officer, version, answer, WrongAnswer.Source.PRACTICE)
    return practice_answer


def solution_view(data, answer=None):
    """Return the question with the officer's answer, its key, explanation and legal basis.

    Only for pages shown after the officer has answered (feedback, the notebook).
    """
    view = officer_view(data, answer=answer)
    labels = {option["key"]: option["label"] for option in view["options"]}
    view.update(
        correct_labels=[labels[option["key"]] for option in data.get("options") or []
                        if option["correct"] and option["key"] in labels],
        answer_bool=data.get("answer_bool") if data["qtype"] == QuestionType.TRUE_FALSE
        else None,
        blanks=data.get("blanks") or [],
        explanation=data.get("explanation", ""),
        legal_basis=data.get("legal_basis", ""),
        category=data.get("category", ""),
        stem_text=data.get("stem_text", ""),
    )
    return view


def exam_in_progress(officer, now=None):
    """Return the officer's attempt that is being taken now, if any (practice waits for it)."""
    now = now or timezone.now()
    return (Attempt.objects.filter(officer=officer, status=AttemptStatus.IN_PROGRESS,
                                   deadline__gt=now - sitting.GRACE)
            .select_related("exam").first())


def practice_summary(officer):
    """Return how many questions the officer has practised and got right."""
    return PracticeAnswer.objects.filter(officer=officer).aggregate(
        answered=Count("pk"), right=Count("pk", filter=Q(correct=True)))


# Mock exams ---------------------------------------------------------------------------------

def open_mock_exams(now=None):
    """Return the published mock exams open now; every officer may take them."""
    now = now or timezone.now()
    return (Exam.objects.filter(kind=ExamKind.MOCK, status=ExamStatus.PUBLISHED,
                                opens_at__lte=now, closes_at__gt=now)
            .select_related("paper").order_by("title"))


def start_mock(exam, officer):
    """Return the officer's attempt to take now: the unfinished one, else a freshly drawn one.

    Mock exams ignore `attempts_allowed` and the eligible units: every officer may sit them
    again and again, each time with a new attempt number and a new draw. May raise
    `papers.BlueprintError` when the bank cannot fill the blueprint.
    """
    latest = Attempt.objects.filter(exam=exam, officer=officer).order_by("-number").first()
    if latest is not None and latest.status in (AttemptStatus.READY, AttemptStatus.IN_PROGRESS):
        return latest
    return sitting.create_attempt(exam, officer, number=latest.number + 1 if latest else 1)
