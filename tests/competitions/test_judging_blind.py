"""Judges see blind codes only: every judge-facing page and file, and only their entries."""
import io

import openpyxl
import pytest
from django.urls import reverse

from competitions.models import Mark

from . import factories as f
from .judging_setup import SECRETS, marking  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _assert_blind(content, where):
    text = content.decode() if isinstance(content, bytes) else content
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, f"{where} shows {leaked}"


def _xlsx_text(content):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return " ".join(str(cell.value) for ws in wb.worksheets for row in ws.iter_rows()
                    for cell in row if cell.value is not None)


def test_every_judge_page_and_file_shows_blind_codes_only(marking, client_for):
    client = client_for(marking.chief)   # the chief judge sees the most
    f.mark(marking.drafts[0], marking.judge, f.level_raw(30))
    f.mark(marking.findings[0], marking.judge, {"verdicts": [{"finding": 0, "reason_ok": True}]})
    code = marking.code(0)
    pages = [
        reverse("competitions:index"),
        reverse("competitions:judge_events"),
        reverse("competitions:judge_event", args=[marking.drafting.pk]),
        reverse("competitions:judge_event", args=[marking.correction.pk]),
        reverse("competitions:judge_mark", args=[marking.drafting.pk, code]),
        reverse("competitions:judge_mark", args=[marking.correction.pk, code]),
        reverse("competitions:judge_sheet_import", args=[marking.drafting.pk]),
        reverse("competitions:event_marks", args=[marking.drafting.pk]),
        reverse("competitions:event_marks", args=[marking.correction.pk]),
        reverse("competitions:consistency", args=[marking.drafting.pk]),
        reverse("competitions:consistency", args=[marking.drafting.pk]) + "?z=1",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_blind(response.content, url)
    for url in (pages[2], pages[4], pages[5], pages[7]):
        assert code in client.get(url).content.decode(), url

    response = client.get(reverse("competitions:judge_file", args=[marking.drafting.pk, code]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert f"{code}.docx" in disposition
    _assert_blind(disposition, "file name")   # stored as “诸葛孔明-处罚决定书.docx”

    sheet = client.get(reverse("competitions:judge_sheet", args=[marking.drafting.pk]))
    assert sheet.status_code == 200
    _assert_blind(sheet["Content-Disposition"], "mark sheet name")
    text = _xlsx_text(sheet.content)
    _assert_blind(text, "mark sheet")
    assert code in text
    sheet = client.get(reverse("competitions:judge_sheet", args=[marking.correction.pk]))
    text = _xlsx_text(sheet.content)
    _assert_blind(text, "correction mark sheet")
    assert code in text and "引用条款错误" not in text     # B was not pointed at


def test_a_judge_sees_only_assigned_events_and_submissions(marking, client_for):
    f.assign(marking.drafting, marking.outsider_judge, seat="J3", only=[marking.drafts[1]])
    client = client_for(marking.outsider_judge)
    listing = client.get(reverse("competitions:judge_event", args=[marking.drafting.pk]))
    assert marking.code(1) in listing.content.decode()
    assert marking.code(0) not in listing.content.decode()
    assert client.get(reverse("competitions:judge_mark", args=[
        marking.drafting.pk, marking.code(0)])).status_code == 404
    assert client.get(reverse("competitions:judge_file", args=[
        marking.drafting.pk, marking.code(0)])).status_code == 404
    # Not on the correction panel at all.
    assert client.get(reverse("competitions:judge_event", args=[
        marking.correction.pk])).status_code == 404
    assert client.get(reverse("competitions:judge_mark", args=[
        marking.correction.pk, marking.code(1)])).status_code == 404
    # Nor on the chief judge's pages.
    assert client.get(reverse("competitions:event_marks", args=[
        marking.drafting.pk])).status_code == 404
    assert client.get(reverse("competitions:consistency", args=[
        marking.drafting.pk])).status_code == 404


def test_a_judge_cannot_mark_before_the_contest_is_marking(marking, client_for):
    marking.contest.status = "running"
    marking.contest.save()
    client = client_for(marking.judge)
    assert client.get(reverse("competitions:judge_event", args=[
        marking.drafting.pk])).status_code == 404


def test_the_correction_page_never_shows_the_whole_answer_key(marking, client_for):
    client = client_for(marking.judge)
    html = client.get(reverse("competitions:judge_mark", args=[
        marking.correction.pk, marking.code(0)])).content.decode()
    assert "询问时间与笔录矛盾" in html        # the error at the finding's location
    assert "引用条款错误" not in html          # B: neither its location nor its category


@pytest.mark.parametrize("entries", [2, 6])
def test_judge_pages_use_a_bounded_number_of_queries(org, people, client_for,
                                                     django_assert_max_num_queries, entries):
    from competitions.models import Aggregation, ContestStatus, EventKind

    contest = f.contest(org, status=ContestStatus.MARKING)
    event = f.event(contest, EventKind.DRAFTING, aggregation=Aggregation.MEAN)
    judge = f.judge_user(org, "qjudge")
    f.assign(event, judge, seat="J1")
    codes = []
    for index in range(entries):
        entry = f.entry(contest, org.person(f"q{index}", org.east1).officer)
        sub = f.submission(event, entry, text="正文")
        f.mark(sub, judge, f.level_raw(30), status="draft")
        codes.append(entry.blind_code)
    client = client_for(judge)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("competitions:judge_events")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("competitions:judge_event", args=[event.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("competitions:judge_mark",
                                  args=[event.pk, codes[0]])).status_code == 200
    assert Mark.objects.count() == entries


def test_a_judge_reaches_no_registration_results_or_certificate_page(marking, client_for):
    """The pages added around entries (withdrawal) and awards (team and best organisation
    certificates) are for registrars, organizers and winners: a judge gets nothing."""
    from competitions import awards
    from competitions.models import AwardResult, AwardScope, Team

    contest = marking.contest
    team = Team.objects.get(contest=contest)
    awards.set_best_organisation(contest, marking.unit_a, "组织有力")
    award = AwardResult.objects.create(contest=contest, scope=AwardScope.TEAM, team=team,
                                       place=1, prize="团体一等奖", computed_prize="团体一等奖")
    for judge in (marking.chief, marking.judge):
        client = client_for(judge)
        for url in (reverse("competitions:entries", args=[contest.pk]),
                    reverse("competitions:entries_export", args=[contest.pk]),
                    reverse("competitions:contest", args=[contest.pk]),
                    reverse("competitions:results", args=[contest.pk]),
                    reverse("competitions:award_certificate", args=[award.pk]),
                    reverse("competitions:best_organisation_certificate", args=[contest.pk])):
            response = client.get(url)
            assert response.status_code in (403, 404), url
            _assert_blind(response.content, url)
        for url, data in ((reverse("competitions:entry_withdraw", args=[contest.pk]),
                           {"entry": [marking.entries[0].pk], "reason": "x"}),
                          (reverse("competitions:team_withdraw", args=[contest.pk, team.pk]),
                           {"reason": "x"})):
            assert client.post(url, data).status_code == 404, url
    assert {e.status for e in type(marking.entries[0]).objects.filter(contest=contest)} == {
        "approved"}
