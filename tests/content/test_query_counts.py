"""The officer's study page makes the same number of queries for 3 items as for 30."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Assignment, StudyRecord

from . import factories

BOUND = 30


def count_queries(client, url):
    """Return the queries a request makes (after one request to warm per-session caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_material(study, org, officer, title, lessons, events):
    """Assign a course of `lessons` lessons, each lesson on its own too, with a study record
    for each, and `events` upcoming training events."""
    course, pages = factories.course_with_lessons(study["shelf"], title=title,
                                                  minutes=(10,) * lessons)
    assignment = Assignment.objects.create(page=course, due_date=dt.date(2026, 12, 31))
    assignment.units.set([org.east])
    for number, lesson in enumerate(pages):
        single = Assignment.objects.create(page=lesson)
        single.units.set([org.east1])
        StudyRecord.objects.create(officer=officer, page=lesson, active_seconds=600,
                                   completed_at=timezone.now() if number % 2 else None,
                                   credited_hours="0.17" if number % 2 else "0")
    for number in range(events):
        factories.event(study["shelf"], units=[org.east1], title=f"{title}培训{number}")


@pytest.mark.timeout(900)
def test_my_study_queries_stay_flat_as_items_grow(study, org, people, client_for,
                                                 django_assert_max_num_queries):
    officer = people["officer"].officer
    client = client_for(people["officer"])
    add_material(study, org, officer, "基础课程", lessons=3, events=1)
    few = count_queries(client, "/study/")
    add_material(study, org, officer, "进阶课程", lessons=27, events=3)
    with django_assert_max_num_queries(BOUND):
        response = client.get("/study/")
    page = response.content.decode()
    assert "进阶课程第27课" in page and "进阶课程培训2" in page and "基础课程第1课" in page
    many = count_queries(client, "/study/")
    assert many == few, f"{few} queries for 3 lessons, {many} for 30"
