"""Marking open answers: anonymous, validated, final only when every part is marked, audited."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams import marking, sitting
from exams.models import (Attempt, AttemptItem, AttemptStatus, Exam, ExamStatus, Paper, PaperItem,
                          PaperKind, QuestionType, ScoreChange)
from exams.papers import freeze_fixed_items

from .factories import question


def fixed_exam(org, questions, units=("east",), pass_mark="60", title="十一月学法考试"):
    """Return a published, open exam of a fixed paper (no shuffling) for `units` of `org`."""
    paper = Paper.objects.create(title=title, kind=PaperKind.FIXED, shuffle_questions=False,
                                 shuffle_options=False)
    for index, q in enumerate(questions):
        PaperItem.objects.create(paper=paper, question=q, sort_order=index)
    freeze_fixed_items(paper)
    now = timezone.now()
    exam = Exam.objects.create(title=title, paper=paper, status=ExamStatus.PUBLISHED,
                               opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=3),
                               pass_mark=Decimal(pass_mark), review_from="on_submit")
    exam.eligible_units.add(*[getattr(org, unit) for unit in units])
    return exam


def sit(exam, user, answers, submit=True):
    """Draw, start and answer (`answers`: position → answer) an attempt; submit it."""
    attempt = sitting.create_attempt(exam, user.officer)
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.IN_PROGRESS, started_at=now,
                                                 deadline=now + dt.timedelta(hours=1))
    for position, answer in answers.items():
        AttemptItem.objects.filter(attempt=attempt, position=position).update(answer=answer)
    attempt.refresh_from_db()
    if submit:
        sitting.submit(attempt)
        attempt.refresh_from_db()
    return attempt


@pytest.fixture
def open_exam(org):
    """1 single choice (10), 1 short answer (10), 1 case with two short sub-questions (5 + 5)."""
    single = question(stem="单选", correct=("B",), points="10")
    short = question(QuestionType.SHORT_ANSWER, stem="简述行政处罚的种类", points="10",
                     reference_answer="警告、通报批评、罚款……", scoring_points="列出警告\n列出罚款")
    case = question(QuestionType.CASE_ANALYSIS, stem="某网吧接纳未成年人案", points="10")
    question(QuestionType.SHORT_ANSWER, stem="认定的违法事实是什么", parent=case, position=1,
             points="5", reference_answer="接纳未成年人")
    question(QuestionType.SHORT_ANSWER, stem="应当如何处罚", parent=case, position=2, points="5",
             reference_answer="警告并处罚款")
    return fixed_exam(org, [single, short, case])


def open_items(attempt):
    return list(attempt.items.filter(needs_marking=True).order_by("position"))


def test_partial_marking_keeps_the_attempt_submitted_until_every_part_is_marked(
        open_exam, people):
    attempt = sit(open_exam, people["officer"], {1: "B", 2: "警告和罚款", 4: "接纳未成年人",
                                                  5: "罚款"})
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score is None
    short, sub1, sub2 = open_items(attempt)
    assert (sub1.parent_id, sub2.parent_id) == (attempt.items.get(position=3).pk,) * 2

    marking.mark_item(short, "8", "要点基本齐全", people["trainer"])
    marking.mark_item(sub1, "5", "", people["trainer"])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score is None

    marking.mark_item(sub2, "2.5", "", people["organizer"])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED
    assert attempt.score == Decimal("25.50") and attempt.max_score == Decimal("30")
    assert attempt.passed  # 25.5 / 30 = 85% ≥ 60%
    sub2.refresh_from_db()
    assert sub2.marked_by == people["organizer"] and not sub2.needs_marking


def test_markers_see_the_answer_under_a_code_and_never_the_candidate(open_exam, people,
                                                                     client_for):
    attempt = sit(open_exam, people["officer"], {2: "警告和罚款"})
    item = open_items(attempt)[0]
    page = client_for(people["trainer"]).get(reverse("exams:marking_item", args=[item.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert marking.candidate_code(attempt.pk) in html
    assert "警告和罚款" in html and "警告、通报批评、罚款" in html and "列出罚款" in html
    officer = people["officer"].officer
    for secret in (officer.name, officer.badge_number, officer.unit.name):
        assert secret not in html


def test_candidate_codes_are_stable_distinct_and_not_the_attempt_id():
    codes = {marking.candidate_code(pk) for pk in range(1, 200)}
    assert len(codes) == 199
    assert marking.candidate_code(7) == marking.candidate_code(7) != "7"


@pytest.mark.parametrize("points", ["10.5", "-1", "abc", "", "NaN", "1.234"])
def test_points_outside_zero_to_the_item_points_are_refused(open_exam, people, client_for,
                                                           points):
    attempt = sit(open_exam, people["officer"], {2: "答"})
    item = open_items(attempt)[0]
    response = client_for(people["trainer"]).post(reverse("exams:marking_item", args=[item.pk]),
                                                  {"points": points, "comment": ""})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.marked_at is None and item.earned is None and item.needs_marking


def test_marking_through_the_pages_goes_to_the_next_answer_then_back_to_the_queue(
        open_exam, people, org, client_for):
    first = sit(open_exam, people["officer"], {2: "甲的答案"})
    second = sit(open_exam, people["manager"], {2: "乙的答案"})
    client = client_for(people["trainer"])
    queue = client.get(reverse("exams:marking")).content.decode()
    assert open_exam.title in queue
    short_version = open_items(first)[0].version_id
    response = client.get(reverse("exams:marking_next", args=[open_exam.pk, short_version]))
    first_item = open_items(first)[0]
    assert response.url == reverse("exams:marking_item", args=[first_item.pk])
    response = client.post(response.url, {"points": "6", "comment": "不够完整"})
    second_item = open_items(second)[0]
    assert response.url == reverse("exams:marking_item", args=[second_item.pk])
    response = client.post(response.url, {"points": "10", "comment": ""})
    assert response.url == reverse("exams:marking_exam", args=[open_exam.pk])
    first_item.refresh_from_db()
    assert first_item.earned == Decimal("6") and first_item.marker_comment == "不够完整"


def test_an_answer_cannot_be_marked_twice(open_exam, people):
    attempt = sit(open_exam, people["officer"], {2: "答"})
    item = open_items(attempt)[0]
    marking.mark_item(item, "5", "", people["trainer"])
    with pytest.raises(marking.MarkingError):
        marking.mark_item(item, "9", "", people["organizer"])
    item.refresh_from_db()
    assert item.earned == Decimal("5")


def test_changing_a_mark_needs_a_reason_and_is_audited(open_exam, people, client_for):
    attempt = sit(open_exam, people["officer"], {1: "B", 2: "答", 4: "甲", 5: "乙"})
    for item in open_items(attempt):
        marking.mark_item(item, "2", "", people["trainer"])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED and attempt.score == Decimal("16.00")
    short = attempt.items.get(position=2)
    client = client_for(people["organizer"])
    url = reverse("exams:marking_change", args=[short.pk])
    assert client.get(reverse("exams:marking_item", args=[short.pk])).url == url

    refused = client.post(url, {"points": "7", "comment": "", "reason": "  "})
    assert refused.status_code == 400 and not ScoreChange.objects.exists()

    client.post(url, {"points": "7", "comment": "复核后加分", "reason": "复核：要点二已答出"})
    change = ScoreChange.objects.get()
    assert (change.item, change.old_score, change.new_score) == (short, Decimal("2"),
                                                                Decimal("7"))
    assert change.changed_by == people["organizer"] and change.reason == "复核：要点二已答出"
    attempt.refresh_from_db()
    assert attempt.score == Decimal("21.00") and attempt.status == AttemptStatus.MARKED
    assert "复核：要点二已答出" in client.get(url).content.decode()


def test_officers_and_managers_get_403_on_every_marking_url(open_exam, people, client_for):
    attempt = sit(open_exam, people["officer"], {2: "答"})
    item = open_items(attempt)[0]
    urls = [reverse("exams:marking"), reverse("exams:marking_exam", args=[open_exam.pk]),
            reverse("exams:marking_next", args=[open_exam.pk, item.version_id]),
            reverse("exams:marking_item", args=[item.pk]),
            reverse("exams:marking_change", args=[item.pk]),
            reverse("exams:marking_remark", args=[open_exam.pk])]
    for role in ("officer", "manager"):
        client = client_for(people[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
            assert client.post(url, {"points": "1", "reason": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.marked_at is None


def test_the_marking_queue_costs_the_same_queries_for_many_attempts(
        open_exam, org, people, client_for, django_assert_max_num_queries):
    client = client_for(people["trainer"])
    sit(open_exam, people["officer"], {2: "答"})
    for index in range(6):
        user = org.person(f"extra{index}", org.east2)
        sit(open_exam, user, {2: f"答{index}"})
    for name in ("exams:marking", "exams:marking_exam"):
        url = reverse(name, args=[open_exam.pk] if name.endswith("exam") else [])
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
