"""A lesson's check questions: shown without their key, answered with immediate feedback."""
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from content.models import LessonCheckQuestion
from exams import sitting
from exams.models import (BlueprintRule, Exam, ExamStatus, Paper, PaperKind, PracticeAnswer,
                          QuestionType, WrongAnswer)
from tests.exams.factories import question

from . import factories
from .self_check_data import (ANSWERS, BLANK_KEY, EXPLANATION, LEGAL_BASIS, attach, make_bank,
                              queries_on_reload)

BOUND = 30


@pytest.fixture
def bank(db):
    return make_bank()


@pytest.fixture
def lesson(study, bank):
    _course, (lesson, _other) = factories.course_with_lessons(study["shelf"])
    return attach(lesson, [bank[name] for name in
                           ("single", "multiple", "true_false", "fill_blank", "short", "draft")])


def check_url(page, q):
    return reverse("content:self_check", args=[page.pk, q.pk])


def post_answer(client, page, q, values, json_wanted=True):
    headers = {"HTTP_ACCEPT": "application/json"} if json_wanted else {}
    return client.post(check_url(page, q), {f"q-{q.pk}": values}, **headers)


def test_the_lesson_shows_its_check_questions_without_the_key(lesson, bank, people,
                                                              client_for):
    html = client_for(people["officer"]).get(lesson.url).content.decode()
    for name in ANSWERS:
        assert bank[name].stem_text in html
        assert check_url(lesson, bank[name]) in html
        assert f'name="q-{bank[name].pk}"' in html
    assert "简答" not in html and "草稿题" not in html  # not answerable / not active
    assert EXPLANATION not in html and LEGAL_BASIS not in html and BLANK_KEY not in html
    assert "correct" not in html and "fraction" not in html and "checked" not in html
    assert "content/self_check.js" in html


@pytest.mark.parametrize("name", list(ANSWERS))
def test_the_feedback_endpoint_says_right_or_wrong_with_the_explanation(
        lesson, bank, people, client_for, name):
    client = client_for(people["officer"])
    q = bank[name]
    right, wrong = ANSWERS[name]
    response = post_answer(client, lesson, q, right)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["correct"] is True
    assert EXPLANATION in data["html"] and LEGAL_BASIS in data["html"]
    assert 'badge ok' in data["html"]
    data = json.loads(post_answer(client, lesson, q, wrong).content)
    assert data["correct"] is False and 'badge bad' in data["html"]
    officer = people["officer"].officer
    assert list(PracticeAnswer.objects.filter(officer=officer).order_by("pk")
                .values_list("correct", flat=True)) == [True, False]
    assert WrongAnswer.objects.get(officer=officer).question == q  # into the notebook


def test_without_javascript_the_answer_gets_a_feedback_page(lesson, bank, people, client_for):
    client = client_for(people["officer"])
    response = post_answer(client, lesson, bank["fill_blank"], ["罚款"], json_wanted=False)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'badge bad' in html and BLANK_KEY in html and EXPLANATION in html
    assert f"{lesson.url}#check-{bank['fill_blank'].pk}" in html


def test_only_the_pages_own_active_questions_can_be_checked(lesson, bank, study, people,
                                                            client, client_for):
    anonymous = client.post(check_url(lesson, bank["single"]), {f"q-{bank['single'].pk}": "A"})
    assert anonymous.status_code == 302 and "/login" in anonymous.url
    officer = client_for(people["officer"])
    assert officer.get(check_url(lesson, bank["single"])).status_code == 405
    stranger = question(stem="别的题", cat=bank["single"].category, explanation="不该泄露")
    for q in (stranger, bank["draft"], bank["short"]):
        response = post_answer(officer, lesson, q, ["A"])
        assert response.status_code == 404 and "不该泄露" not in response.content.decode()
    blank = post_answer(officer, lesson, bank["single"], [])
    assert blank.status_code == 400 and EXPLANATION not in blank.content.decode()
    lesson.unpublish()
    assert post_answer(officer, lesson, bank["single"], ["A"]).status_code == 404
    assert not PracticeAnswer.objects.exists()


def test_self_check_is_paused_while_an_exam_is_in_progress(lesson, bank, people, client_for):
    paper = Paper.objects.create(title="月考卷", kind=PaperKind.BLUEPRINT)
    BlueprintRule.objects.create(paper=paper, category=bank["single"].category,
                                 qtype=QuestionType.SINGLE, count=1, points=Decimal("10"))
    now = timezone.now()
    exam = Exam.objects.create(title="本月考试", paper=paper, status=ExamStatus.PUBLISHED,
                               opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=1))
    attempt = sitting.create_attempt(exam, people["officer"].officer)
    sitting.start(attempt, "device")
    response = post_answer(client_for(people["officer"]), lesson, bank["single"], ["A"])
    assert response.status_code == 409
    assert EXPLANATION not in response.content.decode()
    assert not PracticeAnswer.objects.exists()


def test_only_answerable_questions_can_be_attached(bank, lesson):
    for name in ("short",):
        with pytest.raises(ValidationError):
            LessonCheckQuestion(lesson=lesson, question=bank[name]).full_clean()
    sub = question(stem="案例小题", cat=bank["single"].category, parent=bank["short"])
    with pytest.raises(ValidationError):
        LessonCheckQuestion(lesson=lesson, question=sub).full_clean()
    LessonCheckQuestion(lesson=lesson, question=bank["fill_blank"]).full_clean()


def test_the_editor_offers_a_chooser_of_answerable_questions(lesson, bank, people,
                                                             client_for):
    client = client_for(people["admin"])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert edit.status_code == 200
    html = edit.content.decode()
    chooser = reverse("self_check_question_chooser:choose")
    assert chooser in html and "check_questions-TOTAL_FORMS" in html
    listing = client.get(chooser).content.decode()
    listing = json.loads(listing)["html"]
    for name in ANSWERS:
        assert bank[name].stem_text[:10] in listing
    assert "简答" not in listing and "草稿题" not in listing
    found = client.get(reverse("self_check_question_chooser:choose_results"),
                       {"q": "申诫罚 包括"}).content.decode()
    assert "申诫罚包括" in found and "哪一项是申诫罚" not in found


def test_the_lesson_page_queries_stay_flat_as_check_questions_grow(
        study, bank, people, client_for, django_assert_max_num_queries):
    client = client_for(people["officer"])
    _course, (few, many) = factories.course_with_lessons(study["shelf"])
    few = attach(few, [bank["single"]])
    extra = [question(stem=f"单选第{n}题", cat=bank["single"].category) for n in range(8)]
    many = attach(many, [bank[name] for name in ANSWERS] + extra)

    with django_assert_max_num_queries(BOUND):
        response = client.get(many.url)
    assert "单选第7题" in response.content.decode()
    assert queries_on_reload(client, many.url) == queries_on_reload(client, few.url)


def test_a_previewed_lesson_shows_unsaved_check_questions(lesson, bank):
    from content.self_check import items_for

    lesson.check_questions = [LessonCheckQuestion(question=bank["true_false"], sort_order=0),
                              LessonCheckQuestion(question=bank["draft"], sort_order=1)]
    items = items_for(lesson)  # links held in memory, as in the editor's preview
    assert [item["question"] for item in items] == [bank["true_false"]]
    assert "answer_bool" not in items[0]["q"] and "explanation" not in items[0]["q"]
