"""
Marking open questions by hand, changing a mark afterwards, and re-marking after a key change.

Markers see answers under an opaque candidate code (`candidate_code`), never a name, unit
or badge number. An attempt becomes final (MARKED) through `sitting.finalize` once none of
its items awaits a marker.

Every change to a score already given is audited by a ScoreChange row:
- a marker's change of one item (`change_mark`) records that item's points, old → new,
  with `item` set;
- a re-mark after a key change (`remark_exam`) records the attempt's total, old → new,
  with `item` empty.
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from people.roles import Role
from people.scopes import visible_officers

from . import sitting
from .models import (Attempt, AttemptItem, AttemptStatus, QuestionType, QuestionVersion,
                     ScoreChange)
from .versions import mark_used

MARKER_ROLES = (Role.TRAINER, Role.ORGANIZER)
OPEN_QTYPES = (QuestionType.SHORT_ANSWER,)
FINISHED = (AttemptStatus.SUBMITTED, AttemptStatus.MARKED)


class MarkingError(Exception):
    """A mark the rules refuse; the message is shown to the marker."""


def candidate_code(attempt_id):
    """Return the opaque code markers see instead of the candidate (stable, not guessable)."""
    digest = salted_hmac("exams.marking.candidate", str(attempt_id)).hexdigest()
    return f"{digest[:4]}-{digest[4:8]}".upper()


def markable_items(user):
    """Return the open items the user may mark or re-mark: open type, finished attempt, in
    scope — never the user's own answers (a trainer who sat the exam too)."""
    return AttemptItem.objects.filter(
        version__qtype__in=OPEN_QTYPES, attempt__status__in=FINISHED,
        attempt__officer__in=visible_officers(user)).exclude(attempt__officer__user_id=user.pk)


def pending_by_exam(user):
    """Return [{exam_id, exam__title, pending}] for exams with answers awaiting the user's marking."""
    return list(markable_items(user).filter(needs_marking=True)
                .values("attempt__exam_id", "attempt__exam__title")
                .annotate(pending=Count("pk")).order_by("attempt__exam__title"))


def pending_by_question(user, exam):
    """Return [{version_id, question_id, number, stem_text, pending, marked}] for one exam."""
    rows = (markable_items(user).filter(attempt__exam=exam)
            .values("version_id", "version__question_id", "version__number")
            .annotate(pending=Count("pk", filter=Q(needs_marking=True)), total=Count("pk"))
            .order_by("version__question_id", "version__number"))
    rows = list(rows)
    stems = dict(QuestionVersion.objects.filter(pk__in=[r["version_id"] for r in rows])
                 .values_list("pk", "data__stem_text"))
    for row in rows:
        row["stem_text"] = stems.get(row["version_id"]) or ""
    return rows


def next_pending(user, exam_id, version_id=None, after=None):
    """Return the next item awaiting marking in an exam (optionally of one question version)."""
    items = markable_items(user).filter(attempt__exam_id=exam_id, needs_marking=True)
    if version_id is not None:
        items = items.filter(version_id=version_id)
    if after is not None:
        later = items.filter(pk__gt=after).order_by("pk").first()
        if later is not None:
            return later
    return items.order_by("pk").first()


def parse_points(raw, item):
    """Return `raw` as Decimal points between 0 and the item's points, or raise MarkingError."""
    try:
        points = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise MarkingError(_("Enter the points as a number.")) from None
    if not points.is_finite() or points < 0 or points > item.points:
        raise MarkingError(_("Points must be between 0 and %(max)s.")
                           % {"max": f"{item.points.normalize():f}"})
    if points != points.quantize(Decimal("0.01")):
        raise MarkingError(_("Use at most two decimal places."))
    return points


@transaction.atomic
def mark_item(item, points, comment, marker, now=None):
    """Give an open item its first mark; finalize the attempt when no item awaits a marker."""
    points = parse_points(points, item)
    attempt = _lock_attempt(item.attempt_id)
    claimed = AttemptItem.objects.filter(pk=item.pk, marked_at__isnull=True).update(
        earned=points, needs_marking=False, marked_by=marker, marked_at=now or timezone.now(),
        marker_comment=comment.strip())
    if not claimed:
        raise MarkingError(_("This answer has already been marked; change the mark instead."))
    item.refresh_from_db()
    return sitting.finalize(attempt)


@transaction.atomic
def change_mark(item, points, comment, reason, user, now=None):
    """Change a mark already given, with a reason; audit it and re-total the attempt."""
    points = parse_points(points, item)
    reason = (reason or "").strip()
    if not reason:
        raise MarkingError(_("Give the reason for the change."))
    attempt = _lock_attempt(item.attempt_id)
    item = AttemptItem.objects.select_for_update().get(pk=item.pk)
    if item.marked_at is None:
        raise MarkingError(_("This answer has not been marked yet."))
    old = item.earned
    AttemptItem.objects.filter(pk=item.pk).update(
        earned=points, marked_by=user, marked_at=now or timezone.now(),
        marker_comment=comment.strip())
    if old != points:
        ScoreChange.objects.create(attempt=attempt, item=item, changed_by=user,
                                   old_score=old, new_score=points, reason=reason[:300])
    return sitting.finalize(attempt)


def _lock_attempt(attempt_id):
    # Marking two items of one attempt at once must not finalize it twice (or not at all):
    # the attempt row serialises every mark of that attempt.
    return (Attempt.objects.select_for_update(of=("self",)).select_related("exam")
            .get(pk=attempt_id))


# --- Re-marking after a key change -----------------------------------------------------

@dataclass
class RemarkReport:
    attempts: int = 0
    changed: int = 0
    skipped_unfinished: int = 0
    questions: list = field(default_factory=list)

    def as_dict(self):
        return {"attempts": self.attempts, "changed": self.changed,
                "skipped_unfinished": self.skipped_unfinished, "questions": self.questions}


def _stale(exam):
    """Return the exam's items whose question has a newer version, annotated with `newest_id`."""
    newest = (QuestionVersion.objects.filter(question_id=OuterRef("version__question_id"))
              .order_by("-number").values("pk")[:1])
    return (AttemptItem.objects.filter(attempt__exam=exam)
            .annotate(newest_id=Subquery(newest))
            .exclude(version_id=F("newest_id")))


def remark_summary(exam):
    """Return the key changes awaiting a re-mark: [{question_id, from, to, items}]."""
    rows = (_stale(exam).filter(attempt__status__in=FINISHED)
            .values("version__question_id", "version__number", "newest_id")
            .annotate(items=Count("pk")).order_by("version__question_id"))
    rows = list(rows)
    numbers = dict(QuestionVersion.objects.filter(pk__in=[r["newest_id"] for r in rows])
                   .values_list("pk", "number"))
    return [{"question_id": r["version__question_id"], "from": r["version__number"],
             "to": numbers.get(r["newest_id"]), "items": r["items"]} for r in rows]


def remark_exam(exam, user, progress=None):
    """Re-grade finished attempts whose questions have a newer version (idempotent).

    Each affected item switches to its question's newest version and is graded against
    that key; the attempt is re-totalled, and an attempt whose score changed gets one
    ScoreChange naming the key changes. Attempts still being taken keep their frozen
    versions (the officer is answering them) and are counted as skipped: re-mark again
    once they are submitted.
    """
    report = RemarkReport(questions=remark_summary(exam))
    report.skipped_unfinished = (_stale(exam).exclude(attempt__status__in=FINISHED)
                                 .values("attempt_id").distinct().count())
    attempt_ids = list(_stale(exam).filter(attempt__status__in=FINISHED)
                       .values_list("attempt_id", flat=True).distinct().order_by("attempt_id"))
    for index, attempt_id in enumerate(attempt_ids, start=1):
        if _remark_attempt(attempt_id, user):
            report.changed += 1
        report.attempts += 1
        if progress is not None:
            progress.step(index, len(attempt_ids))
    return report


@transaction.atomic
def _remark_attempt(attempt_id, user):
    """Re-mark one attempt against its questions' newest keys; return True if its score changed."""
    attempt = _lock_attempt(attempt_id)
    if attempt.status not in FINISHED:
        return False
    stale = list(_stale(attempt.exam).filter(attempt=attempt)
                 .values("pk", "version_id", "version__question_id", "version__number",
                         "newest_id"))
    if not stale:
        return False  # already re-marked (a retried or repeated job)
    numbers = dict(QuestionVersion.objects.filter(pk__in={r["newest_id"] for r in stale})
                   .values_list("pk", "number"))
    for row in stale:
        AttemptItem.objects.filter(pk=row["pk"]).update(version_id=row["newest_id"])
    mark_used({row["newest_id"] for row in stale})
    old_score = attempt.score
    # Only the questions whose key changed: the others keep what they earned (a change of
    # marking rules since must not slip into this re-marking).
    sitting.mark_objective(attempt, only={row["pk"] for row in stale})
    new_score = attempt.score if attempt.status == AttemptStatus.MARKED else None
    if old_score == new_score:
        return False
    changes = sorted({(r["version__question_id"], r["version__number"], numbers[r["newest_id"]])
                      for r in stale})
    reason = "; ".join(f"key changed: question #{qid} v{old}→v{new}" for qid, old, new in changes)
    ScoreChange.objects.create(attempt=attempt, changed_by=user, old_score=old_score,
                               new_score=new_score, reason=reason[:300])
    return True
