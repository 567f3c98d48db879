"""Rankings with tie-break chains, awards by count and share, unit caps, teams, weights."""
from decimal import Decimal

import pytest

from competitions.ranking import (
    MEAN, STRICT, SUM, Entrant, PrizeLevel, SortKey, UnresolvedTie, award, rank,
    team_award_points, team_scores, weighted_score,
)
from competitions.scoring_types import InvalidScoring

CHAIN = (SortKey("time", higher_first=False), SortKey("practical"), SortKey("theory"))


def contestants():
    return [
        Entrant("A", "X", {"time": 300, "practical": 90, "theory": 80}),
        Entrant("B", "X", {"time": 300, "practical": 92, "theory": 70}),
        Entrant("C", "Y", {"time": 280, "practical": 85, "theory": 60}),
        Entrant("D", "Y", {"time": 300, "practical": 92, "theory": 70}),
        Entrant("E", "Z", {"time": None, "practical": 99, "theory": 99}),
    ]


def test_tie_break_chain_with_shared_places():
    # C is fastest; A, B, D take 300 s; B and D beat A on practical and are equal on
    # everything → 1, 2, 2, 4; E has no time and comes last whatever its other scores.
    standings = rank(contestants(), CHAIN)
    assert [(s.entrant.id, s.place, s.tied) for s in standings] == [
        ("C", 1, False), ("B", 2, True), ("D", 2, True), ("A", 4, False), ("E", 5, False)]


def test_a_later_key_breaks_the_tie():
    entrants = contestants()
    entrants[3] = Entrant("D", "Y", {"time": 300, "practical": 92, "theory": 71})
    assert [s.entrant.id for s in rank(entrants, CHAIN, ties=STRICT)] == ["C", "D", "B", "A", "E"]


def test_strict_ties_are_reported():
    with pytest.raises(UnresolvedTie) as raised:
        rank(contestants(), CHAIN, ties=STRICT)
    assert raised.value.groups == [["B", "D"]]
    with pytest.raises(InvalidScoring):
        rank(contestants(), ())


def scored(*scores, units=None):
    units = units or ["U"] * len(scores)
    entrants = [Entrant(f"P{i}", unit, {"score": Decimal(score)})
                for i, (score, unit) in enumerate(zip(scores, units), start=1)]
    return rank(entrants, [SortKey("score")])


def prizes(awards):
    return [a.prize for a in awards]


LEVELS = (PrizeLevel("一等奖", 1), PrizeLevel("二等奖", 2), PrizeLevel("三等奖", 5))


def test_awards_by_count():
    awards = award(scored(100, 95, 90, 85, 80, 75, 70, 65, 60), LEVELS)
    assert prizes(awards) == ["一等奖"] + ["二等奖"] * 2 + ["三等奖"] * 5 + [None]


def test_ties_at_a_boundary_share_the_higher_prize_and_the_next_level_shrinks():
    # places 1, 2, 3, 3, 3, 6, 7, 8, 9. Second prize has 2 places (places 2–3); the three
    # tied at 3 all get it → four second prizes; third prize shrinks from 5 to 3 so the
    # total stays 1 + 2 + 5 = 8.
    awards = award(scored(100, 95, 90, 90, 90, 85, 80, 75, 70), LEVELS)
    assert prizes(awards) == (["一等奖"] + ["二等奖"] * 4 + ["三等奖"] * 3 + [None])


def test_a_tie_across_the_last_boundary_gives_an_extra_prize():
    # 1 + 2 + 5 = 8 prizes; places 8 and 8 tie at the last boundary → both get third
    awards = award(scored(100, 95, 90, 85, 80, 75, 70, 65, 65, 60), LEVELS)
    assert prizes(awards)[-3:] == ["三等奖", "三等奖", None]


def test_awards_by_share_round_half_up():
    # 25 entrants, shares rounded cumulatively: 10% = 2.5 → 3 first, 10 + 20 = 30% = 7.5
    # → 8 so 5 second, 60% = 15 so 7 third (not 8: 3 + 5 + 8 would be 64%), 10 without
    levels = (PrizeLevel("一等奖", share="0.1"), PrizeLevel("二等奖", share="0.2"),
              PrizeLevel("三等奖", share="0.3"))
    awards = award(scored(*range(100, 75, -1)), levels)
    assert prizes(awards) == (["一等奖"] * 3 + ["二等奖"] * 5 + ["三等奖"] * 7 + [None] * 10)
    # the same with places 3 and 4 tied: both first (4 first prizes), second shrinks to 4
    scores = list(range(100, 75, -1))
    scores[3] = scores[2]
    awards = award(scored(*scores), levels)
    assert prizes(awards) == (["一等奖"] * 4 + ["二等奖"] * 4 + ["三等奖"] * 7 + [None] * 10)


def test_a_unit_beyond_the_cap_moves_down_and_its_place_goes_to_the_next_entrant():
    # cap 1 per unit per level; 2 first, 2 second, 2 third.
    # A(X) first. B(X): X holds a first → second. C(Y) takes the first B could not.
    # D(X): second is the current level, X holds one → third. E(Z) second. F(Y) third.
    # G: no places left.
    levels = (PrizeLevel("一等奖", 2), PrizeLevel("二等奖", 2), PrizeLevel("三等奖", 2))
    standings = scored(100, 95, 90, 85, 80, 75, 70, units=["X", "X", "Y", "X", "Z", "Y", "Z"])
    awards = award(standings, levels, cap_per_unit=1)
    assert prizes(awards) == ["一等奖", "二等奖", "一等奖", "三等奖", "二等奖", "三等奖", None]
    with pytest.raises(InvalidScoring):
        award(standings, levels, cap_per_unit=0)


def test_prize_levels_are_validated():
    with pytest.raises(InvalidScoring):
        PrizeLevel("一等奖")
    with pytest.raises(InvalidScoring):
        PrizeLevel("一等奖", 1, share="0.1")
    with pytest.raises(InvalidScoring):
        PrizeLevel("一等奖", share="1.5")


def test_team_scores_by_sum_and_mean():
    results = [("X", 80), ("X", 85), ("X", 86), ("Y", 70)]
    by_sum = {t.unit: t.score for t in team_scores(results, SUM)}
    assert by_sum == {"X": Decimal("251.00"), "Y": Decimal("70.00")}
    # X: 251 / 3 = 83.666… → 83.67
    by_mean = {t.unit: (t.score, t.members) for t in team_scores(results, MEAN)}
    assert by_mean == {"X": (Decimal("83.67"), 3), "Y": (Decimal("70.00"), 1)}
    with pytest.raises(InvalidScoring):
        team_scores(results, "max")


def test_team_awards_by_award_points():
    # the cap example: X = first 8 + second 4 + third 2 = 14; Y = 8 + 2 = 10; Z = 4 + 0 = 4
    levels = (PrizeLevel("一等奖", 2), PrizeLevel("二等奖", 2), PrizeLevel("三等奖", 2))
    standings = scored(100, 95, 90, 85, 80, 75, 70, units=["X", "X", "Y", "X", "Z", "Y", "Z"])
    awards = award(standings, levels, cap_per_unit=1)
    teams = team_award_points(awards, {"一等奖": 8, "二等奖": 4, "三等奖": 2})
    assert {t.unit: t.score for t in teams} == {
        "X": Decimal("14.00"), "Y": Decimal("10.00"), "Z": Decimal("4.00")}
    team_standings = rank([t.as_entrant() for t in teams], [SortKey("score")])
    team_prizes = award(team_standings, (PrizeLevel("团体一等奖", 1), PrizeLevel("团体二等奖", 1)))
    assert [(a.standing.entrant.id, a.prize) for a in team_prizes] == [
        ("X", "团体一等奖"), ("Y", "团体二等奖"), ("Z", None)]


def test_weighted_overall_score():
    # (3 × 80 + 7 × 90) / (3 + 7) = 870 / 10 = 87.00; weights 0.3 / 0.7 give the same
    assert weighted_score({"theory": 80, "practical": 90}, {"theory": 3, "practical": 7}) \
        == Decimal("87.00")
    assert weighted_score({"theory": 80, "practical": 90},
                          {"theory": "0.3", "practical": "0.7"}) == Decimal("87.00")
    # a missing event counts as 0: 0.3 × 80 = 24.00
    assert weighted_score({"theory": 80}, {"theory": "0.3", "practical": "0.7"}) \
        == Decimal("24.00")
    with pytest.raises(InvalidScoring):
        weighted_score({"theory": 80, "quiz": 70}, {"theory": 1})
    with pytest.raises(InvalidScoring):
        weighted_score({"theory": 80}, {"theory": 0})
