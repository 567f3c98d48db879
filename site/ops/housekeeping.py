"""
Daily housekeeping (config/cron.py): delete what would otherwise pile up for ever.

- **Job files.** Every import keeps the uploaded file (a roster holds officers' names and
  badge numbers) and every export its result. Once a job finished more than
  `JOB_FILES_DAYS` ago both files are deleted; the job's record stays (who ran what, when,
  with which outcome) and its page says the files were removed. A file that a newer job
  still uses (the real run of an import reads the file its dry run checked) is kept until
  that job's time is up too.
- **Sessions** past their expiry (Django leaves them to `clearsessions`).
- **Sign-in records** (django-axes): failed attempts older than the lockout period, which
  no longer count; the log of sign-ins older than `SIGN_IN_LOG_DAYS`.

Each step is idempotent, so a missed or doubled run does no harm.
"""
import logging
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jobs.models import Job

log = logging.getLogger(__name__)

BATCH = 500


def remove_old_job_files(now=None):
    """Delete the files of jobs finished more than JOB_FILES_DAYS ago; return how many
    jobs had their files removed."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.JOB_FILES_DAYS)
    done = 0
    while True:
        with transaction.atomic():
            due = Job.objects.filter(finished_at__lt=cutoff, files_removed_at=None)
            # Locked: a confirmation of one of these checks waits, then sees it cleared.
            batch = list(due.exclude(input_file="", result_file="").select_for_update()
                         .only("pk", "input_file", "result_file")[:BATCH])
            if not batch:
                return done
            names = {name for job in batch
                     for name in (job.input_file.name, job.result_file.name) if name}
            still_used = Job.objects.filter(
                Q(finished_at=None) | Q(finished_at__gte=cutoff),
                Q(input_file__in=names) | Q(result_file__in=names),
            ).values_list("input_file", "result_file")
            keep = {name for pair in still_used for name in pair}
            Job.objects.filter(pk__in=[job.pk for job in batch]).update(
                input_file="", result_file="", files_removed_at=now)
        for name in sorted(names - keep):
            try:
                default_storage.delete(name)
            except OSError as exc:  # the record says removed; the file is left to an operator
                log.warning("could not delete job file %s: %s", name, exc)
        done += len(batch)


def clear_expired_sessions(now=None):
    """Delete the sessions past their expiry; return how many."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    count, _ = store.get_model_class().objects.filter(
        expire_date__lt=now or timezone.now()).delete()
    return count


def clear_sign_in_records(now=None):
    """Delete failed sign-ins that no longer count and sign-in logs past their retention;
    return how many of each."""
    now = now or timezone.now()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - settings.AXES_COOLOFF_TIME).delete()
    old = now - timezone.timedelta(days=settings.SIGN_IN_LOG_DAYS)
    logs, _ = AccessLog.objects.filter(attempt_time__lt=old).delete()
    failure_logs, _ = AccessFailureLog.objects.filter(attempt_time__lt=old).delete()
    return {"attempts": attempts, "logs": logs + failure_logs}


def daily(now=None):
    """Run every housekeeping step; return and log what each deleted."""
    now = now or timezone.now()
    counts = {
        "job_files": remove_old_job_files(now),
        "sessions": clear_expired_sessions(now),
        **{f"sign_in_{key}": value for key, value in clear_sign_in_records(now).items()},
    }
    log.info("housekeeping done", extra=counts)
    return counts
