"""Every managers' figure against the hand-computed fixture in manager_data.py."""
import datetime as dt
from decimal import Decimal

import pytest

from competitions.models import AwardScope
from content.coverage import coverage as content_coverage
from content.models import StudyRequirement
from exams import results
from exams.models import Exam
from home import figures
from people.models import Unit

from .manager_data import AS_OF, build


@pytest.fixture
def data(org, people):
    return build(org, people)


@pytest.fixture
def east(org, data):
    return Unit.objects.get(pk=org.east.pk)


@pytest.fixture
def board(east):
    return figures.dashboard(east, AS_OF)


def by_month(row, month):
    return next(m for m in row.months if m["month"] == month)


def row_named(board, name):
    return next(r for r in board["rows"] if r.unit.name == name and not r.own)


def test_months_shown_are_the_twelve_ending_with_the_current_one(board):
    assert board["months"][0] == "2025-04" and board["months"][-1] == "2026-03"
    assert len(board["months"]) == 12


def test_officers_and_certificates_count_active_officers_of_the_subtree(board):
    total = board["total"]
    assert total.officers == 6  # A B C D E M; F left, W outside
    assert (total.certified, total.expiring, total.expired, total.uncertified) == (2, 1, 1, 4)
    assert total.certified_share == 33.3
    assert row_named(board, "东区第一大队").certified == 2
    assert row_named(board, "东区第二大队").certified == 0  # D suspended, E none


def test_rows_are_the_sub_units_and_the_unit_itself(board):
    assert [(r.unit.name, r.own) for r in board["rows"]] == [
        ("东区支队", True), ("东区第一大队", False), ("东区第二大队", False)]
    assert [r.officers for r in board["rows"]] == [1, 3, 2]


def test_study_hours_and_coverage_per_requirement(board):
    total = board["total"]
    assert total.hours == Decimal("33")
    assert total.hours_per_officer == Decimal("5.5")
    annual, induction = total.coverage
    assert annual["requirement"].name == "年度轮训"
    assert (annual["concerned"], annual["met"], annual["not_met"], annual["percent"]) == (
        6, 2, 4, 33.3)
    assert (induction["concerned"], induction["met"], induction["percent"]) == (1, 1, 100.0)
    assert [c["met"] for c in row_named(board, "东区第一大队").coverage] == [1, 0]


def test_coverage_agrees_with_content_coverage(east, board):
    for req, figure in zip(figures.requirements(), board["total"].coverage):
        unit = content_coverage(Unit.objects.filter(pk=east.pk), req,
                                figures.study_period(AS_OF)).get()
        assert (unit.officer_count, unit.met_count) == (figure["concerned"], figure["met"])


def test_the_list_of_officers_who_did_not_meet_a_requirement(east, data):
    annual = StudyRequirement.objects.get(name="年度轮训")
    names = [o.name for o in figures.not_meeting(east, annual, AS_OF)]
    assert names == ["东区经理", "人员B", "人员C", "人员E"]
    induction = StudyRequirement.objects.get(name="入职培训")
    assert list(figures.not_meeting(east, induction, AS_OF)) == []


def test_monthly_participation_and_pass_rate(board):
    total = board["total"]
    feb, jan, dec = (by_month(total, m) for m in ("2026-02", "2026-01", "2025-12"))
    assert (feb["expected"], feb["sat"], feb["absent"], feb["participation"]) == (6, 4, 2, 66.7)
    assert (feb["marked"], feb["passed"], feb["pass_rate"]) == (4, 3, 75.0)  # B's resit counts
    assert (jan["expected"], jan["sat"], jan["participation"]) == (4, 2, 50.0)  # east1 + D
    assert (jan["marked"], jan["passed"], jan["pass_rate"]) == (2, 1, 50.0)
    assert dec["has_exam"] is False and dec["participation"] is None
    assert by_month(total, "2026-03")["has_exam"] is False  # draft and cancelled ignored
    assert (total.participation, total.pass_rate) == (60.0, 66.7)


def test_participation_per_sub_unit(board):
    east1, east2 = row_named(board, "东区第一大队"), row_named(board, "东区第二大队")
    own = board["rows"][0]
    assert (by_month(east1, "2026-02")["sat"], by_month(east1, "2026-02")["pass_rate"]) == (3, 50.0)
    assert (by_month(east2, "2026-02")["expected"], by_month(east2, "2026-02")["sat"]) == (2, 1)
    assert by_month(east2, "2026-01")["expected"] == 1  # D, named
    assert by_month(own, "2026-02")["participation"] == 0.0


def test_a_month_agrees_with_the_exam_results_page(org, people, east, board):
    feb = Exam.objects.get(period="2026-02", kind="monthly")
    stats = results.summary(feb, results.Scope.for_user(people["manager"]))
    month = by_month(board["total"], "2026-02")
    assert (stats["eligible"], stats["sat"], stats["pass_rate"]) == (
        month["expected"], month["sat"], month["pass_rate"])


def test_non_participants_per_month(east, data):
    assert [o.name for o in figures.non_participants(east, "2026-02")] == ["东区经理", "人员E"]
    assert [o.name for o in figures.non_participants(east, "2026-01")] == ["人员B", "人员C"]
    assert list(figures.non_participants(east, "2025-12")) == []


def test_mean_score_and_year_on_year_change(board):
    total = board["total"]
    assert total.mean_this_year == 67.5  # (80 + 50 + 90 + 70 + 60 + 55) / 6
    assert total.mean_last_year_same == 55.0  # (50 + 60) / 2, January–March 2025
    assert total.score_change == 22.7  # (67.5 - 55) / 55
    assert total.score_trend["this_year"][:3] == [57.5, 72.5, None]
    assert total.score_trend["this_year"][3] is None
    assert total.score_trend["last_year"][2] == 55.0


def test_contest_results_of_the_scope(board):
    (contest,) = board["contests"]
    assert contest["contest"].name == "2026年岗位技能竞赛"
    assert contest["entrants"] == 1  # A (B withdrew, W is outside)
    assert [(str(scope), prize, n) for scope, prize, n in contest["prizes"]] == [
        (str(AwardScope.OVERALL.label), "一等奖", 1), (str(AwardScope.TEAM.label), "二等奖", 1)]
    assert contest["prize_count"] == 2


def test_certificate_expiry_timeline(board):
    timeline = dict(board["expiry"])
    assert list(timeline)[0] == "2026-03" and len(timeline) == 12
    assert timeline["2026-04"] == 1 and timeline["2027-01"] == 1
    assert sum(timeline.values()) == 2


def test_helpers():
    assert figures.change(110, 100) == 10.0
    assert figures.change(1, None) is None and figures.change(1, 0) is None
    assert figures.months_ending(dt.date(2026, 1, 5), 3) == ["2025-11", "2025-12", "2026-01"]


def test_a_month_whose_exam_is_still_open_is_shown_but_left_out_of_the_totals(org, east, data):
    from django.utils import timezone

    from .manager_data import attempt, monthly_exam

    march = monthly_exam("2026-03", units=[org.corps], title="三月（进行中）")
    Exam.objects.filter(pk=march.pk).update(closes_at=timezone.now() + dt.timedelta(days=1))
    attempt(march, data["A"], "10")
    total = figures.dashboard(east, AS_OF)["total"]
    month = by_month(total, "2026-03")
    assert month["open"] and month["has_exam"] and month["expected"] == 6
    assert (total.participation, total.pass_rate) == (60.0, 66.7)  # as without March


def test_a_month_whose_exam_has_not_opened_is_not_counted_as_missed(org, people, east, data,
                                                                     client_for, monkeypatch):
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import timezone

    from .manager_data import monthly_exam

    march = monthly_exam("2026-03", units=[org.corps], title="三月（未开考）")
    now = timezone.now()
    Exam.objects.filter(pk=march.pk).update(opens_at=now + dt.timedelta(days=3),
                                            closes_at=now + dt.timedelta(days=5))
    total = figures.dashboard(east, AS_OF)["total"]
    month = by_month(total, "2026-03")
    assert month["upcoming"] and month["open"] and month["expected"] == 6
    assert (total.participation, total.pass_rate) == (60.0, 66.7)
    assert not by_month(total, "2026-02")["upcoming"]

    cache.clear()
    monkeypatch.setattr("home.jobs.timezone.localdate", lambda: AS_OF)
    page = client_for(people["manager"]).get(
        reverse("home:managers_unit", args=[east.pk])).content.decode()
    row = page.split('id="monthly"')[1].split("<td>2026-03")[1].split("</tr>")[0]
    assert "未开考" in row and reverse("home:managers_non_participants",
                                      args=[east.pk, "2026-03"]) not in row
