"""The demo contests: three years of the series, realistic judges, scores recomputable
from the raw marks, awards and publication as the rules say, and idempotent seeding."""
import statistics
import time
from collections import defaultdict

from django.contrib.auth import get_user_model

from competitions import awards, demo, scoring, trends
from competitions.models import (AwardResult, AwardScope, Contest, ContestStatus, Entry,
                                 EventKind, Mark, Submission)
from people import demo as people_demo
from people.models import Officer

User = get_user_model()


def test_demo_contests_are_realistic_and_seeding_twice_changes_nothing(db):
    people_demo.seed(officers_per_brigade=8)
    officers_before = Officer.objects.count()
    from exams import demo as exam_demo

    exam_demo.seed_bank()
    started = time.monotonic()
    summary = demo.seed()
    elapsed = time.monotonic() - started
    assert summary.startswith("3 contests") and "2024, 2025, 2026 new" in summary
    assert elapsed < 60, elapsed  # about 10 s on an idle machine

    contests = {c.year: c for c in Contest.objects.filter(series=demo.SERIES)}
    assert sorted(contests) == [2024, 2025, 2026]
    assert contests[2024].status == contests[2025].status == ContestStatus.PUBLISHED
    assert contests[2024].published_at.year == 2024
    assert contests[2026].status == ContestStatus.MARKING
    for contest in contests.values():
        assert contest.entries.count() == 40
        assert contest.teams.count() == 12
        assert {e.kind for e in contest.events.all()} == set(EventKind.values)
        assert contest.events.get(kind=EventKind.QUIZ).exam.attempts.count() >= 30
        assert contest.events.get(kind=EventKind.CORRECTION).answer_key.count() == 6
    # The demo officer 陈晓明 entered every year: their trend has the two published years.
    officer_trend = trends.officer_trend(
        Entry.objects.filter(officer__user__username="officer").first().officer)
    assert officer_trend.labels == ["2024年", "2025年"]
    assert trends.series_trend(demo.SERIES).labels == ["2024年", "2025年"]

    # Published years: awards by the rules (10% / 20% / 30% of 40), best organisation.
    for year in (2024, 2025):
        contest = contests[year]
        overall = AwardResult.objects.filter(contest=contest, scope=AwardScope.OVERALL)
        prizes = [a.prize for a in overall if a.prize]
        assert prizes.count("一等奖") >= 4 and len(prizes) >= 24
        assert AwardResult.objects.filter(contest=contest, scope=AwardScope.TEAM,
                                          prize="团体一等奖").exists()
        assert contest.best_organisation_unit and contest.best_organisation_reason
    # 2026 is still being marked: publication is blocked and says why.
    blockers = awards.publication_blockers(contests[2026])
    assert blockers and any("网络案件电子数据固定" in b for b in blockers)

    # The judges: one lenient (highest mean), one 打保险分 (smallest spread).
    event = contests[2025].events.get(kind=EventKind.DRAFTING)
    seats = dict(event.judges.values_list("judge_id", "seat"))
    assert seats[User.objects.get(username="judge").pk] == "J1"
    points = defaultdict(list)
    for mark in Mark.objects.filter(submission__event=event):
        points[seats[mark.judge_id]].append(float(mark.points))
    assert len(points) == 5
    means = {j: statistics.mean(v) for j, v in points.items()}
    spreads = {j: statistics.pstdev(v) for j, v in points.items()}
    assert max(means, key=means.get) == "J2"   # lenient
    assert min(spreads, key=spreads.get) == "J3" and spreads["J3"] < 2   # 打保险分
    # The judges are demo officers, not new accounts, and never contestants.
    judge_ids = list(seats)
    assert not Entry.objects.filter(officer__user_id__in=judge_ids).exists()

    # Every stored score follows again from the raw marks.
    before = dict(Submission.objects.values_list("pk", "score"))
    totals = dict(Entry.objects.values_list("pk", "total"))
    for contest in contests.values():
        scoring.score_contest(contest)
    assert dict(Submission.objects.values_list("pk", "score")) == before
    assert dict(Entry.objects.values_list("pk", "total")) == totals

    assert Officer.objects.count() == officers_before   # no new officers

    # Seeding again adds nothing.
    counts = (Contest.objects.count(), Entry.objects.count(), Mark.objects.count(),
              AwardResult.objects.count())
    assert demo.seed().endswith("(none new)")
    assert (Contest.objects.count(), Entry.objects.count(), Mark.objects.count(),
            AwardResult.objects.count()) == counts
