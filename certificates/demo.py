"""Demo certificates: the demo officers hold certificates in every state, plus one pending
renewal without exam (idempotent: officers who already hold one are left alone).

Each certificate's history reads as if it had happened: the "issued" entry is dated on the
issue date, and the later changes the daily job or an organizer would have written (marked
as expiring, expired, revoked) are dated when they would have happened. The pending renewal
without exam is asked for through the real rule check (renewal.request_renewal) by an officer
who meets every rule, so the approvals page shows rules that were really evaluated.
"""
import datetime as dt

from django.utils import timezone

from people.models import Officer

from . import issuing, renewal
from .models import (Certificate, CertificateChange, CertificateStatus, ChangeAction,
                     IssueRequest, RequestKind)

# (days until expiry, stored status) cycled over the demo officers.
PATTERN = [(700, CertificateStatus.VALID)] * 6 + [
    (12, CertificateStatus.EXPIRING), (25, CertificateStatus.EXPIRING),
    (-20, CertificateStatus.EXPIRED), (400, CertificateStatus.REVOKED),
    (60, CertificateStatus.VALID), (80, CertificateStatus.VALID)]
EXPIRING_DAYS = 30  # the daily job marks a certificate this many days before its end
REVOKED_REASON = "演示数据：违法执法被撤销执法资格"


def _at(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _history(cert, status, today):
    """Date the issue entry on the issue date and add the changes leading to `status`."""
    cert.changes.filter(action=ChangeAction.ISSUED).update(at=_at(cert.issued_on))
    until = cert.valid_until
    entries = []
    if status in (CertificateStatus.EXPIRING, CertificateStatus.EXPIRED):
        entries.append((ChangeAction.EXPIRING, CertificateStatus.VALID,
                        CertificateStatus.EXPIRING,
                        max(cert.issued_on, until - dt.timedelta(days=EXPIRING_DAYS)), ""))
    if status == CertificateStatus.EXPIRED:
        entries.append((ChangeAction.EXPIRED, CertificateStatus.EXPIRING,
                        CertificateStatus.EXPIRED, until + dt.timedelta(days=1), ""))
    if status == CertificateStatus.REVOKED:
        entries.append((ChangeAction.REVOKED, CertificateStatus.VALID, CertificateStatus.REVOKED,
                        min(today, cert.issued_on + dt.timedelta(days=500)), REVOKED_REASON))
    CertificateChange.objects.bulk_create([
        CertificateChange(certificate=cert, action=action, at=_at(day, 1), reason=reason,
                          old_status=old, new_status=new, old_valid_until=until,
                          new_valid_until=until)
        for action, old, new, day, reason in entries])


def _renewal_candidates(today):
    """Demo officers with an in-force certificate, those due for renewal first, the demo
    account "officer" first among them."""
    config = renewal.rules_config()
    certs = (Certificate.objects.filter(officer__unit__code__startswith="JZ",
                                        status__in=[CertificateStatus.VALID,
                                                    CertificateStatus.EXPIRING],
                                        valid_until__gte=today)
             .select_related("officer", "officer__user", "officer__unit"))
    window = today + dt.timedelta(days=config["window_days"])
    return sorted(certs, key=lambda c: (c.valid_until > window,
                                        c.officer.user.username != "officer", c.valid_until))


def seed_pending_renewal(today=None):
    """Ask for a renewal without exam for the first demo officer who meets every rule; return
    how many requests were made (0 or 1).

    If no officer whose certificate is due meets the other rules, the first officer who meets
    every rule but the due date gets a certificate ending within the window (demo dates are
    made up anyway) and asks then.
    """
    today = today or timezone.localdate()
    if IssueRequest.objects.filter(kind=RequestKind.NO_EXAM).exists():
        return 0
    for cert in _renewal_candidates(today):
        results = renewal.check(cert.officer, today)
        if not renewal.eligible(results):
            others = [r for r in results if r.code != "certificate"]
            if not renewal.eligible(others):
                continue
            until = today + dt.timedelta(days=25)
            Certificate.objects.filter(pk=cert.pk).update(valid_until=until,
                                                          status=CertificateStatus.EXPIRING)
        request, _results = renewal.request_renewal(cert.officer, today)
        if request is not None:
            return 1
    return 0


def seed():
    """Give demo officers certificates in every state; return a summary."""
    today = timezone.localdate()
    officers = list(Officer.objects.filter(unit__code__startswith="JZ", certificate__isnull=True)
                    .order_by("badge_number"))
    made = 0
    for index, officer in enumerate(officers):
        if officer.user.username == "officer":
            days, status = 20, CertificateStatus.EXPIRING
        else:
            days, status = PATTERN[index % len(PATTERN)]
        until = today + dt.timedelta(days=days)
        cert = issuing.grant(officer, today=issuing.add_years(until, -3),
                             decision="演示数据")
        Certificate.objects.filter(pk=cert.pk).update(valid_until=until, status=status)
        cert.valid_until = until
        _history(cert, status, today)
        made += 1
    pending = seed_pending_renewal(today)
    return f"{made} certificates, {pending} pending renewal without exam"
