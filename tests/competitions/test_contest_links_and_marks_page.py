"""Contest pages link the results and score trends (to those who may open them); the chief
judge's marks page comes a page of entries at a time with labelled inputs and bounded
queries; the consistency report's flag reads in the page's language."""
import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competitions import consistency, scoring
from competitions.models import Aggregation, ContestStatus, EventKind, ResultsVisibility
from competitions.views.chief import MARKS_PER_PAGE

from . import factories as f
from .results_factories import stored_contest

pytestmark = pytest.mark.django_db


RESULTS_LINK = 'id="contest-results-link"'


def _link_shown(client, contest):
    page = client.get(reverse("competitions:contest", args=[contest.pk])).content.decode()
    assert 'id="score-trends-link"' in page and reverse("competitions:trends") in page
    return RESULTS_LINK in page and reverse("competitions:results", args=[contest.pk]) in page


@pytest.mark.parametrize("status", list(ContestStatus))
@pytest.mark.parametrize("visibility", list(ResultsVisibility))
def test_the_contest_page_links_the_results_exactly_for_those_who_may_see_them(
        org, people, client_for, status, visibility):
    # Entries of east-1: the east manager answers for them; the west manager does not.
    contest, _event, _s, _entries = stored_contest(org, [90, 80], status=status,
                                                   results_visibility=visibility)
    results_url = reverse("competitions:results", args=[contest.pk])
    published = status in (ContestStatus.PUBLISHED, ContestStatus.ARCHIVED)
    for who in ("organizer", "admin", "manager", "other_manager"):
        client = client_for(people[who])
        if status == ContestStatus.DRAFT and who in ("manager", "other_manager"):
            continue   # a draft contest's page is the organizers' only
        shown = _link_shown(client, contest)
        may_see = client.get(results_url).status_code == 200
        if shown:
            assert may_see, (who, status, visibility)
        if published and may_see:
            assert shown, (who, status, visibility)
        if who in ("organizer", "admin") and status in (
                ContestStatus.RUNNING, ContestStatus.MARKING):
            assert shown, (who, status)   # the organizers compute and publish from there


def test_the_contests_index_links_results_and_trends(org, people, client_for):
    published, _e, _s, entries = stored_contest(org, [90], status=ContestStatus.PUBLISHED,
                                                name="已公布的竞赛")
    marking, _e2, _s2, _entries2 = stored_contest(org, [70], status=ContestStatus.MARKING,
                                                  name="评分中的竞赛")
    index = reverse("competitions:index")
    # The organizer: every organized contest's results, before publication too.
    page = client_for(people["organizer"]).get(index).content.decode()
    assert reverse("competitions:trends") in page
    assert reverse("competitions:results", args=[published.pk]) in page
    assert reverse("competitions:results", args=[marking.pk]) in page
    # An entrant: the published results of the contest they entered, not the others.
    entrant = entries[0].officer.user
    client = client_for(entrant)
    page = client.get(index).content.decode()
    assert reverse("competitions:trends") in page
    url = reverse("competitions:results", args=[published.pk])
    assert url in page and client.get(url).status_code == 200
    assert reverse("competitions:results", args=[marking.pk]) not in page
    assert client.get(reverse("competitions:trends")).status_code == 200


def test_entry_counts_use_a_full_width_colon_in_chinese(org, people, client_for):
    contest, _e, _s, _entries = stored_contest(org, [90, 80, 70])
    url = reverse("competitions:contest", args=[contest.pk])
    client = client_for(people["organizer"])
    page = client.get(url).content.decode()
    assert "已批准：3" in page and "已批准: 3" not in page
    assert "Approved: 3" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


# ---------------------------------------------------------------- the chief's marks page


def _marked_event(org, count, disagree_at=None):
    """A drafting event (mean of two judges) with `count` entries, all marked alike except
    the entry at `disagree_at` (marks 40 points apart: flagged)."""
    contest = f.contest(org, name=f"评分页竞赛{count}")
    event = f.event(contest, EventKind.DRAFTING, name="文书制作", aggregation=Aggregation.MEAN)
    judge1, judge2 = (f.judge_user(org, f"pj{count}-{n}") for n in (1, 2))
    f.assign(event, judge1, seat="J1")
    f.assign(event, judge2, seat="J2")
    subs = []
    for index in range(count):
        officer = org.person(f"pe{count}-{index}", org.east1, name=f"选手{index:02d}").officer
        sub = f.submission(event, f.entry(contest, officer))
        f.mark(sub, judge1, f.level_raw(40 if index == disagree_at else 30))
        f.mark(sub, judge2, f.level_raw(0 if index == disagree_at else 30))
        subs.append(sub)
    scoring.score_contest(contest)
    return event, subs


def _rows(html):
    table = html.split('id="event-marks"')[1].split("</table>")[0]
    return table.split("<tbody>")[1].count("<tr>")


def test_the_marks_page_comes_a_page_at_a_time_with_bounded_queries(org, people,
                                                                     client_for):
    small, _subs = _marked_event(org, 3)
    large, subs = _marked_event(org, MARKS_PER_PAGE + 5)
    client = client_for(people["organizer"])
    url = reverse("competitions:event_marks", args=[large.pk])

    first = client.get(url).content.decode()
    assert _rows(first) == MARKS_PER_PAGE
    assert 'class="pagination"' in first and "page=2" in first
    second = client.get(url + "?page=2").content.decode()
    assert _rows(second) == 5
    codes = sorted(s.entry.blind_code for s in subs)
    assert codes[0] in first and codes[-1] in second and codes[-1] not in first
    assert client.get(url + "?page=99").status_code == 200   # the last page
    assert "pagination" not in client.get(
        reverse("competitions:event_marks", args=[small.pk])).content.decode()

    counts = []
    for event in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("competitions:event_marks", args=[event.pk])
                              ).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_marks_page_inputs_have_labels(org, people, client_for):
    event, subs = _marked_event(org, 4, disagree_at=1)
    table = scoring.event_table(event)
    assert [d.entry.pk for d in consistency.disagreements(table) if d.flagged] == [subs[1].pk]
    page = client_for(people["organizer"]).get(
        reverse("competitions:event_marks", args=[event.pk])).content.decode()
    note = f'clear-note-{subs[1].pk}'
    assert f'<label class="visually-hidden" for="{note}">核查内容</label>' in page
    assert f'id="{note}" name="note"' in page
    for mark in subs[0].marks.all():   # submitted marks are locked: an unlock form each
        assert f'for="unlock-reason-{mark.pk}"' in page and f'id="unlock-reason-{mark.pk}"' in page


def _all_flat(monkeypatch):
    real = consistency.judge_reports
    monkeypatch.setattr(consistency, "judge_reports", lambda table, **kwargs: [
        dataclasses.replace(report, flat=True) for report in real(table, **kwargs)])


def test_the_flat_judge_flag_is_translated_from_an_english_msgid(org, people, client_for,
                                                                 monkeypatch):
    event, _subs = _marked_event(org, 3)
    _all_flat(monkeypatch)
    url = reverse("competitions:consistency", args=[event.pk])
    english = client_for(people["organizer"]).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert "Safe middle marks?" in english.content.decode()
    assert "打保险分" not in english.content.decode().split('id="judge-reports"')[1]


def test_the_flat_judge_flag_reads_in_chinese(org, people, client_for, monkeypatch):
    event, _subs = _marked_event(org, 3)
    _all_flat(monkeypatch)
    page = client_for(people["organizer"]).get(
        reverse("competitions:consistency", args=[event.pk])).content.decode()
    assert "打保险分？" in page
