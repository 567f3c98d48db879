"""The database lost for a moment: a clear 503 (page or JSON), then everything carries on."""
import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from exams.models import AttemptStatus

from .faults import begin, database_down, make_exam, next_request, save

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_answer_503_with_a_plain_page_and_no_database(people, client_for):
    client = client_for(people["officer"])
    with database_down():
        response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "The service is briefly unavailable" in page and "Nothing you saved" in page
    next_request()
    assert client.get(reverse("dashboard")).status_code == 200


def test_autosave_gets_a_retryable_503_and_nothing_is_lost(org, people, client_for):
    exam = make_exam(org)
    client = client_for(people["officer"])
    attempt = begin(client, exam)
    assert save(client, attempt, 1, "B").status_code == 200

    with database_down():
        reply = save(client, attempt, 2, "B")
    # exams/static/exams/exam.js keeps the answer and retries any status but 200/400/404/409.
    assert reply.status_code == 503 and reply["Retry-After"] == "5"
    assert reply.json()["ok"] is False and reply.json()["retry"] is True

    next_request()
    assert save(client, attempt, 2, "B").status_code == 200  # the browser's retry
    assert save(client, attempt, 3, "B").status_code == 200
    client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    answers = dict(attempt.items.values_list("position", "answer"))
    assert answers == {1: "B", 2: "B", 3: "B", 4: None}
    assert attempt.status == AttemptStatus.MARKED and attempt.score == 75


def test_a_connection_killed_by_the_server_gives_503_then_reconnects(org, people, client_for):
    exam = make_exam(org)
    client = client_for(people["officer"])
    attempt = begin(client, exam)
    # The database server ends this connection (a restart or failover looks the same).
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    reply = save(client, attempt, 1, "B")
    assert reply.status_code == 503 and reply.json()["retry"] is True
    next_request()
    assert save(client, attempt, 1, "B").status_code == 200
    assert attempt.items.get(position=1).answer == "B"
