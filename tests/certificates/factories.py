"""Exams and attempts for certificate tests, made directly (no questions needed)."""
import datetime as dt
import itertools

from django.utils import timezone

from exams.models import Attempt, AttemptStatus, Exam, ExamKind, ExamStatus, Paper, PaperKind

_serial = itertools.count(1)


def make_exam(kind=ExamKind.QUALIFICATION, opens_at=None, period=""):
    paper = Paper.objects.create(title=f"试卷{next(_serial)}", kind=PaperKind.FIXED)
    opens_at = opens_at or timezone.now() - dt.timedelta(days=1)
    return Exam.objects.create(title=f"执法资格考试{next(_serial)}", kind=kind, paper=paper,
                               status=ExamStatus.PUBLISHED, opens_at=opens_at,
                               closes_at=opens_at + dt.timedelta(days=2), period=period)


def make_attempt(exam, officer, passed=True, status=AttemptStatus.MARKED):
    return Attempt.objects.create(exam=exam, officer=officer, status=status, passed=passed,
                                  score=90 if passed else 30, max_score=100, seed="x",
                                  submitted_at=timezone.now())
