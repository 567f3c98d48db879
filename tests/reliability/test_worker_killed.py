"""A worker killed mid-job (SIGKILL): the job is retried or marked failed, and its record says so.

These tests start the real `manage.py worker` (RQ's forking worker with its scheduler) in a
subprocess on the test database and a private Redis, run a job that blocks until released,
and kill the work horse (the forked child running the job) or the whole worker.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import django_rq
import pytest
from django.db import connection
from django.utils import timezone, translation
from rq import Retry, SimpleWorker
from rq.job import Job as RQJob
from rq.registry import StartedJobRegistry

from jobs import runner
from jobs.models import Job, JobStatus
from jobs.recovery import recover_abandoned

from . import kinds  # noqa: F401 - registers the test job kinds

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def start_worker(redis_url, log_path):
    """Start `manage.py worker default` in its own process group; return the Popen."""
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": redis_url,
           "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}", "DJANGO_SETTINGS_MODULE": "config.settings",
           "LOG_FORMAT": "json"}
    with open(log_path, "ab") as log:
        return subprocess.Popen([sys.executable, str(ROOT / "tests/reliability/worker_process.py"),
                                 "default"], cwd=ROOT, env=env, stdout=log, stderr=log,
                                start_new_session=True)


def wait_for(condition, what, log_path, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n"
                         + Path(log_path).read_text()[-3000:])


def horse_pids(flags):
    return [int(path.name.split("-")[1]) for path in flags.glob("started-*")]


def stop_worker(process):
    with_group = process.poll() is None
    if with_group:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def blocking_job(flags, owner=None):
    return runner.start_job("tests.reliability.block", owner=owner,
                            params={"flag_dir": str(flags)})


@pytest.fixture
def flags(tmp_path):
    path = tmp_path / "flags"
    path.mkdir()
    return path


def test_a_killed_work_horse_is_retried_and_the_record_shows_both_attempts(
        people, private_redis, flags, tmp_path):
    log_path = tmp_path / "worker.log"
    job = blocking_job(flags, people["officer"])
    worker = start_worker(private_redis.url, log_path)
    try:
        [horse] = wait_for(lambda: horse_pids(flags), "the job to start", log_path)
        job.refresh_from_db()
        assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)

        os.kill(horse, signal.SIGKILL)  # e.g. the out-of-memory killer
        (flags / "release").touch()
        # RQ's worker sees its horse die and retries the job (Retry(max=2), after 10 s).
        wait_for(lambda: Job.objects.filter(pk=job.pk, status=JobStatus.SUCCEEDED).exists(),
                 "the retried job to finish", log_path)
    finally:
        stop_worker(worker)
    job.refresh_from_db()
    assert job.attempts == 2 and len(horse_pids(flags)) == 2
    assert job.result == {"runs": 1}  # the killed run never finished; the retry did, once
    assert "Work-horse terminated unexpectedly" in log_path.read_text()


def test_a_whole_worker_killed_is_noticed_retried_by_the_next_worker(
        people, private_redis, flags, tmp_path):
    log_path = tmp_path / "worker.log"
    job = blocking_job(flags, people["officer"])
    worker = start_worker(private_redis.url, log_path)
    try:
        [horse] = wait_for(lambda: horse_pids(flags), "the job to start", log_path)
    finally:
        # The machine is lost: the worker, its scheduler and the horse all die at once.
        os.kill(horse, signal.SIGKILL)
        stop_worker(worker)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # nobody is left to say otherwise

    # Nothing happens before the job's heartbeat lapses (about 90 s)...
    assert recover_abandoned() == {"failed": 0, "requeued": 0}
    assert StartedJobRegistry(queue=django_rq.get_queue("default")).count == 1
    # ...then RQ's cleanup (run by the cron's requeue_pending) retries it.
    recover_abandoned(cleanup_at=time.time() + 120)
    rq_job = RQJob.fetch(f"lianbing-{job.pk}-0", connection=private_redis.client())
    assert rq_job.get_status() == "scheduled" and rq_job.retries_left == 1
    # The dead scheduler's lock would expire after 61 s; skip the wait.
    for key in private_redis.client().keys("rq:scheduler-lock:*"):
        private_redis.client().delete(key)

    (flags / "release").touch()
    worker = start_worker(private_redis.url, log_path)  # the machine is back
    try:
        wait_for(lambda: Job.objects.filter(pk=job.pk, status=JobStatus.SUCCEEDED).exists(),
                 "the next worker to run the job", log_path)
    finally:
        stop_worker(worker)
    job.refresh_from_db()
    assert job.attempts == 2 and job.result == {"runs": 1}


def put_in_started_registry(job, connection, retries_left):
    """Make RQ see `job` as started by a worker that has since died (its heartbeat lapsed)."""
    queue = django_rq.get_queue(job.queue)
    rq_job = queue.enqueue(runner.run_job, str(job.pk), job_id=f"lianbing-{job.pk}-0",
                           retry=Retry(max=2, interval=[10, 60]))
    queue.remove(rq_job)
    rq_job.retries_left = retries_left
    rq_job.set_status("started")
    rq_job.save()
    connection.zadd(StartedJobRegistry(queue=queue).key, {f"{rq_job.id}:dead": time.time() - 1})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=3,
                                         started_at=timezone.now())


def test_a_job_killed_on_its_last_retry_is_marked_failed_with_a_plain_message(
        people, private_redis, client_for):
    with private_redis.client() as conn:
        job = Job.objects.create(kind="tests.reliability.echo", params={"value": 1},
                                 owner=people["officer"], enqueued_at=timezone.now())
        put_in_started_registry(job, conn, retries_left=0)
        with translation.override("en"):  # the message is stored in the scheduler's language
            assert recover_abandoned() == {"failed": 1, "requeued": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    assert "The background worker stopped" in job.error and "attempt 3 of 3" in job.error
    page = client_for(people["officer"]).get(job.get_absolute_url())
    assert "The background worker stopped" in page.content.decode()
    assert recover_abandoned() == {"failed": 0, "requeued": 0}  # once is enough


def test_a_job_whose_queue_entry_was_lost_is_queued_again(people, private_redis):
    long_ago = timezone.now() - timezone.timedelta(minutes=10)
    running = Job.objects.create(kind="tests.reliability.echo", params={"value": 1},
                                 status=JobStatus.RUNNING, attempts=1, started_at=long_ago,
                                 enqueued_at=long_ago)
    waiting = Job.objects.create(kind="tests.reliability.echo", params={"value": 2},
                                 enqueued_at=long_ago)
    fresh = Job.objects.create(kind="tests.reliability.echo", params={"value": 3},
                               enqueued_at=timezone.now())
    private_redis.client().flushdb()  # Redis restarted without its data

    assert recover_abandoned() == {"failed": 0, "requeued": 2}
    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    results = dict(Job.objects.values_list("pk", "result"))
    assert results[running.pk] == {"value": 1} and results[waiting.pk] == {"value": 2}
    assert Job.objects.get(pk=fresh.pk).status == JobStatus.QUEUED  # may still be on its way
