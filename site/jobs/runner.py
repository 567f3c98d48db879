"""Start background jobs, run them in the worker and report their progress."""
import logging
import time
import traceback

import django_rq
import redis
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rq import Retry

from . import embedded_redis
from .models import Job, JobStatus
from .registry import get_kind

log = logging.getLogger(__name__)


class JobError(Exception):
    """A failure to show the user as it is (bad input, a rule not met), without a traceback."""


class Progress:
    """The job function's handle on its record: progress, messages and the result file."""

    min_interval = 0.5  # seconds between progress writes

    def __init__(self, job):
        self.job = job
        self._last_write = 0.0

    def update(self, percent, message="", force=False):
        """Record progress (0–100) and a short message, at most twice a second."""
        now = time.monotonic()
        if not force and now - self._last_write < self.min_interval:
            return
        self._last_write = now
        percent = max(0, min(100, int(percent)))
        Job.objects.filter(pk=self.job.pk).update(progress=percent, message=str(message)[:500])

    def step(self, done, total, message=""):
        """Record progress as `done` out of `total` items."""
        self.update(100 * done / total if total else 100, message)

    def save_result_file(self, name, content):
        """Attach the job's result file (bytes, a path or an open file)."""
        if isinstance(content, (bytes, bytearray)):
            self.job.result_file.save(name, ContentFile(content), save=False)
        elif hasattr(content, "read"):
            self.job.result_file.save(name, File(content), save=False)
        else:
            with open(content, "rb") as handle:
                self.job.result_file.save(name, File(handle), save=False)
        self.job.result_name = name
        Job.objects.filter(pk=self.job.pk).update(
            result_file=self.job.result_file.name, result_name=name
        )


def start_job(kind, *, owner=None, params=None, input_file=None, input_name="", language=None,
              stored_input="", checked=None):
    """Create a job record and queue it (after the current transaction commits).

    `input_file` is an uploaded file to store with the job; `stored_input` is the storage
    name of a file already stored (by an earlier job), which is reused as it is. `checked`
    is the dry run that the job confirms.
    """
    job_kind = get_kind(kind)
    job = Job(
        kind=kind,
        owner=owner,
        queue=job_kind.queue,
        params=params or {},
        language=language or translation.get_language() or "zh-hans",
        input_name=input_name,
        checked=checked,
    )
    if input_file is not None:
        job.input_file.save(input_name or "upload", input_file, save=False)
    elif stored_input:
        job.input_file.name = stored_input
    job.save()
    transaction.on_commit(lambda: enqueue(job))
    return job


def confirm_checked(checked, owner, kinds):
    """Start the real run of a successful dry run of one of `kinds`, on the same stored file.

    Every import is checked first (a dry run that saves nothing); only a check that found no
    error, whose file is still kept, may be confirmed. A check is confirmed once: confirming
    it again (a double click, a second tab) returns the run already started, unless that
    run failed. Return ``(job, started)``, or ``(None, False)`` if `checked` cannot be
    confirmed.
    """
    result = checked.result
    if (checked.kind not in kinds or checked.status != JobStatus.SUCCEEDED
            or not result.get("dry_run") or result.get("error_count") or result.get("errors")):
        return None, False
    with transaction.atomic():
        # One confirmation at a time, and never of a check whose file the housekeeping has
        # just removed (it locks the jobs it clears).
        locked = Job.objects.select_for_update().filter(pk=checked.pk).first()
        if locked is None or locked.files_removed_at or not locked.input_file:
            return None, False
        earlier = checked.confirmations.exclude(status=JobStatus.FAILED).first()
        if earlier is not None:
            return earlier, False
        job = start_job(checked.kind, owner=owner, params={**checked.params, "dry_run": False},
                        input_name=checked.input_name, stored_input=checked.input_file.name,
                        checked=checked)
    return job, True


def enqueue(job):
    """Put the job on its RQ queue; if Redis is unreachable, leave it queued for the sweeper."""
    try:
        embedded_redis.ensure_running()
        django_rq.get_queue(job.queue, commit_mode="auto").enqueue(
            run_job,
            str(job.pk),
            job_id=f"lianbing-{job.pk}-{job.attempts}",
            retry=Retry(max=2, interval=[10, 60]),
            job_timeout=django_rq.settings.QUEUES[job.queue].get("DEFAULT_TIMEOUT", 600),
        )
        Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
    except (redis.RedisError, OSError, RuntimeError) as exc:
        log.warning("job %s could not be queued yet: %s", job.pk, exc)
        Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            message=_("Waiting for the background service; it will start automatically.")
        )


def requeue_pending(older_than_seconds=60):
    """Queue every job that could not be queued when it was started (Redis was down).

    Then reconcile the records of jobs whose worker died or whose queue entry was lost
    (jobs/recovery.py). Return the number of pending jobs queued.
    """
    from .recovery import recover_abandoned

    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    count = 0
    pending = Job.objects.filter(status=JobStatus.QUEUED, enqueued_at=None, created_at__lte=cutoff)
    for job in pending:
        enqueue(job)
        count += 1
    recover_abandoned()
    return count


def run_job(job_id):
    """Run one job (the function the RQ worker calls); a finished job is never run again."""
    claimed = Job.objects.filter(
        pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        progress=0,
        error="",
        traceback="",
    )
    if not claimed:
        return None
    job = Job.objects.get(pk=job_id)
    kind = get_kind(job.kind)
    started = time.monotonic()
    log.info("job started", extra=_log_fields(job, "running"))
    with translation.override(job.language):
        progress = Progress(job)
        try:
            result = kind.func(progress, **job.params) or {}
            _finish(job, JobStatus.SUCCEEDED, result=result)
            log.info("job finished", extra=_log_fields(job, JobStatus.SUCCEEDED, started))
            return result
        except JobError as exc:
            _finish(job, JobStatus.FAILED, error=str(exc), tb=traceback.format_exc())
            log.info("job refused", extra=_log_fields(job, JobStatus.FAILED, started))
            return None
        except Exception as exc:  # noqa: BLE001 - every failure must reach the record
            log.exception("job %s (%s) failed", job.pk, job.kind,
                          extra=_log_fields(job, JobStatus.FAILED, started))
            _finish(
                job,
                JobStatus.FAILED,
                error=_("The job failed because of an internal error (%(error)s). "
                        "An administrator can see the details.") % {"error": type(exc).__name__},
                tb=traceback.format_exc(),
            )
            return None


def _log_fields(job, status, started=None):
    """The structured fields of a job's log lines (see ops/logformat.py)."""
    fields = {"job_id": str(job.pk), "kind": job.kind, "queue": job.queue,
              "status": str(status), "attempt": job.attempts}
    if started is not None:
        fields["duration_ms"] = round((time.monotonic() - started) * 1000)
    return fields


def _finish(job, status, result=None, error="", tb=""):
    Job.objects.filter(pk=job.pk).update(
        status=status,
        progress=100 if status == JobStatus.SUCCEEDED else F("progress"),
        result=result or {},
        error=error,
        traceback=tb,
        finished_at=timezone.now(),
        message=_("Done") if status == JobStatus.SUCCEEDED else _("Failed"),
    )
