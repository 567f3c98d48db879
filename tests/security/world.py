"""A small world with one object of every kind the URLs name, for the permission matrix.

The officer (east-1) owns the attempt, answers, study records, certificate and contest
entry; the manager of the same unit sits at east (above east-1); the other manager at west.
"""
import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from certificates import issuing
from certificates.models import IssueRequest
from competitions.models import AwardResult, AwardScope, ContestStatus, MarkChange, Team
from cases_library.models import Annotation, AnnotationKind
from content.models import DiscretionBenchmarkPage, LessonCheckQuestion, StudyRequirement
from home.models import MonthlyReport
from exams import practice  # noqa: F401 - import check: the practice module exists
from exams.models import (AttemptItem, Category, PracticeAnswer, QuestionType,
                          WrongAnswer)
from jobs.models import Job
from people.roles import Role
from tests.competitions import factories as contests
from tests.content import factories as study
from tests.exams.factories import question
from tests.exams.test_marking import fixed_exam, sit


class World:
    def __init__(self, org, people):
        self.org = org
        self.people = people
        self.officer = people["officer"].officer
        self.other_officer = org.person("colleague", org.west1, name="西区同事").officer
        self.unit = org.east1

        # Exams: a submitted attempt with an open question, the officer's own.
        self.questions = [question(), question(qtype=QuestionType.SHORT_ANSWER, stem="简述程序。",
                                              points="10")]
        self.category = Category.objects.first()
        self.exam = fixed_exam(org, self.questions, units=("east",))
        self.attempt = sit(self.exam, people["officer"], {1: "A", 2: "答案"})
        self.item = AttemptItem.objects.filter(attempt=self.attempt).order_by("position").last()
        self.version_id = self.item.version_id
        self.other_attempt = sit(fixed_exam(org, [question()], units=("west",),
                                            title="西区考试"), self.other_officer.user, {1: "B"})
        first = AttemptItem.objects.filter(attempt=self.attempt).order_by("position").first()
        self.practice_answer = PracticeAnswer.objects.create(
            officer=self.officer, version_id=first.version_id, answer="B", correct=False)
        self.other_practice_answer = PracticeAnswer.objects.create(
            officer=self.other_officer, version_id=first.version_id, answer="B", correct=False)
        self.notebook_entry = WrongAnswer.objects.create(
            officer=self.officer, question=self.questions[0], version_id=first.version_id,
            source=WrongAnswer.Source.PRACTICE)
        self.job = Job.objects.create(kind="people.roster_export", owner=people["officer"],
                                      params={})
        self.other_job = Job.objects.create(kind="people.roster_export",
                                            owner=self.other_officer.user, params={})

        # Study material and cases.
        shelf = study.shelf()
        self.course, self.lessons = study.course_with_lessons(shelf)
        LessonCheckQuestion.objects.create(lesson=self.lessons[0], question=self.questions[0])
        self.event = study.event(shelf, units=[org.east])
        self.law = study.law(shelf)
        self.article = self.law.articles.order_by("position").first()
        self.benchmark = DiscretionBenchmarkPage(title="裁量基准", slug="benchmark")
        shelf.add_child(instance=self.benchmark)
        self.case = study.case()
        self.annotation = Annotation.objects.create(
            case=self.case, block_id="x", quote="网吧", start=0, end=2,
            kind=AnnotationKind.choices[0][0], comment="注意", author=people["trainer"])
        self.requirement = StudyRequirement.objects.create(name="年度轮训", kind="annual",
                                                           hours=Decimal("40"))
        self.report = MonthlyReport.objects.create(unit=org.east, period="2026-10",
                                                   file_name="月报.xlsx")
        self.report.file.save("月报.xlsx", ContentFile(b"PK"), save=True)

        # Certificates.
        self.certificate = issuing.grant(self.officer, by=people["organizer"])
        self.issue_request = IssueRequest.objects.create(officer=self.officer, kind="no_exam")

        # A contest being marked: the officer's entry, the judge assigned to the event.
        self.contest = contests.contest(org, status=ContestStatus.MARKING)
        self.contest_event = contests.event(self.contest)
        self.entry = contests.entry(self.contest, self.officer)
        self.other_entry = contests.entry(self.contest, self.other_officer)
        self.submission = contests.submission(self.contest_event, self.entry, text="文书")
        self.submission.file.save("文书.docx", ContentFile(b"PK fake"), save=True)
        self.other_submission = contests.submission(self.contest_event, self.other_entry)
        contests.assign(self.contest_event, people["judge"], seat="J1")
        self.mark = contests.mark(self.submission, people["judge"],
                                  contests.level_raw("好"))
        MarkChange.objects.create(mark=self.mark, action=MarkChange.Action.SUBMIT,
                                  changed_by=people["judge"])
        self.award = AwardResult.objects.create(contest=self.contest, scope=AwardScope.OVERALL,
                                                entry=self.entry, score=Decimal("90"), place=1,
                                                prize="一等奖")
        self.team = Team.objects.create(contest=self.contest, unit=self.officer.unit,
                                        name="东区一队")
        self.entry.team = self.team
        self.entry.save(update_fields=["team"])
        self.entry.refresh_from_db()
        self.month = timezone.localdate().strftime("%Y-%m")
        self.today = timezone.localdate()
        self.opened = timezone.now() - dt.timedelta(hours=1)
        self.role = Role
