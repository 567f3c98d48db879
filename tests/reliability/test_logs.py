"""Structured logs: one JSON object per line, with the job's and the request's fields."""
import json
import logging

import pytest
from django.test import RequestFactory

from jobs import runner
from jobs.models import Job, JobStatus
from ops.logformat import JsonFormatter

from . import kinds  # noqa: F401 - registers the test job kinds

pytestmark = pytest.mark.django_db


def lines(caplog, logger):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records
            if record.name == logger]


def test_a_job_logs_its_id_kind_status_and_duration(caplog, people):
    job = Job.objects.create(kind="tests.reliability.echo", owner=people["officer"],
                             params={"value": 7})
    with caplog.at_level(logging.INFO, logger="jobs.runner"):
        runner.run_job(str(job.pk))
    started, finished = lines(caplog, "jobs.runner")
    assert started["message"] == "job started" and started["status"] == "running"
    assert finished["message"] == "job finished"
    assert finished["job_id"] == str(job.pk) and finished["kind"] == "tests.reliability.echo"
    assert finished["status"] == JobStatus.SUCCEEDED and finished["attempt"] == 1
    assert isinstance(finished["duration_ms"], int) and finished["queue"] == "default"
    assert finished["level"] == "INFO" and finished["time"].endswith("+00:00")


def test_a_failing_job_logs_its_traceback_in_the_line(caplog, people):
    job = Job.objects.create(kind="exams.draw_papers", params={"exam_id": 0})
    with caplog.at_level(logging.INFO, logger="jobs.runner"):
        runner.run_job(str(job.pk))
    failed = lines(caplog, "jobs.runner")[-1]
    assert failed["level"] == "ERROR" and failed["status"] == "failed"
    assert "DoesNotExist" in failed["exception"]


def test_a_request_error_line_has_method_and_path_but_no_query_or_user():
    request = RequestFactory().post("/exams/attempt/3/save/?token=secret")
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1,
                               "Internal Server Error: %s", (request.path,), None)
    record.request, record.status_code = request, 500
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["method"] == "POST" and entry["path"] == "/exams/attempt/3/save/"
    assert entry["status_code"] == 500 and "secret" not in line
    assert entry["message"] == "Internal Server Error: /exams/attempt/3/save/"


def test_chinese_stays_readable():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "第 3 行：姓名为空", (), None)
    assert "第 3 行：姓名为空" in JsonFormatter().format(record)
