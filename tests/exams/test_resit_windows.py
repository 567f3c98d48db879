"""A resit officer's own window (ExamOverride) counts for the review and the
officer's exam lists."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams import notebook
from exams.dashboard import my_exams
from exams.models import (Attempt, AttemptStatus, Exam, ExamOverride, ReviewFrom, ReviewPolicy,
                          WrongAnswer)
from exams.review import review_allowed

from .factories import question
from .test_marking import fixed_exam, sit

EXPLANATION = "依据第九条，警告属于行政处罚的种类。"


@pytest.fixture
def closed_exam(org, people):
    """An exam reviewed in full after it closes: the officer sat it (one wrong answer) and it
    closed an hour ago; the manager has a resit window open until tomorrow."""
    single = question(stem="下列属于行政处罚种类的是？", correct=("B",), points="10",
                      explanation=EXPLANATION)
    exam = fixed_exam(org, [single])
    attempt = sit(exam, people["officer"], {1: "A"})
    now = timezone.now()
    Exam.objects.filter(pk=exam.pk).update(review_from=ReviewFrom.AFTER_CLOSE,
                                           review_policy=ReviewPolicy.FULL,
                                           opens_at=now - dt.timedelta(days=3),
                                           closes_at=now - dt.timedelta(hours=1))
    ExamOverride.objects.create(exam=exam, officer=people["manager"].officer,
                                opens_at=now - dt.timedelta(hours=2),
                                closes_at=now + dt.timedelta(days=1), reason="补考")
    exam.refresh_from_db()
    attempt = Attempt.objects.select_related("exam").get(pk=attempt.pk)
    return {"exam": exam, "attempt": attempt, "resit_closes": now + dt.timedelta(days=1)}


def test_the_review_after_close_waits_for_the_last_resit_window(closed_exam):
    attempt = closed_exam["attempt"]
    assert attempt.status == AttemptStatus.MARKED
    assert review_allowed(attempt) == ReviewPolicy.NOTHING
    later = closed_exam["resit_closes"] + dt.timedelta(seconds=1)
    assert review_allowed(attempt, now=later) == ReviewPolicy.FULL


def test_without_a_resit_the_review_opens_when_the_exam_closes(closed_exam):
    ExamOverride.objects.all().delete()
    attempt = Attempt.objects.select_related("exam").get(pk=closed_exam["attempt"].pk)
    assert review_allowed(attempt) == ReviewPolicy.FULL


def test_an_override_closing_earlier_does_not_hold_the_review_back(closed_exam):
    ExamOverride.objects.update(closes_at=closed_exam["exam"].closes_at - dt.timedelta(hours=5))
    attempt = Attempt.objects.select_related("exam").get(pk=closed_exam["attempt"].pk)
    assert review_allowed(attempt) == ReviewPolicy.FULL


def test_no_key_or_explanation_reaches_anyone_while_a_resit_is_open(closed_exam, people,
                                                                   client_for):
    attempt = closed_exam["attempt"]
    page = client_for(people["officer"]).get(
        reverse("exams:attempt_result", args=[attempt.pk])).content.decode()
    assert EXPLANATION not in page
    officer = people["officer"].officer
    assert notebook.collect_for_officer(officer) == 0
    assert not WrongAnswer.objects.filter(officer=officer).exists()
    later = closed_exam["resit_closes"] + dt.timedelta(seconds=1)
    assert notebook.collect_for_officer(officer, now=later) == 1


def test_the_notebook_reads_the_review_opening_once_per_exam(org, people):
    """Several wrong answers of one exam: the resit windows are read once, not per answer."""
    questions = [question(stem=f"单选{number}", correct=("B",)) for number in range(3)]
    exam = fixed_exam(org, questions)
    sit(exam, people["officer"], {1: "A", 2: "A", 3: "A"})
    now = timezone.now()
    Exam.objects.filter(pk=exam.pk).update(review_from=ReviewFrom.AFTER_CLOSE,
                                           opens_at=now - dt.timedelta(days=3),
                                           closes_at=now - dt.timedelta(hours=1))
    ExamOverride.objects.create(exam=exam, officer=people["manager"].officer,
                                closes_at=now - dt.timedelta(minutes=1))
    with CaptureQueriesContext(connection) as ctx:
        assert notebook.collect_for_officer(people["officer"].officer) == 3
    override_reads = [q for q in ctx.captured_queries if "exams_examoverride" in q["sql"]]
    assert len(override_reads) == 1


def test_a_resit_officer_sees_the_exam_open_with_a_link(closed_exam, people, client_for):
    manager = people["manager"].officer
    mine = my_exams(manager)
    assert [entry["exam"].pk for entry in mine["open"]] == [closed_exam["exam"].pk]
    assert mine["open"][0]["window"].closes_at == closed_exam["resit_closes"]
    assert not mine["finished"]
    page = client_for(people["manager"]).get(reverse("exams:my_exams")).content.decode()
    assert reverse("exams:exam_start", args=[closed_exam["exam"].pk]) in page
    # The officer without a resit has finished it.
    assert [e["exam"].pk for e in my_exams(people["officer"].officer)["finished"]] == [
        closed_exam["exam"].pk]


def test_a_resit_window_still_to_come_is_upcoming(closed_exam, people):
    now = timezone.now()
    ExamOverride.objects.update(opens_at=now + dt.timedelta(days=2),
                                closes_at=now + dt.timedelta(days=3))
    mine = my_exams(people["manager"].officer)
    assert [entry["exam"].pk for entry in mine["upcoming"]] == [closed_exam["exam"].pk]
    assert not mine["open"] and not mine["finished"]


def test_the_exam_lists_read_no_more_queries_with_overrides(org, people):
    manager = people["manager"].officer
    assert manager.unit  # loaded once, before counting
    now = timezone.now()
    exams = []
    for number in range(4):
        exam = fixed_exam(org, [question(stem=f"第{number}题")], title=f"月考{number}")
        Exam.objects.filter(pk=exam.pk).update(opens_at=now - dt.timedelta(days=9),
                                               closes_at=now - dt.timedelta(days=8))
        exams.append(exam)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            lists = my_exams(manager)
        return len(ctx.captured_queries), lists

    without, lists = count()
    assert len(lists["finished"]) == 4
    for exam in exams:
        ExamOverride.objects.create(exam=exam, officer=manager, opens_at=now,
                                    closes_at=now + dt.timedelta(days=1))
    with_overrides, lists = count()
    assert len(lists["open"]) == 4
    assert with_overrides == without
