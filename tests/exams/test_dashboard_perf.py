"""The officer's own pages read a fixed number of queries, however many exams they have had."""
import datetime as dt
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt, AttemptStatus, Exam

from .test_taking_perf import make_exam

FINISHED = "<h3>已结束</h3>"


def history(org, officer, count):
    """`count` exams for the officer: most finished and marked (as after a year of monthly
    tests), one open now and one upcoming."""
    now = timezone.now()
    for number in range(count):
        exam = make_exam(org, f"{count}-{number}月考", singles=1, true_false=1)
        if number == count - 1:
            continue  # open now
        if number == count - 2:
            Exam.objects.filter(pk=exam.pk).update(opens_at=now + dt.timedelta(days=3),
                                                   closes_at=now + dt.timedelta(days=5))
            continue
        closed = now - dt.timedelta(days=30 * (number + 1))
        Exam.objects.filter(pk=exam.pk).update(opens_at=closed - dt.timedelta(days=10),
                                               closes_at=closed)
        Attempt.objects.filter(exam=exam, officer=officer).update(
            status=AttemptStatus.MARKED, submitted_at=closed - dt.timedelta(days=1),
            score=Decimal(60 + number), passed=True)


def counts(client):
    found = {}
    for name in ("dashboard", "exams:my_exams"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name))
        assert response.status_code == 200
        found[name] = len(ctx.captured_queries)
    return found


def test_the_dashboard_and_my_exams_do_not_grow_with_the_exam_history(org, people,
                                                                       client_for):
    officer = people["officer"].officer
    client = client_for(people["officer"])
    history(org, officer, 3)
    few = counts(client)
    history(org, officer, 15)
    many = counts(client)
    assert many == few, (few, many)
    page = client.get(reverse("exams:my_exams")).content.decode()
    assert page.count("15-") >= 13  # every exam of the history is listed


def test_my_exams_lists_the_finished_ones_a_page_at_a_time(org, people, client_for):
    officer = people["officer"].officer
    client = client_for(people["officer"])
    history(org, officer, 25)  # 23 finished, one open, one coming
    pages = [client.get(reverse("exams:my_exams"), {"page": n}).content.decode()
             for n in (1, 2)]
    finished = [re.findall(r"25-\d+月考", page.split(FINISHED)[1]) for page in pages]
    assert [len(titles) for titles in finished] == [20, 3]
    assert len(set(finished[0] + finished[1])) == 23
    assert "?page=2" in pages[0]
    assert all("25-24月考" in page and "25-23月考" in page for page in pages)
