"""
Issuing and renewing certificates: on a passed qualification exam, on an organizer's
approval, on a renewal without exam.

`on_attempt_marked(attempt)` is idempotent: each attempt gets at most one IssueRequest
(a unique constraint), created in the same transaction as the certificate it issues, so a
crash leaves either both or neither. `issue_pending()` catches attempts marked through
queryset.update() (which sends no post_save), e.g. by exams.sitting.finalize.
"""
import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.roles import Role
from people.scopes import visible_officers

from .models import (Certificate, CertificateChange, CertificateStatus, ChangeAction,
                     IssueRequest, QualificationSetting, RequestKind, RequestStatus)
from .numbering import next_number

DEFAULT_VALIDITY_YEARS = 3
APPROVER_ROLES = (Role.ORGANIZER,)  # who decides on requests and certificates (in scope)


def add_years(day, years):
    """Return `day` moved `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def setting_for(exam):
    """Return the exam's qualification setting (an unsaved default if none was made)."""
    setting = QualificationSetting.objects.filter(exam=exam).first()
    return setting or QualificationSetting(exam=exam, requires_approval=False,
                                           validity_years=DEFAULT_VALIDITY_YEARS)


def is_qualifying_pass(attempt):
    from exams.models import AttemptStatus, ExamKind

    return (attempt.status == AttemptStatus.MARKED and attempt.passed is True
            and attempt.exam.kind == ExamKind.QUALIFICATION)


@transaction.atomic
def grant(officer, *, years=DEFAULT_VALIDITY_YEARS, attempt=None, by=None, decision="",
          action=None, today=None):
    """Issue the officer's certificate, or renew it in place; return the certificate."""
    today = today or timezone.localdate()
    cert = Certificate.objects.select_for_update().filter(officer=officer).first()
    if cert is None or cert.status == CertificateStatus.REVOKED:
        # A first certificate, or a new one after revocation: a new number and token.
        old_status = cert.status if cert else ""
        old_until = cert.valid_until if cert else None
        if cert is None:
            cert = Certificate(officer=officer)
        else:
            from .models import new_token
            cert.token = new_token()
        cert.number = next_number(today.year)
        cert.issued_on = today
        cert.valid_until = add_years(today, years)
        action = action or ChangeAction.ISSUED
    else:
        old_status, old_until = cert.status, cert.valid_until
        cert.issued_on = today
        window = dt.timedelta(days=settings.CERTIFICATE_RENEWAL["window_days"])
        if cert.valid_until - today <= window:
            # A renewal in the renewal window (or after expiry) continues from the old end
            # date, so nobody loses days.
            cert.valid_until = add_years(max(today, cert.valid_until), years)
        else:
            # Long before expiry (a second pass, say): a term from today, never shorter
            # than the one held — passing twice does not stack two terms.
            cert.valid_until = max(cert.valid_until, add_years(today, years))
        action = action or ChangeAction.RENEWED
    cert.status = CertificateStatus.VALID
    cert.status = cert.status_on(today)
    cert.granted_by_attempt = attempt
    cert.granted_by_decision = decision[:200]
    cert.save()
    CertificateChange.objects.create(
        certificate=cert, action=action, by=by, reason=decision[:300], attempt=attempt,
        old_status=old_status, new_status=cert.status, old_valid_until=old_until,
        new_valid_until=cert.valid_until)
    return cert


def on_attempt_marked(attempt, was_passed=None):
    """Issue (or queue for approval) the certificate an attempt earned; return its request.

    Does nothing (returns None) unless the attempt is a marked pass of a qualification exam
    — except that an attempt re-marked from a pass (`was_passed`) to below the pass mark
    withdraws what it earned (`_no_longer_passed`), and a pass again after that puts its
    request back in the queue. A suspended certificate is never lifted by a pass: the
    request waits for an organizer's decision. Safe to call any number of times for the
    same attempt.
    """
    if not is_qualifying_pass(attempt):
        if was_passed is True:
            _no_longer_passed(attempt)
        return None
    existing = IssueRequest.objects.filter(attempt=attempt).first()
    if existing is not None and not _withdrawn_by_re_marking(existing):
        return existing
    setting = setting_for(attempt.exam)
    suspended = Certificate.objects.filter(officer_id=attempt.officer_id,
                                           status=CertificateStatus.SUSPENDED).exists()
    try:
        with transaction.atomic():
            if existing is None:
                request = IssueRequest.objects.create(
                    officer=attempt.officer, kind=RequestKind.EXAM, attempt=attempt)
            else:  # passing again after a re-marking had rejected it: queued once more
                request = existing
                request.status, request.decided_at, request.reason = (
                    RequestStatus.PENDING, None, "")
                request.save(update_fields=["status", "decided_at", "reason"])
            if not setting.requires_approval and not suspended:
                _approve(request, by=None, reason="", years=setting.validity_years)
    except IntegrityError:
        # Another process handled this attempt at the same moment.
        return IssueRequest.objects.filter(attempt=attempt).first()
    return request


def _withdrawn_by_re_marking(request):
    """A request rejected by nobody: `_no_longer_passed` did it (people always sign theirs)."""
    return request.status == RequestStatus.REJECTED and request.decided_by_id is None


def _no_longer_passed(attempt):
    """An attempt re-marked below the pass mark (a changed mark, a re-mark of the exam):
    its pending request is rejected, and a certificate it granted is suspended for an
    organizer to decide on, both with the reason on the record."""
    from exams.models import AttemptStatus, ExamKind

    if (attempt.status != AttemptStatus.MARKED or attempt.passed is not False
            or attempt.exam.kind != ExamKind.QUALIFICATION):
        return
    request = IssueRequest.objects.filter(attempt=attempt).first()
    if request is None:
        return
    reason = _("The exam attempt no longer passes after re-marking.")
    if request.status == RequestStatus.PENDING:
        reject(request.pk, None, reason)
        return
    with transaction.atomic():
        cert = (Certificate.objects.select_for_update()
                .filter(officer_id=attempt.officer_id, granted_by_attempt=attempt).first())
        if cert is not None and CertificateStatus.SUSPENDED in allowed_decisions(cert):
            change_status(cert, CertificateStatus.SUSPENDED, None, reason)


def attempt_saved(sender, instance, **kwargs):
    """post_save receiver for exams.Attempt."""
    if instance.status == "marked" and instance.passed is not None:
        on_attempt_marked(instance)


def issue_pending():
    """Handle every passed qualification attempt that has no request yet; return how many."""
    from exams.models import Attempt, AttemptStatus, ExamKind

    attempts = (Attempt.objects.select_related("exam", "officer")
                .filter(status=AttemptStatus.MARKED, passed=True,
                        exam__kind=ExamKind.QUALIFICATION, certificate_request__isnull=True))
    count = 0
    for attempt in attempts.iterator():
        if on_attempt_marked(attempt) is not None:
            count += 1
    return count


def _approve(request, *, by, reason, years=None):
    if request.kind == RequestKind.EXAM:
        setting = setting_for(request.attempt.exam)
        years = years or setting.validity_years
        decision = reason or f"{request.attempt.exam}"
        action = None
    else:
        years = years or DEFAULT_VALIDITY_YEARS
        decision = reason or "免考换证"
        action = ChangeAction.RENEWED_NO_EXAM
    grant(request.officer, years=years, attempt=request.attempt, by=by, decision=decision,
          action=action)
    request.status = RequestStatus.APPROVED
    request.decided_by = by
    request.decided_at = timezone.now() if by else None
    request.reason = reason[:300]
    request.save(update_fields=["status", "decided_by", "decided_at", "reason"])


class RenewalNoLongerEligible(Exception):
    """A renewal without exam whose rules no longer hold when an organizer approves it.

    `failing` holds the rules (renewal.RuleResult) that fail now; the request stays pending
    with the fresh check stored in its `eligibility`, so the queue shows why.
    """

    def __init__(self, request, failing):
        super().__init__("The renewal rules no longer hold.")
        self.request = request
        self.failing = failing


def awaiting_decision(user):
    """The pending requests `user` may decide on: of officers in their scope, not their own
    (another organizer decides those). The approvals queue and the dashboard's reminder."""
    return (IssueRequest.objects.filter(status=RequestStatus.PENDING,
                                        officer__in=visible_officers(user))
            .exclude(officer__user=user))


def approve(request_id, by, reason="", today=None):
    """Approve a pending request (issuing or renewing the certificate); return it or None.

    A renewal without exam is checked again against the rules first (the officer may have
    failed a monthly test or been suspended since asking): if a rule fails, nothing is
    issued and RenewalNoLongerEligible is raised.
    """
    from . import renewal

    with transaction.atomic():
        request = (IssueRequest.objects.select_for_update().select_related("officer")
                   .filter(pk=request_id, status=RequestStatus.PENDING).first())
        if request is None:
            return None
        failing = []
        if request.kind == RequestKind.NO_EXAM:
            results = renewal.check(request.officer, today)
            failing = [result for result in results if not result.passed]
            if failing:
                request.eligibility = [result.as_dict() for result in results]
                request.save(update_fields=["eligibility"])
        if not failing:
            _approve(request, by=by, reason=reason)
            request.decided_at = timezone.now()
            request.save(update_fields=["decided_at"])
    if failing:
        raise RenewalNoLongerEligible(request, failing)
    return request


@transaction.atomic
def reject(request_id, by, reason=""):
    """Reject a pending request; return it or None."""
    request = (IssueRequest.objects.select_for_update()
               .filter(pk=request_id, status=RequestStatus.PENDING).first())
    if request is None:
        return None
    request.status = RequestStatus.REJECTED
    request.decided_by, request.decided_at, request.reason = by, timezone.now(), reason[:300]
    request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return request


# The decisions an organizer may take on a certificate, by its stored status. Revocation is
# final: a revoked officer gets a new certificate (new number) only by being granted one.
STATUS_DECISIONS = {
    CertificateStatus.VALID: (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED),
    CertificateStatus.EXPIRING: (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED),
    CertificateStatus.EXPIRED: (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED),
    CertificateStatus.SUSPENDED: (CertificateStatus.VALID, CertificateStatus.REVOKED),
    CertificateStatus.REVOKED: (),
}


class StatusChangeRefused(ValueError):
    """A status change that the certificate's current status does not allow."""


def allowed_decisions(cert):
    """Return the statuses an organizer may move `cert` to (VALID means reinstate)."""
    return STATUS_DECISIONS[CertificateStatus(cert.status)]


@transaction.atomic
def change_status(cert, status, by, reason):
    """Suspend, reinstate or revoke a certificate, recording who and why; return it.

    Raise StatusChangeRefused if no reason is given or the current status does not allow
    the change (e.g. reinstating a certificate that is not suspended).
    """
    reason = (reason or "").strip()
    if not reason:
        raise StatusChangeRefused("A reason is required.")
    cert = Certificate.objects.select_for_update().get(pk=cert.pk)
    if status not in allowed_decisions(cert):
        raise StatusChangeRefused(f"{cert.status} → {status} is not allowed.")
    old = cert.status
    if status == CertificateStatus.VALID:
        action = ChangeAction.REINSTATED
        cert.status = CertificateStatus.VALID
        cert.status = cert.status_on()
    else:
        action = {CertificateStatus.SUSPENDED: ChangeAction.SUSPENDED,
                  CertificateStatus.REVOKED: ChangeAction.REVOKED}[status]
        cert.status = status
    cert.save(update_fields=["status", "updated_at"])
    CertificateChange.objects.create(certificate=cert, action=action, by=by, reason=reason[:300],
                                     old_status=old, new_status=cert.status,
                                     old_valid_until=cert.valid_until,
                                     new_valid_until=cert.valid_until)
    return cert
