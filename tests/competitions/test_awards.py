"""Rankings and awards stored as AwardResult rows: counts, shares, ties, caps, teams,
tie-breaks, overrides and the best organisation award (competitions.awards)."""
from decimal import Decimal

import pytest
from django.utils import translation

from competitions import awards
from competitions.models import AwardResult, AwardScope, TeamAwardRule, TeamScoreRule

from .results_factories import stored_contest, team_for

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    """Error messages are matched in English (the msgids), whatever zh-hans says."""
    with translation.override("en"):
        yield
COUNTS = [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 2},
          {"name": "三等奖", "count": 3}]


def overall(contest):
    return list(AwardResult.objects.filter(contest=contest, scope=AwardScope.OVERALL)
                .select_related("entry").order_by("place", "entry__blind_code"))


def by_total(contest):
    """{total: [(place, prize), …]} of the overall ranking."""
    table = {}
    for award in overall(contest):
        table.setdefault(str(award.score), []).append((award.place, award.prize))
    return table


def test_awards_by_count_with_a_tie_at_a_boundary(org):
    contest, event, _second, entries = stored_contest(
        org, [95, 90, 90, 90, 85, 80, 75, 70], prize_levels=COUNTS)
    summary = awards.compute_awards(contest)
    assert summary["placings"] == 8 * 2 and summary["prizes"] == 6
    # Three share second place and all get 二等奖; the extra one comes off the third prizes.
    assert by_total(contest) == {
        "95.00": [(1, "一等奖")], "90.00": [(2, "二等奖")] * 3, "85.00": [(5, "三等奖")],
        "80.00": [(6, "三等奖")], "75.00": [(7, "")], "70.00": [(8, "")]}
    assert [a.tied for a in overall(contest)][:4] == [False, True, True, True]
    # The event ranking has no prize levels: places only.
    assert set(AwardResult.objects.filter(scope=AwardScope.EVENT).values_list(
        "prize", flat=True)) == {""}


def test_awards_by_percentage_round_half_up(org):
    # 25 entrants, shares rounded cumulatively: 10% → 2.5 → 3 first prizes, 30% → 7.5 → 8
    # first and second (5 second), 60% → 15 in all (7 third; not 3 + 5 + 8 = 16).
    totals = list(range(100, 75, -1))
    shares = [{"name": "一等奖", "share": "0.1"}, {"name": "二等奖", "share": "0.2"},
              {"name": "三等奖", "share": "0.3"}]
    contest, *_rest = stored_contest(org, totals, prize_levels=shares)
    awards.compute_awards(contest)
    prizes = [a.prize for a in overall(contest)]
    assert prizes.count("一等奖") == 3 and prizes.count("二等奖") == 5
    assert prizes.count("三等奖") == 7 and prizes.count("") == 10
    assert prizes[:3] == ["一等奖"] * 3 and prizes[3:8] == ["二等奖"] * 5


def test_event_prizes_with_a_cap_per_unit(org):
    # East-1 holds the top three; with at most one prize per unit and level, the second
    # and third east-1 entrants move down and the places go to the west entrants.
    units = [org.east1, org.east1, org.east1, org.west1, org.west1]
    contest, event, _s, entries = stored_contest(org, [99, 98, 97, 90, 80], units=units)
    event.prize_levels = [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 2}]
    event.prize_cap_per_unit = 1
    event.save()
    awards.compute_awards(contest)
    got = {a.entry_id: a.prize for a in AwardResult.objects.filter(scope=AwardScope.EVENT)}
    assert [got[e.pk] for e in entries] == ["一等奖", "二等奖", "", "二等奖", ""]


def test_completion_time_breaks_a_tie_then_a_strict_tie_is_an_error(org):
    contest, event, _s, entries = stored_contest(
        org, [90, 90, 80], times=[600, 480, 300], prize_levels=COUNTS[:1],
        tie_break=[{"name": "time", "higher_first": False}], tie_rule="strict")
    awards.compute_awards(contest)
    places = {a.entry_id: (a.place, a.prize) for a in overall(contest)}
    assert places[entries[1].pk] == (1, "一等奖") and places[entries[0].pk] == (2, "")
    # Equal times too: no ties allowed, so the organizer is told who is tied.
    contest.tie_break = []
    contest.save()
    with pytest.raises(awards.AwardsError) as error:
        awards.compute_awards(contest)
    message = str(error.value)
    assert entries[0].officer.name in message and entries[1].officer.name in message
    assert entries[0].blind_code in message


def test_an_event_score_breaks_an_overall_tie(org):
    contest, event, second, entries = stored_contest(org, [88, 88], event_scores=[70, 75])
    contest.tie_break = [{"name": f"event:{second.pk}"}]
    contest.save()
    awards.compute_awards(contest)
    assert [a.entry_id for a in overall(contest)] == [entries[1].pk, entries[0].pk]
    assert [a.place for a in overall(contest)] == [1, 2]


def test_an_unknown_tie_break_key_is_refused(org):
    contest, *_rest = stored_contest(org, [1, 2], tie_break=[{"name": "event:99999"}])
    with pytest.raises(awards.AwardsError, match="event:99999"):
        awards.compute_awards(contest)


def test_bad_prize_levels_are_named(org):
    contest, *_rest = stored_contest(org, [1, 2], prize_levels=[{"name": "一等奖"}])
    with pytest.raises(awards.AwardsError, match="prize level 1"):
        awards.compute_awards(contest)


@pytest.mark.parametrize("rule, expected", [
    (TeamScoreRule.SUM, {"东": D("270.00"), "西": D("170.00")}),
    (TeamScoreRule.MEAN, {"东": D("90.00"), "西": D("85.00")}),
])
def test_team_scores_sum_or_mean_of_members(org, rule, expected):
    units = [org.east1] * 3 + [org.west1] * 2
    contest, _e, _s, entries = stored_contest(
        org, [95, 90, 85, 88, 82], units=units, team_score_rule=rule,
        team_prize_levels=[{"name": "团体一等奖", "count": 1}])
    team_for(contest, org.east1, entries[:3], "东")
    team_for(contest, org.west1, entries[3:], "西")
    awards.compute_awards(contest)
    teams = {a.team.name: a for a in AwardResult.objects.filter(scope=AwardScope.TEAM)}
    assert {name: a.score for name, a in teams.items()} == expected
    assert teams["东"].prize == "团体一等奖" and teams["西"].prize == ""


def test_team_awards_by_award_points(org):
    # East: one 一等奖 (8) + two without; west: two 二等奖 (4 + 4) = 8, tie on points →
    # the members' summed overall scores decide (west 93 + 92 > east 99 + 30 + 20).
    units = [org.east1, org.west1, org.west1, org.east1, org.east1]
    contest, _e, _s, entries = stored_contest(
        org, [99, 93, 92, 30, 20], units=units, prize_levels=COUNTS[:2],
        team_award_rule=TeamAwardRule.POINTS, award_points={"一等奖": 8, "二等奖": 4},
        team_prize_levels=[{"name": "团体一等奖", "count": 1}])
    team_for(contest, org.east1, [entries[0], entries[3], entries[4]], "东")
    team_for(contest, org.west1, entries[1:3], "西")
    awards.compute_awards(contest)
    teams = {a.team.name: a for a in AwardResult.objects.filter(scope=AwardScope.TEAM)}
    assert teams["东"].score == teams["西"].score == D("8.00")
    assert teams["西"].place == 1 and teams["西"].prize == "团体一等奖"
    assert teams["东"].place == 2 and not teams["东"].tied


def test_an_override_needs_a_reason_and_survives_recomputing(org, people):
    one_each = [{"name": n, "count": 1} for n in ("一等奖", "二等奖", "三等奖")]
    contest, _e, _s, entries = stored_contest(org, [95, 90, 85], prize_levels=one_each)
    awards.compute_awards(contest)
    third = overall(contest)[2]
    token = third.certificate_token
    assert third.prize == "三等奖"
    with pytest.raises(awards.AwardsError, match="reason"):
        awards.override(third, "", "   ", people["organizer"])
    with pytest.raises(awards.AwardsError, match="特等奖"):
        awards.override(third, "特等奖", "不在奖项中", people["organizer"])
    awards.override(third, "", "违反赛场纪律，取消获奖资格", people["organizer"])
    third.refresh_from_db()
    assert third.prize == "" and third.changed_by == people["organizer"]
    # The scores change and the awards are computed again: the override stays, the
    # computed prize beside it follows the rules, the row (and its QR token) is kept.
    entries[2].total = D("99")
    entries[2].save()
    summary = awards.compute_awards(contest)
    third.refresh_from_db()
    assert summary["overrides"] == 1
    assert third.place == 1 and third.computed_prize == "一等奖" and third.prize == ""
    assert third.override_reason == "违反赛场纪律，取消获奖资格"
    assert third.certificate_token == token
    others = [a for a in overall(contest) if a.pk != third.pk]
    assert [a.prize for a in others] == ["二等奖", "三等奖"]
    awards.clear_override(third, people["organizer"])
    third.refresh_from_db()
    assert third.prize == "一等奖" and third.override_reason == ""


def test_withdrawn_entries_lose_their_computed_rows(org):
    contest, _e, _s, entries = stored_contest(org, [95, 90], prize_levels=COUNTS)
    awards.compute_awards(contest)
    entries[1].status = "withdrawn"
    entries[1].save()
    awards.compute_awards(contest)
    assert not AwardResult.objects.filter(entry=entries[1]).exists()


def test_best_organisation_award_needs_a_reason_and_a_participating_unit(org, people):
    contest, *_rest = stored_contest(org, [90])
    with pytest.raises(awards.AwardsError, match="reason"):
        awards.set_best_organisation(contest, org.east1, "")
    with pytest.raises(awards.AwardsError, match=org.west1.name):
        awards.set_best_organisation(contest, org.west1, "组织有力")
    awards.set_best_organisation(contest, org.east1, "组织有力，参赛率100%")
    contest.refresh_from_db()
    assert contest.best_organisation_unit == org.east1
    assert contest.best_organisation_reason == "组织有力，参赛率100%"
    awards.set_best_organisation(contest, None, "")
    contest.refresh_from_db()
    assert contest.best_organisation_unit is None and contest.best_organisation_reason == ""
