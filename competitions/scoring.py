"""
From the judges' raw marks to event scores and overall scores — always recomputable.

Every stored score is a cache: `Mark.points`/`Mark.grade`, `Submission.score`/
`score_state`/`grade` and `Entry.total` are rewritten from the raw marks, the rubric
definition, the answer key and the exam attempts each time these functions run.

One judge's mark (`mark_points`)
    drafting / practical   rubrics.score_rubric on the rubric definition and Mark.raw
                           (format in competitions.rubric_spec), in rubric points.
    correction             correction.score_correction: the event's answer key
                           (PlantedError code/location/category/points), the
                           submission's findings, and the judge's verdicts in Mark.raw
                           {"verdicts": [{"finding": i, "reason_ok": bool,
                           "confirmed_key": code | null}]}; a finding without a verdict
                           counts as a wrong reason. In points of the key.
    A submission that was not attempted gives no points (None), never 0.

One submission (`score_submission`)
    Only SUBMITTED and RELEASED marks count, and only those of judges assigned to the
    submission (`counted_marks`): drafts, the marks of a judge no longer on the event
    (or its subset) and a judge's mark on their own entry are ignored.
    MEAN / MEDIAN / TRIMMED_MEAN   aggregation.aggregate with Event.trim_from. Every judge
                                   assigned to the submission is expected (never the
                                   contestant themselves); while some have not
                                   submitted, the provisional score is kept and the
                                   state is MISSING_MARKS. Rules the aggregation cannot
                                   apply (a trim below 3 marks) give the state INVALID.
    DOUBLE                         aggregation.double_mark on the FIRST and SECOND marks
                                   (then THIRD and ARBITRATION when the rules ask),
                                   tolerance Event.tolerance_points or tolerance_share
                                   (of the mark scale's maximum). Without both first
                                   marks: MISSING_MARKS and no score.
    The aggregate is on the mark scale (the rubric's total, or the key's total points);
    the event score is scaled to Event.max_points when the two differ, from the
    unrounded aggregate, and rounded half up to 0.01 once. Rubric grade: the rubric's
    grade scale on the aggregate (before scaling), with a basic-element problem if any
    mark the final used has one, and failing when every used mark was vetoed.
    Quiz: the linked exams Attempt (or the entry's latest marked attempt of the event's
    exam, which is then linked): score / max_score × Event.max_points; PENDING until
    it is marked; NOT_ATTEMPTED when there is none and the exam has closed.

Overall (`score_contest`)
    Entry.total = ranking.weighted_score over the contest's events (a missing or not
    attempted event counts 0); an outside participant is weighed over the events open
    to outsiders only.

Publication (`unresolved`)
    Lists what blocks publishing the results: missing marks, a third mark or arbitration
    needed, marks that no longer fit the rubric or key, quizzes not yet marked, and
    high-disagreement flags (consistency.disagreements) nobody has cleared.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import aggregation as agg
from . import consistency, correction, ranking
from .models import (Aggregation, Entry, EntryStatus, EventKind, JudgeAssignment, Mark,
                     MarkRole, MarkStatus, Submission)
from .rubric_spec import rubric_marks, to_rubric
from .scoring_types import ZERO, InvalidScoring, round_score, to_decimal

COUNTED = (MarkStatus.SUBMITTED, MarkStatus.RELEASED)

# Scoring states beyond aggregation's COMPLETE, PENDING, NEEDS_THIRD, NEEDS_ARBITRATION,
# ARBITRATED.
NOT_ATTEMPTED = "not_attempted"
MISSING_MARKS = "missing_marks"
INVALID = "invalid_marks"

FINAL_STATES = (agg.COMPLETE, agg.ARBITRATED)


@dataclass(frozen=True)
class MarkOutcome:
    """One judge's mark, scored: points on the mark scale (None: not attempted)."""

    points: Decimal | None
    grade: str = ""
    basic_problem: bool = False
    vetoed: bool = False
    detail: object = None          # rubrics.RubricResult or correction.CorrectionResult


@dataclass(frozen=True)
class SubmissionScore:
    score: Decimal | None          # on the event's scale (Event.max_points)
    state: str
    grade: str = ""
    aggregate: agg.Aggregate | None = None
    missing: tuple = ()            # judge user ids expected but not submitted
    error: str = ""                # the InvalidScoring message, state INVALID


class EventScorer:
    """The parts of an event every mark needs (rubric, key), read once per event."""

    def __init__(self, event):
        self.event = event
        # Quiz events: {officer id: latest Attempt of the event's exam}, read once for a
        # whole event by `preload_attempts` (None: look each one up).
        self.attempts = None

    def preload_attempts(self, submissions):
        """Read the latest exam attempt of every quiz submission's officer in one query."""
        from exams.models import Attempt

        if self.event.kind != EventKind.QUIZ:
            return
        officers = {s.entry.officer_id for s in submissions
                    if s.attempt_id is None and s.entry.officer_id}
        self.attempts = {}
        if not self.event.exam_id or not officers:
            return
        for attempt in Attempt.objects.filter(exam_id=self.event.exam_id,
                                              officer_id__in=officers).order_by("number"):
            self.attempts[attempt.officer_id] = attempt   # the highest number wins

    def latest_attempt(self, officer_id):
        """Return the officer's latest attempt of the event's exam, or None."""
        from exams.models import Attempt

        if not self.event.exam_id or not officer_id:
            return None
        if self.attempts is not None:
            return self.attempts.get(officer_id)
        return (Attempt.objects.filter(exam_id=self.event.exam_id, officer_id=officer_id)
                .order_by("-number").first())

    @cached_property
    def rubric(self):
        if self.event.rubric is None:
            raise InvalidScoring(_("The event has no rubric."))
        return to_rubric(self.event.rubric.definition, self.event.rubric.name)

    @cached_property
    def key(self):
        return tuple(correction.PlantedError(error.code, error.location, error.category,
                                             error.points)
                     for error in self.event.answer_key.all())

    @cached_property
    def penalty(self):
        return correction.Penalty(self.event.penalty_kind, self.event.penalty_value)

    @cached_property
    def scale_max(self):
        """The maximum of one mark: the rubric's total or the answer key's total."""
        if self.event.kind == EventKind.CORRECTION:
            return sum((error.points for error in self.key), ZERO)
        if self.event.kind == EventKind.QUIZ:
            return to_decimal(self.event.max_points)
        return self.rubric.max_points

    def to_event_scale(self, value):
        if value is None:
            return None
        scale = self.scale_max
        target = to_decimal(self.event.max_points)
        if not scale or scale == target:
            return round_score(value)
        return round_score(to_decimal(value) * target / scale)

    def findings(self, submission, raw):
        """Return the correction.Findings of a submission with one judge's verdicts."""
        if is_not_attempted(submission):
            return None
        verdicts = {}
        for verdict in (raw or {}).get("verdicts") or []:
            if not isinstance(verdict, dict) or not isinstance(verdict.get("finding"), int):
                raise InvalidScoring(_("Every verdict must name its finding by number."))
            verdicts[verdict["finding"]] = verdict
        findings = []
        for index, finding in enumerate(submission.findings or []):
            verdict = verdicts.get(index, {})
            findings.append(correction.Finding(
                location=str(finding.get("location", "")).strip(),
                category=str(finding.get("category", "")),
                explanation=str(finding.get("explanation", "")),
                reason_ok=bool(verdict.get("reason_ok", False)),
                confirmed_key=verdict.get("confirmed_key") or None))
        unknown = set(verdicts) - set(range(len(findings)))
        if unknown:
            raise InvalidScoring(_("Verdicts for findings that do not exist: %(numbers)s")
                                 % {"numbers": ", ".join(str(i + 1) for i in sorted(unknown))})
        return findings

    def mark_outcome(self, mark, submission=None):
        """Score one judge's mark (raises InvalidScoring when the raw marks do not fit)."""
        submission = submission or mark.submission
        kind = self.event.kind
        if kind == EventKind.CORRECTION:
            result = correction.score_correction(
                self.key, self.findings(submission, mark.raw),
                self.event.partial_share, self.penalty)
            return MarkOutcome(result.score, "", False, False, result)
        if kind in (EventKind.DRAFTING, EventKind.PRACTICAL):
            if is_not_attempted(submission):
                return MarkOutcome(None)
            from .rubrics import score_rubric

            result = score_rubric(self.rubric, rubric_marks(mark.raw))
            return MarkOutcome(result.points, result.grade, bool(result.basic_problems),
                               result.vetoed, result)
        raise InvalidScoring(_("Quiz events are not marked by judges."))

    def tolerance(self):
        event = self.event
        return agg.Tolerance(points=event.tolerance_points, share=event.tolerance_share)


def is_not_attempted(submission):
    """Return True if the contestant did not take part in this event."""
    return bool(submission.not_attempted)


def mark_points(mark, scorer=None):
    """Return one judge's points for `mark` on the mark scale (None: not attempted)."""
    scorer = scorer or EventScorer(mark.submission.event)
    return scorer.mark_outcome(mark).points


def contestant_user_id(submission):
    """Return the user id of the officer whose work `submission` is (None: no account)."""
    entry = submission.entry
    return entry.officer.user_id if entry.officer_id else None


def _covers(assignment, submission):
    subset = {s.pk for s in assignment.submissions.all()}
    return not subset or submission.pk in subset


def expected_judges(submission, assignments):
    """Return the JudgeAssignments that cover `submission` (empty subset = all), leaving
    out the contestant's own assignment (a judge never marks their own entry)."""
    own = contestant_user_id(submission)
    return [assignment for assignment in assignments
            if assignment.judge_id != own and _covers(assignment, submission)]


def counted_marks(submission, marks, assignments):
    """
    Return the submitted marks of `marks` that count: only those of judges assigned to
    the submission (a judge removed from the event, or from its subset, no longer
    counts), never the contestant's own. In double marking a third mark may come from
    any third marker of the event and an arbitration mark only from its chief judge,
    whatever their subset (they see the submissions that need them).
    """
    own = contestant_user_id(submission)
    by_judge = {a.judge_id: a for a in assignments}
    counted = []
    for mark in marks:
        assignment = by_judge.get(mark.judge_id)
        if mark.status not in COUNTED or assignment is None or mark.judge_id == own:
            continue
        if mark.role == MarkRole.ARBITRATION:
            if assignment.is_chief:
                counted.append(mark)
        elif mark.role == MarkRole.THIRD or _covers(assignment, submission):
            counted.append(mark)
    return counted


def compute_submission(submission, scorer, marks=None, assignments=None):
    """Return the SubmissionScore of `submission` without writing anything."""
    event = scorer.event
    if event.kind == EventKind.QUIZ:
        return _quiz_score(submission, scorer)
    if is_not_attempted(submission):
        return SubmissionScore(None, NOT_ATTEMPTED)
    if marks is None:
        marks = list(submission.marks.all())
    if assignments is None:
        assignments = list(event.judges.prefetch_related("submissions"))
    counted = counted_marks(submission, marks, assignments)
    try:
        outcomes = {m.pk: scorer.mark_outcome(m, submission) for m in counted}
    except InvalidScoring as error:
        return SubmissionScore(None, INVALID, error=str(error))
    if event.aggregation == Aggregation.DOUBLE:
        return _double(submission, scorer, counted, outcomes)
    values = [agg.Mark(m.judge_id, outcomes[m.pk].points) for m in counted]
    try:
        result = agg.aggregate(values, event.aggregation, event.trim_from)
    except InvalidScoring as error:
        return SubmissionScore(None, INVALID, error=str(error))
    marked = {m.judge_id for m in counted}
    missing = tuple(a.judge_id for a in expected_judges(submission, assignments)
                    if a.judge_id not in marked)
    if not counted:
        state = MISSING_MARKS if missing else agg.PENDING
    else:
        state = MISSING_MARKS if missing else result.state
    return SubmissionScore(scorer.to_event_scale(result.exact), state,
                           _grade(scorer, result, counted, outcomes), result, missing)


def _double(submission, scorer, counted, outcomes):
    by_role = {}
    for mark in counted:
        by_role.setdefault(mark.role, mark)
    first, second = by_role.get(MarkRole.FIRST), by_role.get(MarkRole.SECOND)
    if first is None or second is None:
        missing = tuple(role for role in (MarkRole.FIRST, MarkRole.SECOND)
                        if role not in by_role)
        return SubmissionScore(None, MISSING_MARKS, missing=missing)

    def as_mark(mark):
        return None if mark is None else agg.Mark(mark.judge_id, outcomes[mark.pk].points)

    try:
        result = agg.double_mark(as_mark(first), as_mark(second), scorer.tolerance(),
                                 third=as_mark(by_role.get(MarkRole.THIRD)),
                                 arbitration=as_mark(by_role.get(MarkRole.ARBITRATION)),
                                 max_points=scorer.scale_max)
    except InvalidScoring as error:
        return SubmissionScore(None, INVALID, error=str(error))
    return SubmissionScore(scorer.to_event_scale(result.exact), result.state,
                           _grade(scorer, result, counted, outcomes), result)


def _grade(scorer, result, counted, outcomes):
    """Return the rubric grade of an aggregated score ("" for correction events)."""
    if result.final is None or scorer.event.kind not in (EventKind.DRAFTING,
                                                         EventKind.PRACTICAL):
        return ""
    used_judges = {m.judge for m in result.used}
    used = [outcomes[m.pk] for m in counted if m.judge_id in used_judges]
    basic = any(o.basic_problem for o in used)
    vetoed = bool(used) and all(o.vetoed for o in used)
    return scorer.rubric.grades.grade(result.final, basic, vetoed=vetoed)


def _quiz_score(submission, scorer):
    from exams.models import AttemptStatus

    event = scorer.event
    attempt = submission.attempt
    if attempt is None and event.exam_id and submission.entry.officer_id:
        attempt = scorer.latest_attempt(submission.entry.officer_id)
        if attempt is not None:
            submission.attempt = attempt
    if attempt is None or attempt.status not in (AttemptStatus.MARKED,):
        if submission.not_attempted or (attempt is None and event.exam_id
                                        and event.exam.closes_at <= timezone.now()):
            return SubmissionScore(None, NOT_ATTEMPTED)
        return SubmissionScore(None, agg.PENDING)
    if not attempt.max_score:
        return SubmissionScore(None, INVALID, error=_("The quiz paper has no points."))
    score = round_score(to_decimal(attempt.score or 0) / attempt.max_score
                        * to_decimal(event.max_points))
    return SubmissionScore(score, agg.COMPLETE)


def _quiz_seconds(attempt):
    if attempt is None or not attempt.started_at or not attempt.submitted_at:
        return None
    return max(0, int((attempt.submitted_at - attempt.started_at).total_seconds()))


def score_submission(submission, scorer=None, marks=None, assignments=None):
    """Recompute and store the score of one submission (and its marks' cached points)."""
    scorer = scorer or EventScorer(submission.event)
    if marks is None and scorer.event.kind != EventKind.QUIZ:
        marks = list(submission.marks.all())
    linked_before = submission.attempt_id
    result = compute_submission(submission, scorer, marks, assignments)
    changed = []
    if scorer.event.kind == EventKind.QUIZ:
        if submission.attempt_id != linked_before:
            changed.append("attempt")
        seconds = _quiz_seconds(submission.attempt)
        if submission.attempt_id and seconds != submission.completion_seconds:
            submission.completion_seconds = seconds
            changed.append("completion_seconds")
    else:
        _refresh_mark_cache(scorer, submission, marks)
    for name, value in (("score", result.score), ("score_state", result.state),
                        ("grade", result.grade)):
        if getattr(submission, name) != value:
            setattr(submission, name, value)
            changed.append(name)
    if changed:
        submission.save(update_fields=changed)
    return result


def _refresh_mark_cache(scorer, submission, marks):
    for mark in marks or ():
        try:
            outcome = scorer.mark_outcome(mark, submission)
        except InvalidScoring:
            # A draft may be unfinished (a level not given yet): keep no total for it.
            outcome = MarkOutcome(None)
        if mark.points != outcome.points or mark.grade != outcome.grade:
            mark.points, mark.grade = outcome.points, outcome.grade
            Mark.objects.filter(pk=mark.pk).update(points=mark.points, grade=mark.grade)


def _event_submissions(event):
    return (event.submissions.select_related("entry", "entry__officer", "attempt")
            .filter(entry__status=EntryStatus.APPROVED)
            .prefetch_related(Prefetch("marks", queryset=Mark.objects.order_by("created_at"))))


def _event_parts(event):
    """Return (scorer, assignments) for an event, with its rubric and key loaded once."""
    scorer = EventScorer(event)
    assignments = list(JudgeAssignment.objects.filter(event=event)
                       .prefetch_related("submissions"))
    return scorer, assignments


def score_event(event):
    """Recompute every approved entry's submission in `event`; return {submission: result}."""
    scorer, assignments = _event_parts(event)
    results = {}
    submissions = list(_event_submissions(event))
    scorer.preload_attempts(submissions)
    for submission in submissions:
        submission.event = event
        results[submission] = score_submission(submission, scorer,
                                               list(submission.marks.all()), assignments)
    return results


def score_contest(contest):
    """Recompute every event, then every approved entry's weighted overall total."""
    events = list(contest.events.select_related("rubric", "exam").order_by("sort_order", "pk"))
    scores = {}   # entry id → {event id: score}
    for event in events:
        for submission, result in score_event(event).items():
            scores.setdefault(submission.entry_id, {})[event.pk] = result.score
    weights = {event.pk: event.weight for event in events}
    outsider_weights = {event.pk: event.weight for event in events if event.open_to_outsiders}
    for entry in contest.entries.filter(status=EntryStatus.APPROVED):
        use = outsider_weights if entry.outside_name else weights
        mine = {pk: score for pk, score in scores.get(entry.pk, {}).items() if pk in use}
        total = ranking.weighted_score(mine, use) if use and sum(use.values()) > 0 else None
        if entry.total != total:
            Entry.objects.filter(pk=entry.pk).update(total=total)
    return scores


def event_table(event, scorer=None, assignments=None):
    """
    Return {submission: {judge user id: points}} of the counted marks (`counted_marks`),
    for consistency.judge_reports / icc_2_1 / kendalls_w (double-marking arbitration
    marks are left out: they are a ruling, not a panel mark). Points on the mark scale.
    """
    scorer = scorer or EventScorer(event)
    if assignments is None:
        assignments = list(JudgeAssignment.objects.filter(event=event)
                           .prefetch_related("submissions"))
    table = {}
    for submission in _event_submissions(event):
        if is_not_attempted(submission):
            continue
        row = {}
        for mark in counted_marks(submission, submission.marks.all(), assignments):
            if mark.role == MarkRole.ARBITRATION:
                continue
            try:
                points = scorer.mark_outcome(mark, submission).points
            except InvalidScoring:
                continue
            if points is not None:
                row[mark.judge_id] = points
        if row:
            table[submission] = row
    return table


def judge_labels(event):
    """Return {judge user id: label} (the assignment's seat, else J1, J2, … in order)."""
    labels = {}
    for number, assignment in enumerate(event.judges.order_by("seat", "pk"), start=1):
        labels[assignment.judge_id] = assignment.seat or f"J{number}"
    return labels


@dataclass(frozen=True)
class Problem:
    """Something that blocks publishing: which submission, a code, and what to do."""

    submission: Submission
    code: str
    message: str
    judges: tuple = field(default=())


DISAGREEMENT = "disagreement"
PROBLEM_MESSAGES = {
    MISSING_MARKS: gettext_noop("Marks missing"),
    agg.NEEDS_THIRD: gettext_noop("Needs a third marker"),
    agg.NEEDS_ARBITRATION: gettext_noop("Needs arbitration by the chief judge"),
    INVALID: gettext_noop("Marks do not fit the rubric or answer key"),
    agg.PENDING: gettext_noop("Not scored yet"),
    DISAGREEMENT: gettext_noop("High disagreement between judges, not cleared"),
}


def unresolved(contest, event=None):
    """Return the Problems that block publishing the contest's results (nothing written);
    with `event`, only that event's."""
    problems = []
    events = contest.events.select_related("rubric", "exam").order_by("sort_order", "pk")
    if event is not None:
        events = events.filter(pk=event.pk)
    for event in events:
        scorer, assignments = _event_parts(event)
        submissions = list(_event_submissions(event))
        scorer.preload_attempts(submissions)
        for submission in submissions:
            submission.event = event
            result = compute_submission(submission, scorer, list(submission.marks.all()),
                                        assignments)
            if result.state in (MISSING_MARKS, agg.NEEDS_THIRD, agg.NEEDS_ARBITRATION,
                                INVALID, agg.PENDING):
                message = _(PROBLEM_MESSAGES[result.state])
                if result.error:
                    message = f"{message}: {result.error}"
                problems.append(Problem(submission, result.state, message, result.missing))
        if event.is_judged and event.aggregation != Aggregation.DOUBLE:
            table = event_table(event, scorer, assignments)
            for item in consistency.disagreements(table):
                if item.flagged and item.entry.flag_cleared_at is None:
                    problems.append(Problem(item.entry, DISAGREEMENT,
                                            _(PROBLEM_MESSAGES[DISAGREEMENT])))
    return problems
