"""Issuing on a pass (automatic and approval modes), idempotency, failing, numbering."""
import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from certificates import issuing
from certificates.models import (Certificate, CertificateStatus, IssueRequest,
                                 QualificationSetting, RequestStatus)
from certificates.numbering import next_number
from exams.models import Attempt, AttemptStatus, ExamKind

from .factories import make_attempt, make_exam


def test_a_pass_issues_a_certificate_automatically_once(people):
    officer = people["officer"].officer
    exam = make_exam()
    attempt = make_attempt(exam, officer)  # post_save issues it
    cert = Certificate.objects.get(officer=officer)
    assert cert.status == CertificateStatus.VALID and cert.granted_by_attempt == attempt
    assert cert.valid_until == issuing.add_years(cert.issued_on, 3)
    assert cert.changes.count() == 1
    # Re-running (a retry after a crash, the cron pass, another save) issues nothing more.
    issuing.on_attempt_marked(attempt)
    attempt.save()
    assert issuing.issue_pending() == 0
    assert IssueRequest.objects.filter(attempt=attempt).count() == 1
    assert Certificate.objects.count() == 1 and cert.changes.count() == 1


def test_a_pass_marked_by_queryset_update_is_caught_by_issue_pending(people):
    officer = people["officer"].officer
    attempt = make_attempt(make_exam(), officer, passed=None, status=AttemptStatus.SUBMITTED)
    Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.MARKED, passed=True)
    assert not Certificate.objects.exists()
    assert issuing.issue_pending() == 1
    assert Certificate.objects.filter(officer=officer).exists()
    assert issuing.issue_pending() == 0


def test_approval_mode_queues_the_certificate_until_an_organizer_approves(people, client_for):
    officer = people["officer"].officer
    exam = make_exam()
    QualificationSetting.objects.create(exam=exam, requires_approval=True, validity_years=2)
    attempt = make_attempt(exam, officer)
    request = IssueRequest.objects.get(attempt=attempt)
    assert request.status == RequestStatus.PENDING and not Certificate.objects.exists()

    client = client_for(people["organizer"])
    page = client.get(reverse("certificates:approvals")).content.decode()
    assert officer.name in page
    client.post(reverse("certificates:decide", args=[request.pk]),
                {"decision": "approve", "reason": "材料齐全"})
    request.refresh_from_db()
    cert = Certificate.objects.get(officer=officer)
    assert request.status == RequestStatus.APPROVED and request.decided_by == people["organizer"]
    assert cert.valid_until == issuing.add_years(cert.issued_on, 2)
    assert cert.changes.get().by == people["organizer"]
    # A second approval of the same request does nothing.
    assert issuing.approve(request.pk, people["organizer"]) is None
    assert cert.changes.count() == 1


def test_approval_queue_is_for_organizers_only(people, client_for):
    assert client_for(people["officer"]).get(
        reverse("certificates:approvals")).status_code == 403


def test_a_fail_leaves_the_officer_uncertified_with_the_resit_path(people, client_for, org):
    officer = people["officer"].officer
    exam = make_exam()
    make_attempt(exam, officer, passed=False)
    resit = make_exam()  # another qualification exam, open now: the resit
    resit.eligible_units.add(org.east)
    coming = make_exam(opens_at=timezone.now() + dt.timedelta(days=10))
    coming.eligible_officers.add(officer)
    elsewhere = make_exam()
    elsewhere.eligible_units.add(org.west)
    assert not Certificate.objects.exists() and not IssueRequest.objects.exists()
    page = client_for(people["officer"]).get(reverse("certificates:mine")).content.decode()
    assert exam.title in page and 'id="resit"' in page
    resits = page.split('id="resit"')[1].split("</section>")[0]
    assert reverse("exams:exam_start", args=[resit.pk]) in resits
    assert reverse("exams:exam_start", args=[coming.pk]) in resits
    opens = timezone.localtime(coming.opens_at).strftime("%Y-%m-%d %H:%M")
    assert opens in resits  # not open yet: its opening is given
    assert elsewhere.title not in resits  # not theirs to sit


def test_a_monthly_exam_pass_issues_nothing(people):
    make_attempt(make_exam(kind=ExamKind.MONTHLY), people["officer"].officer)
    assert not Certificate.objects.exists()


def test_renewal_by_exam_extends_from_the_old_end_date(people):
    officer = people["officer"].officer
    today = dt.date.today()
    first = issuing.grant(officer, today=today - dt.timedelta(days=3 * 365 - 20))
    old_until = first.valid_until
    make_attempt(make_exam(), officer)
    cert = Certificate.objects.get(officer=officer)
    assert cert.number == first.number
    assert cert.valid_until == issuing.add_years(old_until, 3)
    assert list(cert.changes.values_list("action", flat=True)) == ["renewed", "issued"]


def test_a_second_pass_long_before_expiry_does_not_stack_two_terms(people):
    officer = people["officer"].officer
    first = issuing.grant(officer)  # three years from today
    make_attempt(make_exam(), officer)
    cert = Certificate.objects.get(officer=officer)
    assert cert.valid_until == first.valid_until == issuing.add_years(dt.date.today(), 3)


def test_a_pass_does_not_lift_a_suspension(people):
    officer = people["officer"].officer
    cert = issuing.grant(officer)
    issuing.change_status(cert, CertificateStatus.SUSPENDED, people["organizer"], "停职调查")
    attempt = make_attempt(make_exam(), officer)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    request = IssueRequest.objects.get(attempt=attempt)
    assert request.status == RequestStatus.PENDING  # an organizer decides
    issuing.approve(request.pk, people["organizer"], "调查结束，考试合格")
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID


def re_mark(attempt, passed):
    """What sitting.finalize does when a changed mark moves the attempt across the line."""
    was_passed = attempt.passed
    Attempt.objects.filter(pk=attempt.pk).update(passed=passed)
    attempt.passed = passed
    issuing.on_attempt_marked(attempt, was_passed=was_passed)


def test_an_attempt_re_marked_below_the_pass_mark_withdraws_what_it_earned(people):
    officer = people["officer"].officer
    attempt = make_attempt(make_exam(), officer)
    cert = Certificate.objects.get(officer=officer)
    re_mark(attempt, False)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    change = cert.changes.first()
    assert change.action == "suspended" and change.by is None and change.reason
    # The organizer looks into it and reinstates; another re-marking that changes nothing
    # does not suspend it again.
    issuing.change_status(cert, CertificateStatus.VALID, people["organizer"], "已核实")
    re_mark(attempt, False)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID


def test_a_pending_request_withdrawn_by_re_marking_comes_back_with_the_pass(people):
    other = people["manager"].officer
    exam = make_exam()
    QualificationSetting.objects.create(exam=exam, requires_approval=True)
    attempt = make_attempt(exam, other)
    re_mark(attempt, False)  # a mistyped mark
    request = IssueRequest.objects.get(attempt=attempt)
    assert request.status == RequestStatus.REJECTED and request.decided_by is None
    assert not Certificate.objects.filter(officer=other).exists()
    re_mark(attempt, True)  # corrected a minute later
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    issuing.reject(request.pk, people["organizer"], "材料不全")  # a person's rejection stays
    re_mark(attempt, False)
    re_mark(attempt, True)
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED and request.decided_by == people["organizer"]


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_unique_when_issuing_at_the_same_moment(org):
    """Threads with their own PostgreSQL connections meet at a barrier, then issue at once.

    One transactional test (not two): each flush of the test database costs seconds.
    """
    connection.close()
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def take():
        from django.db import connection as own, transaction
        try:
            barrier.wait(timeout=10)
            for _i in range(5):
                with transaction.atomic():
                    numbers.append(next_number(2030))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=take) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == [f"JZ2030{n:05d}" for n in range(1, 11)]

    # Two officers passing at the same moment get two distinct certificates.
    users = [org.person(f"p{i}", org.east1) for i in range(2)]
    exam = make_exam()
    attempts = [make_attempt(exam, u.officer, passed=None, status=AttemptStatus.SUBMITTED)
                for u in users]
    Attempt.objects.update(status=AttemptStatus.MARKED, passed=True)
    barrier = threading.Barrier(2)

    def issue(attempt_id):
        from django.db import connection as own
        try:
            attempt = Attempt.objects.select_related("exam", "officer").get(pk=attempt_id)
            barrier.wait(timeout=10)
            issuing.on_attempt_marked(attempt)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=issue, args=(a.pk,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == 2 and len(set(numbers)) == 2
