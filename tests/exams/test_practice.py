"""Practice by category with immediate feedback, and mock exams on the normal exam pages."""
import datetime as dt
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams import practice, sitting
from exams.models import (Attempt, AttemptStatus, BlueprintRule, Exam, ExamKind, ExamStatus,
                          Paper, PaperKind, PracticeAnswer, QuestionStatus, QuestionType,
                          WrongAnswer)
from exams.views.practice import SESSION_KEY

from .factories import category, question

EXPLANATION = "解析：警告是申诫罚"
LEGAL_BASIS = "《行政处罚法》第九条"


def make_bank():
    """Return {name: question}: one practicable question per objective type, and some others."""
    law = category("通用法律/行政处罚法")
    culture = category("行业法规/网络文化")
    notes = {"explanation": EXPLANATION, "legal_basis": LEGAL_BASIS}
    return {
        "single": question(stem="单选：哪一项是申诫罚？", cat=law, correct=("A",), **notes),
        "multiple": question(QuestionType.MULTIPLE, stem="多选：哪些是行政处罚？", cat=law,
                             correct=("A", "B"), **notes),
        "true_false": question(QuestionType.TRUE_FALSE, stem="判断：警告是行政处罚。", cat=law,
                               answer_bool=True, **notes),
        "fill_blank": question(QuestionType.FILL_BLANK, stem="填空：申诫罚包括____。",
                               cat=culture, blanks="通报批评/批评", **notes),
        "short": question(QuestionType.SHORT_ANSWER, stem="简答：什么是行政处罚？", cat=law),
        "draft": question(stem="草稿题", cat=law, status=QuestionStatus.DRAFT),
    }


# Form values (as the browser posts them) that are right and wrong, per type.
ANSWERS = {
    "single": (["A"], ["B"]),
    "multiple": (["B", "A"], ["A"]),
    "true_false": (["true"], ["false"]),
    "fill_blank": ([" 批评 "], ["罚款"]),
}


@pytest.fixture
def bank(db):
    return make_bank()


def serve(client, questions):
    """Open the practice page of the category of `questions` until one of them is served."""
    target = {q.pk for q in questions}
    url = reverse("exams:practice_category", args=[questions[0].category_id])
    for _ in range(40):
        response = client.get(url, {"skip": 1})
        state = client.session[SESSION_KEY]
        if state["question"] in target:
            return response, state
    raise AssertionError("the question was never served")


def answer(client, state, values):
    return client.post(reverse("exams:practice_answer"),
                       {"version": state["version"], "q-": values})


def test_practice_serves_only_active_standalone_objective_questions(bank):
    case = question(QuestionType.CASE_ANALYSIS, stem="案例", cat=bank["single"].category)
    question(stem="案例小题", cat=case.category, parent=case)
    served = {practice.next_question(rng=random.Random(seed)).question_id for seed in range(80)}
    assert served == {bank[name].pk for name in ANSWERS}


def test_the_same_question_is_never_served_twice_in_a_row(bank):
    rng = random.Random(7)
    previous = None
    for _ in range(50):
        version = practice.next_question(previous=previous, rng=rng)
        assert version.question_id != previous
        previous = version.question_id


def test_the_only_question_of_a_category_is_served_again(bank):
    culture = bank["fill_blank"].category
    version = practice.next_question(culture, previous=bank["fill_blank"].pk)
    assert version.question_id == bank["fill_blank"].pk


def test_categories_count_active_questions_in_their_subtree(bank):
    counts = {c.category.full_name: c.count for c in practice.practice_categories()}
    assert counts == {"通用法律": 3, "通用法律/行政处罚法": 3, "行业法规": 1, "行业法规/网络文化": 1}


@pytest.mark.parametrize("qtype", list(ANSWERS))
def test_an_answer_gets_immediate_feedback_with_key_and_explanation(
        bank, people, client_for, qtype):
    client = client_for(people["officer"])
    for right, values in zip((True, False), ANSWERS[qtype]):
        _page, state = serve(client, [bank[qtype]])
        response = answer(client, state, values)
        record = PracticeAnswer.objects.latest("pk")
        assert response.url == reverse("exams:practice_feedback", args=[record.pk])
        assert record.correct is right and not record.from_notebook
        page = client.get(response.url).content.decode()
        assert ('<span class="badge ok">' if right else '<span class="badge bad">') in page
        assert EXPLANATION in page and LEGAL_BASIS in page
    assert WrongAnswer.objects.get().question == bank[qtype]  # the wrong answer only


def test_the_key_is_not_in_the_page_before_answering(bank, people, client_for):
    client = client_for(people["officer"])
    for name in ANSWERS:
        page, _state = serve(client, [bank[name]])
        html = page.content.decode()
        assert EXPLANATION not in html and LEGAL_BASIS not in html
        assert "通报批评" not in html  # the fill-in key
        assert "correct" not in html and "fraction" not in html
        assert 'checked' not in html


def test_reloading_serves_the_same_unanswered_question(bank, people, client_for):
    client = client_for(people["officer"])
    url = reverse("exams:practice_category", args=[bank["single"].category_id])
    client.get(url)
    first = client.session[SESSION_KEY]["version"]
    client.get(url)
    assert client.session[SESSION_KEY]["version"] == first


def test_a_question_is_answered_once_and_a_stale_form_is_refused(bank, people, client_for):
    client = client_for(people["officer"])
    _page, state = serve(client, [bank["single"]])
    answer(client, state, ["A"])
    response = answer(client, state, ["B"])  # the same form again (a second tab, a re-post)
    assert response.status_code == 302
    assert PracticeAnswer.objects.count() == 1
    assert not WrongAnswer.objects.exists()


def test_an_empty_answer_is_not_checked(bank, people, client_for):
    client = client_for(people["officer"])
    _page, state = serve(client, [bank["fill_blank"]])
    response = answer(client, state, ["  "])
    assert response.status_code == 302 and not PracticeAnswer.objects.exists()


def test_another_officers_practice_answer_is_not_found(bank, people, client_for):
    client = client_for(people["officer"])
    _page, state = serve(client, [bank["single"]])
    feedback = answer(client, state, ["A"]).url
    assert client_for(people["manager"]).get(feedback).status_code == 404


def test_the_practice_home_lists_categories_notebook_and_mock_exams(
        bank, people, client_for, mock_exam, django_assert_max_num_queries):
    client = client_for(people["officer"])
    with django_assert_max_num_queries(15):  # constant: the layout takes 5 of them
        page = client.get(reverse("exams:practice")).content.decode()
    assert reverse("exams:practice_category", args=[bank["single"].category_id]) in page
    assert mock_exam.title in page and reverse("exams:mock_start", args=[mock_exam.pk]) in page


def test_the_practice_page_uses_few_queries(bank, people, client_for,
                                            django_assert_max_num_queries):
    client = client_for(people["officer"])
    url = reverse("exams:practice_category", args=[bank["single"].category_id])
    client.get(url)
    # Constant counts: the session, the user and the layout take about half of them.
    with django_assert_max_num_queries(15):
        client.get(url, {"skip": 1})
    _page, state = serve(client, [bank["multiple"]])
    with django_assert_max_num_queries(20):  # savepoints count too
        feedback = answer(client, state, ["A"]).url
    with django_assert_max_num_queries(12):
        client.get(feedback)


@pytest.fixture
def open_exam(bank, people):
    """A monthly exam the officer is sitting right now."""
    paper = Paper.objects.create(title="月考", kind=PaperKind.BLUEPRINT)
    BlueprintRule.objects.create(paper=paper, category=bank["single"].category,
                                 qtype=QuestionType.SINGLE, count=1, points=Decimal("10"))
    now = timezone.now()
    exam = Exam.objects.create(title="月考", paper=paper, status=ExamStatus.PUBLISHED,
                               opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=1))
    attempt = sitting.create_attempt(exam, people["officer"].officer)
    sitting.start(attempt, "device")
    return attempt


def test_practice_is_paused_while_an_exam_is_in_progress(bank, open_exam, people, client_for):
    client = client_for(people["officer"])
    url = reverse("exams:practice_category", args=[bank["single"].category_id])
    page = client.get(url).content.decode()
    assert reverse("exams:attempt", args=[open_exam.pk]) in page
    assert SESSION_KEY not in client.session
    assert client.get(reverse("exams:notebook")).content.decode().count(
        reverse("exams:attempt", args=[open_exam.pk])) == 1
    sitting.submit(open_exam)
    assert SESSION_KEY not in client.session
    client.get(url)
    assert client.session[SESSION_KEY]["version"]


# Mock exams -----------------------------------------------------------------------------

@pytest.fixture
def mock_exam(bank, people):
    """A mock exam open for a year; no unit is named, one attempt is 'allowed'."""
    paper = Paper.objects.create(title="模拟卷", kind=PaperKind.BLUEPRINT)
    BlueprintRule.objects.create(paper=paper, category=bank["single"].category,
                                 qtype=QuestionType.SINGLE, count=1, points=Decimal("10"))
    BlueprintRule.objects.create(paper=paper, category=bank["single"].category,
                                 qtype=QuestionType.TRUE_FALSE, count=1, points=Decimal("10"))
    now = timezone.now()
    return Exam.objects.create(title="行政处罚法模拟考试", kind=ExamKind.MOCK, paper=paper,
                               status=ExamStatus.PUBLISHED, review_from="on_submit",
                               opens_at=now - dt.timedelta(days=1),
                               closes_at=now + dt.timedelta(days=365))


def take_mock(client, exam):
    """Start a mock exam from the practice page, sit it on the normal pages, submit it."""
    response = client.post(reverse("exams:mock_start", args=[exam.pk]))
    assert response.url == reverse("exams:exam_start", args=[exam.pk])
    assert client.get(response.url).status_code == 200
    attempt = Attempt.objects.filter(exam=exam).order_by("-number").first()
    assert client.post(reverse("exams:attempt_begin", args=[attempt.pk])).status_code == 302
    client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    return attempt


def test_any_officer_may_take_a_mock_exam_again_and_again(mock_exam, people, client_for):
    client = client_for(people["judge"])  # in the west, and the exam names no unit
    first = take_mock(client, mock_exam)
    second = take_mock(client, mock_exam)
    assert (first.number, second.number) == (1, 2)
    assert first.status == second.status == AttemptStatus.MARKED
    assert first.pk != second.pk


def test_starting_twice_continues_the_unfinished_mock_attempt(mock_exam, people, client_for):
    client = client_for(people["officer"])
    client.post(reverse("exams:mock_start", args=[mock_exam.pk]))
    client.post(reverse("exams:mock_start", args=[mock_exam.pk]))
    assert Attempt.objects.filter(exam=mock_exam).count() == 1


def test_only_open_published_mock_exams_can_be_started(mock_exam, open_exam, people,
                                                       client_for):
    client = client_for(people["officer"])
    monthly = open_exam.exam
    assert client.post(reverse("exams:mock_start", args=[monthly.pk])).status_code == 404
    Exam.objects.filter(pk=mock_exam.pk).update(status=ExamStatus.DRAFT)
    assert client.post(reverse("exams:mock_start", args=[mock_exam.pk])).status_code == 404
    assert client.get(reverse("exams:mock_start", args=[mock_exam.pk])).status_code == 405


def test_mock_attempts_never_count_as_monthly_exams(mock_exam, open_exam, people, client_for):
    sitting.submit(open_exam)
    take_mock(client_for(people["officer"]), mock_exam)
    take_mock(client_for(people["officer"]), mock_exam)
    monthly = Attempt.objects.filter(exam__kind=ExamKind.MONTHLY,
                                     officer=people["officer"].officer)
    assert list(monthly) == [open_exam]
    assert Attempt.objects.filter(exam=mock_exam).count() == 2
