"""Withdrawal 退赛: a registrar withdraws its own entries and teams while registration is open,
the organizer any entry until marking starts (with a reason); a withdrawn entry keeps its
blind code and leaves judging, rankings and awards, and lists and exports show it."""
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from competitions import awards, judging, registration, scoring
from competitions.models import (AwardResult, AwardScope, ContestStatus, Entry, EntryStatus,
                                 EventKind, JudgeAssignment, Team)
from competitions.wagtail_hooks import JudgeAssignmentForm

from . import factories as f
from .results_factories import marked_contest, team_for

pytestmark = pytest.mark.django_db

PRIZES = [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 1}]
WITHDRAWN = EntryStatus.WITHDRAWN.label


@pytest.fixture
def contest(org):
    contest = f.contest(org, status=ContestStatus.REGISTRATION, team_size=2)
    f.event(contest, EventKind.DRAFTING, name="文书")
    return contest


def withdraw_url(contest):
    return reverse("competitions:entry_withdraw", args=[contest.pk])


def entries_url(contest):
    return reverse("competitions:entries", args=[contest.pk])


def approved(contest, officer, people, team=None):
    entry = registration.register(contest, officer, people["manager"], team=team)
    registration.decide(entry, True, people["organizer"])
    entry.refresh_from_db()
    return entry


def set_status(contest, status):
    contest.status = status
    contest.save(update_fields=["status"])


def test_a_registrar_withdraws_its_units_entry_while_registration_is_open(
        contest, org, people, client_for):
    officer = org.person("east-a", org.east1, name="东一甲").officer
    entry = approved(contest, officer, people)
    code = entry.blind_code
    # Another unit's manager and an officer cannot touch it.
    for who in ("other_manager", "officer", "judge"):
        assert client_for(people[who]).post(
            withdraw_url(contest), {"entry": [entry.pk]}).status_code == 404, who
    client = client_for(people["manager"])
    page = client.get(entries_url(contest)).content.decode()
    assert 'id="withdraw-entries"' in page
    response = client.post(withdraw_url(contest), {"entry": [entry.pk]}, follow=True)
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN and entry.blind_code == code
    assert entry.withdrawn_by == people["manager"] and entry.withdrawn_at is not None
    # Lists show it as withdrawn, still with the name (for the registrar) and not
    # offered for withdrawal again; the contest page counts it.
    page = client.get(entries_url(contest)).content.decode()
    assert "东一甲" in page and str(WITHDRAWN) in page
    assert f'name="entry" value="{entry.pk}"' not in page
    overview = client.get(reverse("competitions:contest", args=[contest.pk])).content.decode()
    assert f"{WITHDRAWN}：1" in overview
    # The organizer's list still shows the blind code it was approved with.
    page = client_for(people["organizer"]).get(entries_url(contest)).content.decode()
    assert code in page
    # The officer cannot be registered again, alone or in a team.
    with pytest.raises(registration.RegistrationError):
        registration.register(contest, officer, people["manager"])
    mate = org.person("east-b", org.east1).officer
    with pytest.raises(registration.RegistrationError):
        registration.register_team(contest, org.east1, "东一队", [officer, mate],
                                   people["manager"])
    assert not Team.objects.exists()


def test_a_registrar_cannot_withdraw_once_the_contest_runs(contest, org, people, client_for):
    entry = approved(contest, org.person("east-a", org.east1).officer, people)
    set_status(contest, ContestStatus.RUNNING)
    client = client_for(people["manager"])
    assert 'id="withdraw-entries"' not in client.get(entries_url(contest)).content.decode()
    client.post(withdraw_url(contest), {"entry": [entry.pk]})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    with pytest.raises(registration.RegistrationError):
        registration.withdraw(contest, [entry], people["manager"])


def test_the_organizer_withdraws_any_entry_until_marking_with_a_reason(
        contest, org, people, client_for):
    first = approved(contest, org.person("east-a", org.east1).officer, people)
    second = approved(contest, org.person("west-a", org.west1).officer, people)
    set_status(contest, ContestStatus.RUNNING)
    client = client_for(people["organizer"])
    page = client.get(entries_url(contest)).content.decode()
    assert 'id="withdraw-entries"' in page
    # Without a reason: refused, nothing changes.
    with translation.override("en"):
        response = client.post(withdraw_url(contest), {"entry": [first.pk, second.pk]},
                               follow=True)
    assert "请填写退赛原因。" in response.content.decode()
    assert set(Entry.objects.values_list("status", flat=True)) == {EntryStatus.APPROVED}
    client.post(withdraw_url(contest), {"entry": [first.pk], "reason": "因公出差，申请退赛"})
    first.refresh_from_db()
    assert first.status == EntryStatus.WITHDRAWN
    assert first.withdrawal_reason == "因公出差，申请退赛"
    assert first.withdrawn_by == people["organizer"]
    assert "因公出差，申请退赛" in client.get(entries_url(contest)).content.decode()
    # Once marking has started no entry can be withdrawn any more.
    set_status(contest, ContestStatus.MARKING)
    client.post(withdraw_url(contest), {"entry": [second.pk], "reason": "迟到"})
    second.refresh_from_db()
    assert second.status == EntryStatus.APPROVED
    assert 'id="withdraw-entries"' not in client.get(entries_url(contest)).content.decode()
    # An entry of another contest is not found through this one.
    other = f.contest(org, name="另一竞赛", status=ContestStatus.RUNNING)
    stray = f.entry(other, org.person("west-b", org.west1).officer)
    set_status(contest, ContestStatus.RUNNING)
    assert client.post(withdraw_url(contest), {"entry": [stray.pk], "reason": "x"}
                       ).status_code == 404


def test_a_registrar_withdraws_a_whole_team(contest, org, people, client_for):
    a = org.person("east-a", org.east1, name="东一甲").officer
    b = org.person("east-b", org.east1, name="东一乙").officer
    team, entries = registration.register_team(contest, org.east1, "东一队", [a, b],
                                               people["manager"])
    registration.decide(entries[0], True, people["organizer"])
    url = reverse("competitions:team_withdraw", args=[contest.pk, team.pk])
    assert client_for(people["other_manager"]).post(url).status_code == 404
    client = client_for(people["manager"])
    page = client.get(entries_url(contest)).content.decode()
    assert f'id="team-{team.pk}"' in page and url in page
    client.post(url)
    assert set(team.members.values_list("status", flat=True)) == {EntryStatus.WITHDRAWN}
    assert Team.objects.filter(pk=team.pk).exists()        # kept for the record
    page = client.get(entries_url(contest)).content.decode()
    assert url not in page                                   # nobody left to withdraw
    with pytest.raises(registration.RegistrationError):
        registration.withdraw_team(contest, team, people["manager"])


def test_a_rejected_entry_cannot_be_withdrawn_and_nothing_half_happens(contest, org, people):
    kept = approved(contest, org.person("east-a", org.east1).officer, people)
    rejected = registration.register(contest, org.person("east-b", org.east1).officer,
                                     people["manager"])
    registration.decide(rejected, False, people["organizer"])
    with pytest.raises(registration.RegistrationError):
        registration.withdraw(contest, [kept, rejected], people["manager"])
    kept.refresh_from_db()
    assert kept.status == EntryStatus.APPROVED


def test_withdrawal_gives_up_the_quiz_seat(org, people):
    from tests.exams.factories import question
    from tests.exams.test_marking import fixed_exam

    exam = fixed_exam(org, [question(stem="甲", correct=("B",), points="10")], units=())
    contest = f.contest(org, status=ContestStatus.REGISTRATION)
    f.event(contest, EventKind.QUIZ, exam=exam)
    officer = org.person("east-a", org.east1).officer
    entry = approved(contest, officer, people)
    assert exam.eligible_officers.filter(pk=officer.pk).exists()
    registration.withdraw(contest, [entry], people["manager"])
    assert not exam.eligible_officers.filter(pk=officer.pk).exists()


def test_a_withdrawn_entry_leaves_judging_rankings_and_awards(org, people, client_for):
    contest, event, judge, entries = marked_contest(
        org, [90, 80, 70], prize_levels=PRIZES, status=ContestStatus.RUNNING,
        team_prize_levels=[{"name": "团体一等奖", "count": 1}])
    team = team_for(contest, org.east1, entries[2:], "东一队")
    awards.compute_awards(contest)
    assert AwardResult.objects.filter(entry=entries[0], prize="一等奖").exists()
    assert AwardResult.objects.filter(team=team).exists()
    code = entries[0].blind_code
    withdrawn = registration.withdraw(contest, [entries[0], entries[2]], people["organizer"],
                                      "违反赛场纪律")
    assert {e.pk for e in withdrawn} == {entries[0].pk, entries[2].pk}
    entries[0].refresh_from_db()
    assert entries[0].blind_code == code and entries[0].total is None
    # Its stored awards, and those of the team it left empty, are gone.
    assert not AwardResult.objects.filter(entry__in=[entries[0], entries[2]]).exists()
    assert not AwardResult.objects.filter(team=team).exists()

    # Marking: the judge neither lists nor opens it.
    set_status(contest, ContestStatus.MARKING)
    assignment = JudgeAssignment.objects.get(event=event, judge=judge)
    visible = set(judging.visible_submissions(assignment).values_list("entry_id", flat=True))
    assert visible == {entries[1].pk}
    client = client_for(judge)
    listing = client.get(reverse("competitions:judge_event", args=[event.pk])).content.decode()
    assert code not in listing and entries[1].blind_code in listing
    assert client.get(reverse("competitions:judge_mark", args=[event.pk, code])
                      ).status_code == 404
    sheet = client.get(reverse("competitions:judge_sheet", args=[event.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(sheet.content))
    assert code not in {c.value for ws in wb.worksheets for row in ws.iter_rows()
                        for c in row}
    # The console offers only approved entries for a judge's subset.
    form = JudgeAssignmentForm(instance=assignment, for_user=people["organizer"])
    offered = set(form.fields["submissions"].queryset.values_list("entry_id", flat=True))
    assert offered == {entries[1].pk}

    # Rankings and awards: only the entry still in the contest.
    scoring.score_contest(contest)
    assert awards.publication_blockers(contest) == []
    awards.compute_awards(contest)
    overall = AwardResult.objects.filter(contest=contest, scope=AwardScope.OVERALL)
    assert [(a.entry_id, a.place, a.prize) for a in overall] == [(entries[1].pk, 1, "一等奖")]
    assert not AwardResult.objects.filter(contest=contest, scope=AwardScope.TEAM).exists()
    page = client_for(people["organizer"]).get(
        reverse("competitions:results", args=[contest.pk])).content.decode()
    assert entries[0].officer.name not in page and entries[1].officer.name in page

    # The entries export keeps the row, with its blind code, status and reason.
    response = client_for(people["organizer"]).get(
        reverse("competitions:entries_export", args=[contest.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True))
    row = next(r for r in rows if r[0] == code)
    assert row[1] == entries[0].officer.name and str(WITHDRAWN) in row
    assert row[-1] == "违反赛场纪律"


@pytest.mark.parametrize("count", [2, 8])
def test_the_entries_page_queries_stay_bounded(contest, org, people, client_for,
                                               django_assert_max_num_queries, count):
    for index in range(count):
        entry = approved(contest, org.person(f"q{index}", org.east1).officer, people)
        if index % 2:
            registration.withdraw(contest, [entry], people["organizer"], "测试")
    for number in range(count // 2):
        a = org.person(f"qa{number}", org.east2).officer
        b = org.person(f"qb{number}", org.east2).officer
        registration.register_team(contest, org.east2, f"东二{number}队", [a, b],
                                   people["manager"])
    for who in ("organizer", "manager"):
        client = client_for(people[who])
        with django_assert_max_num_queries(12):
            assert client.get(entries_url(contest)).status_code == 200


def reinstate_url(contest):
    return reverse("competitions:entry_reinstate", args=[contest.pk])


def test_the_organizer_undoes_a_withdrawal_with_a_reason_kept_in_the_audit_trail(
        org, people, client_for):
    from security.models import AuditLogEntry
    from tests.exams.factories import question
    from tests.exams.test_marking import fixed_exam

    exam = fixed_exam(org, [question(stem="甲", correct=("B",), points="10")], units=())
    contest = f.contest(org, status=ContestStatus.REGISTRATION)
    f.event(contest, EventKind.QUIZ, exam=exam)
    officer = org.person("east-a", org.east1).officer
    entry = approved(contest, officer, people)
    pending = registration.register(contest, org.person("east-b", org.east1).officer,
                                    people["manager"])
    set_status(contest, ContestStatus.RUNNING)
    code = entry.blind_code
    registration.withdraw(contest, [entry, pending], people["organizer"], "误操作")
    assert not exam.eligible_officers.filter(pk=officer.pk).exists()

    client = client_for(people["organizer"])
    page = client.get(entries_url(contest)).content.decode()
    assert 'id="reinstate-entries"' in page
    client.post(reinstate_url(contest), {"entry": [entry.pk, pending.pk]}, follow=True)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN  # no reason: refused, nothing changes
    response = client.post(reinstate_url(contest), {"entry": [entry.pk, pending.pk],
                                                    "reason": "病假结束，恢复参赛"}, follow=True)
    assert "已恢复参赛" in response.content.decode()
    entry.refresh_from_db()
    pending.refresh_from_db()
    assert (entry.status, entry.blind_code, entry.withdrawn_at, entry.withdrawal_reason) == (
        EntryStatus.APPROVED, code, None, "")
    assert pending.status == EntryStatus.REGISTERED  # back to awaiting approval
    assert exam.eligible_officers.filter(pk=officer.pk).exists()  # the quiz seat is back
    trail = AuditLogEntry.objects.filter(action="lianbing.entry.reinstate").order_by("pk")
    assert trail.count() == 2
    data = trail.first().data
    assert data["reason"] == "病假结束，恢复参赛"
    assert data["before"]["withdrawal_reason"] == "误操作"
    assert data["before"]["withdrawn_by"] == people["organizer"].username
    assert 'id="reinstate-entries"' not in client.get(entries_url(contest)).content.decode()


def test_only_the_organizer_undoes_a_withdrawal_and_only_before_marking(
        contest, org, people, client_for):
    entry = approved(contest, org.person("east-a", org.east1).officer, people)
    registration.withdraw(contest, [entry], people["manager"])
    assert client_for(people["manager"]).post(
        reinstate_url(contest), {"entry": [entry.pk], "reason": "x"}).status_code == 404
    with pytest.raises(registration.RegistrationError):
        registration.reinstate(contest, [entry], people["manager"], "x")
    set_status(contest, ContestStatus.MARKING)
    with pytest.raises(registration.RegistrationError):
        registration.reinstate(contest, [entry], people["organizer"], "x")
    set_status(contest, ContestStatus.REGISTRATION)
    other = approved(contest, org.person("east-b", org.east1).officer, people)
    with pytest.raises(registration.RegistrationError):  # nothing withdrawn among the chosen
        registration.reinstate(contest, [other], people["organizer"], "x")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN


def replace_url(contest, team):
    return reverse("competitions:team_replace", args=[contest.pk, team.pk])


def test_the_organizer_puts_a_substitute_in_a_withdrawn_members_place(
        contest, org, people, client_for):
    from security.models import AuditLogEntry

    a = org.person("east-a", org.east1, name="东一甲").officer
    b = org.person("east-b", org.east1, name="东一乙").officer
    c = org.person("east-c", org.east1, name="东一丙").officer
    outsider = org.person("west-a", org.west1, name="西一甲").officer
    team, entries = registration.register_team(contest, org.east1, "东一队", [a, b],
                                               people["manager"])
    for entry in entries:
        registration.decide(entry, True, people["organizer"])
    set_status(contest, ContestStatus.RUNNING)
    client = client_for(people["organizer"])
    url = replace_url(contest, team)
    assert url not in client.get(entries_url(contest)).content.decode()  # the team is full
    with pytest.raises(registration.RegistrationError):
        registration.replace_member(contest, team, c, people["organizer"], "替补")
    registration.withdraw(contest, [entries[1]], people["organizer"], "伤病")
    assert url in client.get(entries_url(contest)).content.decode()
    page = client.get(url)
    choices = {o.pk for o in page.context["form"].fields["officer"].queryset}
    assert c.pk in choices and a.pk not in choices and b.pk not in choices  # entered already
    assert outsider.pk not in choices  # another unit
    response = client.post(url, {"officer": c.pk, "reason": ""})
    assert response.context["form"].errors["reason"]  # a reason is required
    response = client.post(url, {"officer": c.pk, "reason": "乙伤病，丙替补"}, follow=True)
    assert "东一丙" in response.content.decode()
    new = Entry.objects.get(contest=contest, officer=c)
    assert new.team == team and new.status == EntryStatus.APPROVED
    assert new.blind_code not in {e.blind_code for e in entries}
    assert set(new.events.values_list("pk", flat=True)) == set(
        entries[0].events.values_list("pk", flat=True))
    data = AuditLogEntry.objects.get(action="lianbing.team.replace").data
    assert data["reason"] == "乙伤病，丙替补" and data["before"]["withdrawn"] == ["东一乙"]
    assert data["after"]["member"] == "东一丙"
    # Full again: no second substitute, and the link is gone.
    with pytest.raises(registration.RegistrationError):
        registration.replace_member(contest, team, org.person("east-d", org.east1).officer,
                                    people["organizer"], "再替补")
    assert url not in client.get(entries_url(contest)).content.decode()
    # The member who withdrew cannot come back over the substitute: the team is full.
    with pytest.raises(registration.RegistrationError):
        registration.reinstate(contest, [entries[1]], people["organizer"], "伤愈")
    entries[1].refresh_from_db()
    assert entries[1].status == EntryStatus.WITHDRAWN
    assert team.members.filter(status__in=[EntryStatus.APPROVED]).count() == 2


def test_a_rejected_members_place_can_be_filled_too(contest, org, people):
    a = org.person("east-a", org.east1).officer
    b = org.person("east-b", org.east1).officer
    team, entries = registration.register_team(contest, org.east1, "东一队", [a, b],
                                               people["manager"])
    registration.decide(entries[0], True, people["organizer"])
    registration.decide(entries[1], False, people["organizer"])
    c = org.person("east-c", org.east1).officer
    entry = registration.replace_member(contest, team, c, people["organizer"], "乙不符合条件")
    assert entry.status == EntryStatus.APPROVED and entry.team == team
    with pytest.raises(registration.RegistrationError):  # two places, both taken now
        registration.replace_member(contest, team, org.person("east-d", org.east1).officer,
                                    people["organizer"], "x")


def test_only_the_organizer_replaces_and_only_before_marking(contest, org, people, client_for):
    a = org.person("east-a", org.east1).officer
    b = org.person("east-b", org.east1).officer
    c = org.person("east-c", org.east1).officer
    team, entries = registration.register_team(contest, org.east1, "东一队", [a, b],
                                               people["manager"])
    registration.withdraw(contest, [entries[1]], people["manager"])
    assert client_for(people["manager"]).get(replace_url(contest, team)).status_code == 404
    with pytest.raises(registration.RegistrationError):
        registration.replace_member(contest, team, c, people["manager"], "x")
    # Not approved yet: the substitute awaits approval like the team.
    entry = registration.replace_member(contest, team, c, people["organizer"], "x")
    assert entry.status == EntryStatus.REGISTERED
    registration.withdraw(contest, [entry], people["organizer"], "y")
    set_status(contest, ContestStatus.MARKING)
    page = client_for(people["organizer"]).get(replace_url(contest, team)).content.decode()
    assert 'name="officer"' not in page
    with pytest.raises(registration.RegistrationError):
        registration.replace_member(contest, team, org.person("east-d", org.east1).officer,
                                    people["organizer"], "x")


def test_labels_get_the_space_english_needs_and_none_after_a_full_width_colon():
    from django.template import Context, Template

    from competitions.templatetags.contest_tags import label

    assert label("Total:") == "Total: " and label("合计：") == "合计："
    page = Template('{% load i18n contest_tags %}{% translate "Total:" as t %}{{ t|label }}<b>')
    with translation.override("zh-hans"):
        assert page.render(Context()) == "合计：<b>"
    with translation.override("en"):
        assert page.render(Context()) == "Total: <b>"
