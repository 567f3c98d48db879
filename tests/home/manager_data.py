"""A hand-computed organisation for the managers' figures (see test_figures.py for the sums).

Scope: the east detachment (manager at east). as_of = 2026-03-15.

  east1: A, B, C     east2: D, E (E hired 2026-02-01), F (left)     east itself: M (manager)
  west1: W (outside the scope)
"""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from competitions.models import (AwardResult, AwardScope, Contest, ContestStatus, Entry,
                                 EntryStatus, Team)
from content.models import Attendance, RequirementKind, StudyRecord, StudyRequirement
from exams.models import (Attempt, AttemptStatus, Exam, ExamKind, ExamStatus, Paper)
from people.models import Officer, OfficerStatus
from people.roles import Role
from tests.content import factories as content_factories

AS_OF = dt.date(2026, 3, 15)


def at(day, hour=12):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def monthly_exam(period, units=(), officers=(), kind=ExamKind.MONTHLY,
                 status=ExamStatus.PUBLISHED, title=None):
    year, month = int(period[:4]), int(period[5:])
    paper = Paper.objects.create(title=f"{period} 试卷")
    exam = Exam.objects.create(
        title=title or f"{year}年{month}月学法考试", kind=kind, paper=paper, status=status,
        period=period if kind == ExamKind.MONTHLY else "",
        opens_at=at(dt.date(year, month, 20), 8), closes_at=at(dt.date(year, month, 25), 18))
    exam.eligible_units.add(*units)
    exam.eligible_officers.add(*officers)
    return exam


def attempt(exam, officer, score=None, number=1, max_score="100", status=AttemptStatus.MARKED):
    passed = None
    if status == AttemptStatus.MARKED and score is not None:
        passed = Decimal(score) >= exam.pass_mark
    return Attempt.objects.create(
        exam=exam, officer=officer, number=number, status=status, seed=f"s{officer.pk}-{number}",
        score=Decimal(score) if score is not None else None, max_score=Decimal(max_score),
        passed=passed, submitted_at=exam.opens_at + dt.timedelta(hours=1))


def certificate(officer, valid_until, status=CertificateStatus.VALID, number=None):
    return Certificate.objects.create(officer=officer, number=number or f"C{officer.pk:05d}",
                                      issued_on=dt.date(2024, 1, 1), valid_until=valid_until,
                                      status=status)


def build(org, people):
    """Create the fixture's officers and data; return a dict of the officers by letter."""
    o = {}
    for letter, unit in (("A", org.east1), ("B", org.east1), ("C", org.east1),
                         ("D", org.east2), ("E", org.east2), ("F", org.east2),
                         ("W", org.west1)):
        o[letter] = org.person(f"p{letter}", unit, name=f"人员{letter}").officer
    o["M"] = people["manager"].officer
    Officer.objects.filter(pk=o["E"].pk).update(hire_date=dt.date(2026, 2, 1))
    Officer.objects.filter(pk=o["F"].pk).update(status=OfficerStatus.LEFT)
    # The people fixture's other officers live outside east (corps, west) except the
    # officer 王小兵 in east1: move them out of the scope so the sums stay simple.
    Officer.objects.filter(pk=people["officer"].officer.pk).update(unit=org.west1)
    for key in o:
        o[key].refresh_from_db()

    # Monthly exams.
    feb = monthly_exam("2026-02", units=[org.corps])
    attempt(feb, o["A"], "80")
    attempt(feb, o["B"], "40", number=1)
    attempt(feb, o["B"], "50", number=2)
    attempt(feb, o["C"], status=AttemptStatus.SUBMITTED)
    attempt(feb, o["D"], "90")
    attempt(feb, o["F"], "70")
    attempt(feb, o["W"], "100")
    jan = monthly_exam("2026-01", units=[org.east1], officers=[o["D"]])
    attempt(jan, o["A"], "60")
    attempt(jan, o["D"], "55")
    last_march = monthly_exam("2025-03", units=[org.corps])
    attempt(last_march, o["A"], "50")
    attempt(last_march, o["B"], "60")
    # Not counted: a draft and a cancelled monthly exam, a qualification exam.
    draft = monthly_exam("2026-03", units=[org.corps], status=ExamStatus.DRAFT)
    attempt(draft, o["E"], "10")
    cancelled = monthly_exam("2026-03", units=[org.corps], status=ExamStatus.CANCELLED,
                             title="作废")
    attempt(cancelled, o["E"], "10")
    qualification = monthly_exam("2026-02", units=[org.corps], kind=ExamKind.QUALIFICATION,
                                 title="资格考试")
    attempt(qualification, o["E"], "10")

    # Certificates.
    certificate(o["A"], dt.date(2027, 1, 1))
    certificate(o["B"], dt.date(2026, 4, 1), status=CertificateStatus.EXPIRING)
    certificate(o["C"], dt.date(2026, 1, 1), status=CertificateStatus.EXPIRED)
    certificate(o["D"], dt.date(2027, 6, 1), status=CertificateStatus.SUSPENDED)
    certificate(o["F"], dt.date(2027, 6, 1))
    certificate(o["W"], dt.date(2027, 6, 1))

    # Study.
    StudyRequirement.objects.create(name="年度轮训", kind=RequirementKind.ANNUAL,
                                    hours=Decimal("10"))
    StudyRequirement.objects.create(name="入职培训", kind=RequirementKind.INDUCTION,
                                    hours=Decimal("8"), within_days=30)
    StudyRequirement.objects.create(name="停用要求", kind=RequirementKind.ANNUAL,
                                    hours=Decimal("1"), active=False)
    shelf = content_factories.shelf()
    _course, lessons = content_factories.course_with_lessons(shelf, minutes=(10, 20, 30))

    def record(officer, lesson, hours, day):
        StudyRecord.objects.create(officer=officer, page=lesson, completed_at=at(day),
                                   credited_hours=Decimal(hours))

    def attend(officer, event, hours):
        Attendance.objects.create(officer=officer, event=event, hours=Decimal(hours))

    march = content_factories.event(shelf, starts=at(dt.date(2026, 3, 1), 9), hours="4")
    january = content_factories.event(shelf, starts=at(dt.date(2026, 1, 10), 9), hours="3",
                                      title="一月培训")
    big = content_factories.event(shelf, starts=at(dt.date(2026, 2, 5), 9), hours="12",
                                  title="集中轮训")
    record(o["A"], lessons[0], "6", dt.date(2026, 2, 1))
    attend(o["A"], march, "4")
    record(o["B"], lessons[0], "6", dt.date(2025, 12, 31))
    attend(o["B"], january, "3")
    attend(o["D"], big, "12")
    record(o["E"], lessons[1], "8", dt.date(2026, 2, 20))
    record(o["W"], lessons[2], "20", dt.date(2026, 2, 20))

    # A contest: A wins an overall first prize, east's team a second prize; W elsewhere.
    contest = Contest.objects.create(name="2026年岗位技能竞赛", year=2026,
                                     organizer_unit=org.corps, status=ContestStatus.PUBLISHED)
    team = Team.objects.create(contest=contest, unit=org.east, name="东区队")
    entry_a = Entry.objects.create(contest=contest, officer=o["A"], unit=org.east1,
                                   status=EntryStatus.APPROVED, team=team, blind_code="AAAAAA")
    entry_w = Entry.objects.create(contest=contest, officer=o["W"], unit=org.west1,
                                   status=EntryStatus.APPROVED, blind_code="WWWWWW")
    Entry.objects.create(contest=contest, officer=o["B"], unit=org.east1,
                         status=EntryStatus.WITHDRAWN, blind_code="BBBBBB")
    AwardResult.objects.create(contest=contest, scope=AwardScope.OVERALL, entry=entry_a,
                               place=1, prize="一等奖")
    AwardResult.objects.create(contest=contest, scope=AwardScope.OVERALL, entry=entry_w,
                               place=2, prize="二等奖")
    AwardResult.objects.create(contest=contest, scope=AwardScope.TEAM, team=team,
                               place=2, prize="二等奖")
    return o


def many_officers(unit, count, prefix):
    """Create `count` active officers in `unit` quickly (bulk), without roles."""
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"{prefix}{i}") for i in range(count)])
    return Officer.objects.bulk_create([
        Officer(user=user, unit=unit, name=f"批量{i}", badge_number=f"{prefix.upper()}{i:05d}")
        for i, user in enumerate(users)])


MANAGER_ROLE = Role.MANAGER
