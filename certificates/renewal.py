"""
Renewal without exam 免考换证: the rules an officer must meet, each shown with its outcome.

Rules (settings.CERTIFICATE_RENEWAL overrides the defaults below):
1. the officer holds a certificate that is not suspended or revoked and that expires within
   `window_days` days (or has already expired);
2. every monthly law test of the last `months` complete months was passed. The platform
   does not keep which monthly exams an officer was eligible for after the fact, so this
   is approximated: each of those months must have a passed, marked attempt of a monthly
   exam (by the exam's period, else its opening date); a month with no passed attempt
   counts as not passed;
3. at least `min_hours` study hours (content.hours) in the same months; 0 turns the rule off.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DECIDED, Certificate, IssueRequest, RequestKind, RequestStatus

DEFAULTS = {"months": 12, "min_hours": 0, "window_days": 90}


def rules_config():
    return {**DEFAULTS, **getattr(settings, "CERTIFICATE_RENEWAL", {})}


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    passed: bool
    detail: str

    def as_dict(self):
        return {"code": self.code, "label": self.label, "passed": self.passed,
                "detail": self.detail}


def last_months(today, count):
    """Return the `count` complete months before `today`'s month as (year, month), oldest first."""
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append((year, month))
    return list(reversed(months))


def _monthly_passes(officer, start):
    from exams.models import Attempt, AttemptStatus, ExamKind

    passed = set()
    attempts = (Attempt.objects.filter(officer=officer, exam__kind=ExamKind.MONTHLY,
                                       status=AttemptStatus.MARKED, passed=True,
                                       exam__opens_at__date__gte=start - dt.timedelta(days=31))
                .values_list("exam__period", "exam__opens_at"))
    for period, opens_at in attempts:
        if period:
            year, month = period.split("-")
            passed.add((int(year), int(month)))
        else:
            local = timezone.localtime(opens_at)
            passed.add((local.year, local.month))
    return passed


def check(officer, today=None):
    """Return the list of RuleResult for the officer's renewal without exam."""
    from content.hours import Period, officer_hours

    config = rules_config()
    today = today or timezone.localdate()
    results = []

    cert = Certificate.objects.filter(officer=officer).first()
    window = config["window_days"]
    if cert is None:
        results.append(RuleResult("certificate", _("Holds a certificate"), False,
                                  _("No certificate: take the qualification exam.")))
    elif cert.status in DECIDED:
        results.append(RuleResult("certificate", _("Holds a certificate"), False,
                                  _("The certificate is %(status)s.") % {
                                      "status": cert.get_status_display()}))
    else:
        due = cert.valid_until <= today + dt.timedelta(days=window)
        results.append(RuleResult(
            "certificate", _("Certificate expires within %(days)s days") % {"days": window},
            due, _("Valid until %(date)s.") % {"date": cert.valid_until.isoformat()}))

    months = last_months(today, config["months"])
    start = dt.date(*months[0], 1)
    passes = _monthly_passes(officer, start)
    missing = [f"{y}-{m:02d}" for y, m in months if (y, m) not in passes]
    label = _("Passed every monthly test of the last %(count)s months") % {
        "count": config["months"]}
    if missing:
        detail = _("Not passed: %(months)s.") % {"months": "、".join(missing)}
    else:
        detail = _("All %(count)s months passed.") % {"count": config["months"]}
    results.append(RuleResult("monthly", label, not missing, detail))

    min_hours = Decimal(str(config["min_hours"]))
    end = dt.date(today.year, today.month, 1)
    if min_hours > 0:
        hours = officer_hours(officer, Period(start, end))
        results.append(RuleResult(
            "hours", _("At least %(hours)s study hours") % {"hours": min_hours},
            hours >= min_hours, _("%(hours)s hours studied.") % {"hours": hours}))
    else:
        results.append(RuleResult("hours", _("Study hours"), True,
                                  _("No minimum is required.")))
    return results


def eligible(results):
    return all(result.passed for result in results)


def request_renewal(officer, today=None):
    """Queue a renewal without exam for approval; return (request, results).

    The request is None when a rule fails; an officer has at most one pending request.
    """
    results = check(officer, today)
    if not eligible(results):
        return None, results
    pending = IssueRequest.objects.filter(officer=officer, kind=RequestKind.NO_EXAM,
                                          status=RequestStatus.PENDING).first()
    if pending:
        return pending, results
    try:
        with transaction.atomic():
            request = IssueRequest.objects.create(
                officer=officer, kind=RequestKind.NO_EXAM,
                eligibility=[result.as_dict() for result in results])
    except IntegrityError:
        request = IssueRequest.objects.get(officer=officer, kind=RequestKind.NO_EXAM,
                                           status=RequestStatus.PENDING)
    return request, results
