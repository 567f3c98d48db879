"""Certificate reminders for the personal dashboard: the officer's own certificate, a
manager's units (scope), and the certificates awaiting an approver's decision (scope)."""
import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ops.i18n_text import local_date
from people.roles import Role, has_role
from people.scopes import visible_officers

from .issuing import APPROVER_ROLES, awaiting_decision
from .models import EXPIRING_DAYS, Certificate, CertificateStatus


def reminders(user, today=None):
    """Return [{"level": "warn"|"bad", "text": str, "url": str}] for the user's dashboard."""
    today = today or timezone.localdate()
    items = []
    officer = getattr(user, "officer", None)
    if officer is not None:
        cert = Certificate.objects.filter(officer=officer).first()
        mine = reverse("certificates:mine")
        if cert is None:
            items.append({"level": "warn", "url": mine,
                          "text": _("You hold no enforcement qualification certificate yet.")})
        else:
            status = cert.status_on(today)
            if status == CertificateStatus.EXPIRING:
                items.append({"level": "warn", "url": mine, "text": _(
                    "Your qualification certificate expires on %(date)s: renew it.") % {
                        "date": local_date(cert.valid_until)}})
            elif status in (CertificateStatus.EXPIRED, CertificateStatus.SUSPENDED,
                            CertificateStatus.REVOKED):
                items.append({"level": "bad", "url": mine, "text": _(
                    "Your qualification certificate is %(status)s: you may not enforce "
                    "until it is valid again.") % {"status": CertificateStatus(status).label}})
    if has_role(user, Role.MANAGER):
        certs = Certificate.objects.filter(officer__in=visible_officers(user).active())
        expiring = certs.filter(
            status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRING],
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=EXPIRING_DAYS)).count()
        expired = certs.filter(
            status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRING,
                        CertificateStatus.EXPIRED], valid_until__lt=today).count()
        roster = reverse("certificates:roster")
        if expiring:
            items.append({"level": "warn", "url": roster + "?show=expiring30", "text": _(
                "%(count)s certificates in your units expire within 30 days.") % {
                    "count": expiring}})
        if expired:
            items.append({"level": "bad", "url": roster + "?show=expired", "text": _(
                "%(count)s officers in your units hold an expired certificate.") % {
                    "count": expired}})
    if has_role(user, *APPROVER_ROLES):
        pending = awaiting_decision(user).count()  # the queue at certificates:approvals
        if pending:
            items.append({"level": "warn", "url": reverse("certificates:approvals"),
                          "text": ngettext("%(count)s certificate awaits your approval.",
                                           "%(count)s certificates await your approval.",
                                           pending) % {"count": pending}})
    return items
