"""Item analysis against a hand-computed example: facility, discrimination, options, flags."""
from decimal import Decimal

import pytest
from django.urls import reverse

from exams import results
from exams.analysis import group_size, item_analysis
from exams.models import QuestionType

from .factories import question
from .test_marking import fixed_exam, sit


@pytest.fixture
def analysed(org, people):
    """Four candidates, five questions of 10 points (multiple choice: half for a subset).

    answers             Q1(A)  Q2(B)  Q3(True)  Q4(A,C)  Q5(D)   total
    c1 officer (east1)  A 10   C 0    False 0   AC 10    D 10    30
    c2 manager (east)   A 10   C 0    False 0   A   5    D 10    25
    c3 e2 (east2)       A 10   C 0    False 0   C   5    D 10    25
    c4 w1 (west1)       A 10   B 10   False 0   —   0    A  0    20

    n = 4, k = round(0.27 × 4 = 1.08) = 1: upper = {c1} (30), lower = {c4} (20).
    Facility F = earned / available (4 × 10 = 40); D = p_upper − p_lower:
    Q1: F = 40/40 = 1.000 (too easy)    D = 10/10 − 10/10 = 0
    Q2: F = 10/40 = 0.250               D = 0/10 − 10/10 = −1.000 (negative)
    Q3: F = 0/40 = 0.000 (too hard)     D = 0 − 0 = 0
    Q4: F = 20/40 = 0.500               D = 10/10 − 0/10 = 1.000
    Q5: F = 30/40 = 0.750               D = 10/10 − 0/10 = 1.000
    Options: Q2 B 1, C 3; Q4 A 2 (c1, c2), C 2 (c1, c3); Q5 A 1, D 3.
    """
    qs = [question(stem="Q1", correct=("A",), points="10"),
          question(stem="Q2", correct=("B",), points="10"),
          question(QuestionType.TRUE_FALSE, stem="Q3", answer_bool=True, points="10"),
          question(QuestionType.MULTIPLE, stem="Q4", correct=("A", "C"), points="10"),
          question(stem="Q5", correct=("D",), points="10")]
    exam = fixed_exam(org, qs, units=("corps",))
    e2 = org.person("e2", org.east2)
    w1 = org.person("w1", org.west1)
    sit(exam, people["officer"], {1: "A", 2: "C", 3: False, 4: ["A", "C"], 5: "D"})
    sit(exam, people["manager"], {1: "A", 2: "C", 3: False, 4: ["A"], 5: "D"})
    sit(exam, e2, {1: "A", 2: "C", 3: False, 4: ["C"], 5: "D"})
    sit(exam, w1, {1: "A", 2: "B", 3: False, 4: [], 5: "A"})
    return exam, qs


def by_stem(rows):
    return {row["stem_text"]: row for row in rows}


def test_facility_discrimination_options_and_flags_match_the_hand_computed_example(
        analysed, people):
    exam, _qs = analysed
    candidates, rows = item_analysis(exam, results.Scope.for_user(people["organizer"]))
    assert candidates == 4
    rows = by_stem(rows)
    expected = {"Q1": ("1.000", "0.000"), "Q2": ("0.250", "-1.000"), "Q3": ("0.000", "0.000"),
                "Q4": ("0.500", "1.000"), "Q5": ("0.750", "1.000")}
    for stem, (facility, discrimination) in expected.items():
        assert rows[stem]["facility"] == Decimal(facility), stem
        assert rows[stem]["discrimination"] == Decimal(discrimination), stem
    flagged = {stem: (r["too_easy"], r["too_hard"], r["negative"]) for stem, r in rows.items()}
    assert flagged == {"Q1": (True, False, False), "Q2": (False, False, True),
                       "Q3": (False, True, False), "Q4": (False, False, False),
                       "Q5": (False, False, False)}
    chosen = {stem: {o["key"]: o["chosen"] for o in r["options"]} for stem, r in rows.items()}
    assert chosen["Q2"] == {"A": 0, "B": 1, "C": 3, "D": 0}
    assert chosen["Q4"] == {"A": 2, "B": 0, "C": 2, "D": 0}
    assert chosen["Q5"] == {"A": 1, "B": 0, "C": 0, "D": 3}
    assert rows["Q3"]["options"] == []


def test_group_size_is_27_percent_of_the_candidates_rounded():
    assert [group_size(n) for n in (0, 1, 2, 4, 8, 10, 100)] == [0, 0, 1, 1, 2, 3, 27]


def test_a_managers_item_analysis_counts_only_candidates_in_their_subtree(analysed, people):
    exam, _qs = analysed
    candidates, rows = item_analysis(exam, results.Scope.for_user(people["manager"]))
    assert candidates == 3  # c4 sits in the west
    rows = by_stem(rows)
    assert rows["Q2"]["facility"] == Decimal("0.000") and rows["Q2"]["too_hard"]
    assert {o["key"]: o["chosen"] for o in rows["Q5"]["options"]}["A"] == 0


def test_the_item_analysis_page_shows_the_flags(analysed, people, client_for):
    exam, _qs = analysed
    html = client_for(people["organizer"]).get(
        reverse("exams:results_items", args=[exam.pk])).content.decode()
    assert 'id="item-analysis"' in html
    row = html.split('data-question="%d"' % _qs[1].pk)[1].split("</tr>")[0]
    assert "-1.000" in row and 'class="badge bad"' in row
