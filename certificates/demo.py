"""Demo certificates: the demo officers hold certificates in every state, plus one pending
renewal without exam (idempotent: officers who already hold one are left alone)."""
import datetime as dt

from django.utils import timezone

from people.models import Officer

from . import issuing
from .models import Certificate, CertificateStatus, IssueRequest, RequestKind, RequestStatus

# (days until expiry, stored status) cycled over the demo officers.
PATTERN = [(700, CertificateStatus.VALID)] * 6 + [
    (12, CertificateStatus.EXPIRING), (25, CertificateStatus.EXPIRING),
    (-20, CertificateStatus.EXPIRED), (400, CertificateStatus.REVOKED),
    (60, CertificateStatus.VALID), (80, CertificateStatus.VALID)]


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
        made += 1
    pending = 0
    if not IssueRequest.objects.filter(kind=RequestKind.NO_EXAM).exists():
        cert = Certificate.objects.filter(status=CertificateStatus.EXPIRING).select_related(
            "officer").first()
        if cert:
            IssueRequest.objects.create(
                officer=cert.officer, kind=RequestKind.NO_EXAM, status=RequestStatus.PENDING,
                eligibility=[{"code": "demo", "label": "近12个月月考全部合格", "passed": True,
                              "detail": "演示数据"}])
            pending = 1
    return f"{made} certificates, {pending} pending renewal without exam"
