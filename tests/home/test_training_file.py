"""An officer's training file shows contest scores and awards only once results are published."""
from decimal import Decimal

import pytest
from django.urls import reverse

from competitions.models import Contest, ContestStatus, Entry
from home.training_file import training_file

from .manager_data import build

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [ContestStatus.RUNNING, ContestStatus.MARKING])
def test_scores_and_awards_of_unpublished_results_stay_out(org, people, client_for, status):
    officers = build(org, people)
    Entry.objects.filter(officer=officers["A"]).update(total=Decimal("82.96"))
    url = reverse("home:managers_officer_file", args=[officers["A"].pk])
    client = client_for(people["manager"])
    published = client.get(url).content.decode()
    assert "82.96" in published and "一等奖" in published

    Contest.objects.update(status=status)  # back to marking: results withdrawn
    page = client.get(url).content.decode()
    assert "2026年岗位技能竞赛" in page  # the entry itself is the officer's
    assert "82.96" not in page and "一等奖" not in page
    record = training_file(officers["A"])  # what the Excel export writes
    assert record["awards"] == [] and [e.shown_total for e in record["contests"]] == [None]
