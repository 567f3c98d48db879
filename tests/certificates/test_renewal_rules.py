"""Renewal without exam: the study-hours rule with real study records, the monthly-exam rule
by exam eligibility, and the rules checked again when an organizer approves."""
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import issuing, renewal
from certificates.models import Certificate, CertificateStatus, IssueRequest, RequestStatus
from content.models import Attendance, StudyRecord
from exams.models import ExamKind, ExamStatus
from tests.content import factories as content_factories

from .factories import make_attempt, make_exam

TODAY = dt.date(2026, 11, 21)  # the rules look at 2025-11 … 2026-10


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


def cert_for(officer, until, status=CertificateStatus.VALID):
    cert = issuing.grant(officer, today=until - dt.timedelta(days=3 * 365))
    Certificate.objects.filter(pk=cert.pk).update(valid_until=until, status=status)
    cert.refresh_from_db()
    return cert


def monthly(year, month, units=(), officers=(), status=ExamStatus.PUBLISHED, period=True):
    """A monthly exam of (year, month) open to `units` (subtrees) and named `officers`."""
    exam = make_exam(kind=ExamKind.MONTHLY, period=f"{year}-{month:02d}" if period else "",
                     opens_at=aware(year, month, 20, 8))
    exam.eligible_units.set(units)
    exam.eligible_officers.set(officers)
    if status != ExamStatus.PUBLISHED:
        type(exam).objects.filter(pk=exam.pk).update(status=status)
    return exam


def rules(officer, today=TODAY):
    return {r.code: r for r in renewal.check(officer, today)}


# --- study hours ------------------------------------------------------------------------------

def test_the_hours_rule_passes_with_enough_real_study_hours_and_fails_just_below(
        people, org, settings):
    """0.5 h lesson (Mar) + 3 h training event (Jun) inside 2025-11 … 2026-10 = 3.5 h; a lesson
    done this month (Nov) and one before the window do not count."""
    officer = people["officer"].officer
    cert_for(officer, TODAY + dt.timedelta(days=40))
    shelf = content_factories.shelf()
    _course, (l1, l2, l3) = content_factories.course_with_lessons(shelf, minutes=(30, 60, 120))
    event = content_factories.event(shelf, units=[org.corps], starts=aware(2026, 6, 10, 9))
    StudyRecord.objects.create(officer=officer, page=l1, completed_at=aware(2026, 3, 15, 10),
                               credited_hours=Decimal("0.50"))
    StudyRecord.objects.create(officer=officer, page=l2, completed_at=aware(2025, 10, 20, 10),
                               credited_hours=Decimal("1.00"))  # before the window
    StudyRecord.objects.create(officer=officer, page=l3, completed_at=aware(2026, 11, 5, 10),
                               credited_hours=Decimal("2.00"))  # this month: not yet counted
    Attendance.objects.create(event=event, officer=officer, hours=Decimal("3.0"))

    settings.CERTIFICATE_RENEWAL = {"min_hours": 3.5}
    hours = rules(officer)["hours"]
    assert hours.passed and "3.5" in hours.label and "3.50" in hours.detail
    assert renewal.eligible(renewal.check(officer, TODAY))

    settings.CERTIFICATE_RENEWAL = {"min_hours": "3.51"}
    hours = rules(officer)["hours"]
    assert not hours.passed and "3.50" in hours.detail
    assert renewal.request_renewal(officer, TODAY)[0] is None


# --- monthly exams by eligibility -------------------------------------------------------------

def test_only_the_monthly_exams_the_officer_was_eligible_for_count(people, org):
    officer = people["officer"].officer  # in east-1
    officer.hire_date = dt.date(2025, 12, 1)
    officer.save()
    cert_for(officer, TODAY + dt.timedelta(days=40))
    make_attempt(monthly(2025, 12, units=[org.corps]), officer)  # due (corps subtree), passed
    monthly(2026, 1, units=[org.west])  # another unit's exam: not due
    # 2026-02: no exam at all
    make_attempt(monthly(2026, 3, officers=[officer]), officer)  # named, passed
    monthly(2026, 4, units=[org.east], status=ExamStatus.CANCELLED)  # cancelled: not due
    monthly(2026, 5, units=[org.east], status=ExamStatus.DRAFT)  # never published: not due
    monthly(2025, 11, units=[org.corps])  # closed before the hire date: not due
    monthly(2026, 11, units=[org.corps])  # this month: outside the window
    result = rules(officer)["monthly"]
    assert result.passed, result.detail
    assert result.detail == _("All %(exams)s monthly tests you were due to sit in %(months)s "
                              "months were passed.") % {"exams": 2, "months": 2}
    assert renewal.eligible(renewal.check(officer, TODAY))


def test_an_eligible_monthly_exam_not_passed_fails_the_rule(people, org):
    officer = people["officer"].officer
    cert_for(officer, TODAY + dt.timedelta(days=40))
    make_attempt(monthly(2026, 5, units=[org.east]), officer)  # passed
    monthly(2026, 6, units=[org.corps])  # due, not sat
    make_attempt(monthly(2026, 7, officers=[officer]), officer, passed=False)  # due, failed
    make_attempt(monthly(2026, 8, units=[org.east]), officer)  # two exams due in August:
    monthly(2026, 8, units=[org.east1])  # … one passed, one not sat
    monthly(2026, 9, units=[org.corps], period=False)  # no period: its opening month counts
    monthly(2026, 10, units=[org.west])  # not due
    result = rules(officer)["monthly"]
    assert not result.passed
    assert "2026-06、2026-07、2026-08、2026-09" in result.detail
    assert "2026-05" not in result.detail and "2026-10" not in result.detail
    assert renewal.request_renewal(officer, TODAY)[0] is None


def test_no_monthly_exam_due_does_not_count_against(people, org):
    officer = people["officer"].officer
    cert_for(officer, TODAY + dt.timedelta(days=40))
    monthly(2026, 6, units=[org.west])
    result = rules(officer)["monthly"]
    assert result.passed
    assert result.detail == _("No monthly test was due for you in these months.")


# --- approval checks again ---------------------------------------------------------------------

def test_approval_checks_the_rules_again(people, org, client_for):
    today = timezone.localdate()
    officer = people["officer"].officer
    cert = cert_for(officer, today + dt.timedelta(days=40))
    months = renewal.last_months(today, 12)
    make_attempt(monthly(*months[0], units=[org.corps]), officer)
    request, results = renewal.request_renewal(officer)
    assert request is not None and renewal.eligible(results)

    # Meanwhile the officer fails last month's test.
    make_attempt(monthly(*months[-1], units=[org.corps]), officer, passed=False)
    with pytest.raises(issuing.RenewalNoLongerEligible) as refused:
        issuing.approve(request.pk, people["organizer"])
    assert [rule.code for rule in refused.value.failing] == ["monthly"]

    client = client_for(people["organizer"])
    response = client.post(reverse("certificates:decide", args=[request.pk]),
                           {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert officer.name in text and f"{months[-1][0]}-{months[-1][1]:02d}" in text
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert {r["code"]: r["passed"] for r in request.eligibility}["monthly"] is False
    cert.refresh_from_db()
    assert cert.valid_until == today + dt.timedelta(days=40) and cert.changes.count() == 1
    page = client.get(reverse("certificates:approvals")).content.decode()
    assert "✗" in page  # the queue shows the failing rule

    client.post(reverse("certificates:decide", args=[request.pk]),
                {"decision": "reject", "reason": "月考不合格"})
    assert IssueRequest.objects.get(pk=request.pk).status == RequestStatus.REJECTED


def test_approval_refused_once_the_certificate_is_suspended(people, org):
    officer = people["officer"].officer
    cert = cert_for(officer, TODAY + dt.timedelta(days=40))
    request, _results = renewal.request_renewal(officer, TODAY)
    issuing.change_status(cert, CertificateStatus.SUSPENDED, people["organizer"], "调查中")
    with pytest.raises(issuing.RenewalNoLongerEligible) as refused:
        issuing.approve(request.pk, people["organizer"], today=TODAY)
    assert [rule.code for rule in refused.value.failing] == ["certificate"]
    assert IssueRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING


def test_a_stored_check_reads_in_the_language_of_whoever_looks(org, people, client_for):
    from django.utils import translation

    today = timezone.localdate()
    officer = people["officer"].officer
    cert_for(officer, today + dt.timedelta(days=40))
    with translation.override("en"):  # the officer asked with the English interface
        request, results = renewal.request_renewal(officer)
    assert request is not None
    assert request.eligibility[0]["label"]["msgid"] == "Certificate expires within %(days)s days"
    page = client_for(people["organizer"]).get(reverse("certificates:approvals")).content.decode()
    assert "证书在90天内到期" in page
    assert "Certificate expires within" not in page
    client = client_for(people["organizer"])
    client.cookies["django_language"] = "en"
    english = client.get(reverse("certificates:approvals")).content.decode()
    assert "Certificate expires within 90 days" in english
    # A check stored before messages were kept untranslated is shown as it was stored.
    IssueRequest.objects.filter(pk=request.pk).update(eligibility=[
        {"code": "monthly", "label": "旧的规则文字", "passed": True, "detail": "旧的说明"}])
    assert "旧的规则文字" in client_for(people["organizer"]).get(
        reverse("certificates:approvals")).content.decode()
