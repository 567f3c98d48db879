"""The daily pass over certificates: mark the ones expiring soon and the expired ones."""
from django.db import transaction
from django.utils import timezone

from .models import Certificate, CertificateChange, CertificateStatus, ChangeAction

ACTIONS = {CertificateStatus.EXPIRING: ChangeAction.EXPIRING,
           CertificateStatus.EXPIRED: ChangeAction.EXPIRED,
           CertificateStatus.VALID: ChangeAction.REINSTATED}


def mark_expirations(today=None):
    """Bring every certificate's stored status in line with its dates; return the counts.

    Idempotent: a certificate already marked is left alone, so a second run changes nothing.
    """
    today = today or timezone.localdate()
    counts = {"expiring": 0, "expired": 0}
    candidates = Certificate.objects.filter(
        status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRING,
                    CertificateStatus.EXPIRED])
    for cert in candidates.iterator():
        wanted = cert.status_on(today)
        if wanted == cert.status:
            continue
        with transaction.atomic():
            changed = Certificate.objects.filter(pk=cert.pk, status=cert.status).update(
                status=wanted, updated_at=timezone.now())
            if changed:
                CertificateChange.objects.create(
                    certificate=cert, action=ACTIONS[wanted], old_status=cert.status,
                    new_status=wanted, old_valid_until=cert.valid_until,
                    new_valid_until=cert.valid_until)
                if wanted in counts:
                    counts[wanted] += 1
    return counts


def daily():
    """The daily job: issue certificates for passes not yet handled, then mark expirations."""
    from .issuing import issue_pending

    issued = issue_pending()
    return {"issued": issued, **mark_expirations()}
