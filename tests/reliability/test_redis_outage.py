"""Redis down during an exam: starting, saving and submitting never need it; queued work waits.

The test runs its own redis-server, kills it in the middle of the exam and starts a fresh,
empty one afterwards (everything that was queued is gone), then checks nothing was lost.
"""
import datetime as dt
import socket
import time

import django_rq
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rq import SimpleWorker
from rq.registry import ScheduledJobRegistry

from certificates.models import Certificate
from exams import sitting
from exams.models import Attempt, AttemptStatus, ExamKind
from jobs import runner
from jobs.models import Job, JobStatus

from .faults import begin, make_exam, queues_on, save

pytestmark = pytest.mark.django_db(transaction=True)
QUEUES = ["default", "reports", "marking"]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def run_worker():
    queues = [django_rq.get_queue(name) for name in QUEUES]
    SimpleWorker(queues, connection=queues[0].connection).work(burst=True)


def test_an_exam_carries_on_through_a_redis_outage_and_queued_work_runs_after(
        org, people, private_redis):
    exam = make_exam(org, kind=ExamKind.QUALIFICATION)
    officer, manager = signed_in(people["officer"]), signed_in(people["manager"])
    organizer = signed_in(people["organizer"])

    first = begin(officer, exam)
    deadlines = ScheduledJobRegistry(queue=django_rq.get_queue("marking"))
    assert deadlines.count == 1  # the submit-at-deadline job, while Redis was up
    assert save(officer, first, 1, "B").status_code == 200

    private_redis.stop()  # Redis goes down in the middle of the exam

    for position in (2, 3):
        assert save(officer, first, position, "B").status_code == 200
    started = time.monotonic()
    second = begin(manager, exam)  # starting still works (its deadline job is not queued)
    assert time.monotonic() - started < 3
    assert second.status == AttemptStatus.IN_PROGRESS
    assert save(manager, second, 1, "B").status_code == 200
    # Work that needs a job is recorded as pending, not lost.
    response = organizer.post(reverse("exams:results_export", args=[exam.pk]))
    export = Job.objects.get(kind="exams.results_export")
    assert response.status_code == 302 and response.url == export.get_absolute_url()
    assert export.status == JobStatus.QUEUED and export.enqueued_at is None
    assert organizer.get(export.get_absolute_url()).status_code == 200
    # Submitting marks at once and issues the certificate (no queue involved).
    assert officer.post(reverse("exams:attempt_submit", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert (first.status, first.score, first.passed) == (AttemptStatus.MARKED, 75, True)
    assert Certificate.objects.filter(officer=people["officer"].officer).count() == 1
    assert officer.get(reverse("exams:attempt_result", args=[first.pk])).status_code == 200

    private_redis.start()  # back, but empty: every queued job was lost with it

    assert runner.requeue_pending(older_than_seconds=0) == 1
    run_worker()
    export.refresh_from_db()
    assert export.status == JobStatus.SUCCEEDED, export.error
    assert export.result_file.name.endswith(".xlsx")
    # The manager's deadline job was never queued; the sweeper (config/cron.py) covers it.
    Attempt.objects.filter(pk=second.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert sitting.sweep_expired() == 1
    second.refresh_from_db()
    assert second.status == AttemptStatus.MARKED and second.score == 25
    assert second.items.get(position=1).answer == "B"
    # Nothing was run twice.
    assert Certificate.objects.count() == 1 and Job.objects.count() == 1


def test_a_redis_that_stops_answering_does_not_hang_starting_an_exam(org, people, settings):
    silent = socket.socket()  # accepts connections, never replies
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    try:
        settings.RQ_QUEUES = queues_on(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        exam = make_exam(org)
        client = signed_in(people["officer"])
        started = time.monotonic()
        attempt = begin(client, exam)
        assert time.monotonic() - started < 8  # bounded by socket_timeout=5, not forever
        assert attempt.status == AttemptStatus.IN_PROGRESS
        assert save(client, attempt, 1, "B").status_code == 200
    finally:
        silent.close()


def test_sessions_are_read_through_redis_and_fall_back_to_the_database(people, private_redis):
    from django.contrib.sessions.models import Session

    officer = signed_in(people["officer"])
    key = officer.cookies["sessionid"].value
    cached = [k for k in private_redis.client().keys("*") if key.encode() in k]
    assert cached  # a copy in Redis, read by every request
    assert Session.objects.filter(session_key=key).exists()  # the record, in the database
    assert officer.get(reverse("dashboard")).status_code == 200

    private_redis.stop()
    assert officer.get(reverse("dashboard")).status_code == 200  # read from the database
    officer.logout()  # the database copy goes even though Redis cannot be told
    assert not Session.objects.filter(session_key=key).exists()
    assert officer.get(reverse("dashboard")).status_code == 302
    again = signed_in(people["officer"])  # signing in works with Redis down
    assert again.get(reverse("dashboard")).status_code == 200

    private_redis.start()  # back, empty
    from ops import sessions
    sessions._skip_until = 0.0  # as after RETRY_SECONDS
    assert again.get(reverse("dashboard")).status_code == 200  # from the database, then cached
    assert [k for k in private_redis.client().keys("*")
            if again.cookies["sessionid"].value.encode() in k]
