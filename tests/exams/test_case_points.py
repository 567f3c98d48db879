"""A case's points add up exactly; a case without sub-questions never sticks."""
from decimal import Decimal

import pytest

from exams.grading import grade
from exams.models import (AttemptStatus, BlueprintRule, Paper, PaperKind, QuestionStatus,
                          QuestionType)
from exams.papers import _shares, check_blueprint, draw

from .factories import category, question
from .test_marking import fixed_exam, sit


def case_with(parts, points="10", cat=None, status=QuestionStatus.ACTIVE):
    """A case analysis with true/false sub-questions worth `parts` (their own points)."""
    case = question(QuestionType.CASE_ANALYSIS, stem=f"案例{points}-{parts}", points=points,
                    cat=cat)
    for index, part in enumerate(parts, start=1):
        question(QuestionType.TRUE_FALSE, stem=f"案例{points}-{parts}小题{index}", parent=case,
                 position=index, points=part, answer_bool=True, cat=cat, status=status)
    return case


# 2. Rounding -------------------------------------------------------------------------------

@pytest.mark.parametrize("points, weights, expected", [
    ("10", ["1", "1", "1"], ["3.33", "3.33", "3.34"]),
    ("10", ["2", "2", "2"], ["3.33", "3.33", "3.34"]),
    ("1", ["1"] * 6, ["0.17", "0.17", "0.17", "0.17", "0.17", "0.15"]),
    ("10", ["4", "6"], ["4.00", "6.00"]),
    ("10", ["1", "1", "0"], ["5.00", "5.00", "0.00"]),  # the remainder never goes to a 0
    ("10", ["0", "0", "0"], ["3.33", "3.33", "3.34"]),  # none has points: equal shares
])
def test_a_cases_shares_add_up_to_its_points(points, weights, expected):
    shares = _shares(Decimal(points), weights)
    assert shares == [Decimal(share) for share in expected]
    assert sum(shares) == Decimal(points)


def test_a_perfect_paper_with_a_case_in_thirds_scores_full_marks_and_passes(org, people):
    case = case_with(["1", "1", "1"], points="10")
    exam = fixed_exam(org, [case], pass_mark="100")
    attempt = sit(exam, people["officer"], {2: True, 3: True, 4: True})
    assert sorted(attempt.items.values_list("points", flat=True)) == [
        Decimal("0"), Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]
    assert attempt.status == AttemptStatus.MARKED
    assert attempt.max_score == Decimal("10") and attempt.score == Decimal("10")
    assert attempt.passed


# 3. Cases without active sub-questions ---------------------------------------------------------

@pytest.mark.django_db
def test_a_blueprint_draws_only_cases_that_have_active_sub_questions():
    cat = category("专门法规/娱乐场所管理条例")
    good = case_with(["5", "5"], cat=cat)
    case_with(["5", "5"], points="8", cat=cat, status=QuestionStatus.DRAFT)
    question(QuestionType.CASE_ANALYSIS, stem="没有小题的案例", cat=cat, points="10")
    paper = Paper.objects.create(title="案例蓝图", kind=PaperKind.BLUEPRINT)
    BlueprintRule.objects.create(paper=paper, category=cat, qtype=QuestionType.CASE_ANALYSIS,
                                 count=1, points=Decimal("10"))
    assert [check.available for check in check_blueprint(paper)] == [1]
    for seed in range(8):
        items = draw(paper, seed=seed)
        assert [item.question_id for item in items] == [good.pk]
        assert len(items[0].children) == 2


def test_a_fixed_papers_case_without_sub_questions_is_worth_nothing_and_never_sticks(
        org, people):
    empty = question(QuestionType.CASE_ANALYSIS, stem="没有小题的案例", points="10")
    single = question(stem="单选", correct=("B",), points="10")
    exam = fixed_exam(org, [empty, single], pass_mark="100")
    attempt = sit(exam, people["officer"], {2: "B"})
    assert attempt.status == AttemptStatus.MARKED
    assert attempt.max_score == Decimal("10") and attempt.score == Decimal("10")
    assert attempt.passed
    row = attempt.items.get(position=1)
    assert row.points == Decimal("0") and not row.needs_marking and row.earned == Decimal("0")


@pytest.mark.django_db
def test_a_case_row_is_graded_as_worth_nothing_without_a_marker():
    case = question(QuestionType.CASE_ANALYSIS, stem="案例", points="10")
    result = grade(case.current_version.data, None, points=Decimal("10"))
    assert not result.needs_marking and result.points == Decimal("0.00")
