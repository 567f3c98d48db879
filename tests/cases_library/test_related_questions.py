"""A case's related questions from the bank: shown on the case page, answered there."""
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases_library.models import CaseQuestion
from exams.models import PracticeAnswer
from tests.content import factories
from tests.content.self_check_data import (ANSWERS, BLANK_KEY, EXPLANATION, LEGAL_BASIS, attach,
                                           make_bank, queries_on_reload)
from tests.exams.factories import question

BOUND = 30


@pytest.fixture
def bank(db):
    return make_bank()


def test_the_case_page_shows_its_related_questions_without_the_key(study, bank, people,
                                                                   client_for):
    case = attach(factories.case(), [bank[name] for name in (*ANSWERS, "short", "draft")])
    client = client_for(people["officer"])
    html = client.get(case.url).content.decode()
    for name in ANSWERS:
        assert bank[name].stem_text in html
        assert reverse("content:self_check", args=[case.pk, bank[name].pk]) in html
    assert "简答" not in html and "草稿题" not in html
    assert EXPLANATION not in html and LEGAL_BASIS not in html and BLANK_KEY not in html
    q = bank["true_false"]
    response = client.post(reverse("content:self_check", args=[case.pk, q.pk]),
                           {f"q-{q.pk}": "false"}, HTTP_ACCEPT="application/json")
    data = json.loads(response.content)
    assert data["correct"] is False and EXPLANATION in data["html"]
    assert PracticeAnswer.objects.get().correct is False


def test_a_case_without_related_questions_shows_no_self_check(study, people, client_for):
    html = client_for(people["officer"]).get(factories.case().url).content.decode()
    assert "self-check" not in html and "self_check.js" not in html


def test_only_answerable_questions_can_be_related(study, bank):
    case = factories.case()
    with pytest.raises(ValidationError):
        CaseQuestion(case=case, question=bank["short"]).full_clean()
    CaseQuestion(case=case, question=bank["single"]).full_clean()


def test_the_case_editor_has_the_question_chooser(study, bank, people, client_for):
    case = attach(factories.case(), [bank["single"]])
    html = client_for(people["admin"]).get(
        reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    assert reverse("self_check_question_chooser:choose") in html
    assert "related_questions-TOTAL_FORMS" in html
    assert 'name="related_questions-0-question" value="%s"' % bank["single"].pk in html


def test_the_case_page_queries_stay_flat_as_related_questions_grow(
        study, bank, people, client_for, django_assert_max_num_queries):
    client = client_for(people["officer"])
    few = attach(factories.case(title="少题案例"), [bank["single"]])
    extra = [question(stem=f"单选第{n}题", cat=bank["single"].category) for n in range(8)]
    many = attach(factories.case(title="多题案例"), [bank[name] for name in ANSWERS] + extra)

    with django_assert_max_num_queries(BOUND):
        response = client.get(many.url)
    assert "单选第7题" in response.content.decode()
    assert queries_on_reload(client, many.url) == queries_on_reload(client, few.url)
