"""
Sitting an exam: eligibility, drawing papers, starting, saving answers, submitting.

The save path is the hot path (a thousand officers at once at month end): it reads the
attempt and updates one answer row, nothing else — no queue, no outside call. The
server is the authority on time: saves after the deadline (plus a small grace for
requests already in flight) are refused, and expired attempts are submitted by the
server (a job at the deadline and a periodic sweeper, both idempotent).
"""
import datetime as dt
import json
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from people.models import Officer, OfficerStatus

from .grading import grade
from .models import (Attempt, AttemptEvent, AttemptItem, AttemptStatus, Exam, ExamOverride,
                     ExamStatus, SubmitReason)
from .papers import draw
from .versions import mark_used

log = logging.getLogger(__name__)
GRACE = dt.timedelta(seconds=15)


class SittingError(Exception):
    """A request the rules refuse; the message is shown to the officer."""

    def __init__(self, message, code="refused"):
        super().__init__(message)
        self.code = code


def publish(exam, user=None):
    """Publish an exam and draw every eligible officer's paper ahead of the window (a job)."""
    from jobs.runner import start_job

    Exam.objects.filter(pk=exam.pk).update(status=ExamStatus.PUBLISHED,
                                           published_at=timezone.now())
    exam.status = ExamStatus.PUBLISHED
    return start_job("exams.draw_papers", owner=user, params={"exam_id": exam.pk})


def eligible_officers(exam):
    """Return the active officers who may sit the exam (unit subtrees and named officers)."""
    condition = Q(pk__in=exam.eligible_officers.values("pk"))
    for path in exam.eligible_units.values_list("path", flat=True):
        condition |= Q(unit__path__startswith=path)
    return Officer.objects.filter(condition, status=OfficerStatus.ACTIVE)


def is_eligible(exam, officer):
    return eligible_officers(exam).filter(pk=officer.pk).exists()


@dataclass(frozen=True)
class Window:
    opens_at: dt.datetime
    closes_at: dt.datetime
    minutes: float
    attempts_allowed: int

    def is_open(self, now):
        return self.opens_at <= now < self.closes_at


def with_override_flag(attempts):
    """Annotate an attempt queryset with `has_override` (a per-officer override of the
    exam exists), so that `window_for` need not look for one when there is none."""
    return attempts.annotate(has_override=Exists(ExamOverride.objects.filter(
        exam=OuterRef("exam_id"), officer=OuterRef("officer_id"))))


LOOK_UP = object()  # window_for's default: find the officer's override of the exam


def window_for(exam, officer, override=LOOK_UP, attempt=None):
    """Return the officer's window: the exam's, with their override and accommodation.

    `override`: the officer's ExamOverride of this exam, or None for none, when the caller
    has read it already. `attempt`: one of the officer's attempts at this exam loaded
    `with_override_flag`; the override is then looked up only if it exists (almost no
    officer has one)."""
    if override is LOOK_UP:
        override = (ExamOverride.objects.filter(exam=exam, officer=officer).first()
                    if getattr(attempt, "has_override", True) else None)
    opens, closes = exam.opens_at, exam.closes_at
    minutes = exam.duration_minutes * (1 + officer.extra_time_percent / 100)
    attempts = exam.attempts_allowed
    if override is not None:
        opens = override.opens_at or opens
        closes = override.closes_at or closes
        minutes += override.extra_minutes
        attempts += override.extra_attempts
    return Window(opens, closes, minutes, attempts)


def create_attempt(exam, officer, number=1):
    """Draw the officer's paper and store it as a ready attempt (idempotent)."""
    existing = Attempt.objects.filter(exam=exam, officer=officer, number=number).first()
    if existing is not None:
        return existing
    seed = secrets.token_hex(8)
    items = draw(exam.paper, seed=f"{officer.pk}:{number}:{seed}")
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(exam=exam, officer=officer, number=number, seed=seed)
            _store_items(attempt, items)
    except IntegrityError:  # drawn concurrently by another request or the publish job
        return Attempt.objects.get(exam=exam, officer=officer, number=number)
    return attempt


def _store_items(attempt, items):
    rows, total, position = [], Decimal("0"), 0
    parents = {}
    for item in items:
        for entry in item.flat():
            position += 1
            rows.append(AttemptItem(attempt=attempt, position=position,
                                    version_id=entry.version_id, points=entry.points,
                                    option_order=entry.option_order))
            if entry.children:
                parents[position] = [child.version_id for child in entry.children]
        total += item.points
    AttemptItem.objects.bulk_create(rows)
    if parents:
        by_position = {row.position: row for row in attempt.items.all()}
        children = []
        for parent_position, versions in parents.items():
            for offset, _version in enumerate(versions, start=1):
                child = by_position[parent_position + offset]
                child.parent_id = by_position[parent_position].pk
                children.append(child)
        AttemptItem.objects.bulk_update(children, ["parent"])
        # A case's own row carries no answer; its points live in its sub-questions.
        AttemptItem.objects.filter(attempt=attempt, position__in=list(parents)).update(
            points=Decimal("0"))
    mark_used({row.version_id for row in rows})
    Attempt.objects.filter(pk=attempt.pk).update(max_score=total)
    attempt.max_score = total


def draw_for_exam(exam, progress=None):
    """Draw every eligible officer's first attempt ahead of the window; return the count."""
    officers = list(eligible_officers(exam).exclude(
        pk__in=Attempt.objects.filter(exam=exam, number=1).values("officer_id")))
    for index, officer in enumerate(officers, start=1):
        create_attempt(exam, officer)
        if progress is not None:
            progress.step(index, len(officers))
    return len(officers)


def current_attempt(exam, officer, now=None, attempts=None):
    """Return the attempt the officer should see now, drawing one on demand if allowed
    (any time before the exam closes).

    `attempts`: the officer's attempts at this exam, newest first, if the caller has them.
    """
    now = now or timezone.now()
    if attempts is None:
        attempts = list(Attempt.objects.filter(exam=exam, officer=officer).order_by("-number"))
    if attempts and attempts[0].status in (AttemptStatus.READY, AttemptStatus.IN_PROGRESS):
        return attempts[0]
    window = window_for(exam, officer)
    # Before the opening too: an eligible officer whose paper was not drawn ahead (a
    # qualification exam, an officer added late) gets the waiting room, not a 404.
    if exam.status != ExamStatus.PUBLISHED or window.closes_at <= now:
        return attempts[0] if attempts else None
    if len(attempts) >= window.attempts_allowed:
        return attempts[0] if attempts else None
    if not is_eligible(exam, officer):
        return None
    return create_attempt(exam, officer, number=len(attempts) + 1)


def start(attempt, device, ip=None, user_agent="", take_over=False, now=None):
    """Start or resume an attempt on `device`; return the attempt (or raise SittingError)."""
    now = now or timezone.now()
    exam = attempt.exam
    if attempt.status == AttemptStatus.READY:
        window = window_for(exam, attempt.officer, attempt=attempt)
        if exam.status != ExamStatus.PUBLISHED or not window.is_open(now):
            raise SittingError("closed")
        deadline = min(now + dt.timedelta(minutes=window.minutes), window.closes_at)
        started = Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.READY).update(
            status=AttemptStatus.IN_PROGRESS, started_at=now, deadline=deadline, device=device)
        if started:  # this request started it: the row now holds exactly these values
            attempt.status, attempt.started_at = AttemptStatus.IN_PROGRESS, now
            attempt.deadline, attempt.device = deadline, device
            _event(attempt, AttemptEvent.Kind.START, ip, user_agent)
            schedule_timeout(attempt)
            return attempt
        attempt.refresh_from_db()  # started meanwhile by another request: resume below
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise SittingError("finished")
    if attempt.device == device:
        return attempt
    if not take_over:
        raise SittingError("other_device", code="other_device")
    if not exam.allow_takeover:
        _event(attempt, AttemptEvent.Kind.REFUSED, ip, user_agent, {"device": device})
        raise SittingError("takeover_refused", code="takeover_refused")
    Attempt.objects.filter(pk=attempt.pk).update(device=device)
    attempt.device = device
    _event(attempt, AttemptEvent.Kind.TAKEOVER, ip, user_agent, {"device": device})
    return attempt


def schedule_timeout(attempt):
    """Queue the submit-at-deadline job; the sweeper covers for it if Redis is down."""
    try:
        import django_rq

        from jobs import embedded_redis

        embedded_redis.ensure_running()
        django_rq.get_queue("marking").enqueue_at(
            attempt.deadline + GRACE, "exams.sitting.submit_if_expired", attempt.pk)
    except Exception as exc:  # noqa: BLE001 - a queue outage must never stop a start
        log.warning("timeout job for attempt %s not queued (%s); the sweeper will submit it",
                    attempt.pk, exc)


@dataclass(frozen=True)
class Saved:
    remaining: int  # seconds until the deadline


def save_answer(attempt_id, user_id, device, position, answer, flagged=None, ip=None,
                user_agent="", now=None, user_check=None, fingerprint=None):
    """Store one answer as given; refuse it after the deadline.

    One statement when the session carries the password fingerprint (PostgreSQL: the
    UPDATE checks the attempt, its deadline and device and the user's row itself). Else,
    and whenever that UPDATE changes nothing, two: the first query finds the attempt of
    this user together with the user's row, so that `user_check(password, is_active)`
    (the session's sign-in check, security/session_auth.py) is answered without loading
    the user, and says exactly why a save is refused.
    """
    now = now or timezone.now()
    if fingerprint and connection.vendor == "postgresql" and _acceptable(answer):
        deadline = _save_checked(attempt_id, user_id, device, position, answer, flagged, ip,
                                 user_agent, now, fingerprint)
        if deadline is not None:
            return Saved(max(0, int((deadline - now).total_seconds())))
    row = (Attempt.objects.filter(pk=attempt_id, officer__user_id=user_id)
           .values("status", "deadline", "device", "officer__user__password",
                   "officer__user__is_active").first())
    if row is None:
        raise SittingError("not_found", code="not_found")
    if user_check and not user_check(row["officer__user__password"],
                                     row["officer__user__is_active"]):
        raise SittingError("signed_out", code="signed_out")
    if not _acceptable(answer):
        raise SittingError("bad_answer", code="bad_request")
    if row["status"] != AttemptStatus.IN_PROGRESS:
        raise SittingError("finished", code="finished")
    if row["device"] != device:
        raise SittingError("other_device", code="other_device")
    if now > row["deadline"] + GRACE:
        AttemptEvent.objects.create(attempt_id=attempt_id, kind=AttemptEvent.Kind.LATE_SAVE,
                                    ip=ip, user_agent=user_agent[:300],
                                    detail={"position": position})
        raise SittingError("too_late", code="too_late")
    changes = {"answer": answer, "answered_at": now, "saved_ip": ip,
               "saved_agent": user_agent[:300]}
    if flagged is not None:
        changes["flagged"] = bool(flagged)
    updated = AttemptItem.objects.filter(attempt_id=attempt_id, position=position).update(
        **changes)
    if not updated:
        raise SittingError("no_such_question", code="bad_request")
    return Saved(max(0, int((row["deadline"] - now).total_seconds())))


MAX_PENDING_ANSWERS = 500  # more than any paper has questions


def save_pending(attempt_id, user_id, device, answers, ip=None, user_agent="", now=None):
    """Save the answers an exam page sends with its submission: those it had not had
    acknowledged yet (a save still on its way or retrying, typing not yet due to be saved).

    `answers` maps positions to ``{"answer": …, "flagged": …}``. Each is saved by the rules
    of `save_answer` (same officer and device, in time, a sane shape); one it refuses is
    left out, and the rest are saved. Return how many were saved.
    """
    if not isinstance(answers, dict):
        return 0
    saved = 0
    for position, entry in list(answers.items())[:MAX_PENDING_ANSWERS]:
        try:
            save_answer(attempt_id, user_id, device, int(position), entry.get("answer"),
                        entry.get("flagged"), ip, user_agent, now=now)
        except (SittingError, ValueError, TypeError, AttributeError):
            continue
        saved += 1
    return saved


@lru_cache(maxsize=2)
def _checked_save_sql(with_flag):
    """The UPDATE of `_save_checked` (built once per form: with or without the flag)."""
    flag = ", flagged = %s" if with_flag else ""
    return f"""
        UPDATE {AttemptItem._meta.db_table} AS i
        SET answer = %s::jsonb, answered_at = %s, saved_ip = %s, saved_agent = %s{flag}
        FROM {Attempt._meta.db_table} AS a
        JOIN {Officer._meta.db_table} AS o ON o.id = a.officer_id
        JOIN {get_user_model()._meta.db_table} AS u ON u.id = o.user_id
        WHERE i.attempt_id = %s AND i.position = %s AND a.id = i.attempt_id
          AND o.user_id = %s AND u.is_active AND sha256(convert_to(u.password, 'UTF8')) = %s
          AND a.status = %s AND a.device = %s AND a.deadline + %s >= %s
        RETURNING a.deadline"""


def _save_checked(attempt_id, user_id, device, position, answer, flagged, ip, user_agent, now,
                  fingerprint):
    """The save in one UPDATE that only matches while every rule holds; return the
    attempt's deadline, or None when it changed nothing (save_answer then finds out why).
    PostgreSQL only (sha256 of the user's password hash: the session's fingerprint)."""
    params = [None if answer is None else json.dumps(answer), now, ip, user_agent[:300],
              *([bool(flagged)] if flagged is not None else []),
              attempt_id, position, user_id, fingerprint, AttemptStatus.IN_PROGRESS, device,
              GRACE, now]
    with connection.cursor() as cursor:
        cursor.execute(_checked_save_sql(flagged is not None), params)
        row = cursor.fetchone()
    return row[0] if row else None


MAX_ANSWER_CHARS = 20_000


def _acceptable(answer):
    """Return True for the answer shapes the exam page sends, within a sane size."""
    if answer is None or isinstance(answer, bool):
        return True
    if isinstance(answer, str):
        return len(answer) <= MAX_ANSWER_CHARS
    if isinstance(answer, list):
        return (len(answer) <= 50 and all(isinstance(v, str) for v in answer)
                and sum(len(v) for v in answer) <= MAX_ANSWER_CHARS)
    return False


def record_focus_loss(attempt, ip=None, user_agent=""):
    """Count a focus loss; submit the attempt if the exam's limit is reached."""
    Attempt.objects.filter(pk=attempt.pk).update(focus_losses=F("focus_losses") + 1)
    attempt.refresh_from_db(fields=["focus_losses"])
    _event(attempt, AttemptEvent.Kind.FOCUS_LOSS, ip, user_agent,
           {"count": attempt.focus_losses})
    limit = attempt.exam.focus_loss_limit
    if limit and attempt.focus_losses >= limit:
        submit(attempt, SubmitReason.FOCUS)
        return True
    return False


@transaction.atomic
def submit(attempt, reason=SubmitReason.OFFICER, now=None):
    """Submit and mark an attempt's objective answers; a second submit does nothing."""
    now = now or timezone.now()
    claimed = Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(
        status=AttemptStatus.SUBMITTED, submitted_at=now, submit_reason=reason)
    if not claimed:
        attempt.refresh_from_db()
        return attempt
    attempt.refresh_from_db()
    _event(attempt, AttemptEvent.Kind.SUBMIT, None, "", {"reason": reason})
    mark_objective(attempt)
    return attempt


def mark_objective(attempt, only=None):
    """(Re)grade every item from its frozen version — or only the items whose ids are in
    `only` (a re-marking after a key change: the others keep what they earned) — and
    finish the attempt if nothing is open."""
    rule = attempt.exam.multiple_rule
    items = list(attempt.items.select_related("version"))
    has_children = {item.parent_id for item in items if item.parent_id}
    for item in items:
        if only is not None and item.pk not in only:
            continue
        if item.pk in has_children:
            item.earned, item.needs_marking = Decimal("0"), False
            continue
        result = grade(item.version.data, item.answer, points=item.points, multiple_rule=rule)
        if result.needs_marking:
            item.needs_marking = item.marked_at is None
            if item.marked_at is None:
                item.earned = None
        else:
            item.earned, item.needs_marking = result.points, False
    AttemptItem.objects.bulk_update(items, ["earned", "needs_marking"])
    finalize(attempt, items)


def finalize(attempt, items=None):
    """Total the attempt; it is final (marked) once no item awaits a marker."""
    items = items if items is not None else list(attempt.items.all())
    if any(item.needs_marking for item in items):
        Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.SUBMITTED)
        attempt.status = AttemptStatus.SUBMITTED
        return attempt
    score = sum((item.earned or Decimal("0") for item in items), Decimal("0"))
    max_score = attempt.max_score or Decimal("0")
    passed = bool(max_score) and score * 100 >= attempt.exam.pass_mark * max_score
    was_passed = attempt.passed  # a re-marking may turn a pass into a fail
    Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.MARKED, score=score,
                                                 passed=passed)
    attempt.status, attempt.score, attempt.passed = AttemptStatus.MARKED, score, passed
    from certificates.issuing import on_attempt_marked

    # A passed qualification exam issues (or queues) a certificate; one that stops passing
    # withdraws it.
    on_attempt_marked(attempt, was_passed=was_passed)
    return attempt


def submit_if_expired(attempt_id):
    """The deadline job: submit the attempt if it is still open after its deadline."""
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id).first()
    if attempt and attempt.status == AttemptStatus.IN_PROGRESS and (
            timezone.now() >= attempt.deadline):
        submit(attempt, SubmitReason.TIMEOUT)
        return True
    return False


def sweep_expired(now=None):
    """Submit every open attempt whose deadline (plus grace) has passed; return how many."""
    now = now or timezone.now()
    expired = Attempt.objects.select_related("exam").filter(
        status=AttemptStatus.IN_PROGRESS, deadline__lt=now - GRACE)
    count = 0
    for attempt in expired:
        submit(attempt, SubmitReason.TIMEOUT, now=now)
        count += 1
    return count


def _event(attempt, kind, ip, user_agent, detail=None):
    AttemptEvent.objects.create(attempt=attempt, kind=kind, ip=ip,
                                user_agent=(user_agent or "")[:300], detail=detail or {})
