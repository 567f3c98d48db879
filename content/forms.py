from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import StudyIndexPage


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=50, required=False)


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.LIANBING_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class LawImportForm(forms.Form):
    shelf = forms.ModelChoiceField(label=_("Shelf"), queryset=StudyIndexPage.objects.none())
    file = forms.FileField(label=_("Law text (.txt or .md, UTF-8)"))
    short_title = forms.CharField(label=_("Short title"), max_length=60, required=False)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shelf"].queryset = StudyIndexPage.objects.order_by("path")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("A law's text is at most 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
