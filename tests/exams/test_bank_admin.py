"""The question bank in the admin: who may use it, validation, duplicates, bulk actions."""
import json

import pytest
from django.urls import reverse

from exams.models import Question, QuestionStatus, QuestionType

from .factories import category, question

pytestmark = pytest.mark.django_db

QUESTIONS = "/cms/snippets/exams/question/"
BANK_FRONT = ["exams:import", "exams:template"]


def admin_urls(q):
    return [QUESTIONS, f"{QUESTIONS}edit/{q.pk}/", f"{QUESTIONS}add/",
            f"{QUESTIONS}versions/{q.pk}/", "/cms/snippets/exams/paper/",
            "/cms/question_categories/"]


@pytest.mark.parametrize("name", ["officer", "judge", "manager"])
def test_people_outside_the_bank_roles_never_reach_a_bank_or_key_url(client_for, people, name):
    q = question()
    client = client_for(people[name])
    for url in admin_urls(q):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert "/cms/login" in response["Location"] or response["Location"] == "/cms/", url
        assert "行政处罚的种类" not in response.content.decode(), url
    for name_ in BANK_FRONT:
        assert client.get(reverse(name_)).status_code == 403
    for fmt in ("xlsx", "moodlexml", "gift"):
        assert client.get(reverse("exams:export", args=[fmt])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    q = question()
    for url in admin_urls(q):
        assert client.get(url).status_code == 302
    assert client.get(reverse("exams:export", args=["gift"])).status_code == 302


@pytest.mark.parametrize("name", ["trainer", "organizer"])
def test_trainers_and_organizers_use_the_bank(client_for, people, name):
    q = question()
    client = client_for(people[name])
    for url in admin_urls(q):
        assert client.get(url).status_code == 200, url


def stream(text):
    return json.dumps([{"type": "text", "value": f"<p>{text}</p>", "id": "a1"}])


def form_data(**overrides):
    data = {
        "qtype": QuestionType.SINGLE, "category": category().pk, "difficulty": 3,
        "points": "2", "status": QuestionStatus.ACTIVE, "tags": "",
        "stem-count": 1, "stem-0-type": "text", "stem-0-deleted": "", "stem-0-order": 0,
        "stem-0-value": '{"blocks":[{"key":"k","text":"新的单选题","type":"unstyled","depth":0,'
                        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "stem-0-id": "a1",
        "options-TOTAL_FORMS": 2, "options-INITIAL_FORMS": 0, "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
        "options-0-text": "甲", "options-0-is_correct": "on", "options-0-ORDER": 1,
        "options-0-DELETE": "",
        "options-1-text": "乙", "options-1-ORDER": 2, "options-1-DELETE": "",
        "answer_bool": "", "blank_answers": "", "reference_answer": "", "scoring_points": "",
        "explanation": "", "legal_basis": "", "parent": "", "position": 0,
    }
    data.update(overrides)
    return data


def test_a_trainer_creates_a_question_and_it_gets_a_version(client_for, people):
    client = client_for(people["trainer"])
    response = client.post(f"{QUESTIONS}add/", form_data())
    assert response.status_code == 302, response.context["form"].errors
    q = Question.objects.get()
    assert q.stem_text == "新的单选题"
    assert q.current_version.number == 1
    assert [o["correct"] for o in q.current_version.data["options"]] == [True, False]


@pytest.mark.parametrize("overrides, fragment", [
    ({"options-1-is_correct": "on"}, "exactly one correct"),
    ({"options-0-is_correct": ""}, "Mark the correct"),
    ({"options-1-text": "甲"}, "same text"),
    ({"options-TOTAL_FORMS": 1}, "at least two"),
    ({"qtype": QuestionType.TRUE_FALSE, "options-TOTAL_FORMS": 0}, "true or false"),
])
def test_a_key_that_does_not_fit_the_type_is_refused(client_for, people, overrides, fragment):
    client = client_for(people["trainer"])
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.post(f"{QUESTIONS}add/", form_data(**overrides))
    assert response.status_code == 200
    assert fragment in str(response.context["form"].errors)
    assert not Question.objects.exists()


def test_a_twin_is_refused_until_the_trainer_confirms(client_for, people):
    client = client_for(people["trainer"])
    assert client.post(f"{QUESTIONS}add/", form_data()).status_code == 302
    twin = form_data(**{"options-0-text": "乙", "options-1-text": "甲",
                        "options-0-is_correct": "", "options-1-is_correct": "on"})
    response = client.post(f"{QUESTIONS}add/", twin)
    assert response.status_code == 200
    assert f"#{Question.objects.get().pk}" in str(response.context["form"].errors)
    assert Question.objects.count() == 1
    response = client.post(f"{QUESTIONS}add/", {**twin, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Question.objects.count() == 2


def test_bulk_retire_and_move(client_for, people):
    a, b = question(stem="题一"), question(stem="题二")
    target = category("专门法规/娱乐场所管理条例")
    client = client_for(people["organizer"])
    url = f"/cms/bulk/exams/question/retire/?next=/&id={a.pk}&id={b.pk}"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.RETIRED}
    url = f"/cms/bulk/exams/question/move_category/?next=/&id={a.pk}"
    client.post(url, {"category": target.pk})
    a.refresh_from_db()
    assert a.category == target


def test_the_list_filters_by_use_and_searches_chinese(client_for, people):
    from exams.versions import mark_used

    used, unused = question(stem="网吧接纳未成年人"), question(stem="演出场所消防")
    mark_used([used.current_version_id])
    client = client_for(people["trainer"])
    listed = client.get(QUESTIONS, {"used": "true"}).context["object_list"]
    assert [q.pk for q in listed] == [used.pk]
    listed = client.get(QUESTIONS, {"used": "false"}).context["object_list"]
    assert [q.pk for q in listed] == [unused.pk]
    listed = client.get(QUESTIONS, {"q": "未成年"}).context["object_list"]
    assert [q.pk for q in listed] == [used.pk]


def test_the_preview_shows_the_question_without_its_key(client_for, people):
    q = question(stem="下列哪项属于行政处罚", explanation="解析：第九条")
    response = client_for(people["trainer"]).get(reverse("exams:preview", args=[q.pk]))
    page = response.content.decode()
    assert "下列哪项属于行政处罚" in page and "罚款" in page
    assert "解析：第九条" not in page and "correct" not in page and "fraction" not in page
    assert client_for(people["officer"]).get(
        reverse("exams:preview", args=[q.pk])).status_code == 403


def test_version_history_lists_every_version(client_for, people):
    from exams.models import QuestionOption
    from exams.versions import mark_used, sync_version

    q = question()
    mark_used([q.current_version_id])
    QuestionOption.objects.filter(question=q, text="记过").update(text="记大过")
    sync_version(q)
    page = client_for(people["trainer"]).get(f"{QUESTIONS}versions/{q.pk}/").content.decode()
    assert "v1" in page and "v2" in page
