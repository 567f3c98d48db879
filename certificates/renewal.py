"""
Renewal without exam 免考换证: the rules an officer must meet, each shown with its outcome.

Rules (settings.CERTIFICATE_RENEWAL overrides the defaults below):
1. the officer holds a certificate that is not suspended or revoked and that expires within
   `window_days` days (or has already expired);
2. every monthly law test of the last `months` complete months that the officer was eligible
   for was passed: each published monthly exam of those months (by the exam's period, else
   its opening date) that named the officer, or whose units include the officer's unit
   (the unit the officer is in now: past moves are not recorded), or that the officer sat,
   needs a marked, passed attempt. Months without such an exam do not count against the
   officer, nor do exams that closed before the officer's hire date or are still open;
3. at least `min_hours` study hours (content.hours) in the same months; 0 turns the rule off.

The rules are checked when the officer asks and again when an organizer approves.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from ops.i18n_text import join_list, local_date

from .models import (DECIDED, Certificate, CertificateStatus, IssueRequest, RequestKind,
                     RequestStatus)

DEFAULTS = {"months": 12, "min_hours": 0, "window_days": 90}


def rules_config():
    return {**DEFAULTS, **getattr(settings, "CERTIFICATE_RENEWAL", {})}


def message(msgid, **params):
    """A message kept as its English source and parameters, and translated when shown: a
    request's stored check reads in the language of whoever looks at it, not of whoever
    triggered the check. Parameters must be JSON values; `status` is a certificate status
    code (shown as its label), `date` an ISO date (shown as the language writes dates), and
    a list is shown joined as the language joins lists ("、" or ", ")."""
    return {"msgid": msgid, "params": params}


def _shown_param(name, value):
    if isinstance(value, list):
        return join_list(value)
    if name == "status" and value in CertificateStatus.values:
        return CertificateStatus(value).label
    if name == "date":
        return local_date(value)
    if name == "months" and isinstance(value, str) and "、" in value:
        # Stored before lists were kept as lists: "2025-12、2026-06".
        return join_list(value.split("、"))
    return value


def shown(value):
    """The text of a `message` in the active language (a plain string is shown as stored:
    checks stored before messages were kept untranslated)."""
    if not isinstance(value, dict):
        return value or ""
    params = {name: _shown_param(name, param)
              for name, param in (value.get("params") or {}).items()}
    text = gettext(value["msgid"])
    return text % params if params else text


@dataclass(frozen=True)
class RuleResult:
    code: str
    label_message: dict
    passed: bool
    detail_message: dict

    @property
    def label(self):
        return shown(self.label_message)

    @property
    def detail(self):
        return shown(self.detail_message)

    def as_dict(self):
        return {"code": self.code, "label": self.label_message, "passed": self.passed,
                "detail": self.detail_message}


def shown_rules(stored):
    """A request's stored check (`IssueRequest.eligibility`) ready to show."""
    return [{"code": rule.get("code"), "passed": rule.get("passed"),
             "label": shown(rule.get("label")), "detail": shown(rule.get("detail"))}
            for rule in stored or ()]


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


def _month_of(exam):
    if exam.period:
        year, month = exam.period.split("-")
        return int(year), int(month)
    local = timezone.localtime(exam.opens_at)
    return local.year, local.month


def monthly_exams_due(officer, months, today):
    """Return {(year, month): [(exam, passed)]} of the monthly exams the officer had to pass.

    Only months holding such an exam appear; `passed` is True if the officer has a marked,
    passed attempt of that exam.
    """
    from exams.models import Attempt, AttemptStatus, Exam, ExamKind, ExamStatus

    keys = {f"{year}-{month:02d}" for year, month in months}
    start = dt.date(*months[0], 1)
    end = dt.date(today.year, today.month, 1)
    exams = list(Exam.objects.filter(kind=ExamKind.MONTHLY, status=ExamStatus.PUBLISHED)
                 .filter(Q(period__in=keys) | Q(period="", opens_at__date__gte=start,
                                                 opens_at__date__lt=end))
                 .order_by("opens_at"))
    if not exams:
        return {}
    ids = [exam.pk for exam in exams]
    unit_paths = {}
    for exam_id, path in (Exam.eligible_units.through.objects.filter(exam_id__in=ids)
                          .values_list("exam_id", "unit__path")):
        unit_paths.setdefault(exam_id, []).append(path)
    named = set(Exam.eligible_officers.through.objects.filter(exam_id__in=ids, officer=officer)
                .values_list("exam_id", flat=True))
    sat, passed = set(), set()
    for exam_id, status, ok in (Attempt.objects.filter(officer=officer, exam_id__in=ids)
                                .values_list("exam_id", "status", "passed")):
        sat.add(exam_id)
        if status == AttemptStatus.MARKED and ok is True:
            passed.add(exam_id)
    officer_path = officer.unit.path
    wanted = set(months)
    due = {}
    for exam in exams:
        month = _month_of(exam)
        if month not in wanted:
            continue
        eligible = (exam.pk in sat or exam.pk in named
                    or any(officer_path.startswith(path) for path in unit_paths.get(exam.pk, ())))
        if not eligible:
            continue
        if exam.pk not in passed:
            closes = timezone.localtime(exam.closes_at).date()
            if closes >= today:
                continue  # still open: the officer may yet sit it
            if officer.hire_date and closes < officer.hire_date:
                continue  # over before the officer joined
        due.setdefault(month, []).append((exam, exam.pk in passed))
    return due


def check(officer, today=None):
    """Return the list of RuleResult for the officer's renewal without exam."""
    from content.hours import Period, officer_hours

    config = rules_config()
    today = today or timezone.localdate()
    results = []

    cert = Certificate.objects.filter(officer=officer).first()
    window = config["window_days"]
    if cert is None:
        results.append(RuleResult("certificate", message(_("Holds a certificate")), False,
                                  message(_("No certificate: take the qualification exam."))))
    elif cert.status in DECIDED:
        results.append(RuleResult("certificate", message(_("Holds a certificate")), False,
                                  message(_("The certificate is %(status)s."),
                                          status=cert.status)))
    else:
        due = cert.valid_until <= today + dt.timedelta(days=window)
        results.append(RuleResult(
            "certificate", message(_("Certificate expires within %(days)s days"), days=window),
            due, message(_("Valid until %(date)s."),
                         date=cert.valid_until.isoformat())))  # formatted when shown

    months = last_months(today, config["months"])
    start = dt.date(*months[0], 1)
    exams_due = monthly_exams_due(officer, months, today)
    missing = [f"{y}-{m:02d}" for y, m in months
               if any(not passed for _exam, passed in exams_due.get((y, m), ()))]
    label = message(_("Passed every monthly test of the last %(count)s months"),
                    count=config["months"])
    if missing:
        detail = message(_("Not passed: %(months)s."), months=missing)
    elif exams_due:
        detail = message(_("All %(exams)s monthly tests you were due to sit in %(months)s "
                           "months were passed."),
                         exams=sum(len(v) for v in exams_due.values()), months=len(exams_due))
    else:
        detail = message(_("No monthly test was due for you in these months."))
    results.append(RuleResult("monthly", label, not missing, detail))

    min_hours = Decimal(str(config["min_hours"]))
    end = dt.date(today.year, today.month, 1)
    if min_hours > 0:
        hours = officer_hours(officer, Period(start, end))
        results.append(RuleResult(
            "hours", message(_("At least %(hours)s study hours"), hours=str(min_hours)),
            hours >= min_hours, message(_("%(hours)s hours studied."), hours=str(hours))))
    else:
        results.append(RuleResult("hours", message(_("Study hours")), True,
                                  message(_("No minimum is required."))))
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
