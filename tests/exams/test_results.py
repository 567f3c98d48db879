"""Exam results within scope: participation, scores, units, ranking, absentees, chart, monitor."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import results
from exams.models import Attempt

from .factories import question
from .test_marking import fixed_exam, sit


@pytest.fixture
def exam(org):
    """Two single-choice questions (key B, 10 points each) for the whole corps; pass at 60%."""
    return fixed_exam(org, [question(stem="甲", correct=("B",), points="10"),
                            question(stem="乙", correct=("B",), points="10")], units=("corps",))


@pytest.fixture
def sat(exam, org, people):
    """East: officer 20, manager 10, e2 0 (all sat), e2b absent. West: w1 20, w2 absent."""
    e2 = org.person("e2", org.east2, name="东二甲")
    org.person("e2b", org.east2, name="东二缺考")
    w1 = org.person("w1", org.west1, name="西一甲")
    org.person("w2", org.west1, name="西一缺考")
    sit(exam, people["officer"], {1: "B", 2: "B"})
    sit(exam, people["manager"], {1: "B", 2: "C"})
    sit(exam, e2, {1: "A", 2: "A"})
    sit(exam, w1, {1: "B", 2: "B"})
    return exam


def test_summary_counts_participation_pass_rate_mean_and_median(sat, people):
    stats = results.summary(sat, results.Scope.for_user(people["organizer"]))
    # Eligible: the 7 fixture people + 4 extra officers = 11; 4 sat.
    assert (stats["eligible"], stats["sat"], stats["absent"]) == (11, 4, 7)
    assert stats["participation"] == 36.4
    assert (stats["marked"], stats["passed"], stats["pass_rate"]) == (4, 2, 50.0)
    assert stats["mean"] == Decimal("12.5")  # (20 + 10 + 0 + 20) / 4
    assert stats["median"] == Decimal("15")  # (10 + 20) / 2


def test_a_manager_sees_only_the_attempts_of_their_subtree(sat, people, client_for):
    scope = results.Scope.for_user(people["manager"])
    stats = results.summary(sat, scope)
    # East subtree: officer, manager, e2, e2b are eligible; three sat.
    assert (stats["eligible"], stats["sat"], stats["marked"]) == (4, 3, 3)
    assert stats["mean"] == Decimal("10")
    names = [a.officer.name for a in results.ranking(sat, scope)]
    assert names == ["王小兵", "东区经理", "东二甲"]

    html = client_for(people["manager"]).get(
        reverse("exams:results_exam", args=[sat.pk])).content.decode()
    assert "王小兵" in html and "西一甲" not in html and "西区" not in html
    absent = client_for(people["manager"]).get(
        reverse("exams:results_absent", args=[sat.pk])).content.decode()
    assert "东二缺考" in absent and "西一缺考" not in absent
    data = client_for(people["manager"]).get(
        reverse("exams:results_monitor_data", args=[sat.pk])).json()
    assert {u["unit"] for u in data["units"]} == {"东区支队", "东区第一大队", "东区第二大队"}
    assert data["totals"] == {"eligible": 4, "started": 3, "submitted": 3}


def test_the_chart_is_drawn_from_the_viewers_scope_and_cached(sat, people, client_for,
                                                              django_assert_max_num_queries):
    east = results.distribution(sat, results.Scope.for_user(people["manager"]))
    west = results.distribution(sat, results.Scope.for_user(people["other_manager"]))
    assert dict(east) == {**{label: 0 for label, _n in east}, "0–10": 1, "50–60": 1, "90–100": 1}
    assert dict(west)["90–100"] == 1 and sum(n for _l, n in west) == 1

    client = client_for(people["manager"])
    url = reverse("exams:results_chart", args=[sat.pk])
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    assert first.content.startswith(b"\x89PNG")
    assert first.content == results.distribution_chart(
        sat, results.Scope.for_user(people["manager"]))
    assert first.content != results.distribution_chart(
        sat, results.Scope.for_user(people["other_manager"]))
    with django_assert_max_num_queries(8):  # a cache hit: no drawing
        assert client.get(url).content == first.content


def test_per_unit_rows_are_the_units_one_level_below_the_top_of_the_scope(sat, people):
    rows = results.by_unit(sat, results.Scope.for_user(people["manager"]))
    table = {row["unit"].name: (row["eligible"], row["sat"], row["passed"], row["mean"])
             for row in rows}
    assert table == {"东区支队": (1, 1, 0, Decimal("10")),
                     "东区第一大队": (1, 1, 1, Decimal("20")),
                     "东区第二大队": (2, 1, 0, Decimal("0"))}
    corps = results.by_unit(sat, results.Scope.for_user(people["organizer"]))
    assert [row["unit"].name for row in corps] == ["测试市文化市场综合执法总队", "东区支队",
                                                   "西区支队"]
    assert [row["sat"] for row in corps] == [0, 3, 1]
    every = results.by_unit(sat, results.Scope.for_user(people["organizer"]), every_unit=True)
    assert "西区第一大队" in [row["unit"].name for row in every]


def test_a_resit_replaces_the_first_attempt_in_the_results(sat, people):
    sat.attempts_allowed = 2
    sat.save()
    first = Attempt.objects.get(exam=sat, officer=people["manager"].officer)
    resit = sitting_resit(sat, people["manager"], {1: "B", 2: "B"})
    assert resit.number == 2 and first.score == Decimal("10.00")
    ranked = {a.officer.name: a.score for a in
              results.ranking(sat, results.Scope.for_user(people["manager"]))}
    assert ranked["东区经理"] == Decimal("20.00")


def sitting_resit(exam, user, answers):
    from exams import sitting

    attempt = sitting.create_attempt(exam, user.officer, number=2)
    Attempt.objects.filter(pk=attempt.pk).update(status="in_progress")
    for position, answer in answers.items():
        attempt.items.filter(position=position).update(answer=answer)
    attempt.refresh_from_db()
    sitting.submit(attempt)
    attempt.refresh_from_db()
    return attempt


def test_officers_get_403_on_every_results_url(sat, people, client_for):
    client = client_for(people["officer"])
    for name in ("results_exam", "results_chart", "results_items", "results_absent",
                 "results_export", "results_monitor", "results_monitor_data"):
        url = reverse(f"exams:{name}", args=[sat.pk])
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert client.get(reverse("exams:results")).status_code == 403


def test_results_pages_cost_the_same_queries_for_three_or_thirty_attempts(exam, org, people,
                                                                         client_for):
    client = client_for(people["organizer"])
    urls = [reverse(f"exams:{name}", args=[exam.pk]) for name in
            ("results_exam", "results_items", "results_absent", "results_monitor",
             "results_monitor_data")]

    def cost():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    for index in range(3):
        sit(exam, org.person(f"a{index}", org.east1), {1: "B", 2: "C" if index else "B"})
    few = cost()
    for index in range(27):
        sit(exam, org.person(f"b{index}", org.west1), {1: "B" if index % 3 else "A", 2: "B"})
    many = cost()
    assert few == many, (few, many)
    assert max(many) <= 20
