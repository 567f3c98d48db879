"""Awards and registration decisions: computing awards rescores first, entries are decided only while pending and registration is open, and stale
overrides go, caps and shares, the overall time tie-break."""
from decimal import Decimal

import pytest
from django.urls import reverse

from competitions import awards, ranking, registration
from competitions.models import (AwardResult, AwardScope, ContestStatus, Entry, EntryStatus,
                                 EventKind)
from competitions.ranking import Entrant, PrizeLevel, SortKey, award, rank

from . import factories as f
from .results_factories import stored_contest, team_for

pytestmark = pytest.mark.django_db

PRIZES = [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 1}]


# --- "compute awards" before publication rescores -------------------------------

def test_computing_awards_before_publication_ranks_overall_and_teams(org, people,
                                                                     client_for):
    contest = f.contest(org, status=ContestStatus.MARKING, prize_levels=PRIZES,
                        team_prize_levels=[{"name": "团体一等奖", "count": 1}])
    event = f.event(contest, EventKind.DRAFTING, name="文书")
    judge = f.judge_user(org, "j1")
    f.assign(event, judge)
    entries = []
    for name, quality in (("amy", 30), ("bob", 20)):                   # 90, 80
        entry = f.entry(contest, org.person(name, org.east1).officer)
        f.mark(f.submission(event, entry), judge, f.level_raw(quality))  # not scored yet
        entries.append(entry)
    team = team_for(contest, org.east1, entries, "东一队")
    assert not Entry.objects.filter(contest=contest, total__isnull=False).exists()

    response = client_for(people["organizer"]).post(
        reverse("competitions:results_compute", args=[contest.pk]))
    assert response.status_code == 302
    overall = AwardResult.objects.filter(contest=contest, scope=AwardScope.OVERALL)
    assert [(a.entry_id, a.score, a.prize) for a in overall.order_by("place")] == [
        (entries[0].pk, Decimal("90.00"), "一等奖"), (entries[1].pk, Decimal("80.00"), "二等奖")]
    teams = AwardResult.objects.filter(contest=contest, scope=AwardScope.TEAM)
    assert [(a.team_id, a.score, a.prize) for a in teams] == [
        (team.pk, Decimal("170.00"), "团体一等奖")]
    assert AwardResult.objects.filter(contest=contest, scope=AwardScope.EVENT).count() == 2


# --- decisions on entries ----------------------------------------------------------

@pytest.fixture
def registering(org, people):
    contest = f.contest(org, status=ContestStatus.REGISTRATION)
    f.event(contest, EventKind.DRAFTING, name="文书")
    officers = [org.person(f"o{i}", org.east1).officer for i in range(3)]
    entries = [registration.register(contest, o, people["manager"]) for o in officers]
    return contest, entries


def _decide(client, contest, ids, decision):
    return client.post(reverse("competitions:entry_decide", args=[contest.pk]),
                       {"entry": [str(pk) for pk in ids], "decision": decision})


def _statuses(entries):
    statuses = dict(Entry.objects.values_list("pk", "status"))
    return [statuses[e.pk] for e in entries]


def test_an_approved_entry_is_not_rejected_by_a_decision(registering, people, client_for):
    contest, entries = registering
    client = client_for(people["organizer"])
    _decide(client, contest, [entries[0].pk], "approve")
    entries[0].refresh_from_db()
    code = entries[0].blind_code
    response = _decide(client, contest, [entries[0].pk, entries[1].pk], "reject")
    assert response.status_code == 302
    assert _statuses(entries) == ["approved", "rejected", "registered"]
    entries[0].refresh_from_db()
    assert entries[0].blind_code == code
    # A rejection may be reconsidered while registration is open.
    _decide(client, contest, [entries[1].pk], "approve")
    assert _statuses(entries) == ["approved", "approved", "registered"]


@pytest.mark.parametrize("status", [ContestStatus.RUNNING, ContestStatus.MARKING,
                                    ContestStatus.PUBLISHED, ContestStatus.DRAFT])
def test_entries_are_decided_only_while_registration_is_open(registering, people, client_for,
                                                             status):
    contest, entries = registering
    client = client_for(people["organizer"])
    _decide(client, contest, [entries[0].pk], "approve")
    contest.status = status
    contest.save()
    assert _decide(client, contest, [entries[0].pk], "reject").status_code == 302
    assert _decide(client, contest, [entries[1].pk], "approve").status_code == 302
    assert _statuses(entries) == ["approved", "registered", "registered"]


@pytest.mark.parametrize("ids", [["abc"], ["1e3"], [" "], ["999999"]])
def test_a_bad_entry_id_is_a_message_not_a_500(registering, people, client_for, ids):
    contest, entries = registering
    client = client_for(people["organizer"])
    response = client.post(reverse("competitions:entry_decide", args=[contest.pk]),
                           {"entry": [str(entries[0].pk)] + ids, "decision": "approve"})
    assert response.status_code == 302
    assert _statuses(entries) == ["registered"] * 3


def test_an_override_of_an_entry_no_longer_approved_goes_on_recompute(org, people):
    contest, _event, _s, entries = stored_contest(org, [90, 80, 70], prize_levels=PRIZES)
    awards.compute_awards(contest)
    award = AwardResult.objects.get(scope=AwardScope.OVERALL, entry=entries[1])
    awards.override(award, "一等奖", "复核后并列", people["organizer"])
    Entry.objects.filter(pk=entries[1].pk).update(status=EntryStatus.REJECTED)
    awards.compute_awards(contest)
    assert not AwardResult.objects.filter(entry=entries[1]).exists()
    # An approved entry's override stays.
    kept = AwardResult.objects.get(scope=AwardScope.OVERALL, entry=entries[2])
    awards.override(kept, "一等奖", "复核后并列", people["organizer"])
    awards.compute_awards(contest)
    kept.refresh_from_db()
    assert (kept.prize, kept.override_reason) == ("一等奖", "复核后并列")


# --- caps and shares -----------------------------------------------------------

def _entrants(*pairs):
    return rank([Entrant(i, unit, {"score": Decimal(score)})
                 for i, (unit, score) in enumerate(pairs)], [SortKey("score")])


def test_the_cap_per_unit_does_not_lump_entrants_without_a_unit():
    standings = _entrants((None, 100), (None, 99), ("X", 98), ("X", 97))
    result = award(standings, [PrizeLevel("一等奖", count=2), PrizeLevel("二等奖", count=2)],
                   cap_per_unit=1)
    assert [a.prize for a in result] == ["一等奖", "一等奖", "二等奖", None]


def test_share_places_are_rounded_cumulatively():
    shares = [PrizeLevel("一等奖", share="0.1"), PrizeLevel("二等奖", share="0.2"),
              PrizeLevel("三等奖", share="0.3")]
    assert ranking.level_places(shares, 25) == [3, 5, 7]          # round(15) in all, not 16
    assert sum(ranking.level_places(shares, 25)) == 15
    mixed = [PrizeLevel("一等奖", count=1), PrizeLevel("二等奖", share="0.25"),
             PrizeLevel("三等奖", share="0.25")]
    assert ranking.level_places(mixed, 10) == [1, 3, 2]           # 1, round(3.5)=4, round(6)=6
    standings = _entrants(*[("X", 100 - i) for i in range(25)])
    prizes = [a.prize for a in award(standings, shares)]
    assert (prizes.count("一等奖"), prizes.count("二等奖"), prizes.count("三等奖")) == (3, 5, 7)


# --- the overall time tie-break with a judged event ------------------------------

def test_the_overall_time_sums_the_times_that_are_recorded(org):
    contest, _first, _second, entries = stored_contest(
        org, [88, 88], times=[300, 200], event_scores=[70, 70], prize_levels=PRIZES,
        tie_break=[{"name": "time", "higher_first": False}])
    # The second event records no time (a judged event).
    awards.compute_awards(contest)
    overall = AwardResult.objects.filter(contest=contest, scope=AwardScope.OVERALL)
    assert sorted((a.place, a.tied, a.entry_id) for a in overall) == [
        (1, False, entries[1].pk), (2, False, entries[0].pk)]



def test_a_missing_time_in_a_timed_event_is_not_a_fast_one(org):
    from competitions.models import Submission

    contest, first, _second, entries = stored_contest(
        org, [88, 88], times=[300, 200], event_scores=[70, 70], prize_levels=PRIZES,
        tie_break=[{"name": "time", "higher_first": False}])
    # The quiz time of the second entrant is lost: their total time is unknown, not 0 s.
    Submission.objects.filter(event=first, entry=entries[1]).update(completion_seconds=None)
    data = awards._Data(contest)
    assert data.values(entries[0])["time"] == 300
    assert data.values(entries[1])["time"] is None
