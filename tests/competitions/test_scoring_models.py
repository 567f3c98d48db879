"""Scores from stored raw marks, against hand-computed examples (competitions.scoring)."""
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from competitions import aggregation as agg
from competitions import rubrics, scoring
from competitions.models import Aggregation, EventKind, MarkRole, MarkStatus, Rubric
from competitions.rubric_spec import (CASE_FILE_REVIEW_NAME, case_file_review_definition,
                                      ensure_builtin_rubrics, marks_raw, rubric_marks,
                                      to_definition, to_rubric, validate_definition)
from competitions.scoring_types import InvalidScoring

from . import factories as f

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- rubric definitions ------------------------------------------------------------------

def test_the_review_standard_round_trips_through_its_definition():
    shipped = rubrics.case_file_review_rubric()
    loaded = to_rubric(case_file_review_definition(), name=shipped.name)
    assert loaded == shipped
    assert to_definition(loaded) == case_file_review_definition()
    assert loaded.max_points == 100


@pytest.mark.django_db
def test_the_review_standard_is_shipped_as_a_ready_rubric():
    row = Rubric.objects.get(name=CASE_FILE_REVIEW_NAME)  # created by the data migration
    assert ensure_builtin_rubrics() == row
    assert to_rubric(row.definition).max_points == 100
    assert Rubric.objects.filter(name=CASE_FILE_REVIEW_NAME).count() == 1


@pytest.mark.parametrize("definition, message", [
    ({}, "at least one criterion"),
    ({"criteria": "x"}, "must be a list"),
    ({"criteria": [{"code": "a", "name": "甲"}]}, "Criterion a: a number is missing"),
    ({"criteria": [{"code": "a", "name": "甲", "max_points": "abc"}]}, "is not a number"),
    ({"criteria": [{"code": "a", "name": "甲", "max_points": 10,
                    "measures": [{"code": "m", "name": "乙", "points": 5}]}]}, "add up"),
    ({"criteria": [{"code": "a", "name": "甲", "max_points": 10,
                    "deductions": [{"code": "d", "name": "丙", "low": 5, "high": 2}]}]},
     "invalid range"),
    ({"criteria": [{"code": "a", "name": "甲", "max_points": 10}],
      "vetoes": [{"code": "a", "name": "重复"}]}, "unique"),
    ({"criteria": [{"name": "甲", "max_points": 10}]}, "“code” is missing"),
])
def test_bad_definitions_are_refused_with_a_clear_message(definition, message):
    with pytest.raises(InvalidScoring, match=message):
        validate_definition(definition)


def test_raw_marks_round_trip():
    raw = f.level_raw(35, deductions=[("d_typo", None), ("d_layout", 7.5)], vetoes=())
    assert marks_raw(rubric_marks(raw)) == {
        "levels": {"quality": 35}, "measures_met": ["m_basis", "m_parties"],
        "deductions": [{"code": "d_typo", "amount": None}, {"code": "d_layout", "amount": 7.5}],
        "vetoes": []}


# --- one judge's mark ------------------------------------------------------------------------

@pytest.fixture
def drafting(org):
    contest = f.contest(org)
    return f.event(contest, EventKind.DRAFTING, aggregation=Aggregation.TRIMMED_MEAN)


def _entries(org, contest, count):
    return [f.entry(contest, org.person(f"c{i}", org.east1).officer) for i in range(count)]


def test_a_rubric_mark_scores_levels_measures_and_deductions(org, drafting):
    entry = _entries(org, drafting.contest, 1)[0]
    sub = f.submission(drafting, entry)
    judge = f.judge_user(org, "j1")
    # 35 + (10 + 20) + (30 − 2 − 2 − 10) = 81 → 合格
    m = f.mark(sub, judge, f.level_raw(35, deductions=[("d_typo", None), ("d_typo", None),
                                                        ("d_layout", 10)]))
    assert scoring.mark_points(m) == D("81.00")
    outcome = scoring.EventScorer(drafting).mark_outcome(m)
    assert outcome.grade == "合格" and not outcome.basic_problem
    # The basic measure unmet: 35 + 10 + 30 = 75, still 合格; with a veto: 0, 不合格.
    m.raw = f.level_raw(35, measures=("m_parties",))
    assert scoring.mark_points(m) == D("75.00")
    m.raw = f.level_raw(35, vetoes=("v_plagiarism",))
    outcome = scoring.EventScorer(drafting).mark_outcome(m)
    assert (outcome.points, outcome.grade, outcome.vetoed) == (D("0.00"), "不合格", True)


def test_a_ranged_deduction_out_of_range_is_refused(org, drafting):
    sub = f.submission(drafting, _entries(org, drafting.contest, 1)[0])
    m = f.mark(sub, f.judge_user(org, "j1"), f.level_raw(35, deductions=[("d_layout", 20)]))
    with pytest.raises(InvalidScoring, match="between 5 and 15"):
        scoring.mark_points(m)


# --- aggregation per submission ------------------------------------------------------------

def _panel(org, event, sub, qualities, status=MarkStatus.SUBMITTED):
    judges = []
    for index, quality in enumerate(qualities):
        judge = f.judge_user(org, f"judge{event.pk}_{sub.pk}_{index}")
        f.assign(event, judge, seat=f"J{index + 1}")
        f.mark(sub, judge, f.level_raw(quality), status=status)
        judges.append(judge)
    return judges


def test_trimmed_mean_drops_the_highest_and_lowest_of_five(org, drafting):
    sub = f.submission(drafting, _entries(org, drafting.contest, 1)[0])
    # Totals 80, 85, 90, 70, 95 → drop 95 and 70 → (80 + 85 + 90) / 3 = 85
    _panel(org, drafting, sub, [20, 25, 30, 10, 35])
    result = scoring.score_submission(sub)
    assert (result.score, result.state) == (D("85.00"), agg.COMPLETE)
    sub.refresh_from_db()
    assert (sub.score, sub.score_state, sub.grade) == (D("85.00"), agg.COMPLETE, "合格")
    assert sorted(sub.marks.values_list("points", flat=True)) == [70, 80, 85, 90, 95]


def test_below_five_marks_the_plain_mean_is_used_and_drafts_do_not_count(org, drafting):
    sub = f.submission(drafting, _entries(org, drafting.contest, 1)[0])
    _panel(org, drafting, sub, [20, 25, 30, 10])           # 80, 85, 90, 70
    judge = f.judge_user(org, "drafter")
    f.assign(drafting, judge, seat="J5")
    f.mark(sub, judge, f.level_raw(40), status=MarkStatus.DRAFT)   # 100, a draft
    result = scoring.score_submission(sub)
    # (80 + 85 + 90 + 70) / 4 = 81.25, provisional: J5 has not submitted.
    assert (result.score, result.state) == (D("81.25"), scoring.MISSING_MARKS)
    assert result.missing == (judge.pk,)


def test_scores_are_scaled_to_the_event_maximum(org):
    contest = f.contest(org)
    event = f.event(contest, EventKind.PRACTICAL, aggregation=Aggregation.MEAN,
                    max_points=D("30"))
    sub = f.submission(event, _entries(org, contest, 1)[0])
    _panel(org, event, sub, [21, 22])                       # 81, 82 → mean 81.5 of 100
    assert scoring.score_submission(sub).score == D("24.45")   # 81.5 × 30 / 100


def test_median_of_four(org):
    contest = f.contest(org)
    event = f.event(contest, aggregation=Aggregation.MEDIAN)
    sub = f.submission(event, _entries(org, contest, 1)[0])
    _panel(org, event, sub, [10, 40, 20, 30])               # 70, 100, 80, 90 → (80+90)/2
    assert scoring.score_submission(sub).score == D("85.00")


@pytest.fixture
def double(org):
    contest = f.contest(org)
    event = f.event(contest, aggregation=Aggregation.DOUBLE, tolerance_points=D("5"))
    sub = f.submission(event, _entries(org, contest, 1)[0])
    judges = {role: f.judge_user(org, role) for role in ("first", "second", "third", "chief")}
    for role in ("first", "second", "third"):
        f.assign(event, judges[role], role=role)
    f.assign(event, judges["chief"], is_chief=True)
    return event, sub, judges


def test_double_marking_within_tolerance_takes_the_mean(double):
    event, sub, judges = double
    f.mark(sub, judges["first"], f.level_raw(20), role=MarkRole.FIRST)     # 80
    f.mark(sub, judges["second"], f.level_raw(24), role=MarkRole.SECOND)   # 84
    assert scoring.score_submission(sub).score == D("82.00")


def test_double_marking_calls_a_third_marker_then_arbitration(double):
    event, sub, judges = double
    f.mark(sub, judges["first"], f.level_raw(20), role=MarkRole.FIRST)     # 80
    f.mark(sub, judges["second"], f.level_raw(30), role=MarkRole.SECOND)   # 90
    result = scoring.score_submission(sub)
    assert (result.score, result.state) == (None, agg.NEEDS_THIRD)
    assert [p.code for p in scoring.unresolved(event.contest)] == [agg.NEEDS_THIRD]

    third = f.mark(sub, judges["third"], f.level_raw(28), role=MarkRole.THIRD)   # 88
    # Closer first mark: 90 (gap 2 ≤ 5) → (90 + 88) / 2 = 89
    assert scoring.score_submission(sub).score == D("89.00")

    third.raw = f.level_raw(10)                                            # 70
    third.save()
    # Closer: 80, gap 10 > 5 → arbitration
    assert scoring.score_submission(sub).state == agg.NEEDS_ARBITRATION
    assert [p.code for p in scoring.unresolved(event.contest)] == [agg.NEEDS_ARBITRATION]
    f.mark(sub, judges["chief"], f.level_raw(17), role=MarkRole.ARBITRATION)   # 77
    result = scoring.score_submission(sub)
    assert (result.score, result.state) == (D("77.00"), agg.ARBITRATED)
    assert scoring.unresolved(event.contest) == []


def test_double_marking_without_both_first_marks_has_no_score(double):
    event, sub, judges = double
    f.mark(sub, judges["first"], f.level_raw(20), role=MarkRole.FIRST)
    result = scoring.score_submission(sub)
    assert (result.score, result.state) == (None, scoring.MISSING_MARKS)


# --- case-file correction ------------------------------------------------------------------

@pytest.fixture
def correction_event(org):
    contest = f.contest(org)
    event = f.event(contest, EventKind.CORRECTION, aggregation=Aggregation.MEAN,
                    max_points=D("40"), penalty_kind="fixed", penalty_value=D("2"))
    f.key_error(event, "A", "询问笔录第2页", "facts", "10")
    f.key_error(event, "B", "处罚决定书", "legal_basis", "20")
    f.key_error(event, "C", "送达回证", "procedure", "10")
    return event


FINDINGS = [
    {"location": "询问笔录第2页", "category": "facts", "explanation": "时间矛盾"},
    {"location": "处罚决定书", "category": "legal_basis", "explanation": "条款错"},
    {"location": "立案审批表", "category": "procedure", "explanation": "无"},
    {"location": "处罚决定书", "category": "documents", "explanation": "重复"},
]


def test_correction_scores_exact_partial_and_false_findings(org, correction_event):
    sub = f.submission(correction_event, _entries(org, correction_event.contest, 1)[0],
                       findings=FINDINGS)
    judge = f.judge_user(org, "j1")
    f.assign(correction_event, judge)
    m = f.mark(sub, judge, {"verdicts": [{"finding": 0, "reason_ok": True},
                                         {"finding": 1, "reason_ok": False}]})
    outcome = scoring.EventScorer(correction_event).mark_outcome(m)
    # A right (10) + B half (20 × 0.5 = 10) − 2 false findings × 2 = 16
    assert outcome.points == D("16.00")
    assert (outcome.detail.precision, outcome.detail.recall) == (D("0.5"), D("0.6667"))
    assert scoring.score_submission(sub).score == D("16.00")


def test_correction_never_goes_below_zero_and_not_attempted_is_not_zero(org, correction_event):
    first, second = _entries(org, correction_event.contest, 2)
    wrong = f.submission(correction_event, first, findings=[
        {"location": "封面", "category": "documents", "explanation": ""}] * 3)
    absent = f.submission(correction_event, second, not_attempted=True, submitted_at=None)
    judge = f.judge_user(org, "j1")
    f.assign(correction_event, judge)
    f.mark(wrong, judge, {"verdicts": []})
    assert scoring.score_submission(wrong).score == D("0.00")
    result = scoring.score_submission(absent)
    assert (result.score, result.state) == (None, scoring.NOT_ATTEMPTED)


def test_a_judge_confirms_an_ambiguous_match(org, correction_event):
    sub = f.submission(correction_event, _entries(org, correction_event.contest, 1)[0],
                       findings=[{"location": "送达回证附页", "category": "procedure",
                                  "explanation": "未载明送达方式"}])
    judge = f.judge_user(org, "j1")
    f.assign(correction_event, judge)
    f.mark(sub, judge, {"verdicts": [{"finding": 0, "reason_ok": True, "confirmed_key": "C"}]})
    assert scoring.score_submission(sub).score == D("10.00")


def test_correction_scores_scale_from_the_key_total(org, correction_event):
    correction_event.max_points = D("100")
    correction_event.save()
    sub = f.submission(correction_event, _entries(org, correction_event.contest, 1)[0],
                       findings=FINDINGS[:1])
    judge = f.judge_user(org, "j1")
    f.assign(correction_event, judge)
    f.mark(sub, judge, {"verdicts": [{"finding": 0, "reason_ok": True}]})
    assert scoring.score_submission(sub).score == D("25.00")     # 10 of 40 → 25 of 100


# --- quiz ----------------------------------------------------------------------------------

def test_a_quiz_takes_the_attempt_score_scaled(org, people):
    from tests.exams.factories import question
    from tests.exams.test_marking import fixed_exam, sit

    exam = fixed_exam(org, [question(stem="甲", correct=("B",), points="10"),
                            question(stem="乙", correct=("B",), points="10")], units=("corps",))
    contest = f.contest(org)
    event = f.event(contest, EventKind.QUIZ, exam=exam, max_points=D("50"))
    entry = f.entry(contest, people["officer"].officer)
    sub = f.submission(event, entry, submitted_at=None)
    assert scoring.score_submission(sub).state == agg.PENDING
    sit(exam, people["officer"], {1: "B", 2: "A"})               # 10 of 20
    result = scoring.score_submission(sub)
    assert (result.score, result.state) == (D("25.00"), agg.COMPLETE)
    sub.refresh_from_db()
    assert sub.attempt is not None and sub.completion_seconds is not None


# --- contest totals, tables, unresolved ------------------------------------------------------

def test_contest_totals_are_weighted_and_missing_events_count_zero(org):
    contest = f.contest(org)
    a = f.event(contest, EventKind.DRAFTING, name="文书", aggregation=Aggregation.MEAN,
                weight=D("3"))
    b = f.event(contest, EventKind.PRACTICAL, name="实操", aggregation=Aggregation.MEAN,
                weight=D("7"))
    one, two = _entries(org, contest, 2)
    judge = f.judge_user(org, "j1")
    f.assign(a, judge)
    f.assign(b, judge)
    f.mark(f.submission(a, one), judge, f.level_raw(20))          # 80
    f.mark(f.submission(b, one), judge, f.level_raw(30))          # 90
    f.mark(f.submission(a, two), judge, f.level_raw(40))          # 100; no event b
    scoring.score_contest(contest)
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.total == D("87.00")       # (3 × 80 + 7 × 90) / 10
    assert two.total == D("30.00")       # (3 × 100 + 7 × 0) / 10


def test_event_table_and_disagreement_flags_block_publication(org, drafting):
    drafting.aggregation = Aggregation.MEAN
    drafting.save()
    judges = [f.judge_user(org, f"j{i}") for i in range(3)]
    for index, judge in enumerate(judges):
        f.assign(drafting, judge, seat=f"J{index + 1}")
    entries = _entries(org, drafting.contest, 4)
    rows = [(20, 21, 22), (25, 26, 27), (30, 31, 32), (10, 20, 30)]   # ranges 2, 2, 2, 20
    subs = []
    for entry, qualities in zip(entries, rows):
        sub = f.submission(drafting, entry)
        subs.append(sub)
        for judge, quality in zip(judges, qualities):
            f.mark(sub, judge, f.level_raw(quality))
    table = scoring.event_table(drafting)
    assert table[subs[0]] == {judges[0].pk: D("80.00"), judges[1].pk: D("81.00"),
                              judges[2].pk: D("82.00")}
    assert scoring.judge_labels(drafting) == {judges[0].pk: "J1", judges[1].pk: "J2",
                                              judges[2].pk: "J3"}
    problems = scoring.unresolved(drafting.contest)
    # Mean range (2 + 2 + 2 + 20) / 4 = 6.5; 20 > 2 × 6.5 → flagged.
    assert [(p.submission, p.code) for p in problems] == [(subs[3], scoring.DISAGREEMENT)]
    subs[3].flag_cleared_at = timezone.now()
    subs[3].save()
    assert scoring.unresolved(drafting.contest) == []


def test_marks_that_no_longer_fit_the_rubric_are_reported(org, drafting):
    sub = f.submission(drafting, _entries(org, drafting.contest, 1)[0])
    judge = f.judge_user(org, "j1")
    f.assign(drafting, judge)
    f.mark(sub, judge, {"levels": {"quality": 35}, "measures_met": ["gone"]})
    result = scoring.score_submission(sub)
    assert result.state == scoring.INVALID and "gone" in result.error
    assert [p.code for p in scoring.unresolved(drafting.contest)] == [scoring.INVALID]
