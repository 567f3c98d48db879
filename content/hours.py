"""
Study hours per officer and period: completed lessons (their credited hours, on the day
they were completed) plus training events attended (their hours, on the event's day).
Sums are computed in the database, as subqueries annotated onto officer querysets.
"""
import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DateField, DecimalField, ExpressionWrapper, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

ZERO = Decimal("0")


@dataclass(frozen=True)
class Period:
    """A span of days, start included and end excluded."""

    start: dt.date
    end: dt.date
    label: str = ""

    @classmethod
    def year(cls, year):
        label = format_lazy(pgettext_lazy("study period", "{year}"), year=year)
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), label)

    @classmethod
    def quarter(cls, year, quarter):
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        label = format_lazy(pgettext_lazy("study period", "Q{quarter} {year}"),
                            year=year, quarter=quarter)
        return cls(start, end, label)

    @classmethod
    def month(cls, year, month):
        days = calendar.monthrange(year, month)[1]
        label = format_lazy(pgettext_lazy("study period", "{month}/{year}"), year=year, month=month)
        return cls(dt.date(year, month, 1), dt.date(year, month, days) + dt.timedelta(days=1),
                   label)

    def __contains__(self, day):
        return self.start <= day < self.end


def _sum(queryset, field):
    total = (queryset.order_by().values("officer")
             .annotate(total=Sum(field)).values("total")[:1])
    return Coalesce(Subquery(total), ZERO,
                    output_field=DecimalField(max_digits=8, decimal_places=2))


def hours_expression(start=None, end=None):
    """Return an expression for an officer's hours between two dates (or date expressions).

    `start`/`end` may be dates or expressions on the officer row (e.g. its hire date).
    """
    from .models import Attendance, StudyRecord

    records = StudyRecord.objects.filter(officer=OuterRef("pk"), completed_at__isnull=False)
    attendances = Attendance.objects.filter(officer=OuterRef("pk"))
    if start is not None:
        records = records.filter(completed_at__date__gte=start)
        attendances = attendances.filter(event__starts_at__date__gte=start)
    if end is not None:
        records = records.filter(completed_at__date__lt=end)
        attendances = attendances.filter(event__starts_at__date__lt=end)
    return _sum(records, "credited_hours") + _sum(attendances, "hours")


def with_hours(officers, period):
    """Annotate `officers` with `study_hours` earned within `period`."""
    return officers.annotate(study_hours=hours_expression(period.start, period.end))


def with_induction_hours(officers, within_days):
    """Annotate `officers` with `study_hours` earned within `within_days` of their hire date."""
    hired = OuterRef("hire_date")
    window_end = ExpressionWrapper(hired + dt.timedelta(days=within_days),
                                   output_field=DateField())
    return officers.annotate(study_hours=hours_expression(hired, window_end))


def officer_hours(officer, period):
    """Return one officer's hours in `period` (a Decimal)."""
    from people.models import Officer

    row = with_hours(Officer.objects.filter(pk=officer.pk), period).values("study_hours").first()
    return row["study_hours"] if row else ZERO



