"""Certificate rosters per unit subtree: certified, expiring within 30/60/90 days, expired."""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workbooks.writing import header_cells, new_write_only_workbook, text_cell

from .models import Certificate, CertificateStatus

IN_FORCE = [CertificateStatus.VALID, CertificateStatus.EXPIRING]
DATED = [CertificateStatus.VALID, CertificateStatus.EXPIRING, CertificateStatus.EXPIRED]
VIEWS = {
    "certified": gettext_lazy("Certified"),
    "expiring30": gettext_lazy("Expiring within 30 days"),
    "expiring60": gettext_lazy("Expiring within 60 days"),
    "expiring90": gettext_lazy("Expiring within 90 days"),
    "expired": gettext_lazy("Expired"),
    "all": gettext_lazy("All certificates"),
}


def certificates_in(unit, officers, show, today=None):
    """Return the certificates of `officers` (already scoped) under `unit` for the view `show`."""
    today = today or timezone.localdate()
    certs = (Certificate.objects.filter(officer__in=officers,
                                        officer__unit__path__startswith=unit.path)
             .select_related("officer", "officer__unit"))
    if show == "certified":
        return certs.filter(status__in=IN_FORCE, valid_until__gte=today)
    if show in ("expiring30", "expiring60", "expiring90"):
        days = int(show[-2:])
        return certs.filter(status__in=IN_FORCE, valid_until__gte=today,
                            valid_until__lte=today + dt.timedelta(days=days))
    if show == "expired":
        return certs.filter(status__in=DATED, valid_until__lt=today)
    return certs


def counts(unit, officers, today=None):
    return {key: certificates_in(unit, officers, key, today).count() for key in VIEWS}


def write_export(certs, fileobj):
    """Write the certificates to an .xlsx file (write-only)."""
    wb = new_write_only_workbook()
    ws = wb.create_sheet(_("Certificates"))
    ws.append(header_cells(ws, [_("Name"), _("Badge number"), _("Unit"),
                                _("Certificate number"), _("Issued on"), _("Valid until"),
                                _("Status")]))
    count = 0
    for cert in certs.order_by("officer__unit__path", "number").iterator(chunk_size=1000):
        count += 1
        ws.append([text_cell(ws, cert.officer.name), text_cell(ws, cert.officer.badge_number),
                   text_cell(ws, cert.officer.unit.label), text_cell(ws, cert.number),
                   cert.issued_on, cert.valid_until,
                   text_cell(ws, str(CertificateStatus(cert.status_on()).label))])
    wb.save(fileobj)
    return count
