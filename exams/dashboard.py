"""The officer's exams: open now, upcoming, finished (for the dashboard and /exams/)."""
from django.db.models import Q
from django.utils import timezone

from .models import Attempt, AttemptStatus, Exam, ExamStatus
from .review import review_allowed


def my_exams(officer, now=None, limit=None):
    """Return {"open": [...], "upcoming": [...], "finished": [...]} for the officer."""
    now = now or timezone.now()
    attempts = {}
    for attempt in (Attempt.objects.filter(officer=officer).select_related("exam")
                    .order_by("exam_id", "number")):
        attempts[attempt.exam_id] = attempt  # the latest attempt per exam
    unit_paths = _ancestor_paths(officer.unit.path)
    exams = (Exam.objects.filter(status=ExamStatus.PUBLISHED)
             .filter(Q(pk__in=list(attempts)) | Q(eligible_units__path__in=unit_paths)
                     | Q(eligible_officers=officer))
             .distinct().order_by("opens_at"))
    open_, upcoming, finished = [], [], []
    for exam in exams:
        attempt = attempts.get(exam.pk)
        entry = {"exam": exam, "attempt": attempt}
        done = attempt is not None and attempt.status in (AttemptStatus.SUBMITTED,
                                                          AttemptStatus.MARKED)
        if done or exam.closes_at <= now:
            entry["review"] = review_allowed(attempt, now) if attempt else None
            finished.append(entry)
        elif exam.opens_at > now:
            upcoming.append(entry)
        else:
            open_.append(entry)
    finished.sort(key=lambda e: e["exam"].closes_at, reverse=True)
    if limit:
        finished = finished[:limit]
    return {"open": open_, "upcoming": upcoming, "finished": finished}


def _ancestor_paths(path, steplen=4):
    """Return the tree paths of a unit and all its ancestors (exams name units and subtrees)."""
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]
