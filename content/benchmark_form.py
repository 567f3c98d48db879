"""The page editor's form for a discretion benchmark: its violation types and bands are
edited in place (nested inline panels), checked the same way as the Excel import."""
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


def _live_forms(formset):
    return [form for form in formset.forms
            if form.has_changed() or form.instance.pk
            if not (formset.can_delete and formset._should_delete_form(form))]


class BenchmarkPageForm(WagtailAdminPageForm):
    """Check each violation type: a unique code, citations that resolve, one row per band."""

    def clean(self):
        from .citations import LawTitles, resolve_all

        cleaned = super().clean()
        items = self.formsets.get("items")
        if items is None:
            return cleaned
        # The page form is cleaned before its child formsets: clean them first (Django
        # caches the result) so every row has its cleaned_data and DELETE flag.
        items.is_valid()
        titles = LawTitles()
        codes = {}
        for form in _live_forms(items):
            data = getattr(form, "cleaned_data", None) or {}
            # The formset's unique check drops a duplicate's code from cleaned_data: read
            # the value as sent so the error lands on the row that repeats it.
            code = (data.get("code") or form["code"].value() or "").strip()
            if code:
                if code in codes:
                    form.add_error("code", _("The code %(code)s is used twice.") % {"code": code})
                codes[code] = form
            basis = data.get("basis_text") or ""
            if basis:
                articles, missing = resolve_all(basis, titles)
                if not articles and not missing:
                    form.add_error("basis_text", _("No citation found; write e.g. "
                                                   "《行政处罚法》第三十二条."))
                for citation in missing:
                    form.add_error("basis_text", _("%(citation)s is not in the law library.")
                                   % {"citation": citation})
            bands = form.formsets.get("bands") if hasattr(form, "formsets") else None
            if bands is None:
                continue
            levels = set()
            for band in _live_forms(bands):
                level = ((getattr(band, "cleaned_data", None) or {}).get("level")
                         or band["level"].value())
                if level and level in levels:
                    band.add_error("level", _("This band is given twice for this violation."))
                levels.add(level)
        return cleaned
