"""The server submits attempts whose time ran out, with the browser gone (real RQ worker)."""
import datetime as dt

import django_rq
import pytest
from django.utils import timezone
from rq.registry import ScheduledJobRegistry

from exams import sitting
from exams.models import Attempt, AttemptStatus, SubmitReason

from .test_sitting import exam  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def started(exam, people):  # noqa: F811
    sitting.draw_for_exam(exam)
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    return sitting.start(attempt, device="browser-1")


def test_starting_schedules_a_submit_job_at_the_deadline(exam, people, redis_conn):  # noqa: F811
    attempt = started(exam, people)
    registry = ScheduledJobRegistry(queue=django_rq.get_queue("marking"))
    [job_id] = registry.get_job_ids()
    when = registry.get_scheduled_time(job_id)
    assert abs((when - (attempt.deadline + sitting.GRACE)).total_seconds()) < 1


def test_the_deadline_job_submits_an_expired_attempt_in_the_worker(
        exam, people, redis_conn, run_worker):  # noqa: F811
    attempt = started(exam, people)
    sitting.save_answer(attempt.pk, people["officer"].pk, "browser-1", 1, "B")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    # What the scheduler does when the job's time comes: move it to the queue.
    django_rq.get_queue("marking").enqueue("exams.sitting.submit_if_expired", attempt.pk)
    run_worker()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED
    assert attempt.submit_reason == SubmitReason.TIMEOUT
    assert attempt.items.get(position=1).answer == "B"  # what was saved counts


def test_the_deadline_job_leaves_an_attempt_with_time_left_alone(
        exam, people, redis_conn, run_worker):  # noqa: F811
    attempt = started(exam, people)
    django_rq.get_queue("marking").enqueue("exams.sitting.submit_if_expired", attempt.pk)
    run_worker()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_the_sweeper_submits_every_expired_attempt_once(
        exam, people, redis_conn, run_worker):  # noqa: F811
    attempt = started(exam, people)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=5))
    queue = django_rq.get_queue("marking")
    queue.enqueue("exams.sitting.sweep_expired")
    queue.enqueue("exams.sitting.sweep_expired")
    run_worker()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED
    assert attempt.events.filter(kind="submit").count() == 1
