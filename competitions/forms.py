"""Front-end forms: registration, outside participants, submissions, mark sheets."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.forms import RosterUploadForm
from people.models import Officer, Unit

from .models import Event


class OfficerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.badge_number}）· {obj.unit.name}"


class RegisterForm(forms.Form):
    officers = OfficerChoice(label=pgettext_lazy("contest registration", "Officers"), queryset=Officer.objects.none(),
                             widget=forms.CheckboxSelectMultiple)
    events = forms.ModelMultipleChoiceField(label=_("Events"), queryset=Event.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, officers, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        events = contest.events.order_by("sort_order", "pk")
        self.fields["events"].queryset = events
        self.fields["events"].initial = list(events)


class TeamForm(RegisterForm):
    name = forms.CharField(label=_("Team name"), max_length=100)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    field_order = ["name", "unit", "officers", "events"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class OfficerOne(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return OfficerChoice.label_from_instance(self, obj)


class ReplaceMemberForm(forms.Form):
    """Who takes a free place in a team (替补), and why."""

    officer = OfficerOne(label=_("Substitute"), queryset=Officer.objects.none())
    reason = forms.CharField(label=_("Reason for the replacement"), max_length=300)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = candidates


class OutsiderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    organisation = forms.CharField(label=pgettext_lazy("outside participant", "Organisation"), max_length=100)
    phone = forms.RegexField(label=_("Phone"), regex=r"^[0-9+\- ]{6,20}$", max_length=20,
                             error_messages={"invalid": _("Enter a valid phone number.")})


class SubmissionForm(forms.Form):
    text = forms.CharField(label=_("Your work"), required=False,
                           widget=forms.Textarea(attrs={"rows": 14}))
    file = forms.FileField(label=_("Upload a file"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.LIANBING_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class MarkSheetUploadForm(RosterUploadForm):
    file = forms.FileField(label=_("Filled-in mark sheet (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    submit_marks = forms.TypedChoiceField(
        label=_("Save the imported marks as"), coerce=lambda v: v == "1", initial="0",
        choices=[("0", _("Drafts (I will check and submit them on the site)")),
                 ("1", _("Submitted (locked)"))], widget=forms.RadioSelect)
