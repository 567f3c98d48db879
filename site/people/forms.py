from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import OfficerStatus, Unit


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("“%(name)s” is not an .xlsx file. Download the template, fill it in and "
                  "upload it."), params={"name": upload.name})
        if upload.size > settings.LIANBING_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Name or badge number")}))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("All units in my scope"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + OfficerStatus.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = (
            lambda unit: "\u3000" * (unit.depth - 1) + unit.name)
