"""Object-level access: changing an id in a URL or a form reaches nobody else's data.

An officer cannot read or write a colleague's attempt, answers, practice, notebook, study
records or contest work; a manager sees only their own units in pages, JSON and exports.
"""
import json

import pytest
from django.urls import reverse

from content.models import StudyRecord
from exams.models import AttemptItem, AttemptStatus
from tests.exams.factories import question
from tests.exams.test_marking import fixed_exam, sit

from .world import World


@pytest.fixture
def world(org, people):
    return World(org, people)


@pytest.fixture
def colleague(world, client_for):
    """Another officer (west-1), signed in."""
    return client_for(world.other_officer.user)


@pytest.fixture
def open_attempt(org, people):
    exam = fixed_exam(org, [question(), question()], units=("east",), title="进行中的考试")
    attempt = sit(exam, people["officer"], {1: "A"}, submit=False)
    assert attempt.status == AttemptStatus.IN_PROGRESS
    return attempt


def test_a_colleague_cannot_save_an_answer_into_someone_elses_attempt(colleague, open_attempt):
    response = colleague.post(reverse("exams:attempt_save", args=[open_attempt.pk]),
                              json.dumps({"position": 1, "answer": "B"}),
                              content_type="application/json")
    assert response.status_code == 404
    item = AttemptItem.objects.get(attempt=open_attempt, position=1)
    assert item.answer == "A"


@pytest.mark.parametrize("name", ["exams:attempt", "exams:attempt_result"])
def test_a_colleague_cannot_open_someone_elses_attempt(colleague, world, name):
    assert colleague.get(reverse(name, args=[world.attempt.pk])).status_code == 404


@pytest.mark.parametrize("name", ["exams:attempt_submit", "exams:attempt_event",
                                  "exams:attempt_begin"])
def test_a_colleague_cannot_submit_or_log_events_on_someone_elses_attempt(colleague,
                                                                          open_attempt, name):
    response = colleague.post(reverse(name, args=[open_attempt.pk]),
                              json.dumps({"kind": "blur"}), content_type="application/json")
    assert response.status_code == 404
    open_attempt.refresh_from_db()
    assert open_attempt.status == AttemptStatus.IN_PROGRESS


def test_a_colleague_cannot_read_someone_elses_practice_feedback_or_notebook(colleague, world):
    feedback = reverse("exams:practice_feedback", args=[world.practice_answer.pk])
    notebook = reverse("exams:notebook_entry", args=[world.notebook_entry.pk])
    assert colleague.get(feedback).status_code == 404
    assert colleague.get(notebook).status_code == 404


def test_study_records_are_always_the_signed_in_officers_own(colleague, world):
    lesson = world.lessons[0]
    colleague.post(reverse("content:reading_beat", args=[lesson.pk]),
                   {"active": "1", "officer": world.officer.pk})
    colleague.post(reverse("content:complete_lesson", args=[lesson.pk]),
                   {"officer": world.officer.pk})
    assert not StudyRecord.objects.filter(officer=world.officer).exists()


def test_a_colleague_cannot_open_or_change_someone_elses_contest_work(colleague, world):
    url = reverse("competitions:my_submission", args=[world.submission.pk])
    assert colleague.get(url).status_code == 404
    assert colleague.post(url, {"text": "篡改"}).status_code == 404
    world.submission.refresh_from_db()
    assert world.submission.text == "文书"


def test_a_judge_sees_only_events_they_are_assigned_to(client_for, world, org):
    from tests.competitions import factories
    other_event = factories.event(world.contest, name="另一项目")
    client = client_for(world.people["judge"])
    assert client.get(reverse("competitions:judge_event",
                              args=[other_event.pk])).status_code == 404
    assert client.get(reverse("competitions:judge_mark",
                              args=[other_event.pk, world.entry.blind_code])).status_code == 404


def test_a_judge_sees_the_blind_code_never_the_name(client_for, world):
    client = client_for(world.people["judge"])
    page = client.get(reverse("competitions:judge_mark",
                              args=[world.contest_event.pk, world.entry.blind_code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert world.entry.blind_code in body
    assert world.officer.name not in body and world.officer.badge_number not in body


# --- Managers: only their own units -------------------------------------------------------------

def test_another_units_manager_sees_none_of_the_officers_results(client_for, world):
    client = client_for(world.people["other_manager"])
    page = client.get(reverse("exams:results_exam", args=[world.exam.pk]))
    assert world.officer.name not in page.content.decode()
    data = client.get(reverse("exams:results_monitor_data", args=[world.exam.pk]))
    assert world.officer.name not in data.content.decode()
    assert world.officer.badge_number not in data.content.decode()


@pytest.mark.parametrize("name", ["people:officer_list", "certificates:roster"])
def test_another_units_manager_does_not_list_the_officer(client_for, world, name):
    body = client_for(world.people["other_manager"]).get(reverse(name)).content.decode()
    assert world.officer.name not in body
    body = client_for(world.people["manager"]).get(reverse(name)).content.decode()
    assert world.officer.name in body


@pytest.mark.parametrize("name, kwargs", [
    ("home:managers_unit", lambda w: [w.unit.pk]),
    ("home:managers_chart", lambda w: [w.unit.pk, "participation", "png"]),
    ("home:managers_officer_file", lambda w: [w.officer.pk]),
    ("competitions:trend_unit", lambda w: [w.unit.pk]),
    ("competitions:trend_officer", lambda w: [w.officer.pk]),
])
def test_another_units_manager_gets_404_for_pages_charts_and_exports(client_for, world, name,
                                                                       kwargs):
    client = client_for(world.people["other_manager"])
    assert client.get(reverse(name, args=kwargs(world))).status_code == 404


@pytest.mark.parametrize("name, args", [
    ("people:roster_export", lambda w: []),
    ("certificates:roster_export", lambda w: []),
    ("certificates:batch_pdf", lambda w: []),
    ("home:managers_export", lambda w: [w.unit.pk]),
    ("home:managers_officer_file_export", lambda w: [w.officer.pk]),
])
def test_exports_of_another_unit_are_refused(client_for, world, name, args):
    from jobs.models import Job
    client = client_for(world.people["other_manager"])
    response = client.post(reverse(name, args=args(world)), {"unit": world.unit.pk})
    assert response.status_code in (403, 404)
    assert not Job.objects.filter(owner=world.people["other_manager"]).exists()
