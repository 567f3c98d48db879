"""The monthly report: per top-level unit, for the month before, made once."""
import datetime as dt
import io

import openpyxl

from home import monthly_report
from home.models import MonthlyReport

from .manager_data import build


def test_reports_are_made_for_the_previous_month_per_top_level_unit_once(org, people):
    build(org, people)
    result = monthly_report.generate_due(today=dt.date(2026, 3, 1))
    assert result == {"period": "2026-02", "made": 3}  # the corps, east and west
    reports = MonthlyReport.objects.order_by("unit__path")
    assert [(r.unit.code, r.period) for r in reports] == [
        ("T", "2026-02"), ("T-E", "2026-02"), ("T-W", "2026-02")]
    again = monthly_report.generate_due(today=dt.date(2026, 3, 2))
    assert again == {"period": "2026-02", "made": 0}
    assert MonthlyReport.objects.count() == 3


def test_the_report_holds_the_month_figures_as_of_its_last_day(org, people):
    build(org, people)
    report, created = monthly_report.generate(org.east, "2026-02")
    assert created
    with report.file.open("rb") as handle:
        wb = openpyxl.load_workbook(io.BytesIO(handle.read()))
    summary = dict(list(wb.worksheets[0].iter_rows(values_only=True))[1:])
    assert "2026-02-28" in summary.values()
    monthly = list(wb.worksheets[2].iter_rows(values_only=True))
    assert monthly[-1][:3] == ("2026-02", 6, 4)


def test_the_monthly_report_is_registered_with_the_scheduler():
    from pathlib import Path

    cron = (Path(__file__).resolve().parents[2] / "site" / "config" / "cron.py").read_text()
    assert "monthly_reports" in cron and "managers-monthly-report" in cron
