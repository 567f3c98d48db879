"""Registration: who may register whom, teams, approval with blind codes, outsiders, flow."""
from unittest import mock

import pytest
from django.urls import reverse

from competitions import contest_flow, registration
from competitions.models import (ContestStatus, Entry, EntryStatus, EventKind, Submission,
                                 Team)
from competitions.views.contestant import stored_name
from people.scopes import visible_officers

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(org):
    contest = f.contest(org, status=ContestStatus.REGISTRATION, team_size=2)
    f.event(contest, EventKind.DRAFTING, name="文书")
    f.event(contest, EventKind.CORRECTION, name="纠错")
    return contest


def test_a_manager_registers_only_officers_in_scope(contest, org, people, client_for):
    mine = org.person("east_officer", org.east2, name="东二队员")
    theirs = org.person("west_officer", org.west1, name="西一队员")
    client = client_for(people["manager"])
    page = client.get(reverse("competitions:register", args=[contest.pk])).content.decode()
    assert "东二队员" in page and "西一队员" not in page
    events = list(contest.events.values_list("pk", flat=True))
    response = client.post(reverse("competitions:register", args=[contest.pk]),
                           {"officers": [theirs.officer.pk], "events": events})
    assert response.status_code == 200          # not a valid choice
    assert not Entry.objects.exists()
    client.post(reverse("competitions:register", args=[contest.pk]),
                {"officers": [mine.officer.pk], "events": events})
    entry = Entry.objects.get()
    assert (entry.officer, entry.unit, entry.status) == (mine.officer, org.east2,
                                                         EntryStatus.REGISTERED)
    assert entry.submissions.count() == 2
    # The other manager does not see the east entry.
    html = client_for(people["other_manager"]).get(
        reverse("competitions:entries", args=[contest.pk])).content.decode()
    assert "东二队员" not in html


def test_participating_units_limit_registration(contest, org, people):
    contest.participating_units.add(org.east1)
    from competitions.access import registrable_officers

    officers = registrable_officers(people["manager"], contest)
    assert set(officers) == set(visible_officers(people["manager"]).filter(unit=org.east1))


def test_officers_and_judges_cannot_register(contest, people, client_for):
    for who in ("officer", "judge"):
        assert client_for(people[who]).get(
            reverse("competitions:register", args=[contest.pk])).status_code == 403


def test_registration_only_while_open(contest, org, people):
    contest.status = ContestStatus.RUNNING
    contest.save()
    with pytest.raises(registration.RegistrationError):
        registration.register(contest, people["officer"].officer, people["manager"])


def test_a_team_is_team_size_officers_of_one_unit(contest, org, people):
    a = org.person("a", org.east1).officer
    b = org.person("b", org.east1).officer
    w = org.person("w", org.west1).officer
    with pytest.raises(registration.RegistrationError, match="2"):
        registration.register_team(contest, org.east1, "东一队", [a], people["manager"])
    with pytest.raises(registration.RegistrationError):
        registration.register_team(contest, org.east1, "东一队", [a, w], people["manager"])
    assert not Entry.objects.exists() and not Team.objects.exists()
    team, entries = registration.register_team(contest, org.east1, "东一队", [a, b],
                                               people["manager"])
    assert {e.team for e in entries} == {team} and team.unit == org.east1


def test_the_organizer_approves_with_fresh_unique_blind_codes(contest, org, people,
                                                              client_for):
    officers = [org.person(f"o{i}", org.east1).officer for i in range(3)]
    entries = [registration.register(contest, o, people["manager"]) for o in officers]
    assert client_for(people["manager"]).post(
        reverse("competitions:entry_decide", args=[contest.pk]),
        {"entry": [entries[0].pk], "decision": "approve"}).status_code == 404
    client = client_for(people["organizer"])
    client.post(reverse("competitions:entry_decide", args=[contest.pk]),
                {"entry": [e.pk for e in entries[:2]], "decision": "approve"})
    client.post(reverse("competitions:entry_decide", args=[contest.pk]),
                {"entry": [entries[2].pk], "decision": "reject"})
    statuses = dict(Entry.objects.values_list("pk", "status"))
    assert [statuses[e.pk] for e in entries] == ["approved", "approved", "rejected"]
    codes = list(Entry.objects.filter(status="approved").values_list("blind_code", flat=True))
    assert len(set(codes)) == 2 and all(len(c) == 6 for c in codes)


def test_a_blind_code_collision_draws_again(contest, org, people):
    first = registration.register(contest, org.person("x", org.east1).officer, people["manager"])
    second = registration.register(contest, org.person("y", org.east1).officer,
                                   people["manager"])
    first.refresh_from_db()
    codes = iter([first.blind_code, first.blind_code, "ZZZZZZ"])
    with mock.patch("competitions.registration.new_blind_code", lambda: next(codes)):
        registration.decide(second, True, people["organizer"])
    second.refresh_from_db()
    assert second.blind_code == "ZZZZZZ" and second.status == EntryStatus.APPROVED


def test_outsiders_register_by_invitation_and_sit_the_quiz_as_guests(org, people, client):
    from tests.exams.factories import question
    from tests.exams.test_marking import fixed_exam

    exam = fixed_exam(org, [question(stem="甲", correct=("B",), points="10")], units=())
    contest = f.contest(org, status=ContestStatus.DRAFT)
    event = f.event(contest, EventKind.QUIZ, exam=exam, open_to_outsiders=True)
    # Opening registration (by the organizer) prepares the unit that holds outsiders.
    contest_flow.move(contest, ContestStatus.REGISTRATION, people["organizer"])
    assert registration.external_unit().is_active is False
    url = reverse("competitions:invite", args=[contest.invitation_token])
    response = client.post(url, {"name": "外来甲", "organisation": "某省文旅厅",
                                 "phone": "13800000000"})
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.status == EntryStatus.APPROVED and entry.unit is None
    assert entry.officer.unit.code == registration.EXTERNAL_UNIT_CODE
    assert not entry.officer.user.has_usable_password()
    assert exam.eligible_officers.filter(pk=entry.officer.pk).exists()
    assert Submission.objects.get().event == event
    # The personal link signs the guest in and leads to the quiz.
    page = client.get(response["Location"])
    assert page.status_code == 200 and reverse("exams:exam_start", args=[exam.pk]) in \
        page.content.decode()
    assert client.get(reverse("exams:exam_start", args=[exam.pk])).status_code == 200
    # The same phone cannot register twice; managers never see the external unit.
    client.logout()
    again = client.post(url, {"name": "外来甲", "organisation": "某省文旅厅",
                              "phone": "13800000000"})
    assert again.status_code == 200 and Entry.objects.count() == 1
    assert not visible_officers(people["manager"]).filter(pk=entry.officer.pk).exists()
    assert client.get(reverse("competitions:guest", args=["forged"])).status_code == 404


def test_uploaded_files_are_stored_without_their_names():
    name = stored_name("诸葛孔明-处罚决定书.DOCX")
    assert name.endswith(".docx") and "诸葛" not in name


def test_the_status_flow_moves_one_step_and_publishing_needs_resolved_marks(contest, people,
                                                                           org, client_for):
    client = client_for(people["organizer"])
    move = reverse("competitions:contest_move", args=[contest.pk])
    client.post(move, {"to": "published"})
    contest.refresh_from_db()
    assert contest.status == ContestStatus.REGISTRATION
    entry = registration.register(contest, org.person("p", org.east1).officer,
                                  people["manager"])
    registration.decide(entry, True, people["organizer"])
    client.post(move, {"to": "running"})
    client.post(move, {"to": "marking"})
    contest.refresh_from_db()
    assert contest.status == ContestStatus.MARKING
    # Nothing was handed in: not attempted, which blocks nothing.
    assert all(entry.submissions.values_list("not_attempted", flat=True))
    drafting = contest.events.get(kind=EventKind.DRAFTING)
    sub = entry.submissions.get(event=drafting)
    sub.not_attempted = False
    sub.save()
    f.assign(drafting, f.judge_user(org, "pj"))
    with pytest.raises(contest_flow.FlowError) as problem:
        contest_flow.move(contest, ContestStatus.PUBLISHED, people["organizer"])
    # Publishing goes through awards.publish: the blocking list names the submission.
    [blocker] = problem.value.problems
    assert sub.entry.blind_code in blocker
    assert client_for(people["manager"]).post(move, {"to": "published"}).status_code == 404
