"""Rubric scoring: levels, measures, deductions that stop at zero, vetoes, and grades."""
from decimal import Decimal

import pytest

from competitions.rubrics import (
    EXCELLENT, QUALIFIED, UNQUALIFIED, AppliedDeduction, Criterion, DeductionItem, GradeBand,
    GradeScale, Level, MeasureItem, Rubric, RubricMarks, VetoItem, case_file_review_rubric,
    score_rubric,
)
from competitions.scoring_types import InvalidScoring


def drafting_rubric():
    """A 100-point drafting rubric: 40 by levels, 20 by measures, 40 by deductions."""
    return Rubric(
        name="文书制作",
        criteria=(
            Criterion("quality", "文书质量", 40, levels=(
                Level("好", 32, 40), Level("中", 20, 31), Level("差", 0, 19))),
            Criterion("complete", "要素齐全", 20, measures=(
                MeasureItem("m_parties", "当事人信息完整", 10, basic=True),
                MeasureItem("m_dates", "日期完整", 10))),
            Criterion("form", "格式", 10, deductions=(
                DeductionItem("d_typo", "错别字（每处）", 1, repeatable=True),
                DeductionItem("d_layout", "版式不规范", 2, 6))),
            Criterion("law", "法律适用", 30, deductions=(
                DeductionItem("d_cite", "法条引用不准确", 5, 15, basic=True),)),
        ),
        vetoes=(VetoItem("v_plagiarism", "抄袭"),),
    )


def full_marks(**changes):
    values = dict(levels={"quality": 40}, measures_met=frozenset({"m_parties", "m_dates"}))
    values.update(changes)
    return RubricMarks(**values)


def test_full_marks_are_excellent():
    result = score_rubric(drafting_rubric(), full_marks())
    assert result.points == Decimal("100.00") and result.grade == EXCELLENT
    assert drafting_rubric().max_points == Decimal("100")


def test_deductions_stop_at_zero_within_their_criterion():
    # 格式 is worth 10: typos 12 × 1 = 12 > 10 → 格式 scores 0, not −2; the other
    # criteria keep their points: 40 + 20 + 0 + 30 = 90
    marks = full_marks(deductions=tuple(AppliedDeduction("d_typo") for _ in range(12)))
    result = score_rubric(drafting_rubric(), marks)
    form = result.criteria[2]
    assert (form.base, form.deducted, form.points) == (Decimal(10), Decimal(10), Decimal(0))
    assert result.points == Decimal("90.00")


def test_ranged_deduction_takes_the_judges_amount_within_the_range():
    # 法条引用不准确 扣5–15分: the judge picks 7.5 → 30 − 7.5 = 22.5; total 92.50,
    # but it is a basic-element problem, so not 优秀 → 合格
    marks = full_marks(deductions=(AppliedDeduction("d_cite", "7.5"),))
    result = score_rubric(drafting_rubric(), marks)
    assert result.points == Decimal("92.50")
    assert result.basic_problems == ("d_cite",) and result.grade == QUALIFIED


@pytest.mark.parametrize("applied", [
    AppliedDeduction("d_cite", 4),          # below the range
    AppliedDeduction("d_cite", 16),         # above it
    AppliedDeduction("d_cite"),             # a ranged item needs an amount
    AppliedDeduction("d_typo", 2),          # a fixed item deducts only its amount
    AppliedDeduction("d_unknown"),
])
def test_invalid_deductions_are_refused(applied):
    with pytest.raises(InvalidScoring):
        score_rubric(drafting_rubric(), full_marks(deductions=(applied,)))


def test_a_non_repeatable_deduction_applies_once():
    twice = (AppliedDeduction("d_layout", 2), AppliedDeduction("d_layout", 2))
    with pytest.raises(InvalidScoring):
        score_rubric(drafting_rubric(), full_marks(deductions=twice))


def test_level_scores_must_be_within_the_criterion():
    with pytest.raises(InvalidScoring):
        score_rubric(drafting_rubric(), full_marks(levels={"quality": 41}))
    with pytest.raises(InvalidScoring):
        score_rubric(drafting_rubric(), full_marks(levels={}))


def test_measures_are_all_or_nothing_and_an_unmet_basic_measure_blocks_excellent():
    # 当事人信息 not met: 40 + 10 + 10 + 30 = 90 ≥ 90, but it is a basic element → 合格
    result = score_rubric(drafting_rubric(), full_marks(measures_met=frozenset({"m_dates"})))
    assert result.points == Decimal("90.00") and result.grade == QUALIFIED
    assert result.basic_problems == ("m_parties",)
    # 日期 not met is not basic: 90 → 优秀
    other = score_rubric(drafting_rubric(), full_marks(measures_met=frozenset({"m_parties"})))
    assert other.points == Decimal("90.00") and other.grade == EXCELLENT


def test_a_veto_fails_the_entry_with_zero_points():
    result = score_rubric(drafting_rubric(), full_marks(vetoes=frozenset({"v_plagiarism"})))
    assert result.points == Decimal("0.00") and result.grade == UNQUALIFIED
    assert result.vetoed and result.vetoed_by == ("v_plagiarism",)
    with pytest.raises(InvalidScoring):
        score_rubric(drafting_rubric(), full_marks(vetoes=frozenset({"v_other"})))


def test_grade_thresholds_are_configurable():
    scale = GradeScale(bands=(GradeBand("优秀", 95, True), GradeBand("良好", 85),
                              GradeBand("合格", 60)), failing="不合格")
    assert scale.grade(Decimal(94), False) == "良好"
    assert scale.grade(Decimal(95), True) == "良好"
    assert scale.grade(Decimal(59.99), False) == "不合格"
    with pytest.raises(InvalidScoring):
        GradeScale(bands=(GradeBand("合格", 60), GradeBand("优秀", 90)))


def test_rubric_definitions_are_validated():
    with pytest.raises(InvalidScoring):      # measures must add up to the criterion
        Criterion("c", "c", 20, measures=(MeasureItem("m", "m", 10),))
    with pytest.raises(InvalidScoring):      # a range cannot run backwards
        DeductionItem("d", "d", 5, 2)
    with pytest.raises(InvalidScoring):      # codes are unique
        Rubric("r", (Criterion("x", "x", 10),), vetoes=(VetoItem("x", "x"),))


def test_case_file_review_standard():
    rubric = case_file_review_rubric()
    assert rubric.max_points == Decimal("100")
    assert [v.name for v in rubric.vetoes] == [
        "主体", "执法资格", "证据", "事实", "定性", "法律适用", "程序"]
    assert [(c.name, c.max_points) for c in rubric.criteria] == [
        ("卷面", Decimal(20)), ("内容", Decimal(80))]
    clean = score_rubric(rubric, RubricMarks())
    assert clean.points == Decimal("100.00") and clean.grade == EXCELLENT
    # 缺页 ×2 (2 each) + 文书用语不规范 3 → 20 − 4 = 16, 80 − 3 = 77, total 93 → 优秀
    marks = RubricMarks(deductions=(
        AppliedDeduction("p_missing_page"), AppliedDeduction("p_missing_page"),
        AppliedDeduction("c_language", 3)))
    assert score_rubric(rubric, marks).points == Decimal("93.00")
    assert score_rubric(rubric, marks).grade == EXCELLENT
    # 证据未注明来源 2 is a basic-element problem: 98 points but only 合格
    basic = score_rubric(
        rubric, RubricMarks(deductions=(AppliedDeduction("c_evidence_source", 2),)))
    assert basic.points == Decimal("98.00") and basic.grade == QUALIFIED
    # 程序 veto → 不合格, 0
    vetoed = score_rubric(rubric, RubricMarks(vetoes=frozenset({"procedure"})))
    assert (vetoed.points, vetoed.grade) == (Decimal("0.00"), UNQUALIFIED)


def test_case_file_review_thresholds_are_configurable():
    rubric = case_file_review_rubric(excellent=95, qualified=80)
    marks = RubricMarks(deductions=(AppliedDeduction("c_review", 6),))   # 94 points
    assert score_rubric(rubric, marks).grade == QUALIFIED
    marks = RubricMarks(deductions=(  # 100 − (6 + 5 + 4) = 85
        AppliedDeduction("c_review", 6), AppliedDeduction("c_execution", 5),
        AppliedDeduction("c_service", 4)))
    assert score_rubric(rubric, marks).grade == QUALIFIED
    assert score_rubric(case_file_review_rubric(qualified=90), marks).grade == UNQUALIFIED
