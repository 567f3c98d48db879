"""The case index's filters: domain, violation type, fine range, year, tag, and search."""
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import CasePage, Domain


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    violation = forms.ChoiceField(label=_("Violation type"), required=False)
    fine_min = forms.DecimalField(label=_("Fine from (yuan)"), required=False, min_value=0)
    fine_max = forms.DecimalField(label=_("Fine up to (yuan)"), required=False, min_value=0)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["domain"].choices = every + list(Domain.choices)
        self.fields["violation"].choices = every + [
            (v, v) for v in cases.order_by("violation_type")
            .values_list("violation_type", flat=True).distinct()]
        years = sorted({d.year for d in cases.values_list("decided_on", flat=True)}, reverse=True)
        self.fields["year"].choices = every + [(y, str(y)) for y in years]

    def apply(self, cases):
        """Return `cases` narrowed by the valid filters."""
        if not self.is_valid():
            return cases
        data = self.cleaned_data
        if data["q"].strip():
            term = data["q"].strip()
            cases = cases.filter(Q(title__icontains=term) | Q(plain_text__icontains=term))
        if data["domain"]:
            cases = cases.filter(domain=data["domain"])
        if data["violation"]:
            cases = cases.filter(violation_type=data["violation"])
        if data["fine_min"] is not None:
            cases = cases.filter(penalty_amount__gte=data["fine_min"])
        if data["fine_max"] is not None:
            cases = cases.filter(penalty_amount__lte=data["fine_max"])
        if data["year"]:
            cases = cases.filter(decided_on__year=data["year"])
        if data["tag"].strip():
            cases = cases.filter(tags__name=data["tag"].strip())
        return cases


def live_cases():
    return CasePage.objects.live()
