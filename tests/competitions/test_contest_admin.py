"""The contest set-up in the management console: organizers only, rubrics validated."""
import json

import pytest
from django.urls import reverse

from competitions.models import PlantedError, Rubric
from competitions.rubric_spec import CASE_FILE_REVIEW_NAME

from . import factories as f

pytestmark = pytest.mark.django_db

LISTS = ["contests:index", "contest_events:index", "contest_rubrics:index",
         "contest_answer_keys:index", "contest_judges:index"]


def test_organizers_open_every_contest_list(people, org, client_for):
    contest = f.contest(org)
    event = f.event(contest, "correction", name="纠错项目")
    f.key_error(event, "A", "封面", "documents", "5", "封面缺少案由")
    client = client_for(people["organizer"])
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert "封面" in client.get(reverse("contest_answer_keys:index")).content.decode()
    assert CASE_FILE_REVIEW_NAME in client.get(reverse("contest_rubrics:index")).content.decode()


@pytest.mark.parametrize("who", ["judge", "officer", "manager"])
def test_judges_contestants_and_managers_never_reach_the_answer_key(who, people, org,
                                                                   client_for):
    event = f.event(f.contest(org), "correction")
    error = f.key_error(event, "A", "封面", "documents", "5", "封面缺少案由")
    client = client_for(people[who])
    for url in (reverse("contest_answer_keys:index"),
                reverse("contest_answer_keys:edit", args=[error.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "封面缺少案由" not in response.content.decode()


def test_an_organizer_outside_the_organizer_unit_does_not_see_the_contest(people, org,
                                                                          client_for):
    from people.roles import Role

    east_organizer = org.person("east_org", org.east, Role.ORGANIZER)
    contest = f.contest(org, name="总队比赛")             # organized by the corps
    event = f.event(contest, "correction")
    error = f.key_error(event, "A", "封面", "documents", "5", "封面缺少案由")
    client = client_for(east_organizer)
    assert "总队比赛" not in client.get(reverse("contests:index")).content.decode()
    assert client.get(reverse("contest_answer_keys:edit", args=[error.pk])).status_code == 404


def test_a_bad_rubric_definition_is_refused_with_its_reason(people, client_for):
    client = client_for(people["organizer"])
    response = client.post(reverse("contest_rubrics:add"), {
        "name": "坏标准", "description": "",
        "definition": json.dumps({"criteria": [{"code": "a", "name": "甲",
                                                "max_points": 10,
                                                "measures": [{"code": "m", "name": "乙",
                                                              "points": 5}]}]})})
    assert response.status_code == 200
    assert not Rubric.objects.filter(name="坏标准").exists()
    response = client.post(reverse("contest_rubrics:add"), {
        "name": "好标准", "description": "",
        "definition": json.dumps(f.SMALL_RUBRIC)})
    assert response.status_code == 302
    assert Rubric.objects.filter(name="好标准").exists()


def test_planted_errors_must_use_the_event_locations(people, org, client_for):
    event = f.event(f.contest(org), "correction", locations=["封面", "询问笔录第2页"])
    client = client_for(people["organizer"])
    data = {"event": event.pk, "code": "A", "location": "不存在的地方", "category": "facts",
            "points": "5", "description": ""}
    assert client.post(reverse("contest_answer_keys:add"), data).status_code == 200
    assert not PlantedError.objects.exists()
    client.post(reverse("contest_answer_keys:add"), {**data, "location": "封面"})
    assert PlantedError.objects.get().location == "封面"
