"""Only assigned judges count and nobody marks their own entry, bad settings give a clear state or message instead of a 500, and a
scaled score is rounded once."""
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from competitions import aggregation as agg
from competitions import awards, judging, ranking, scoring
from competitions.models import (Aggregation, Contest, ContestStatus, Event, EventKind,
                                 JudgeAssignment, MarkRole, TeamAwardRule)
from competitions.scoring_types import InvalidScoring

from . import factories as f
from .results_factories import stored_contest, team_for

pytestmark = pytest.mark.django_db

D = Decimal


def _panel(org, event, count, prefix="panel"):
    judges = [f.judge_user(org, f"{prefix}{i}") for i in range(count)]
    for index, judge in enumerate(judges, start=1):
        f.assign(event, judge, seat=f"J{index}")
    return judges


def _one_entry(org, contest, event, name="amy"):
    entry = f.entry(contest, org.person(name, org.east1).officer)
    return entry, f.submission(event, entry)


# --- only the marks of judges assigned to the submission count ------------------

def test_an_unassigned_judges_mark_does_not_count(org):
    contest = f.contest(org)
    event = f.event(contest, aggregation=Aggregation.MEAN)
    _entry, sub = _one_entry(org, contest, event)
    for judge in _panel(org, event, 3):
        f.mark(sub, judge, f.level_raw(30))                     # 90 each
    stranger = f.judge_user(org, "stranger")                    # never assigned
    f.mark(sub, stranger, f.level_raw(0))                       # 60
    result = scoring.score_submission(sub)
    assert (result.score, result.state) == (D("90.00"), agg.COMPLETE)   # not 82.50


def test_a_judge_taken_off_the_event_or_its_subset_no_longer_counts(org):
    contest = f.contest(org)
    event = f.event(contest, aggregation=Aggregation.MEAN)
    _e1, sub = _one_entry(org, contest, event, "amy")
    _e2, other = _one_entry(org, contest, event, "bob")
    first, second, third = _panel(org, event, 3)
    for judge, quality in ((first, 30), (second, 30), (third, 0)):
        f.mark(sub, judge, f.level_raw(quality))
    assert scoring.score_submission(sub).score == D("80.00")   # (90 + 90 + 60) / 3
    JudgeAssignment.objects.filter(event=event, judge=third).delete()
    assert scoring.score_submission(sub).score == D("90.00")
    # Limited to another submission: the mark on this one is ignored too.
    JudgeAssignment.objects.get(event=event, judge=second).submissions.add(other)
    result = scoring.score_submission(sub)
    assert (result.score, result.state) == (D("90.00"), agg.COMPLETE)
    assert scoring.expected_judges(sub, list(event.judges.all())) == [
        JudgeAssignment.objects.get(event=event, judge=first)]


def test_a_double_marking_mark_of_a_judge_no_longer_assigned_is_not_used(org):
    contest = f.contest(org)
    event = f.event(contest, aggregation=Aggregation.DOUBLE, tolerance_points=D("5"))
    _entry, sub = _one_entry(org, contest, event)
    first, second = f.judge_user(org, "first"), f.judge_user(org, "second")
    f.assign(event, first, role=MarkRole.FIRST)
    f.assign(event, second, role=MarkRole.SECOND)
    f.mark(sub, first, f.level_raw(20), role=MarkRole.FIRST)
    f.mark(sub, second, f.level_raw(24), role=MarkRole.SECOND)
    assert scoring.score_submission(sub).score == D("82.00")
    JudgeAssignment.objects.filter(event=event, judge=second).delete()
    result = scoring.score_submission(sub)
    assert (result.score, result.state) == (None, scoring.MISSING_MARKS)


def test_a_judge_never_sees_counts_or_is_expected_on_their_own_entry(org, client_for):
    contest = f.contest(org, status=ContestStatus.MARKING)
    event = f.event(contest, aggregation=Aggregation.MEAN)
    judges = _panel(org, event, 3)
    competing = judges[0]
    own = f.entry(contest, competing.officer)
    own_sub = f.submission(event, own)
    _other, other_sub = _one_entry(org, contest, event)
    assignment = JudgeAssignment.objects.get(event=event, judge=competing)

    assert list(judging.visible_submissions(assignment)) == [other_sub]
    client = client_for(competing)
    listing = client.get(reverse("competitions:judge_event", args=[event.pk])).content.decode()
    own.refresh_from_db()
    assert own.blind_code not in listing
    assert client.get(reverse("competitions:judge_mark", args=[event.pk, own.blind_code])
                      ).status_code == 404
    with pytest.raises(judging.JudgingError):
        judging.save_mark(assignment, own_sub, f.level_raw(40), submit=True)

    # The other two judges complete it; the competing judge is not waited for, and a mark
    # of theirs (say, imported by hand) would not count.
    for judge in judges[1:]:
        f.mark(own_sub, judge, f.level_raw(20))                 # 80
    f.mark(own_sub, competing, f.level_raw(40))                 # 100, ignored
    result = scoring.score_submission(own_sub)
    assert (result.score, result.state, result.missing) == (D("80.00"), agg.COMPLETE, ())
    assert [p.code for p in scoring.unresolved(contest, event)
            if p.submission == own_sub] == []


# --- settings the rules cannot apply ----------------------------------------------

def test_trim_from_below_three_is_refused_by_the_event_form(org):
    contest = f.contest(org)
    for method in (Aggregation.TRIMMED_MEAN, Aggregation.MEAN):
        event = Event(contest=contest, name="文书", kind=EventKind.DRAFTING,
                      rubric=f.rubric(), aggregation=method, trim_from=2)
        with pytest.raises(ValidationError) as error:
            event.clean()
        assert "trim_from" in error.value.message_dict
    Event(contest=contest, name="文书", kind=EventKind.DRAFTING, rubric=f.rubric(),
          aggregation=Aggregation.TRIMMED_MEAN, trim_from=3).clean()


def test_a_trim_below_three_only_matters_to_the_trimmed_mean():
    marks = [("a", 80), ("b", 90)]
    assert agg.aggregate(marks, agg.MEAN, trim_from=0).final == D("85.00")
    assert agg.aggregate(marks, agg.MEDIAN, trim_from=1).final == D("85.00")
    with pytest.raises(InvalidScoring):
        agg.aggregate(marks, agg.TRIMMED_MEAN, trim_from=2)


def test_an_event_saved_with_a_bad_trim_is_invalid_not_a_crash(org, client_for, people):
    contest = f.contest(org)
    event = f.event(contest, aggregation=Aggregation.TRIMMED_MEAN, trim_from=1)
    _entry, sub = _one_entry(org, contest, event)
    for judge in _panel(org, event, 3):
        f.mark(sub, judge, f.level_raw(30))
    result = scoring.score_submission(sub)
    assert (result.score, result.state) == (None, scoring.INVALID) and result.error
    assert [p.code for p in scoring.unresolved(contest)] == [scoring.INVALID]
    with pytest.raises(awards.PublicationBlocked):
        awards.publish(contest)
    page = client_for(people["organizer"]).get(
        reverse("competitions:results", args=[contest.pk]))
    assert page.status_code == 200


def test_the_migration_raises_existing_trims_below_three(org):
    contest = f.contest(org)
    low = f.event(contest, aggregation=Aggregation.MEAN, trim_from=0)
    kept = f.event(contest, aggregation=Aggregation.TRIMMED_MEAN, trim_from=7)
    migration = importlib.import_module(
        "competitions.migrations.0006_trim_from_at_least_three")
    migration.raise_trim_from(apps, None)
    low.refresh_from_db()
    kept.refresh_from_db()
    assert (low.trim_from, kept.trim_from) == (3, 7)


@pytest.mark.parametrize("points", [[8, 4], "8", {"一等奖": "many"}, {"一等奖": [8]},
                                    {"一等奖": -1}, {"一等奖": True}])
def test_bad_award_points_are_refused_by_the_contest_form(org, points):
    contest = Contest(name="x", year=2026, organizer_unit=org.corps, award_points=points)
    with pytest.raises(ValidationError) as error:
        contest.clean()
    assert "award_points" in error.value.message_dict
    assert ranking.award_points_error(points)


def test_good_award_points_pass():
    assert ranking.award_points_error({"一等奖": 8, "二等奖": "4", "三等奖": 1.5}) == ""
    assert ranking.award_points_error({}) == ""


@pytest.mark.parametrize("points", [[8, 4], {"一等奖": "many"}, {"一等奖": [8]}])
def test_bad_award_points_stop_computing_with_a_message(org, points):
    contest, _e, _s, entries = stored_contest(
        org, [90, 80], prize_levels=[{"name": "一等奖", "count": 1}],
        team_prize_levels=[{"name": "团体一等奖", "count": 1}],
        team_award_rule=TeamAwardRule.POINTS)
    team_for(contest, org.east1, entries)
    Contest.objects.filter(pk=contest.pk).update(award_points=points)
    contest.refresh_from_db()
    with pytest.raises(awards.AwardsError):
        awards.compute_awards(contest)


@pytest.mark.parametrize("levels", [5, {"name": "一等奖", "count": 1}, "一等奖"])
def test_prize_levels_that_are_not_a_list_stop_computing_with_a_message(org, levels):
    contest, *_rest = stored_contest(org, [90, 80])
    Contest.objects.filter(pk=contest.pk).update(prize_levels=levels)
    contest.refresh_from_db()
    with pytest.raises(awards.AwardsError):
        awards.compute_awards(contest)


# --- a scaled score is rounded once -------------------------------------------------

def test_the_aggregate_keeps_its_unrounded_value():
    result = agg.aggregate([("a", D("70")), ("b", D("70")), ("c", D("70.01"))], agg.MEAN)
    assert result.final == D("70.00")
    assert result.exact == (D("70") + D("70") + D("70.01")) / 3
    arbitrated = agg.double_mark(("a", 10), ("b", 30), agg.Tolerance(points=1),
                                 third=("c", 20.5), arbitration=("d", D("17.125")))
    assert (arbitrated.final, arbitrated.exact) == (D("17.13"), D("17.125"))


def test_a_mean_scaled_to_the_event_maximum_is_rounded_once(org):
    contest = f.contest(org)
    event = f.event(contest, aggregation=Aggregation.MEAN, max_points=D("200"))
    _entry, sub = _one_entry(org, contest, event)
    judges = _panel(org, event, 3)
    for judge, quality in zip(judges, ("10", "10", "10.01")):   # 70, 70, 70.01 of 100
        f.mark(sub, judge, f.level_raw(quality))
    result = scoring.score_submission(sub)
    assert result.aggregate.final == D("70.00")
    assert result.score == D("140.01")                           # not 2 × 70.00 = 140.00
