"""
Jobs whose worker died or whose queue entry was lost: bring the records in line with RQ.

A worker killed mid-job (SIGKILL, the out-of-memory killer, a machine lost) leaves its
RQ job "started" and our record "running". If only the work horse died, the worker
notices at once; otherwise RQ notices when the job's heartbeat lapses (about 90 s) in
`StartedJobRegistry.cleanup()`. Either way RQ retries the job (run_job is queued with
Retry(max=2); run_job claims a "running" record again) or, when the retries are used
up, moves it to the failed registry. `recover_abandoned()` runs that cleanup for every
queue, then:

- a running record whose RQ job failed is marked failed, with a plain message;
- a running or queued record whose RQ job no longer exists (Redis restarted without its
  data) is queued again, or marked failed once it has been tried MAX_ATTEMPTS times.

Job functions are idempotent (jobs/registry.py), so running one again is safe.
"""
import logging

import django_rq
import redis
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rq.job import Job as RQJob
from rq.job import JobStatus as RQStatus
from rq.registry import StartedJobRegistry

from .models import Job, JobStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A record must be this old before a missing RQ job counts as lost (not yet written).
LOST_AFTER_SECONDS = 300
LIVE = {RQStatus.QUEUED, RQStatus.STARTED, RQStatus.SCHEDULED, RQStatus.DEFERRED}


def rq_job_ids(job):
    """Return the RQ job ids a record may have been queued under (see runner.enqueue)."""
    return [f"lianbing-{job.pk}-{number}" for number in range(job.attempts + 1)]


def _rq_statuses(job, connection):
    found = RQJob.fetch_many(rq_job_ids(job), connection=connection)
    return {rq_job.get_status(refresh=False) for rq_job in found if rq_job is not None}


def recover_abandoned(now=None, cleanup_at=None):
    """Reconcile running and queued job records with RQ; return what was done.

    `cleanup_at` is the moment (a Unix timestamp) up to which RQ treats a started job
    without heartbeat as abandoned; it defaults to now (tests move it forward).
    """
    from .runner import enqueue

    now = now or timezone.now()
    done = {"failed": 0, "requeued": 0}
    try:
        for name in django_rq.settings.QUEUES:
            queue = django_rq.get_queue(name, commit_mode="auto")
            StartedJobRegistry(queue=queue).cleanup(timestamp=cleanup_at)
        connection = django_rq.get_connection("default")
        lost_before = now - timezone.timedelta(seconds=LOST_AFTER_SECONDS)
        candidates = Job.objects.filter(
            Q(status=JobStatus.RUNNING)
            | Q(status=JobStatus.QUEUED, enqueued_at__lte=lost_before))
        for job in candidates:
            statuses = _rq_statuses(job, connection)
            if statuses & LIVE:
                continue
            if RQStatus.FAILED in statuses or job.attempts >= MAX_ATTEMPTS:
                _mark_failed(job, now)
                done["failed"] += 1
            elif not statuses and (job.started_at or job.enqueued_at or now) <= lost_before:
                log.warning("job %s lost its queue entry; queueing it again", job.pk,
                            extra={"job_id": str(job.pk), "kind": job.kind})
                Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
                enqueue(job)
                done["requeued"] += 1
    except (redis.RedisError, OSError) as exc:
        log.warning("abandoned jobs not checked: Redis unavailable (%s)", exc)
    return done


def _mark_failed(job, now):
    unfinished = [JobStatus.RUNNING, JobStatus.QUEUED]
    changed = Job.objects.filter(pk=job.pk, status__in=unfinished).update(
        status=JobStatus.FAILED,
        finished_at=now,
        message=_("Failed"),
        error=_("The background worker stopped while running this job (attempt %(attempt)s of "
                "%(max)s), so it did not finish. Please start it again.")
        % {"attempt": max(job.attempts, 1), "max": MAX_ATTEMPTS},
    )
    if changed:
        log.warning("job %s abandoned by its worker; marked failed", job.pk,
                    extra={"job_id": str(job.pk), "kind": job.kind, "status": "failed",
                           "attempt": job.attempts})
