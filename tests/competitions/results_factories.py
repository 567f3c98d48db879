"""Contests with entries and scores, for the results, awards and trends tests."""
from decimal import Decimal

from competitions import scoring
from competitions.models import ContestStatus, EventKind, Submission, Team

from . import factories as f


def entrants(org, count, unit=None, prefix="选手"):
    """Create `count` officers (in `unit`, default east-1) and return their officer rows."""
    unit = unit or org.east1
    return [org.person(f"{prefix}{org._serial + 1}", unit, name=f"{prefix}{org._serial + 1}"
                       ).officer for _i in range(count)]


def stored_contest(org, totals, units=None, status=ContestStatus.MARKING, times=None,
                   event_scores=None, **fields):
    """A contest whose entries carry stored scores (no marks): one event, scores = totals.

    `totals` are the overall scores; `units` (one per entry) default to east-1;
    `times` are completion seconds; `event_scores` a second event's scores.
    """
    contest = f.contest(org, status=status, **fields)
    first = f.event(contest, EventKind.DRAFTING, name="文书制作", sort_order=1)
    second = f.event(contest, EventKind.PRACTICAL, name="平台应用", sort_order=2) \
        if event_scores else None
    entries = []
    for index, total in enumerate(totals):
        unit = units[index] if units else org.east1
        officer = org.person(f"e{org._serial + 1}", unit, name=f"选手{index + 1:02d}").officer
        entry = f.entry(contest, officer, total=Decimal(str(total)))
        f.submission(first, entry, score=Decimal(str(total)), score_state="complete",
                     completion_seconds=times[index] if times else None)
        if second:
            f.submission(second, entry, score=Decimal(str(event_scores[index])),
                         score_state="complete")
        entries.append(entry)
    return contest, first, second, entries


def team_for(contest, unit, entries, name=None):
    team = Team.objects.create(contest=contest, unit=unit, name=name or unit.name)
    for entry in entries:
        entry.team = team
        entry.save(update_fields=["team"])
    return team


def marked_contest(org, scores, judge=None, units=None, **fields):
    """A contest with one drafting event marked by one judge: each entry's mark gives
    exactly its score (quality level + 60 on the small rubric); scored by H1's scoring."""
    contest = f.contest(org, **fields)
    event = f.event(contest, EventKind.DRAFTING, name="文书制作")
    judge = judge or f.judge_user(org, "judge-m")
    f.assign(event, judge, seat="J1")
    entries = []
    for index, score in enumerate(scores):
        unit = units[index] if units else org.east1
        officer = org.person(f"m{org._serial + 1}", unit, name=f"参赛{index + 1:02d}").officer
        entry = f.entry(contest, officer)
        sub = f.submission(event, entry)
        if score is not None:
            f.mark(sub, judge, f.level_raw(score - 60))
        entries.append(entry)
    scoring.score_contest(contest)
    for entry in entries:
        entry.refresh_from_db()
    return contest, event, judge, entries


def score_of(entry, event):
    return Submission.objects.get(entry=entry, event=event).score
