"""The officer's exams: open now, upcoming, finished (for the dashboard and /exams/)."""
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from .models import Attempt, AttemptStatus, Exam, ExamOverride, ExamStatus
from .review import LAST_OVERRIDE_CLOSE, review_allowed
from .sitting import window_for


def my_exams(officer, now=None, limit=None):
    """Return {"open": [...], "upcoming": [...], "finished": [...]} for the officer.

    An exam is placed by the officer's own window (sitting.window_for: a resit override
    may open or close it later than the exam). Each entry has the exam, the latest attempt,
    that `window` and, once finished, the `review` allowed. Four queries, however many exams.
    """
    now = now or timezone.now()
    attempts = {}
    for attempt in (Attempt.objects.filter(officer=officer).select_related("exam")
                    .order_by("exam_id", "number")):
        attempts[attempt.exam_id] = attempt  # the latest attempt per exam
    overrides = {override.exam_id: override
                 for override in ExamOverride.objects.filter(officer=officer)}
    last_close = (ExamOverride.objects.filter(exam=OuterRef("pk"), closes_at__isnull=False)
                  .order_by("-closes_at").values("closes_at")[:1])
    exams = (Exam.objects.filter(status=ExamStatus.PUBLISHED)
             .filter(Q(pk__in=list(attempts)) | naming(officer))
             .annotate(**{LAST_OVERRIDE_CLOSE: Subquery(last_close)})
             .distinct().order_by("opens_at"))
    open_, upcoming, finished = [], [], []
    for exam in exams:
        attempt = attempts.get(exam.pk)
        window = window_for(exam, officer, override=overrides.get(exam.pk))
        entry = {"exam": exam, "attempt": attempt, "window": window}
        done = attempt is not None and attempt.status in (AttemptStatus.SUBMITTED,
                                                          AttemptStatus.MARKED)
        if done or window.closes_at <= now:
            if attempt is not None:
                attempt.exam = exam  # annotated: the review needs no query of its own
                entry["review"] = review_allowed(attempt, now)
            else:
                entry["review"] = None
            finished.append(entry)
        elif window.opens_at > now:
            upcoming.append(entry)
        else:
            open_.append(entry)
    finished.sort(key=lambda e: e["window"].closes_at, reverse=True)
    if limit:
        finished = finished[:limit]
    return {"open": open_, "upcoming": upcoming, "finished": finished}


def naming(officer):
    """The Q (on Exam) of the exams that name the officer: by a unit subtree holding their
    unit, or by name."""
    return (Q(eligible_units__path__in=_ancestor_paths(officer.unit.path))
            | Q(eligible_officers=officer))


def _ancestor_paths(path, steplen=4):
    """Return the tree paths of a unit and all its ancestors (exams name units and subtrees)."""
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]
