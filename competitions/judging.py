"""
Judging: which submissions a judge sees, a judge's mark from draft to locked, and the
chief judge's / organizer's unlock and release — every change after submission audited.

What a judge sees
    Only the submissions of events they are assigned to (all of the event's, or the
    subset on the assignment), of approved entries, not marked "not attempted", and
    only while the contest is marking; never their own entry (a judge who also competes
    neither sees nor marks their own work). In a double-marked event a third marker sees
    only the submissions that need a third mark, and the chief judge only those that
    need arbitration. Everything is named by blind code.

A mark's life
    draft      the judge may save it any number of times;
    submitted  locked: the judge can no longer change it (MarkChange SUBMIT);
    released   the chief judge / organizer released the event's marks (MarkChange RELEASE).
    Only the event's chief judge or the contest's organizer can unlock a submitted or
    released mark, only while the contest is marking, always with a reason (MarkChange
    UNLOCK, before → after); the judge then corrects it and submits again (MarkChange
    SUBMIT with the locked version as `before`). Each submission is rescored whenever
    one of its marks changes state.

Double marking roles
    The mark takes its judge's assignment role (first/second/third marker); a "panel"
    assignment takes the first free of the first and second marker's places, or the
    third when a third mark is needed. The chief judge gives no first, second or third
    mark: their only mark is the arbitration mark, on a submission that needs it (so a
    chief judge is never asked to arbitrate between marks that include their own).
    Places held by judges no longer assigned to the event are free again.

Concurrent marking
    Saving a mark locks the submission's row first: two judges saving at once take their
    places one after the other, a judge's two saves at once find one mark, and the
    submission's state is computed from the marks as they are after the lock.
"""
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import aggregation as agg
from . import scoring
from .models import (Aggregation, Contest, ContestStatus, EntryStatus, EventKind,
                     JudgeAssignment, Mark, MarkChange, MarkRole, MarkStatus, Submission)
from .scoring_types import InvalidScoring


class JudgingError(Exception):
    """An action the judging rules refuse; the message is shown as it is."""


def my_assignments(user):
    """Return the user's judge assignments in contests that are marking."""
    return (JudgeAssignment.objects.filter(judge=user,
                                           event__contest__status=ContestStatus.MARKING)
            .exclude(event__kind=EventKind.QUIZ)
            .select_related("event", "event__contest")
            .order_by("event__contest__name", "event__sort_order", "event__pk"))


def visible_submissions(assignment):
    """Return the queryset of submissions `assignment`'s judge may see and mark."""
    event = assignment.event
    base = Submission.objects.filter(event=event, entry__status=EntryStatus.APPROVED,
                                     not_attempted=False).exclude(
        entry__officer__user_id=assignment.judge_id)
    subs = base
    if assignment.submissions.exists():
        subs = subs.filter(pk__in=assignment.submissions.values("pk"))
    if event.aggregation == Aggregation.DOUBLE:
        mine = Q(marks__judge_id=assignment.judge_id)
        if assignment.is_chief:
            condition = Q(score_state=agg.NEEDS_ARBITRATION) | mine
        elif assignment.role == MarkRole.THIRD:
            condition = Q(score_state=agg.NEEDS_THIRD) | mine
        else:
            condition = Q(pk__in=subs.values("pk"))
        subs = base.filter(condition).distinct()
    return subs.order_by("entry__blind_code")


def snapshot(mark):
    """Return the audit form of a mark: status, raw marks, points and comments."""
    return {"status": mark.status, "raw": mark.raw,
            "points": None if mark.points is None else str(mark.points),
            "grade": mark.grade, "comment": mark.comment,
            "criterion_comments": mark.criterion_comments}


def role_for(assignment, submission, marks, state=None):
    """Return the MarkRole a new mark by `assignment`'s judge takes on `submission`;
    `marks` are the places taken, `state` the submission's scoring state (default: the
    stored one)."""
    event = assignment.event
    if event.aggregation != Aggregation.DOUBLE:
        return MarkRole.PANEL
    state = submission.score_state if state is None else state
    taken = {m.role for m in marks}
    if assignment.is_chief:
        if state == agg.NEEDS_ARBITRATION and MarkRole.ARBITRATION not in taken:
            return MarkRole.ARBITRATION
        raise JudgingError(_("In double marking the chief judge gives only the arbitration "
                             "mark, on a submission that needs arbitration."))
    if assignment.role in (MarkRole.FIRST, MarkRole.SECOND, MarkRole.THIRD):
        if assignment.role in taken:
            raise JudgingError(_("Another judge has already given this submission's %(role)s "
                                 "mark.") % {"role": MarkRole(assignment.role).label})
        return assignment.role
    for role in (MarkRole.FIRST, MarkRole.SECOND):
        if role not in taken:
            return role
    if state == agg.NEEDS_THIRD and MarkRole.THIRD not in taken:
        return MarkRole.THIRD
    raise JudgingError(_("This submission already has the marks it needs."))


def mark_for(assignment, submission):
    """Return the judge's Mark on `submission`, or None (save_mark creates it)."""
    return Mark.objects.filter(submission=submission, judge_id=assignment.judge_id).first()


def save_mark(assignment, submission, raw, comment="", criterion_comments=None, submit=False,
              by=None, action=MarkChange.Action.SUBMIT):
    """
    Save the judge's raw marks as a draft, or submit (lock) them. A locked mark is
    refused. Submitting checks the marks against the rubric / key first and raises
    JudgingError with the reason when they do not fit.
    """
    with transaction.atomic():
        # The submission's row first: concurrent saves on it wait here, then see the
        # marks (and places) as the earlier one left them.
        submission = (Submission.objects.select_for_update(of=("self",))
                      .select_related("entry__officer").get(pk=submission.pk))
        submission.event = assignment.event
        if scoring.contestant_user_id(submission) == assignment.judge_id:
            raise JudgingError(_("You cannot mark your own entry."))
        mark = Mark.objects.select_for_update().filter(
            submission=submission, judge_id=assignment.judge_id).first()
        if mark is None:
            mark = Mark.objects.create(submission=submission, judge_id=assignment.judge_id,
                                       role=_new_role(assignment, submission))
        if mark.is_locked:
            raise JudgingError(_("This mark is submitted and locked; only the chief judge or "
                                 "the organizer can unlock it."))
        mark.raw = raw
        mark.comment = comment
        mark.criterion_comments = criterion_comments or {}
        scorer = scoring.EventScorer(assignment.event)
        try:
            outcome = scorer.mark_outcome(mark, submission)
        except InvalidScoring as error:
            if submit:
                raise JudgingError(str(error)) from None
            outcome = scoring.MarkOutcome(None)
        mark.points, mark.grade = outcome.points, outcome.grade
        if submit:
            before = _last_locked(mark)
            mark.status = MarkStatus.SUBMITTED
            mark.submitted_at = timezone.now()
        mark.save()
        if submit:
            MarkChange.objects.create(mark=mark, action=action, changed_by=by or assignment.judge,
                                      before=before, after=snapshot(mark))
            scoring.score_submission(submission)
    return mark


def _new_role(assignment, submission):
    """The role of a new mark, from the marks and state as they are now (under the lock):
    only places held by judges still assigned to the event are taken."""
    event = assignment.event
    marks = list(submission.marks.all())
    if event.aggregation != Aggregation.DOUBLE:
        return role_for(assignment, submission, marks)
    assignments = list(JudgeAssignment.objects.filter(event=event)
                       .prefetch_related("submissions"))
    state = scoring.compute_submission(submission, scoring.EventScorer(event), marks,
                                       assignments).state
    assigned = {a.judge_id for a in assignments}
    return role_for(assignment, submission, [m for m in marks if m.judge_id in assigned],
                    state)


def _last_locked(mark):
    unlock = mark.changes.filter(action=MarkChange.Action.UNLOCK).first()
    return unlock.before if unlock is not None else {}


def unlock(mark, by, reason):
    """Unlock a submitted or released mark (chief judge / organizer), with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_("Give the reason for unlocking the mark."))
    with transaction.atomic():
        # The submission first, then the mark: the order save_mark takes them in, so a judge
        # saving while the chief unlocks waits instead of deadlocking.
        Submission.objects.select_for_update(of=("self",)).filter(marks__pk=mark.pk).first()
        mark = Mark.objects.select_for_update().get(pk=mark.pk)
        status = (Contest.objects.filter(events__submissions__marks=mark)
                  .values_list("status", flat=True).first())
        if status != ContestStatus.MARKING:
            raise JudgingError(_("Marks can be unlocked only while the contest is being "
                                 "marked."))
        if not mark.is_locked:
            raise JudgingError(_("This mark is not locked."))
        before = snapshot(mark)
        mark.status = MarkStatus.DRAFT
        mark.submitted_at = None
        mark.save(update_fields=["status", "submitted_at", "updated_at"])
        MarkChange.objects.create(mark=mark, action=MarkChange.Action.UNLOCK, changed_by=by,
                                  reason=reason[:300], before=before, after=snapshot(mark))
        scoring.score_submission(mark.submission)
    return mark


def release(event, by):
    """Release every submitted mark of `event`; return how many were released."""
    count = 0
    with transaction.atomic():
        for mark in Mark.objects.select_for_update().filter(submission__event=event,
                                                            status=MarkStatus.SUBMITTED):
            before = snapshot(mark)
            mark.status = MarkStatus.RELEASED
            mark.save(update_fields=["status", "updated_at"])
            MarkChange.objects.create(mark=mark, action=MarkChange.Action.RELEASE,
                                      changed_by=by, before=before, after=snapshot(mark))
            count += 1
    return count


def clear_flag(submission, by, note):
    """Record that the chief judge / organizer looked at a high-disagreement entry."""
    note = (note or "").strip()
    if not note:
        raise JudgingError(_("Say what was checked before clearing the flag."))
    submission.flag_cleared_by = by
    submission.flag_cleared_at = timezone.now()
    submission.flag_note = note[:300]
    submission.save(update_fields=["flag_cleared_by", "flag_cleared_at", "flag_note"])


# --- reading a marking form ---------------------------------------------------------------

def _decimal_text(value):
    return (value or "").strip().replace("，", ".")


def raw_from_post(event, rubric, data):
    """Return (raw, criterion_comments) from a marking form's POST `data`."""
    comments = {}
    if event.kind == EventKind.CORRECTION:
        verdicts = []
        index = 0
        while f"finding_{index}" in data:
            confirmed = (data.get(f"confirm_{index}") or "").strip() or None
            verdicts.append({"finding": index, "reason_ok": data.get(f"reason_{index}") == "1",
                             "confirmed_key": confirmed})
            index += 1
        return {"verdicts": verdicts}, comments
    raw = {"levels": {}, "measures_met": [], "deductions": [], "vetoes": []}
    for criterion in rubric.criteria:
        text = (data.get(f"comment_{criterion.code}") or "").strip()
        if text:
            comments[criterion.code] = text
        if criterion.levels:
            value = _decimal_text(data.get(f"level_{criterion.code}"))
            if value:
                raw["levels"][criterion.code] = value
        for item in criterion.measures:
            if data.get(f"measure_{item.code}") == "1":
                raw["measures_met"].append(item.code)
        for item in criterion.deductions:
            value = _decimal_text(data.get(f"deduct_{item.code}"))
            if not value or value == "0":
                continue
            if item.fixed:
                times = _count(value, item) if item.repeatable else 1
                raw["deductions"] += [{"code": item.code, "amount": None}] * times
            else:
                raw["deductions"].append({"code": item.code, "amount": value})
    for veto in rubric.vetoes:
        if data.get(f"veto_{veto.code}") == "1":
            raw["vetoes"].append(veto.code)
    return raw, comments


def _count(value, item):
    try:
        times = int(value)
    except ValueError:
        raise JudgingError(_("Deduction %(code)s: give how many times it applies.")
                           % {"code": item.code}) from None
    if times < 0 or times > 100:
        raise JudgingError(_("Deduction %(code)s: give how many times it applies.")
                           % {"code": item.code})
    return times


def form_values(rubric, mark):
    """Return {field name: value} to fill a marking form from a stored mark."""
    raw = (mark.raw if mark else None) or {}
    values = {}
    for code, value in (raw.get("levels") or {}).items():
        values[f"level_{code}"] = value
    for code in raw.get("measures_met") or []:
        values[f"measure_{code}"] = "1"
    for code in raw.get("vetoes") or []:
        values[f"veto_{code}"] = "1"
    counts = {}
    for item in raw.get("deductions") or []:
        if item.get("amount") not in (None, ""):
            values[f"deduct_{item['code']}"] = item["amount"]
        else:
            counts[item["code"]] = counts.get(item["code"], 0) + 1
    for code, count in counts.items():
        values[f"deduct_{code}"] = count
    for code, text in ((mark.criterion_comments if mark else None) or {}).items():
        values[f"comment_{code}"] = text
    return values
