"""Reading time: only active time between recent beats counts, up to a cap per page."""
import datetime as dt

import pytest
from django.utils import timezone

from content import reading
from content.models import StudyRecord

from . import factories

T0 = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0, 0))


def at(seconds):
    return T0 + dt.timedelta(seconds=seconds)


def test_a_beat_credits_the_time_since_the_previous_active_beat():
    assert reading.credit(at(0), at(15), True, 0, 3600) == 15


def test_idle_beats_and_long_gaps_earn_nothing():
    assert reading.credit(at(0), at(15), False, 0, 3600) == 0  # hidden tab or no input
    assert reading.credit(at(0), at(600), True, 0, 3600) == 0  # laptop closed for 10 minutes
    assert reading.credit(None, at(15), True, 0, 3600) == 0  # the first beat starts the clock
    assert reading.credit(at(15), at(0), True, 0, 3600) == 0  # clock went backwards


def test_the_cap_limits_the_total():
    assert reading.credit(at(0), at(15), True, 3590, 3600) == 10
    assert reading.credit(at(0), at(15), True, 3600, 3600) == 0


def test_a_reading_session_with_a_pause(study, people):
    officer = people["officer"].officer
    _course, (lesson, _other) = factories.course_with_lessons(study["shelf"], minutes=(20, 30))
    # Active for a minute (beats at 0, 15, 30, 45, 60), idle for two beats, then a
    # 5-minute absence, then two more active beats.
    for second, active in [(0, True), (15, True), (30, True), (45, True), (60, True),
                           (75, False), (90, False), (390, True), (405, True)]:
        reading.record_beat(officer, lesson, active, now=at(second))
    record = StudyRecord.objects.get(officer=officer, page=lesson)
    assert record.active_seconds == 60 + 15


def test_reading_time_is_capped_at_three_times_the_estimate(study, people):
    officer = people["officer"].officer
    _course, (lesson, _other) = factories.course_with_lessons(study["shelf"], minutes=(10, 30))
    record = StudyRecord.objects.create(officer=officer, page=lesson, active_seconds=1795,
                                        last_beat_at=at(0))
    reading.record_beat(officer, lesson, True, now=at(15))
    record.refresh_from_db()
    assert record.active_seconds == 1800 == 3 * 10 * 60


def test_a_lesson_can_be_completed_only_after_half_its_estimate(study, people, client_for):
    officer = people["officer"].officer
    _course, (lesson, _other) = factories.course_with_lessons(study["shelf"], minutes=(20, 30))
    with pytest.raises(reading.NotReadYet):
        reading.complete_lesson(officer, lesson)
    StudyRecord.objects.update_or_create(officer=officer, page=lesson,
                                        defaults={"active_seconds": 600})
    record = reading.complete_lesson(officer, lesson)
    assert record.completed_at and str(record.credited_hours) == "0.33"


def test_the_beat_endpoint_records_for_the_signed_in_officer(study, people, client_for):
    client = client_for(people["officer"])
    _course, (lesson, _other) = factories.course_with_lessons(study["shelf"])
    url = f"/study/pages/{lesson.pk}/beat/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"active": "1", "lesson": "1"})
    assert response.json()["recorded"] is True
    assert StudyRecord.objects.get(officer=people["officer"].officer, page=lesson).last_beat_at
