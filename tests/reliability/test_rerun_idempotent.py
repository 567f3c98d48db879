"""Running a job again after its worker died does no harm: no double re-marks or certificates.

A retried job starts from the beginning on a record the dead run left "running"
(jobs.runner.run_job claims it again), possibly after part of the work was committed.
"""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates.expiry import daily as certificates_daily
from certificates.models import Certificate, CertificateChange, IssueRequest
from exams import sitting
from exams.marking import _remark_attempt
from exams.models import Attempt, AttemptItem, AttemptStatus, ExamKind, ScoreChange
from exams.versions import sync_version
from jobs import runner
from jobs.models import Job, JobStatus

from .faults import make_exam

pytestmark = pytest.mark.django_db


def sit(exam, user, answers, submit=True):
    attempt = sitting.create_attempt(exam, user.officer)
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.IN_PROGRESS, started_at=now,
                                                 deadline=now + dt.timedelta(hours=1))
    for position, answer in answers.items():
        AttemptItem.objects.filter(attempt=attempt, position=position).update(answer=answer)
    attempt.refresh_from_db()
    if submit:
        sitting.submit(attempt)
        attempt.refresh_from_db()
    return attempt


def make_key(question, correct):
    for index, option in enumerate(question.options.all()):
        option.is_correct = chr(65 + index) == correct
        option.save()
    return sync_version(question)


def left_running_by_a_dead_worker(kind, owner, **params):
    """The record a killed run leaves behind: claimed once, never finished."""
    return Job.objects.create(kind=kind, owner=owner, params=params, status=JobStatus.RUNNING,
                              attempts=1, started_at=timezone.now(), enqueued_at=timezone.now())


def test_a_re_mark_killed_half_way_and_run_again_re_marks_each_attempt_once(org, people):
    exam = make_exam(org, units=("corps",))
    answers = {1: "C", 2: "B", 3: "B", 4: "B"}  # 75 now; 100 once the key of question 1 is C
    attempts = [sit(exam, people[who], answers) for who in ("officer", "manager", "judge")]
    assert {a.score for a in attempts} == {Decimal("75")}
    first_question = exam.paper.items.order_by("sort_order").first().question
    make_key(first_question, "C")

    # The dead run had re-marked the first attempt (each attempt commits on its own).
    assert _remark_attempt(attempts[0].pk, people["organizer"])
    job = left_running_by_a_dead_worker("exams.remark_exam", people["organizer"],
                                        exam_id=exam.pk)
    runner.run_job(str(job.pk))  # RQ's retry
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.SUCCEEDED, 2)
    assert job.result["changed"] == 2  # only the two the dead run had not reached

    assert runner.run_job(str(job.pk)) is None  # a duplicate delivery of the finished job
    again = left_running_by_a_dead_worker("exams.remark_exam", people["organizer"],
                                          exam_id=exam.pk)
    runner.run_job(str(again.pk))
    again.refresh_from_db()
    assert again.result["changed"] == 0 and again.result["attempts"] == 0

    assert sorted(ScoreChange.objects.values_list("attempt_id", flat=True)) == sorted(
        a.pk for a in attempts)  # one audit row per attempt, never two
    assert set(Attempt.objects.values_list("score", flat=True)) == {Decimal("100")}


def test_the_deadline_job_and_the_certificate_pass_run_twice_issue_one_certificate(org, people):
    exam = make_exam(org, kind=ExamKind.QUALIFICATION)
    attempt = sit(exam, people["officer"], {1: "B", 2: "B", 3: "B"}, submit=False)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))

    # The deadline job (exams.sitting.submit_if_expired), delivered twice after a retry.
    assert sitting.submit_if_expired(attempt.pk) is True
    assert sitting.submit_if_expired(attempt.pk) is False
    # The daily certificate pass (config/cron.py), run twice.
    certificates_daily()
    certificates_daily()

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED and attempt.passed
    cert = Certificate.objects.get(officer=people["officer"].officer)
    assert IssueRequest.objects.filter(attempt=attempt).count() == 1
    assert CertificateChange.objects.filter(certificate=cert).count() == 1


def test_a_pass_whose_certificate_was_not_issued_yet_gets_exactly_one(org, people):
    exam = make_exam(org, kind=ExamKind.QUALIFICATION)
    attempt = sit(exam, people["officer"], {1: "B", 2: "B", 3: "B", 4: "B"})
    # As if the worker died between marking and issuing: the pass without its certificate.
    IssueRequest.objects.all().delete()
    Certificate.objects.all().delete()
    assert not Certificate.objects.exists()

    first, second = certificates_daily(), certificates_daily()
    assert (first["issued"], second["issued"]) == (1, 0)
    assert Certificate.objects.filter(officer=people["officer"].officer).count() == 1
    assert IssueRequest.objects.filter(attempt=attempt).count() == 1


def test_the_certificate_pdf_job_run_twice_changes_no_certificate(org, people):
    exam = make_exam(org, kind=ExamKind.QUALIFICATION)
    sit(exam, people["officer"], {1: "B", 2: "B", 3: "B", 4: "B"})
    cert = Certificate.objects.get()
    job = left_running_by_a_dead_worker("certificates.pdf", people["officer"],
                                        certificate_id=cert.pk)
    runner.run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"number": cert.number}
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get().number == cert.number
