"""Marking through the pages: drafts, submitting locks, unlock with a reason, release, queues."""
from decimal import Decimal

import pytest
from django.urls import reverse

from competitions import aggregation as agg
from competitions import scoring
from competitions.models import Aggregation, Mark, MarkChange, MarkRole, MarkStatus

from . import factories as f
from .judging_setup import marking  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

FORM = {"level_quality": "35", "measure_m_parties": "1", "measure_m_basis": "1",
        "deduct_d_typo": "2", "deduct_d_layout": "10", "comment_quality": "结构清楚",
        "comment": "总体较好"}


def _url(marking, index=0, event=None):
    return reverse("competitions:judge_mark",
                   args=[(event or marking.drafting).pk, marking.code(index)])


def test_a_judge_saves_a_draft_then_submits_and_the_mark_locks(marking, client_for):
    client = client_for(marking.judge)
    response = client.post(_url(marking), {**FORM, "draft": "1"})
    assert response.status_code == 302
    mark = Mark.objects.get(judge=marking.judge, submission=marking.drafts[0])
    assert mark.status == MarkStatus.DRAFT
    assert mark.points == Decimal("81.00")   # 35 + 30 + (30 − 4 − 10)
    assert mark.criterion_comments == {"quality": "结构清楚"}
    assert mark.raw["deductions"] == [{"code": "d_typo", "amount": None}] * 2 + [
        {"code": "d_layout", "amount": "10"}]

    assert client.post(_url(marking), {**FORM, "submit": "1"}).status_code == 302
    mark.refresh_from_db()
    assert mark.status == MarkStatus.SUBMITTED and mark.submitted_at is not None
    change = mark.changes.get()
    assert change.action == MarkChange.Action.SUBMIT and change.after["points"] == "81.00"

    # Locked: the judge's changes are refused and nothing changes.
    response = client.post(_url(marking), {**FORM, "level_quality": "40", "submit": "1"})
    assert response.status_code == 403
    mark.refresh_from_db()
    assert mark.points == Decimal("81.00") and mark.changes.count() == 1
    html = client.get(_url(marking)).content.decode()
    assert "disabled" in html


def test_submitting_incomplete_marks_is_refused_with_the_reason(marking, client_for):
    client = client_for(marking.judge)
    response = client.post(_url(marking), {"measure_m_parties": "1", "submit": "1"})
    assert response.status_code == 200
    assert "quality" in response.content.decode()
    assert not Mark.objects.filter(status=MarkStatus.SUBMITTED).exists()
    response = client.post(_url(marking), {**FORM, "deduct_d_layout": "20", "submit": "1"})
    assert response.status_code == 200
    assert not Mark.objects.filter(status=MarkStatus.SUBMITTED).exists()


def test_only_the_chief_or_organizer_unlocks_and_a_reason_is_required(marking, client_for,
                                                                      people):
    mark = f.mark(marking.drafts[0], marking.judge, f.level_raw(30))
    scoring.score_submission(marking.drafts[0])
    unlock = reverse("competitions:mark_unlock", args=[mark.pk])
    assert client_for(marking.judge2).post(unlock, {"reason": "想改"}).status_code == 404
    client = client_for(people["organizer"])
    client.post(unlock, {"reason": "  "})
    mark.refresh_from_db()
    assert mark.status == MarkStatus.SUBMITTED and not mark.changes.exists()

    client.post(unlock, {"reason": "评委误将扣分项录入为否决项"})
    mark.refresh_from_db()
    assert mark.status == MarkStatus.DRAFT
    change = mark.changes.get(action=MarkChange.Action.UNLOCK)
    assert change.reason == "评委误将扣分项录入为否决项"
    assert change.changed_by == people["organizer"]
    assert (change.before["status"], change.after["status"]) == ("submitted", "draft")
    assert change.before["points"] == "90.00"

    # The judge corrects and submits again; the audit keeps the locked version as before.
    client_for(marking.judge).post(_url(marking), {**FORM, "submit": "1"})
    resubmit = mark.changes.filter(action=MarkChange.Action.SUBMIT).first()
    assert (resubmit.before["points"], resubmit.after["points"]) == ("90.00", "81.00")


def test_the_chief_judge_releases_marks(marking, client_for):
    mark = f.mark(marking.drafts[0], marking.judge, f.level_raw(30))
    client_for(marking.chief).post(reverse("competitions:event_release",
                                           args=[marking.drafting.pk]))
    mark.refresh_from_db()
    assert mark.status == MarkStatus.RELEASED
    assert mark.changes.get().action == MarkChange.Action.RELEASE


def test_correction_verdicts_are_scored(marking, client_for):
    client = client_for(marking.judge)
    url = _url(marking, 0, marking.correction)
    client.post(url, {"finding_0": "1", "finding_1": "1", "reason_0": "1", "submit": "1"})
    mark = Mark.objects.get(submission=marking.findings[0], judge=marking.judge)
    # A found with the right reason (10); 送达回证 is not in the key: a false finding, no penalty.
    assert mark.points == Decimal("10.00")
    marking.findings[0].refresh_from_db()
    assert marking.findings[0].score == Decimal("10.00")   # 10 of 30 key points, max 30


@pytest.fixture
def double(marking):
    event = marking.drafting
    event.aggregation = Aggregation.DOUBLE
    event.tolerance_points = Decimal("5")
    event.save()
    event.judges.filter(judge=marking.judge2).update(role=MarkRole.SECOND)
    event.judges.filter(judge=marking.judge).update(role=MarkRole.FIRST)
    f.assign(event, marking.outsider_judge, seat="J3", role=MarkRole.THIRD)
    return event


def test_double_marking_queues_appear_for_the_third_marker_and_chief(marking, double,
                                                                    client_for):
    code = marking.code(0)
    list_url = reverse("competitions:judge_event", args=[double.pk])
    assert code not in client_for(marking.outsider_judge).get(list_url).content.decode()

    client_for(marking.judge).post(_url(marking), {**FORM, "level_quality": "20",
                                                   "deduct_d_typo": "", "deduct_d_layout": "",
                                                   "submit": "1"})       # 80
    client_for(marking.judge2).post(_url(marking), {**FORM, "level_quality": "30",
                                                    "deduct_d_typo": "", "deduct_d_layout": "",
                                                    "submit": "1"})      # 90
    sub = marking.drafts[0]
    sub.refresh_from_db()
    assert sub.score_state == agg.NEEDS_THIRD
    assert {m.role for m in sub.marks.all()} == {MarkRole.FIRST, MarkRole.SECOND}
    assert code in client_for(marking.outsider_judge).get(list_url).content.decode()
    chief_page = client_for(marking.chief).get(reverse("competitions:event_marks",
                                                       args=[double.pk])).content.decode()
    assert code in chief_page.split('id="third-queue"')[1].split("</section>")[0]

    client_for(marking.outsider_judge).post(_url(marking), {
        **FORM, "level_quality": "0", "deduct_d_typo": "", "deduct_d_layout": "",
        "submit": "1"})    # 60: too far
    sub.refresh_from_db()
    assert sub.score_state == agg.NEEDS_ARBITRATION
    chief = client_for(marking.chief)
    assert code in chief.get(list_url).content.decode()
    chief.post(_url(marking), {**FORM, "level_quality": "25", "deduct_d_typo": "",
                               "deduct_d_layout": "", "submit": "1"})    # 85
    sub.refresh_from_db()
    assert (sub.score_state, sub.score) == (agg.ARBITRATED, Decimal("85.00"))
    assert sub.marks.get(judge=marking.chief).role == MarkRole.ARBITRATION
