"""Study hours per period and requirement coverage, against hand-computed examples."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from content.coverage import coverage
from content.hours import Period, officer_hours
from content.models import Attendance, RequirementKind, StudyRecord, StudyRequirement
from people.models import Unit

from . import factories


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


def setup_hours(study, org, people):
    """east1 officer: 2026 lesson 0.5 h (Jan) + event 3 h (Mar) + 2025 lesson 1 h.
    east2 officer: event 3 h only. west1 judge: nothing."""
    _course, (l1, l2) = factories.course_with_lessons(study["shelf"], minutes=(30, 60))
    event = factories.event(study["shelf"], units=[org.corps], starts=aware(2026, 3, 10, 9))
    officer = people["officer"].officer
    other = org.person("east2", org.east2).officer
    StudyRecord.objects.create(officer=officer, page=l1, completed_at=aware(2026, 1, 15, 10),
                               credited_hours=Decimal("0.50"))
    StudyRecord.objects.create(officer=officer, page=l2, completed_at=aware(2025, 12, 31, 23),
                               credited_hours=Decimal("1.00"))
    StudyRecord.objects.create(officer=other, page=l2, active_seconds=900)  # not completed
    for person in (officer, other):
        Attendance.objects.create(event=event, officer=person, hours=Decimal("3.0"))
    return officer, other


def test_hours_per_period_sum_lessons_and_events(study, org, people):
    officer, other = setup_hours(study, org, people)
    assert officer_hours(officer, Period.year(2026)) == Decimal("3.50")
    assert officer_hours(officer, Period.year(2025)) == Decimal("1.00")
    assert officer_hours(officer, Period.month(2026, 1)) == Decimal("0.50")
    assert officer_hours(officer, Period.quarter(2026, 1)) == Decimal("3.50")
    assert officer_hours(other, Period.year(2026)) == Decimal("3.00")
    assert officer_hours(people["judge"].officer, Period.year(2026)) == Decimal("0")


def test_annual_coverage_per_unit_subtree(study, org, people, django_assert_max_num_queries):
    setup_hours(study, org, people)
    requirement = StudyRequirement.objects.create(name="年度轮训", kind=RequirementKind.ANNUAL,
                                                  hours=Decimal("3.5"))
    units = Unit.objects.filter(pk__in=[org.corps.pk, org.east.pk, org.east1.pk, org.east2.pk,
                                        org.west.pk])
    with django_assert_max_num_queries(1):
        rows = {u.code: (u.officer_count, u.met_count, u.percent)
                for u in coverage(units, requirement, Period.year(2026))}
    # Officers: corps 3 (trainer, organizer, admin) ; east 1 (manager); east1 1 (officer);
    # east2 1 (east2); west 1 (other_manager); west1 1 (judge) → corps subtree 8.
    assert rows["T-E-1"] == (1, 1, 100.0)
    assert rows["T-E-2"] == (1, 0, 0.0)
    assert rows["T-E"] == (3, 1, 100 / 3)
    assert rows["T"] == (8, 1, 12.5)
    assert rows["T-W"] == (2, 0, 0.0)


def test_induction_coverage_counts_hours_within_the_window_after_hire(study, org, people):
    officer, other = setup_hours(study, org, people)
    # officer hired 2025-12-20: window of 30 days holds the 2025-12-31 lesson (1 h) and the
    # 2026-01-15 lesson (0.5 h), not the March event → 1.5 h.
    # other hired 2026-03-01: the event on 2026-03-10 (3 h) is inside → 3 h.
    officer.hire_date = dt.date(2025, 12, 20)
    officer.save()
    other.hire_date = dt.date(2026, 3, 1)
    other.save()
    requirement = StudyRequirement.objects.create(
        name="入职培训", kind=RequirementKind.INDUCTION, hours=Decimal("1.5"), within_days=30)
    intake = Period(dt.date(2025, 12, 1), dt.date(2026, 4, 1))
    rows = {u.code: (u.officer_count, u.met_count)
            for u in coverage(Unit.objects.all(), requirement, intake)}
    assert rows["T-E"] == (2, 2)
    requirement.hours = Decimal("2")
    requirement.save()
    rows = {u.code: (u.officer_count, u.met_count)
            for u in coverage(Unit.objects.all(), requirement, intake)}
    assert rows["T-E"] == (2, 1) and rows["T-E-2"] == (1, 1) and rows["T-W"] == (0, 0)
    only_2026 = {u.code: u.officer_count for u in coverage(Unit.objects.all(), requirement,
                                                            Period.year(2026))}
    assert only_2026["T-E"] == 1
