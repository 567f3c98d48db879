"""Checked imports are confirmed once; the daily housekeeping deletes old job files,
expired sessions and old sign-in records, and the pages say what was deleted."""
import datetime

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rq.cron import CronScheduler

from jobs.models import Job, JobStatus
from ops import housekeeping
from people.models import Officer
from tests.conftest import make_xlsx
from tests.jobs.test_roster_import_job import upload
from tests.people.test_roster_import import GOOD_ROWS

pytestmark = pytest.mark.django_db(transaction=True)

NOW = timezone.now()


def checked_roster(people, client_for, run_worker):
    client = client_for(people["manager"])
    upload(client, make_xlsx(GOOD_ROWS))
    run_worker()
    checked = Job.objects.get()
    assert checked.status == JobStatus.SUCCEEDED and checked.result["dry_run"], checked.error
    return client, checked


def finished_days_ago(job, days):
    Job.objects.filter(pk=job.pk).update(finished_at=NOW - datetime.timedelta(days=days))


def test_a_check_confirmed_twice_imports_once(people, client_for, run_worker):
    client, checked = checked_roster(people, client_for, run_worker)
    confirm = reverse("people:roster_import_confirm", args=[checked.pk])
    first = client.post(confirm)
    second = client.post(confirm, follow=True)
    real = Job.objects.get(checked=checked)
    assert first["Location"] == real.get_absolute_url()
    assert second.redirect_chain[-1][0] == real.get_absolute_url()
    assert "该文件的检查已确认过，这是它的导入。" in second.content.decode()
    run_worker()
    real.refresh_from_db()
    assert real.status == JobStatus.SUCCEEDED and real.result["created"] == 3
    assert Job.objects.count() == 2


def test_a_failed_confirmation_may_be_confirmed_again(people, client_for, run_worker):
    client, checked = checked_roster(people, client_for, run_worker)
    confirm = reverse("people:roster_import_confirm", args=[checked.pk])
    client.post(confirm)
    Job.objects.filter(checked=checked).update(status=JobStatus.FAILED)
    client.post(confirm)
    assert Job.objects.filter(checked=checked).count() == 2


def test_old_job_files_are_deleted_and_the_pages_say_so(people, client_for, run_worker):
    client, checked = checked_roster(people, client_for, run_worker)
    stored = checked.input_file.name
    assert default_storage.exists(stored)
    finished_days_ago(checked, 31)
    recent = Job.objects.create(kind="people.roster_export", owner=people["manager"],
                                status=JobStatus.SUCCEEDED, finished_at=NOW)
    recent.result_file.save("名册.xlsx", make_xlsx(GOOD_ROWS))

    assert housekeeping.remove_old_job_files(NOW) == 1
    checked.refresh_from_db()
    assert not checked.input_file and checked.files_removed_at == NOW
    assert not default_storage.exists(stored)
    assert default_storage.exists(recent.result_file.name)  # 29 days to go
    assert housekeeping.remove_old_job_files(NOW) == 0  # a second run finds nothing

    page = client.get(checked.get_absolute_url()).content.decode()
    assert "文件已删除" in page and "请重新上传" in page
    assert reverse("people:roster_import_confirm", args=[checked.pk]) not in page
    response = client.post(reverse("people:roster_import_confirm", args=[checked.pk]),
                           follow=True)
    assert "检查过的文件已不再保存，请重新上传。" in response.content.decode()
    assert Job.objects.count() == 2 and not Officer.objects.filter(badge_number="JZ-1001").exists()


def test_a_file_still_read_by_a_newer_job_is_kept(people, client_for, run_worker):
    client, checked = checked_roster(people, client_for, run_worker)
    client.post(reverse("people:roster_import_confirm", args=[checked.pk]))
    real = Job.objects.get(checked=checked)
    finished_days_ago(checked, 40)  # the check is old, its import ran yesterday
    assert housekeeping.remove_old_job_files(NOW) == 1
    assert default_storage.exists(real.input_file.name)
    run_worker()  # the import, still queued, reads the file
    real.refresh_from_db()
    assert real.status == JobStatus.SUCCEEDED, real.error
    finished_days_ago(real, 31)
    assert housekeeping.remove_old_job_files(NOW) == 1
    assert not default_storage.exists(real.input_file.name)


def test_an_exports_removed_result_is_named_without_a_link(people, client_for):
    job = Job.objects.create(kind="people.roster_export", owner=people["manager"],
                             status=JobStatus.SUCCEEDED, finished_at=NOW,
                             result_name="名册.xlsx")
    job.result_file.save("名册.xlsx", make_xlsx(GOOD_ROWS))
    finished_days_ago(job, 30.5)
    housekeeping.daily(NOW)
    client = client_for(people["manager"])
    listing = client.get(reverse("jobs:list")).content.decode()
    assert "名册.xlsx" in listing and "文件已删除" in listing
    assert reverse("jobs:download", args=[job.pk]) not in listing
    assert "30 天后删除" in listing
    detail = client.get(job.get_absolute_url()).content.decode()
    assert f"任务的文件已于 {timezone.localdate(NOW):%Y-%m-%d} 保留期满后删除。" in detail
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@override_settings(JOB_FILES_DAYS=7)
def test_the_retention_period_is_a_setting(people):
    job = Job.objects.create(kind="people.roster_export", owner=people["manager"],
                             status=JobStatus.SUCCEEDED)
    job.result_file.save("名册.xlsx", make_xlsx(GOOD_ROWS))
    finished_days_ago(job, 8)
    assert housekeeping.remove_old_job_files(NOW) == 1


def test_expired_sessions_and_old_sign_in_records_are_deleted(people, client):
    client.force_login(people["officer"])
    live = Session.objects.get()
    Session.objects.create(session_key="x" * 32, session_data="",
                           expire_date=NOW - datetime.timedelta(minutes=1))
    old_attempt = AccessAttempt.objects.create(username="officer", ip_address="10.0.0.1",
                                               failures_since_start=1)
    counting = AccessAttempt.objects.create(username="judge", ip_address="10.0.0.2",
                                            failures_since_start=1)
    AccessAttempt.objects.filter(pk=old_attempt.pk).update(
        attempt_time=NOW - datetime.timedelta(minutes=16))
    old_log = AccessLog.objects.create(username="officer", ip_address="10.0.0.1")
    recent_log = AccessLog.objects.create(username="officer", ip_address="10.0.0.1")
    AccessLog.objects.filter(pk=old_log.pk).update(attempt_time=NOW - datetime.timedelta(days=181))

    counts = housekeeping.daily(NOW)
    assert counts == {"job_files": 0, "sessions": 1, "sign_in_attempts": 1, "sign_in_logs": 1}
    assert list(Session.objects.values_list("pk", flat=True)) == [live.pk]
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [counting.pk]
    assert not AccessLog.objects.filter(pk=old_log.pk).exists()
    assert AccessLog.objects.filter(pk=recent_log.pk).exists()


def test_housekeeping_is_scheduled_daily(redis_conn):
    scheduler = CronScheduler(connection=redis_conn)
    scheduler.load_config_from_file("config.cron")  # what `manage.py scheduler` loads
    [job] = [job for job in scheduler.get_jobs() if job.func is housekeeping.daily]
    assert job.cron == "40 3 * * *"
