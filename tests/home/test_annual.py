"""The annual summary against the hand-computed fixture (manager_data.py)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import CertificateChange, ChangeAction
from home import annual

from .manager_data import build


@pytest.fixture
def data(org, people):
    officers = build(org, people)

    def change(letter, action, year):
        CertificateChange.objects.create(
            certificate=officers[letter].certificate, action=action,
            at=timezone.make_aware(dt.datetime(year, 6, 1, 10)))

    change("A", ChangeAction.ISSUED, 2026)
    change("A", ChangeAction.ISSUED, 2025)
    change("B", ChangeAction.RENEWED_NO_EXAM, 2026)
    change("C", ChangeAction.EXPIRED, 2026)
    change("W", ChangeAction.ISSUED, 2026)  # outside the scope
    return officers


def test_the_annual_summary_is_computed_from_the_records(org, data):
    s = annual.summary(org.east, 2026)
    assert (s["sessions"], s["person_times"]) == (3, 3)
    assert s["hours"] == Decimal("33") and s["hours_per_officer"] == Decimal("5.5")
    assert s["exams_held"] == 3  # February and January monthly tests, the qualification exam
    assert (s["expected"], s["sat"], s["participation"]) == (10, 6, 60.0)
    assert (s["marked"], s["passed"], s["pass_rate"]) == (6, 4, 66.7)
    assert (s["mean_score"], s["last_mean_score"], s["score_change"]) == (67.5, 55.0, 22.7)
    assert (s["certificates_issued"], s["certificates_renewed"],
            s["certificates_expired"]) == (1, 1, 1)
    assert (s["contests"], s["contest_entrants"], s["awards"]) == (1, 1, 2)
    assert s["prizes"] == [("一等奖", 1), ("二等奖", 1)]


def test_a_year_without_records_gives_zeros_and_no_rates(org, data):
    s = annual.summary(org.east, 2024)
    assert (s["sessions"], s["exams_held"], s["participation"], s["mean_score"]) == (
        0, 0, None, None)


def test_the_annual_page_lists_the_figures(org, people, data, client_for):
    page = client_for(people["manager"]).get(
        reverse("home:managers_annual", args=[org.east.pk]) + "?year=2025").content.decode()
    assert 'id="annual"' in page
    lines = dict(annual.summary_lines(annual.summary(org.east, 2026)))
    assert len(lines) == 15
