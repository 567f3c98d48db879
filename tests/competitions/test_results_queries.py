"""The organizer's results page reads the quiz attempts of an
event at once, and the trends page picks the visible contests in SQL — neither page's
query count grows with the number of entries or contests."""
import pytest
from django.urls import reverse

from competitions import results, scoring, views_results
from competitions.models import (Aggregation, Contest, ContestStatus, EventKind,
                                 ResultsVisibility)
from exams.models import Attempt, AttemptStatus
from people.roles import Role

from . import factories as f

pytestmark = pytest.mark.django_db

RESULTS_PAGE_QUERIES = 25   # 22 when written, whatever the number of entries
TRENDS_PAGE_QUERIES = 6     # 4 when written, whatever the number of contests


def _quiz_contest(org, count):
    from tests.exams.factories import question
    from tests.exams.test_marking import fixed_exam

    exam = fixed_exam(org, [question(stem="甲", correct=("B",), points="10")], units=())
    contest = f.contest(org, status=ContestStatus.MARKING)
    quiz = f.event(contest, EventKind.QUIZ, name="知识测试", exam=exam)
    drafting = f.event(contest, EventKind.DRAFTING, name="文书", aggregation=Aggregation.MEAN)
    judge = f.judge_user(org, "judge-q")
    f.assign(drafting, judge)
    for index in range(count):
        officer = org.person(f"q{index}", org.east1).officer
        entry = f.entry(contest, officer)
        f.submission(quiz, entry)
        f.mark(f.submission(drafting, entry), judge, f.level_raw(20))
        if index % 2:   # every other officer has sat the quiz (not linked yet)
            Attempt.objects.create(exam=exam, officer=officer, seed="s", number=1,
                                   status=AttemptStatus.MARKED, score=7, max_score=10)
    scoring.score_event(drafting)
    return contest, quiz


@pytest.mark.parametrize("count", [4, 16])
def test_the_results_page_queries_do_not_grow_with_entries(org, people, client_for,
                                                           django_assert_max_num_queries,
                                                           count):
    contest, _quiz = _quiz_contest(org, count)
    client = client_for(people["organizer"])
    client.get(reverse("competitions:results", args=[contest.pk]))   # warm the caches
    with django_assert_max_num_queries(RESULTS_PAGE_QUERIES):
        response = client.get(reverse("competitions:results", args=[contest.pk]))
    assert response.status_code == 200


def test_the_preloaded_attempts_score_as_the_single_lookups_do(org):
    contest, quiz = _quiz_contest(org, 4)
    quiz = contest.events.select_related("exam").get(pk=quiz.pk)
    subs = list(scoring._event_submissions(quiz))
    single = scoring.EventScorer(quiz)
    bulk = scoring.EventScorer(quiz)
    bulk.preload_attempts(subs)
    for sub in subs:
        sub.event = quiz
        assert (scoring.compute_submission(sub, single).score
                == scoring.compute_submission(sub, bulk).score)
    scores = sorted(str(r.score) for r in scoring.score_event(quiz).values())
    assert scores == ["70.00", "70.00", "None", "None"]


def _published(org, name, visibility=ResultsVisibility.PARTICIPANTS, unit=None):
    contest = f.contest(org, name=name, status=ContestStatus.PUBLISHED,
                        results_visibility=visibility)
    if unit is not None:
        contest.participating_units.add(unit)
    return contest


@pytest.mark.parametrize("count", [2, 10])
def test_the_trends_page_queries_do_not_grow_with_contests(org, people, client_for,
                                                          django_assert_max_num_queries,
                                                          count):
    for index in range(count):
        _published(org, f"公开{index}", ResultsVisibility.PUBLIC)
        _published(org, f"内部{index}")
    client = client_for(people["officer"])
    client.get(reverse("competitions:trends"))
    with django_assert_max_num_queries(TRENDS_PAGE_QUERIES):
        response = client.get(reverse("competitions:trends"))
    assert response.status_code == 200
    assert len(response.context["contests"]) == count


def test_the_visible_contests_are_those_can_see_results_allows(org, people):
    judge = f.judge_user(org, "jt")
    entrant = people["officer"]
    public = _published(org, "公开", ResultsVisibility.PUBLIC)
    entered = _published(org, "参赛")
    f.entry(entered, entrant.officer)
    judged = _published(org, "评委")
    f.assign(f.event(judged, name="文书"), judge)
    east = _published(org, "东区参加", unit=org.east2)
    west_entry = _published(org, "西区报名")
    f.entry(west_entry, org.person("w1", org.west1).officer)
    closed = _published(org, "无关")
    draft = f.contest(org, name="未公布", status=ContestStatus.MARKING,
                      results_visibility=ResultsVisibility.PUBLIC)
    other_org = f.contest(org, name="其他组织", status=ContestStatus.PUBLISHED)
    other_org.organizer_unit = org.west1
    other_org.save()
    outsider = org.person("plain", org.west1)
    organizer_west = org.person("org-west", org.west, Role.ORGANIZER)
    users = [entrant, judge, people["manager"], people["other_manager"], people["organizer"],
             people["admin"], outsider, organizer_west]
    everything = Contest.objects.filter(pk__in=[c.pk for c in (
        public, entered, judged, east, west_entry, closed, draft, other_org)])
    for user in users:
        expected = {c.pk for c in everything.filter(status__in=results.SHOWN_STATUSES)
                    if results.can_see_results(user, c)}
        assert set(views_results.visible_published_contests(user).values_list("pk", flat=True)) == \
            expected, user.username
