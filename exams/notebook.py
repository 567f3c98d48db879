"""
The wrong-answer notebook 错题本: every question an officer got wrong and has not mastered.

A question enters the notebook when the officer answers it wrong — in practice at once, in
an exam once that attempt's full review is open — and leaves it after two right answers in
a row (`streak` reaches 2; the entry is kept with `cleared_at` set, so a later wrong answer
brings it back and `times_wrong` keeps counting).

An entry describes the latest wrong answer: its `version`, `last_answer` and `source`.
`attempt_item` is the latest exam item collected into the entry; practice never changes it.
It is also what makes collecting idempotent: an exam item is collected only if it is newer
(a higher id) than the entry's `attempt_item`, so reading the same attempt twice, or an
older attempt after a newer one, adds nothing.

Exam answers are collected lazily — `collect_for_officer` runs when the officer opens the
notebook or the practice pages, and `collect_from_attempt` may be called from the result
page — so no periodic job is needed and nothing is collected before the review opens.
"""
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Value, When
from django.utils import timezone

from .models import AttemptItem, AttemptStatus, QuestionType, ReviewPolicy, WrongAnswer
from .review import review_allowed

CLEARING_STREAK = 2  # right answers in a row that take a question out of the notebook
OBJECTIVE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE,
                   QuestionType.FILL_BLANK)


def open_entries(officer):
    """Return the officer's notebook: the entries not cleared yet, latest first."""
    return WrongAnswer.objects.filter(officer=officer, cleared_at__isnull=True)


def entries(officer, category=None, source=None):
    """Return the open entries, optionally of one category subtree and one source."""
    found = open_entries(officer)
    if category is not None:
        found = found.filter(question__category__path__startswith=category.path)
    if source:
        found = found.filter(source=source)
    return found.select_related("version", "question__category",
                                "attempt_item__attempt__exam").order_by("-last_seen_at", "-pk")


def category_counts(officer):
    """Return {category path: number of open entries filed directly under it}."""
    rows = (open_entries(officer).order_by().values_list("question__category__path")
            .annotate(n=Count("pk")))
    return dict(rows)


@transaction.atomic
def record_wrong(officer, version, answer, source, attempt_item=None):
    """Put the question of `version` in the notebook (again), with this wrong answer."""
    entry = _locked_entry(officer, version.question_id)
    if entry is None:
        try:
            with transaction.atomic():
                return WrongAnswer.objects.create(
                    officer=officer, question_id=version.question_id, version=version,
                    last_answer=answer, source=source, attempt_item=attempt_item)
        except IntegrityError:  # added at the same moment by another request
            entry = _locked_entry(officer, version.question_id)
    entry.times_wrong += 1
    entry.streak = 0
    entry.cleared_at = None
    entry.version = version
    entry.last_answer = answer
    entry.source = source
    fields = ["times_wrong", "streak", "cleared_at", "version", "last_answer", "source",
              "last_seen_at"]
    if attempt_item is not None:
        entry.attempt_item = attempt_item
        fields.append("attempt_item")
    entry.save(update_fields=fields)
    return entry


def record_right(officer, question_id, now=None):
    """Count a right answer towards clearing the question's entry; return True if it left."""
    now = now or timezone.now()
    updated = open_entries(officer).filter(question_id=question_id).update(
        streak=F("streak") + 1,
        cleared_at=Case(When(streak__gte=CLEARING_STREAK - 1, then=Value(now)), default=None),
        last_seen_at=now)
    return bool(updated) and not open_entries(officer).filter(question_id=question_id).exists()


def _locked_entry(officer, question_id):
    return (WrongAnswer.objects.select_for_update()
            .filter(officer=officer, question_id=question_id).first())


def _wrong_exam_items():
    """Return the wrong, standalone objective items of submitted attempts with full review.

    Items already collected (the entry holds this item or a newer one) are left out.
    Whether the review is open *now* is decided per attempt by `review.review_allowed`.
    """
    collected = WrongAnswer.objects.filter(
        officer=OuterRef("attempt__officer"), question=OuterRef("version__question"),
        attempt_item__gte=OuterRef("pk"))
    return (AttemptItem.objects
            .filter(parent__isnull=True, version__qtype__in=OBJECTIVE_TYPES,
                    earned__isnull=False, earned__lt=F("points"),
                    attempt__status__in=(AttemptStatus.SUBMITTED, AttemptStatus.MARKED),
                    attempt__exam__review_policy=ReviewPolicy.FULL)
            .exclude(Exists(collected))
            .select_related("version", "attempt__exam", "attempt__officer")
            .order_by("pk"))


def _collect(items, now=None, exams=None):
    """Collect the items whose attempt's full review is open now; return how many were added.

    `exams` (by id) are shared between the items, so that the review's opening time (which
    waits for every resit officer's window, review.review_opens_at) is read once per exam.
    """
    exams = dict(exams or {})
    count = 0
    for item in items:
        item.attempt.exam = exams.setdefault(item.attempt.exam_id, item.attempt.exam)
        if review_allowed(item.attempt, now) != ReviewPolicy.FULL:
            continue
        if _collect_item(item):
            count += 1
    return count


@transaction.atomic
def _collect_item(item):
    officer = item.attempt.officer
    entry = _locked_entry(officer, item.version.question_id)
    if entry is not None and entry.attempt_item_id and entry.attempt_item_id >= item.pk:
        return False  # collected meanwhile by another request
    record_wrong(officer, item.version, item.answer, WrongAnswer.Source.EXAM, attempt_item=item)
    return True


def collect_from_attempt(attempt, now=None):
    """Add the attempt's wrong objective answers to the notebook once its full review is open.

    Idempotent: calling it again adds nothing. Return the number of items added.
    """
    if review_allowed(attempt, now) != ReviewPolicy.FULL:
        return 0
    return _collect(_wrong_exam_items().filter(attempt=attempt), now,
                    exams={attempt.exam_id: attempt.exam})


def collect_for_officer(officer, now=None):
    """Collect the wrong answers of every attempt of the officer whose full review is open."""
    return _collect(_wrong_exam_items().filter(attempt__officer=officer), now)
