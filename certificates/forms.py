from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.forms import RosterUploadForm

from .issuing import allowed_decisions


class CertificateUploadForm(RosterUploadForm):
    file = forms.FileField(label=_("Certificate file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class StatusDecision(models.TextChoices):
    SUSPEND = "suspended", _("Suspend")
    REINSTATE = "valid", _("Reinstate")
    REVOKE = "revoked", _("Revoke")


class StatusChangeForm(forms.Form):
    """An organizer's decision on a certificate: suspend, reinstate or revoke, with a reason."""

    decision = forms.ChoiceField(label=_("Decision"), choices=StatusDecision.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             widget=forms.TextInput(attrs={"size": 40}),
                             error_messages={"required": _("Give the reason for this decision.")})

    def __init__(self, *args, certificate, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(allowed_decisions(certificate))
        self.fields["decision"].choices = [(value, label) for value, label
                                           in StatusDecision.choices if value in allowed]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for this decision."))
        return reason
