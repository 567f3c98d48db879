"""
Coverage of a study requirement per unit subtree: of the officers a requirement applies
to, how many met it. One query for any number of units; the managers' dashboard reads it.

- Annual requirement: every active officer in the subtree; met when the hours earned
  within `period` reach the requirement.
- Induction requirement: the officers hired within `period` (the intake); met when the
  hours earned within `within_days` of their own hire date reach the requirement.
"""
from django.db.models import Case, F, FloatField, IntegerField, OuterRef, Subquery, Value, When

from people.models import Officer

from .hours import with_hours, with_induction_hours
from .models import RequirementKind


class SubqueryCount(Subquery):
    """Count the rows of a subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def officers_concerned(requirement, period):
    """Return the officers `requirement` applies to in `period`, annotated with study_hours."""
    officers = Officer.objects.active()
    if requirement.kind == RequirementKind.INDUCTION:
        officers = officers.filter(hire_date__gte=period.start, hire_date__lt=period.end)
        return with_induction_hours(officers, requirement.within_days or 90)
    return with_hours(officers, period)


def coverage(units_queryset, requirement, period):
    """Return `units_queryset` annotated with officer_count, met_count and percent (or None).

    Each unit counts the officers of its whole subtree.
    """
    concerned = officers_concerned(requirement, period)
    in_subtree = concerned.filter(unit__path__startswith=OuterRef("path"))
    return units_queryset.annotate(
        officer_count=SubqueryCount(in_subtree.values("pk")),
        met_count=SubqueryCount(in_subtree.filter(study_hours__gte=requirement.hours)
                                .values("pk")),
    ).annotate(percent=Case(
        When(officer_count=0, then=Value(None)),
        default=F("met_count") * 100.0 / F("officer_count"),
        output_field=FloatField(),
    ))
