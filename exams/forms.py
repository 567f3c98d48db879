from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


FORMAT_CHOICES = [
    ("", _("Guess from the file name")),
    ("xlsx", _("Excel (.xlsx, our template)")),
    ("moodlexml", _("Moodle XML")),
    ("gift", _("GIFT")),
    ("aiken", _("Aiken")),
]


class QuestionImportForm(forms.Form):
    file = forms.FileField(label=_("Question file"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, required=False)
    category = forms.CharField(
        label=_("Put under category"), required=False, max_length=300,
        help_text=_("Optional, e.g. 通用法律/行政处罚法; the file's own categories go below it."))

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > settings.LIANBING_MAX_UPLOAD_BYTES:
            self.add_error("file", _("The file is too large."))
        from . import formats

        fmt = cleaned.get("format") or formats.detect_format(upload.name)
        if not fmt:
            self.add_error("format", _("Cannot tell the format of “%(name)s”; choose it.")
                           % {"name": upload.name})
        cleaned["format"] = fmt
        return cleaned
