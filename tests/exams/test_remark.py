"""Re-marking after a key change, through a real RQ worker: new key, new totals, one audit row."""
from decimal import Decimal

import pytest
from django.urls import reverse

from exams.models import Attempt, AttemptStatus, QuestionVersion, ScoreChange
from exams.versions import sync_version
from jobs.models import Job, JobStatus

from .factories import question
from .test_marking import fixed_exam, sit


def change_key(q, correct_key):
    """Make `correct_key` the only right option of q (a new version, since v1 is used)."""
    for index, option in enumerate(q.options.all()):
        option.is_correct = chr(65 + index) == correct_key
        option.save()
    return sync_version(q)


def remark(client, exam, run_worker):
    response = client.post(reverse("exams:marking_remark", args=[exam.pk]))
    run_worker()
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == JobStatus.SUCCEEDED, job.error
    return job


@pytest.mark.django_db(transaction=True)
def test_a_key_change_re_marks_attempts_once_and_audits_each_changed_score(
        org, people, client_for, run_worker):
    q1 = question(stem="第一题", correct=("B",), points="10")
    q2 = question(stem="第二题", correct=("B",), points="10")
    exam = fixed_exam(org, [q1, q2], units=("corps",))
    strong = sit(exam, people["officer"], {1: "B", 2: "B"})  # 20 → 10
    middle = sit(exam, people["manager"], {1: "C", 2: "B"})  # 10 → 20
    weak = sit(exam, people["judge"], {1: "A", 2: "A"})  # 0 → 0: unchanged, no audit row
    taking = sit(exam, people["trainer"], {1: "C"}, submit=False)  # still answering
    v2 = change_key(q1, "C")
    assert v2.number == 2

    client = client_for(people["organizer"])
    page = client.get(reverse("exams:marking_remark", args=[exam.pk])).content.decode()
    assert "v1 → v2" in page
    job = remark(client, exam, run_worker)
    assert job.result["attempts"] == 3 and job.result["changed"] == 2
    assert job.result["skipped_unfinished"] == 1

    scores = dict(Attempt.objects.values_list("pk", "score"))
    assert (scores[strong.pk], scores[middle.pk], scores[weak.pk]) == (
        Decimal("10.00"), Decimal("20.00"), Decimal("0.00"))
    assert Attempt.objects.get(pk=middle.pk).passed is True
    assert strong.items.get(position=1).version == v2
    assert taking.items.get(position=1).version.number == 1  # the officer is still on it
    assert QuestionVersion.objects.get(pk=v2.pk).used

    changes = {c.attempt_id: c for c in ScoreChange.objects.all()}
    assert set(changes) == {strong.pk, middle.pk}
    assert (changes[strong.pk].old_score, changes[strong.pk].new_score) == (
        Decimal("20.00"), Decimal("10.00"))
    assert changes[middle.pk].reason == f"key changed: question #{q1.pk} v1→v2"
    assert changes[middle.pk].changed_by == people["organizer"]
    assert changes[middle.pk].item is None

    # Running it again changes nothing and writes no second audit row.
    again = remark(client, exam, run_worker)
    assert again.result["attempts"] == 0 and again.result["changed"] == 0
    assert ScoreChange.objects.count() == 2
    assert dict(Attempt.objects.values_list("pk", "score")) == scores
    assert Attempt.objects.get(pk=taking.pk).status == AttemptStatus.IN_PROGRESS


def test_only_organizers_may_re_mark(org, people, client_for):
    exam = fixed_exam(org, [question(correct=("B",))])
    for role in ("officer", "trainer", "manager"):
        response = client_for(people[role]).post(reverse("exams:marking_remark", args=[exam.pk]))
        assert response.status_code == 403
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_re_marking_grades_only_the_questions_whose_key_changed(
        org, people, client_for, run_worker):
    from exams.models import AttemptItem

    q1 = question(stem="第一题", correct=("B",), points="10")
    q2 = question(stem="第二题", correct=("B",), points="10")
    exam = fixed_exam(org, [q1, q2], units=("corps",))
    attempt = sit(exam, people["officer"], {1: "B", 2: "B"})
    # What question 2 earned stays as it was marked, whatever grading would say today.
    AttemptItem.objects.filter(attempt=attempt, position=2).update(earned=Decimal("7.00"))
    change_key(q1, "C")
    remark(client_for(people["organizer"]), exam, run_worker)
    items = dict(attempt.items.values_list("position", "earned"))
    assert items == {1: Decimal("0.00"), 2: Decimal("7.00")}
    attempt.refresh_from_db()
    assert attempt.score == Decimal("7.00")
