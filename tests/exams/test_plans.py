"""Monthly plans create exactly one exam per month; publishing draws papers in a worker."""
import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from exams.models import (Attempt, BlueprintRule, Exam, ExamStatus, MonthlyPlan, Paper,
                          PaperKind, QuestionType)
from exams.plans import create_monthly_exams, month_window
from jobs.models import Job, JobStatus

from .factories import category, question

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan(org, people):
    cat = category("通用法律/行政处罚法")
    for i in range(4):
        question(stem=f"月考题{i}", cat=cat)
    paper = Paper.objects.create(title="月考蓝图", kind=PaperKind.BLUEPRINT)
    BlueprintRule.objects.create(paper=paper, category=cat, qtype=QuestionType.SINGLE, count=3,
                                 points=Decimal("10"))
    plan = MonthlyPlan.objects.create(title="{month}学法考试", paper=paper, opens_day=20,
                                      opens_time=dt.time(8, 0))
    plan.eligible_units.add(org.east)
    return plan


def test_a_plan_creates_this_months_exam_once_even_if_run_twice(plan, redis_conn):
    today = dt.date(2026, 11, 21)
    assert create_monthly_exams(today) == 1
    assert create_monthly_exams(today) == 0
    [exam] = Exam.objects.all()
    assert exam.title == "2026年11月学法考试" and exam.period == "2026-11"
    assert exam.status == ExamStatus.PUBLISHED
    opens, closes = timezone.localtime(exam.opens_at), timezone.localtime(exam.closes_at)
    assert (opens.day, opens.hour, closes.day, closes.hour) == (20, 8, 30, 23)
    assert create_monthly_exams(dt.date(2026, 12, 1)) == 1
    assert Exam.objects.count() == 2


def test_a_crash_while_publishing_leaves_no_draft_behind(plan, redis_conn, monkeypatch):
    today = dt.date(2026, 11, 21)

    def crash(exam, user=None):
        raise RuntimeError("the scheduler died")

    monkeypatch.setattr("exams.plans.publish", crash)
    with pytest.raises(RuntimeError):
        create_monthly_exams(today)
    assert not Exam.objects.exists()  # the next run creates and publishes it
    monkeypatch.undo()
    assert create_monthly_exams(today) == 1
    assert Exam.objects.get().status == ExamStatus.PUBLISHED


def test_two_schedulers_at_the_same_moment_still_make_one_exam(plan, redis_conn):
    today = dt.date(2027, 2, 3)
    barrier = threading.Barrier(2)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(create_monthly_exams(today))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert Exam.objects.filter(period="2027-02").count() == 1


def test_the_window_runs_from_the_set_day_to_the_end_of_february(plan):
    opens, closes = month_window(plan, 2028, 2)
    assert timezone.localtime(closes).date() == dt.date(2028, 2, 29)


def test_publishing_draws_every_paper_in_the_worker(plan, redis_conn, run_worker, people):
    create_monthly_exams(dt.date(2026, 11, 21))
    job = Job.objects.get(kind="exams.draw_papers")
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result["drawn"] == 2
    assert Attempt.objects.count() == 2
    assert all(a.items.count() == 3 for a in Attempt.objects.all())


def test_the_new_exam_appears_on_eligible_dashboards(plan, redis_conn, people, client_for):
    create_monthly_exams(timezone.localdate())
    exam = Exam.objects.get()
    from exams.dashboard import my_exams

    mine = my_exams(people["officer"].officer)
    listed = [e["exam"] for e in mine["open"] + mine["upcoming"] + mine["finished"]]
    assert exam in listed
    assert my_exams(people["judge"].officer) == {"open": [], "upcoming": [], "finished": []}
