"""The wrong-answer notebook: in on a wrong answer, out after two right ones in a row."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams import notebook, practice, sitting
from exams.models import (BlueprintRule, Exam, ExamStatus, Paper, PaperKind, PracticeAnswer,
                          QuestionType, ReviewPolicy, WrongAnswer)
from exams.views.practice import SESSION_KEY

from .factories import question
from .test_practice import EXPLANATION, make_bank


@pytest.fixture
def bank(db):
    return make_bank()


@pytest.fixture
def officer(people):
    return people["officer"].officer


def practise(officer, q, right):
    """Answer question `q` in practice, right or wrong."""
    values = {QuestionType.SINGLE: ("A", "B"), QuestionType.TRUE_FALSE: (True, False)}
    return practice.record_answer(officer, q.current_version, values[q.qtype][0 if right else 1])


def in_notebook(officer, q):
    return notebook.open_entries(officer).filter(question=q).exists()


def test_a_wrong_answer_puts_the_question_in_the_notebook(bank, officer):
    practise(officer, bank["single"], right=False)
    entry = WrongAnswer.objects.get(officer=officer)
    assert entry.question == bank["single"] and entry.source == WrongAnswer.Source.PRACTICE
    assert entry.last_answer == "B" and entry.times_wrong == 1 and entry.streak == 0


def test_two_right_answers_in_a_row_take_it_out(bank, officer):
    q = bank["single"]
    practise(officer, q, right=False)
    practise(officer, q, right=True)
    assert in_notebook(officer, q)
    practise(officer, q, right=True)
    assert not in_notebook(officer, q)
    assert WrongAnswer.objects.get(officer=officer).cleared_at is not None


def test_right_wrong_right_keeps_it_in(bank, officer):
    q = bank["single"]
    practise(officer, q, right=False)
    practise(officer, q, right=True)
    practise(officer, q, right=False)
    practise(officer, q, right=True)
    entry = WrongAnswer.objects.get(officer=officer)
    assert entry.cleared_at is None and entry.streak == 1 and entry.times_wrong == 2


def test_a_right_answer_alone_adds_nothing(bank, officer):
    practise(officer, bank["single"], right=True)
    assert not WrongAnswer.objects.exists()


def test_a_cleared_question_comes_back_when_answered_wrong_again(bank, officer):
    q = bank["true_false"]
    for right in (False, True, True, False):
        practise(officer, q, right)
    entry = WrongAnswer.objects.get(officer=officer)
    assert entry.cleared_at is None and entry.times_wrong == 2


def test_the_notebook_shows_my_answer_the_key_and_the_explanation(
        bank, officer, people, client_for):
    practise(officer, bank["single"], right=False)
    practise(officer, bank["true_false"], right=False)
    practise(people["manager"].officer, bank["single"], right=False)  # not mine: not shown
    page = client_for(people["officer"]).get(reverse("exams:notebook")).content.decode()
    assert "单选：哪一项是申诫罚？" in page and "判断：警告是行政处罚。" in page
    assert EXPLANATION in page and page.count('value="B" data-answer disabled checked') == 1
    # Each entry's inputs are named apart, so one entry's radios cannot uncheck another's.
    assert len(set(re.findall(r'name="(q-[0-9]*)"', page))) == 2


def test_the_notebook_filters_by_category_and_source(bank, officer, people, client_for):
    practise(officer, bank["single"], right=False)
    practice.record_answer(officer, bank["fill_blank"].current_version, ["罚款"])
    client = client_for(people["officer"])
    culture = bank["fill_blank"].category
    page = client.get(reverse("exams:notebook"), {"category": culture.pk}).content.decode()
    assert "填空" in page and "单选：哪一项是申诫罚？" not in page
    page = client.get(reverse("exams:notebook"), {"source": "exam"}).content.decode()
    assert "填空" not in page and "单选：哪一项是申诫罚？" not in page


def test_officers_see_only_their_own_notebook(bank, officer, people, client_for):
    practise(officer, bank["single"], right=False)
    entry = WrongAnswer.objects.get()
    mine = client_for(people["officer"]).get(reverse("exams:notebook_entry", args=[entry.pk]))
    assert mine.status_code == 200
    other = client_for(people["manager"])
    assert other.get(reverse("exams:notebook_entry", args=[entry.pk])).status_code == 404
    assert "单选：哪一项是申诫罚？" not in other.get(reverse("exams:notebook")).content.decode()


def test_the_notebook_page_query_count_does_not_grow_with_entries(
        bank, officer, people, client_for, django_assert_max_num_queries):
    for index in range(12):
        practise(officer, question(stem=f"错题{index}", cat=bank["single"].category), right=False)
    client = client_for(people["officer"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exams:notebook")).status_code == 200


def test_re_practice_serves_only_notebook_questions_and_clears_them(
        bank, officer, people, client_for):
    q = bank["single"]
    practise(officer, q, right=False)
    client = client_for(people["officer"])
    for _ in range(2):
        client.get(reverse("exams:notebook_practice"))
        state = client.session[SESSION_KEY]
        assert state["question"] == q.pk and state["mode"] == "notebook"
        client.post(reverse("exams:practice_answer"), {"version": state["version"], "q-": "A"})
    assert not in_notebook(officer, q)
    assert list(PracticeAnswer.objects.filter(from_notebook=True).values_list(
        "correct", flat=True)) == [True, True]
    page = client.get(reverse("exams:notebook_practice")).content.decode()
    assert 'name="version"' not in page  # nothing left to practise


# Wrong answers from exams --------------------------------------------------------------

@pytest.fixture
def exam(bank, people):
    """A monthly exam with full review after the window closes; the officer has sat it."""
    paper = Paper.objects.create(title="月考", kind=PaperKind.BLUEPRINT, shuffle_options=False)
    law = bank["single"].category
    BlueprintRule.objects.create(paper=paper, category=law, qtype=QuestionType.SINGLE, count=1,
                                 points=Decimal("10"))
    BlueprintRule.objects.create(paper=paper, category=law, qtype=QuestionType.TRUE_FALSE,
                                 count=1, points=Decimal("10"))
    BlueprintRule.objects.create(paper=paper, category=law, qtype=QuestionType.SHORT_ANSWER,
                                 count=1, points=Decimal("10"))
    now = timezone.now()
    return Exam.objects.create(title="十一月学法考试", paper=paper, status=ExamStatus.PUBLISHED,
                               opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(hours=2),
                               review_policy=ReviewPolicy.FULL)


def sit(exam, officer, answers):
    """Sit the exam with `answers` by question type, and submit it."""
    attempt = sitting.create_attempt(exam, officer, number=exam.attempts.count() + 1)
    sitting.start(attempt, "device")
    for item in attempt.items.select_related("version"):
        item.answer = answers.get(item.version.qtype)
        item.save(update_fields=["answer"])
    return sitting.submit(attempt)


def close(exam):
    Exam.objects.filter(pk=exam.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    exam.refresh_from_db()


def test_exam_wrong_answers_are_collected_only_once_review_is_open(exam, officer):
    attempt = sit(exam, officer, {"single": "C", "true_false": True, "short_answer": "……"})
    assert notebook.collect_from_attempt(attempt) == 0  # the window is still open
    assert not WrongAnswer.objects.exists()
    close(exam)
    attempt.refresh_from_db()
    assert notebook.collect_from_attempt(attempt) == 1
    entry = WrongAnswer.objects.get()
    assert entry.question == bank_question(attempt, "single")
    assert entry.source == WrongAnswer.Source.EXAM and entry.last_answer == "C"
    assert entry.attempt_item.attempt == attempt


def bank_question(attempt, qtype):
    return attempt.items.get(version__qtype=qtype).version.question


def test_collecting_twice_adds_nothing_twice(exam, officer):
    attempt = sit(exam, officer, {"single": "C"})  # true/false unanswered: wrong too
    close(exam)
    attempt.refresh_from_db()
    assert notebook.collect_from_attempt(attempt) == 2
    assert notebook.collect_from_attempt(attempt) == 0
    assert notebook.collect_for_officer(officer) == 0
    assert sorted(WrongAnswer.objects.values_list("times_wrong", flat=True)) == [1, 1]


def test_wrong_answers_in_two_attempts_count_twice(exam, officer):
    Exam.objects.filter(pk=exam.pk).update(review_from="on_submit", attempts_allowed=2)
    exam.refresh_from_db()
    sit(exam, officer, {"single": "C", "true_false": False})
    sit(exam, officer, {"single": "D", "true_false": False})
    assert notebook.collect_for_officer(officer) == 4
    single = WrongAnswer.objects.get(question__qtype=QuestionType.SINGLE)
    assert single.times_wrong == 2 and single.last_answer == "D"
    assert notebook.collect_for_officer(officer) == 0


def test_an_older_attempt_read_after_a_newer_one_adds_nothing(exam, officer):
    Exam.objects.filter(pk=exam.pk).update(review_from="on_submit", attempts_allowed=2)
    exam.refresh_from_db()
    first = sit(exam, officer, {"single": "C", "true_false": False})
    second = sit(exam, officer, {"single": "C", "true_false": False})
    assert notebook.collect_from_attempt(second) == 2
    assert notebook.collect_from_attempt(first) == 0
    assert notebook.collect_for_officer(officer) == 0
    assert list(WrongAnswer.objects.values_list("times_wrong", flat=True)) == [1, 1]


def test_no_collection_when_the_exam_shows_only_the_score(exam, officer):
    Exam.objects.filter(pk=exam.pk).update(review_policy=ReviewPolicy.SCORE)
    attempt = sit(exam, officer, {"single": "C"})
    close(exam)
    attempt.refresh_from_db()
    assert notebook.collect_from_attempt(attempt) == 0
    assert notebook.collect_for_officer(officer) == 0


def test_opening_the_notebook_collects_exam_answers(exam, officer, people, client_for):
    attempt = sit(exam, officer, {"single": "C", "true_false": True})
    close(exam)
    page = client_for(people["officer"]).get(reverse("exams:notebook")).content.decode()
    assert exam.title in page
    assert WrongAnswer.objects.get().attempt_item.attempt == attempt
