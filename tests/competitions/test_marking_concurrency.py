"""Saving a mark locks the submission, so two saves at once — two
judges, or one judge twice — are taken one after the other on real PostgreSQL
connections: no two first markers, no IntegrityError, no stale scoring state."""
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from competitions import aggregation as agg
from competitions import judging
from competitions.models import (Aggregation, ContestStatus, JudgeAssignment, Mark, MarkRole,
                                 MarkStatus, Submission)

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

HOLD = 1.0   # seconds the first save keeps its transaction open


def _at_once(first, second):
    """Run `first` in a transaction kept open HOLD seconds after it is done, and `second`
    as soon as `first` is done; return what each returned (or raised)."""
    done = threading.Event()
    results = {}

    def run_first():
        try:
            with transaction.atomic():
                results["first"] = first()
                done.set()
                time.sleep(HOLD)
        except Exception as exc:   # noqa: BLE001 - reported to the test
            results["first"] = exc
        finally:
            done.set()
            connection.close()

    def run_second():
        done.wait(10)
        try:
            results["second"] = second()
        except Exception as exc:   # noqa: BLE001 - reported to the test
            results["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results["first"], results["second"]


@pytest.fixture
def double(org):
    contest = f.contest(org, status=ContestStatus.MARKING)
    event = f.event(contest, aggregation=Aggregation.DOUBLE, tolerance_points=Decimal("5"))
    entry = f.entry(contest, org.person("amy", org.east1).officer)
    sub = f.submission(event, entry)
    judges = [f.judge_user(org, f"judge{i}") for i in range(2)]
    return event, sub, judges


def test_two_panel_judges_saving_at_once_take_the_first_and_the_second_place(double):
    event, sub, (one, two) = double
    a = f.assign(event, one)
    b = f.assign(event, two)
    first, second = _at_once(lambda: judging.save_mark(a, sub, f.level_raw(20)),
                             lambda: judging.save_mark(b, sub, f.level_raw(22)))
    assert isinstance(first, Mark) and isinstance(second, Mark)
    roles = dict(Mark.objects.filter(submission=sub).values_list("judge_id", "role"))
    assert roles == {one.pk: MarkRole.FIRST, two.pk: MarkRole.SECOND}


def test_a_judges_two_first_saves_at_once_make_one_mark(double):
    event, sub, (one, _two) = double
    a = f.assign(event, one)
    first, second = _at_once(lambda: judging.save_mark(a, sub, f.level_raw(20)),
                             lambda: judging.save_mark(a, sub, f.level_raw(25)))
    assert isinstance(second, Mark), second                 # not an IntegrityError
    mark = Mark.objects.get(submission=sub)
    assert mark.raw == f.level_raw(25) and mark.status == MarkStatus.DRAFT


def test_first_and_second_submitting_at_once_leave_the_state_current(double):
    event, sub, (one, two) = double
    a = f.assign(event, one, role=MarkRole.FIRST)
    b = f.assign(event, two, role=MarkRole.SECOND)
    first, second = _at_once(
        lambda: judging.save_mark(a, sub, f.level_raw(20), submit=True),      # 80
        lambda: judging.save_mark(b, sub, f.level_raw(24), submit=True))      # 84
    assert isinstance(first, Mark) and isinstance(second, Mark)
    sub = Submission.objects.get(pk=sub.pk)
    assert (sub.score_state, sub.score) == (agg.COMPLETE, Decimal("82.00"))
    assert JudgeAssignment.objects.filter(event=event).count() == 2
