"""In double marking the chief judge only arbitrates,
marks are unlocked only while the contest is marking, and a contest with marks cannot go
back to running."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competitions import aggregation as agg
from competitions import contest_flow, judging
from competitions.models import (Aggregation, ContestStatus, JudgeAssignment, Mark, MarkRole,
                                 MarkStatus, Submission)

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def double(org):
    """A double-marked event (tolerance 5): two panel judges, a third marker, a chief."""
    contest = f.contest(org, status=ContestStatus.MARKING)
    event = f.event(contest, aggregation=Aggregation.DOUBLE, tolerance_points=Decimal("5"))
    subs = [f.submission(event, f.entry(contest, org.person(name, org.east1).officer))
            for name in ("amy", "bob")]
    users = {name: f.judge_user(org, name) for name in ("one", "two", "third", "chief")}
    assignments = {
        "one": f.assign(event, users["one"]),
        "two": f.assign(event, users["two"]),
        "third": f.assign(event, users["third"], role=MarkRole.THIRD),
        "chief": f.assign(event, users["chief"], is_chief=True),
    }
    return event, subs, users, assignments


def _state(sub):
    return Submission.objects.get(pk=sub.pk).score_state


def test_the_chief_judge_takes_no_first_place_and_arbitrates_later(double):
    event, (sub, _other), users, a = double
    # The chief comes first: no first marker's place for them, and nothing to see yet.
    with pytest.raises(judging.JudgingError):
        judging.save_mark(a["chief"], sub, f.level_raw(20))
    assert not Mark.objects.filter(judge=users["chief"]).exists()
    assert list(judging.visible_submissions(a["chief"])) == []

    judging.save_mark(a["one"], sub, f.level_raw(20), submit=True)           # 80, first
    judging.save_mark(a["two"], sub, f.level_raw(30), submit=True)           # 90, second
    assert _state(sub) == agg.NEEDS_THIRD
    judging.save_mark(a["third"], sub, f.level_raw(0), submit=True)          # 60, third
    assert _state(sub) == agg.NEEDS_ARBITRATION
    assert list(judging.visible_submissions(a["chief"])) == [Submission.objects.get(pk=sub.pk)]

    mark = judging.save_mark(a["chief"], sub, f.level_raw(25), submit=True)  # 85
    assert mark.role == MarkRole.ARBITRATION
    sub.refresh_from_db()
    assert (sub.score_state, sub.score) == (agg.ARBITRATED, Decimal("85.00"))
    roles = dict(Mark.objects.filter(submission=sub).values_list("judge_id", "role"))
    assert roles == {users["one"].pk: MarkRole.FIRST, users["two"].pk: MarkRole.SECOND,
                     users["third"].pk: MarkRole.THIRD,
                     users["chief"].pk: MarkRole.ARBITRATION}


def test_a_place_held_by_a_judge_taken_off_the_event_is_free_again(double, org):
    event, (sub, _other), users, a = double
    judging.save_mark(a["one"], sub, f.level_raw(20))                        # first (draft)
    JudgeAssignment.objects.filter(pk=a["one"].pk).delete()
    newcomer = f.assign(event, f.judge_user(org, "newcomer"))
    assert judging.save_mark(newcomer, sub, f.level_raw(20)).role == MarkRole.FIRST


def test_a_chief_judge_of_a_double_marked_event_keeps_the_panel_role(double):
    event, _subs, users, a = double
    chief = a["chief"]
    chief.role = MarkRole.FIRST
    with pytest.raises(ValidationError) as error:
        chief.clean()
    assert "role" in error.value.message_dict
    chief.role = "panel"
    chief.clean()
    a["one"].role = MarkRole.FIRST
    a["one"].clean()                                  # a marker may hold a place
    event.aggregation = Aggregation.MEAN
    event.save()
    chief = JudgeAssignment.objects.get(pk=chief.pk)
    chief.role = MarkRole.FIRST
    chief.clean()                                     # the rule is about double marking


# --- unlocking and going back to running ---------------------------------------------------------------------------

@pytest.fixture
def marked(org):
    contest = f.contest(org, status=ContestStatus.MARKING)
    event = f.event(contest, aggregation=Aggregation.MEAN)
    sub = f.submission(event, f.entry(contest, org.person("amy", org.east1).officer))
    judge = f.judge_user(org, "j1")
    f.assign(event, judge)
    mark = f.mark(sub, judge, f.level_raw(30))
    return contest, event, mark


@pytest.mark.parametrize("status", [ContestStatus.PUBLISHED, ContestStatus.ARCHIVED,
                                    ContestStatus.RUNNING])
def test_a_mark_is_not_unlocked_outside_marking(marked, people, status):
    contest, _event, mark = marked
    contest.status = status
    contest.save()
    with pytest.raises(judging.JudgingError):
        judging.unlock(mark, people["organizer"], "复核")
    mark.refresh_from_db()
    assert mark.status == MarkStatus.SUBMITTED and not mark.changes.exists()


def test_a_mark_is_unlocked_while_marking(marked, people):
    _contest, _event, mark = marked
    judging.unlock(mark, people["organizer"], "复核")
    mark.refresh_from_db()
    assert mark.status == MarkStatus.DRAFT


def test_the_unlock_page_refuses_after_publication(marked, people, client_for):
    contest, event, mark = marked
    contest.status = ContestStatus.PUBLISHED
    contest.save()
    response = client_for(people["organizer"]).post(
        reverse("competitions:mark_unlock", args=[mark.pk]), {"reason": "复核"})
    assert response.status_code == 302
    mark.refresh_from_db()
    assert mark.status == MarkStatus.SUBMITTED


def test_marking_goes_back_to_running_only_before_any_mark(marked, people, org):
    contest, _event, mark = marked
    with pytest.raises(contest_flow.FlowError):
        contest_flow.move(contest, ContestStatus.RUNNING, people["organizer"])
    contest.refresh_from_db()
    assert contest.status == ContestStatus.MARKING
    Mark.objects.filter(pk=mark.pk).update(status=MarkStatus.DRAFT)   # even a draft counts
    with pytest.raises(contest_flow.FlowError):
        contest_flow.move(contest, ContestStatus.RUNNING, people["organizer"])
    Mark.objects.all().delete()
    contest_flow.move(contest, ContestStatus.RUNNING, people["organizer"])
    contest.refresh_from_db()
    assert contest.status == ContestStatus.RUNNING


def test_the_status_page_shows_why_marking_cannot_go_back(marked, people, client_for):
    contest, _event, _mark = marked
    response = client_for(people["organizer"]).post(
        reverse("competitions:contest_move", args=[contest.pk]), {"to": "running"})
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.status == ContestStatus.MARKING
