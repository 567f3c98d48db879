"""Job records: running, failing, progress, access and Redis being unavailable."""
import pytest
from django.urls import reverse

from jobs import runner
from jobs.models import Job, JobStatus
from jobs.registry import job_kind

pytestmark = pytest.mark.django_db(transaction=True)


@job_kind("tests.add", label="Add")
def add(progress, a, b):
    progress.update(50, "half way", force=True)
    return {"sum": a + b}


@job_kind("tests.explode", label="Explode")
def explode(progress):
    raise ZeroDivisionError("boom")


@job_kind("tests.refuse", label="Refuse")
def refuse(progress):
    raise runner.JobError("第 3 行：姓名为空。")


def test_a_job_runs_in_the_worker_and_records_its_result(people, run_worker):
    job = runner.start_job("tests.add", owner=people["officer"], params={"a": 2, "b": 3})
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.progress, job.result, job.attempts) == (
        JobStatus.SUCCEEDED, 100, {"sum": 5}, 1)
    assert job.started_at and job.finished_at


def test_a_finished_job_is_not_run_again(people, run_worker):
    job = runner.start_job("tests.add", owner=people["officer"], params={"a": 1, "b": 1})
    run_worker()
    assert runner.run_job(str(job.pk)) is None
    job.refresh_from_db()
    assert job.attempts == 1


def test_an_internal_error_shows_plain_words_and_keeps_the_traceback(people, run_worker, client_for):
    job = runner.start_job("tests.explode", owner=people["officer"])
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "ZeroDivisionError" in job.error and "Traceback" in job.traceback
    page = client_for(people["officer"]).get(job.get_absolute_url()).content.decode()
    assert "系统内部错误" in page and "Traceback" not in page


def test_admins_see_the_traceback(people, run_worker, client_for):
    job = runner.start_job("tests.explode", owner=people["officer"])
    run_worker()
    page = client_for(people["admin"]).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Traceback" in page


def test_a_refusal_is_shown_as_it_is(people, run_worker):
    job = runner.start_job("tests.refuse", owner=people["officer"])
    run_worker()
    job.refresh_from_db()
    assert job.error == "第 3 行：姓名为空。"


def test_status_json_reports_progress(people, client_for):
    job = runner.start_job("tests.add", owner=people["officer"], params={"a": 1, "b": 2})
    data = client_for(people["officer"]).get(reverse("jobs:status", args=[job.pk])).json()
    assert data["status"] == "queued" and data["finished"] is False


def test_other_people_cannot_see_a_job(people, client_for):
    job = runner.start_job("tests.add", owner=people["officer"], params={"a": 1, "b": 2})
    client = client_for(people["manager"])
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_my_jobs_lists_only_mine(people, client_for):
    runner.start_job("tests.add", owner=people["officer"], params={"a": 1, "b": 2})
    runner.start_job("tests.add", owner=people["manager"], params={"a": 1, "b": 2})
    page = client_for(people["officer"]).get(reverse("jobs:list"))
    assert len(page.context["page"].object_list) == 1


def test_a_job_started_while_redis_is_down_waits_and_is_queued_later(people, settings, run_worker):
    good = settings.RQ_QUEUES
    settings.RQ_QUEUES = {name: {"URL": "redis://127.0.0.1:1/0"} for name in good}
    job = runner.start_job("tests.add", owner=people["officer"], params={"a": 4, "b": 4})
    settings.RQ_QUEUES = good
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.enqueued_at is None
    assert "后台服务" in job.message

    assert runner.requeue_pending(older_than_seconds=0) == 1
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"sum": 8}
    assert runner.requeue_pending(older_than_seconds=0) == 0
