from django import forms
from django.utils.translation import gettext_lazy as _

from people.forms import RosterUploadForm


class CertificateUploadForm(RosterUploadForm):
    file = forms.FileField(label=_("Certificate file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
