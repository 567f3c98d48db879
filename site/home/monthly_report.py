"""
The monthly report: on the 1st, for the month just ended, one workbook per top-level unit
(the root units and the units directly below them: 总队 and 支队), kept for download.

`generate_due` is idempotent: a report that exists is never made again (one per unit and
month, enforced by a unique constraint), so the scheduler runs it every day and a missed or
failed run on the 1st is made up the next day.
"""
import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import Unit

from . import exports, figures
from .models import MonthlyReport

log = logging.getLogger(__name__)


def previous_month(today):
    first = today.replace(day=1)
    last = first - dt.timedelta(days=1)
    return figures.month_key(last.year, last.month)


def top_level_units():
    return Unit.objects.filter(depth__lte=2, is_active=True).order_by("path")


def generate(unit, period):
    """Make the report of `unit` for `period` (YYYY-MM) unless it exists; return it."""
    existing = MonthlyReport.objects.filter(unit=unit, period=period).first()
    if existing is not None:
        return existing, False
    as_of = figures.month_end(period)
    content = exports.write_dashboard(unit, as_of)
    name = f"monthly-report-{unit.code}-{period}.xlsx"
    report = MonthlyReport(unit=unit, period=period, file_name=name)
    report.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # made meanwhile by another run
        report.file.delete(save=False)
        return MonthlyReport.objects.get(unit=unit, period=period), False
    return report, True


def generate_due(today=None):
    """Make the previous month's report of every top-level unit that has none yet."""
    today = today or timezone.localdate()
    period = previous_month(today)
    made = 0
    for unit in top_level_units():
        _report, created = generate(unit, period)
        made += created
    log.info("monthly reports for %s: %s made", period, made)
    return {"period": period, "made": made}
