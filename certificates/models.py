"""Qualification certificates 执法资格证: the certificate, its history, issuing requests."""
import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EXPIRING_DAYS = 30


def new_token():
    return secrets.token_urlsafe(24)


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


# Statuses an organizer sets by decision; the dates never override them.
DECIDED = {CertificateStatus.SUSPENDED, CertificateStatus.REVOKED}
STATUS_BADGE = {
    CertificateStatus.VALID: "ok",
    CertificateStatus.EXPIRING: "warn",
    CertificateStatus.EXPIRED: "bad",
    CertificateStatus.SUSPENDED: "warn",
    CertificateStatus.REVOKED: "bad",
}


class NumberCounter(models.Model):
    """The last serial used for one prefix (region and year); locked while a number is taken."""

    prefix = models.CharField(max_length=40, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix}: {self.last}"


class QualificationSetting(models.Model):
    """How passing one qualification exam leads to a certificate."""

    exam = models.OneToOneField("exams.Exam", on_delete=models.CASCADE,
                                related_name="qualification_setting", verbose_name=_("exam"))
    requires_approval = models.BooleanField(
        _("an organizer approves each certificate"), default=False,
        help_text=_("If off, passing the exam issues the certificate at once."))
    validity_years = models.PositiveSmallIntegerField(_("validity (years)"), default=3)

    class Meta:
        verbose_name = _("qualification exam setting")
        verbose_name_plural = _("qualification exam settings")

    def __str__(self):
        return str(self.exam)


class Certificate(models.Model):
    """An officer's enforcement-qualification certificate (one per officer, renewed in place)."""

    officer = models.OneToOneField("people.Officer", on_delete=models.CASCADE,
                                   related_name="certificate", verbose_name=_("officer"))
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID)
    granted_by_attempt = models.ForeignKey(
        "exams.Attempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("granted by exam attempt"))
    granted_by_decision = models.CharField(_("granted by decision"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("qualification certificate")
        verbose_name_plural = _("qualification certificates")
        ordering = ["officer__unit__path", "number"]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("certificates:mine")

    def verification_url(self):
        """Return the public address the certificate's QR code opens."""
        path = reverse("certificates:verify", args=[self.token])
        return settings.SITE_URL.rstrip("/") + path

    def status_on(self, day=None):
        """Return the status the dates give on `day` (decisions such as revocation win)."""
        if self.status in DECIDED:
            return self.status
        day = day or timezone.localdate()
        if self.valid_until < day:
            return CertificateStatus.EXPIRED
        if self.valid_until <= day + dt.timedelta(days=EXPIRING_DAYS):
            return CertificateStatus.EXPIRING
        return CertificateStatus.VALID

    @property
    def current_status(self):
        return CertificateStatus(self.status_on())

    @property
    def badge_class(self):
        return STATUS_BADGE[self.current_status]

    @property
    def is_in_force(self):
        return self.current_status in (CertificateStatus.VALID, CertificateStatus.EXPIRING)


class ChangeAction(models.TextChoices):
    ISSUED = "issued", _("Issued")
    RENEWED = "renewed", _("Renewed by exam")
    RENEWED_NO_EXAM = "renewed_no_exam", _("Renewed without exam")
    EXPIRING = "expiring", _("Marked as expiring soon")
    EXPIRED = "expired", _("Marked as expired")
    SUSPENDED = "suspended", _("Suspended")
    REINSTATED = "reinstated", _("Reinstated")
    REVOKED = "revoked", _("Revoked")
    IMPORTED = "imported", _("Imported")


class CertificateChange(models.Model):
    """One entry of a certificate's history: what changed, who did it and why."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE,
                                    related_name="changes")
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    old_status = models.CharField(max_length=10, blank=True)
    new_status = models.CharField(max_length=10, blank=True)
    old_valid_until = models.DateField(null=True, blank=True)
    new_valid_until = models.DateField(null=True, blank=True)
    attempt = models.ForeignKey("exams.Attempt", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("certificate change")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.certificate} · {self.get_action_display()}"

    @property
    def old_status_label(self):
        return _status_label(self.old_status)

    @property
    def new_status_label(self):
        return _status_label(self.new_status)


def _status_label(value):
    return CertificateStatus(value).label if value in CertificateStatus.values else value


class RequestKind(models.TextChoices):
    EXAM = "exam", _("Passed the qualification exam")
    NO_EXAM = "no_exam", _("Renewal without exam")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class IssueRequest(models.Model):
    """A certificate to issue or renew: from a passed exam, or a renewal without exam."""

    officer = models.ForeignKey("people.Officer", on_delete=models.CASCADE,
                                related_name="certificate_requests", verbose_name=_("officer"))
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    # One request per attempt: this is what makes issuing on a pass idempotent.
    attempt = models.OneToOneField("exams.Attempt", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="certificate_request",
                                   verbose_name=_("exam attempt"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    eligibility = models.JSONField(_("eligibility checked"), default=list, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate request")
        verbose_name_plural = _("certificate requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["officer"], name="one_pending_no_exam_renewal",
                                    condition=models.Q(kind="no_exam", status="pending")),
        ]

    def __str__(self):
        return f"{self.officer} · {self.get_kind_display()}"

    @property
    def eligibility_shown(self):
        """The stored check, each rule's label and detail in the active language."""
        from .renewal import shown_rules

        return shown_rules(self.eligibility)
