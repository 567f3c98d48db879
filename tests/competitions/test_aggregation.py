"""Panel aggregation (mean, median, trimmed mean) and double marking with arbitration."""
from decimal import Decimal

import pytest

from competitions.aggregation import (
    ARBITRATED, COMPLETE, MEAN, MEDIAN, NEEDS_ARBITRATION, NEEDS_THIRD, PENDING, Mark,
    Tolerance, aggregate, double_mark,
)
from competitions.scoring_types import InvalidScoring


def marks(*values):
    return [Mark(f"J{i}", value) for i, value in enumerate(values, start=1)]


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_marks():
    # 85, 90, 88, 70, 95 → drop 95 (J5) and 70 (J4) → (85 + 90 + 88) / 3 = 263 / 3
    # = 87.666… → 87.67
    result = aggregate(marks("85", "90", "88", "70", "95"))
    assert result.final == Decimal("87.67") and result.state == COMPLETE
    assert [m.judge for m in result.dropped] == ["J5", "J4"]
    assert [m.judge for m in result.used] == ["J1", "J2", "J3"]


def test_below_the_threshold_the_trimmed_mean_is_the_plain_mean():
    # 4 marks < 5: (80 + 90 + 70 + 100) / 4 = 340 / 4 = 85.00, nothing dropped
    result = aggregate(marks(80, 90, 70, 100))
    assert result.final == Decimal("85.00") and result.dropped == ()
    # with the threshold lowered to 4: drop 100 and 70 → (80 + 90) / 2 = 85.00
    lowered = aggregate(marks(80, 90, 70, 100), trim_from=4)
    assert [m.value for m in lowered.dropped] == [Decimal(100), Decimal(70)]


def test_tied_extremes_drop_the_first_listed_mark():
    # 90, 90, 80, 80, 85 → drop J1 (first 90) and J3 (first 80) → (90 + 80 + 85) / 3 = 85.00
    result = aggregate(marks(90, 90, 80, 80, 85))
    assert [m.judge for m in result.dropped] == ["J1", "J3"]
    assert result.final == Decimal("85.00")
    same = aggregate(marks(7, 7, 7, 7, 7))
    assert [m.judge for m in same.dropped] == ["J1", "J2"] and same.final == Decimal("7.00")


def test_rounding_is_half_up_to_two_decimals():
    # (0.02 + 0.03) / 2 = 0.025 → 0.03 half up (half-even would give 0.02)
    assert aggregate(marks("0.02", "0.03"), method=MEAN).final == Decimal("0.03")
    # (1 + 1 + 2) / 3 = 1.333… → 1.33; (1 + 2 + 2) / 3 = 1.666… → 1.67
    assert aggregate(marks(1, 1, 2), method=MEAN).final == Decimal("1.33")
    assert aggregate(marks(1, 2, 2), method=MEAN).final == Decimal("1.67")


def test_median_of_odd_and_even_counts():
    assert aggregate(marks(3, 9, 5), method=MEDIAN).final == Decimal("5.00")
    # even: middle two of 3, 5, 8, 9 are 5 and 8 → 6.50
    assert aggregate(marks(9, 3, 8, 5), method=MEDIAN).final == Decimal("6.50")


def test_no_marks_is_pending_and_bad_input_is_refused():
    assert aggregate([]).state == PENDING and aggregate([]).final is None
    with pytest.raises(InvalidScoring):
        aggregate(marks(1, 2), method="mode")
    with pytest.raises(InvalidScoring):
        aggregate(marks("abc"))
    # plain (judge, value) pairs work as well as Marks
    assert aggregate([("a", 1), ("b", 2)]).final == Decimal("1.50")


TOL5 = Tolerance(points=5)


def test_double_marks_within_tolerance_are_averaged():
    # |80 − 84| = 4 ≤ 5 → (80 + 84) / 2 = 82.00
    result = double_mark(("A", 80), ("B", 84), TOL5)
    assert (result.final, result.state) == (Decimal("82.00"), COMPLETE)
    # the boundary counts as within: |80 − 85| = 5 → 82.50
    assert double_mark(("A", 80), ("B", 85), TOL5).final == Decimal("82.50")


def test_double_marks_apart_need_a_third_mark():
    result = double_mark(("A", 80), ("B", 90), TOL5)
    assert result.state == NEEDS_THIRD and result.final is None


def test_third_mark_is_averaged_with_the_closer_first_mark():
    # 80 and 90 differ by 10 > 5. Third 88: |90 − 88| = 2 < |80 − 88| = 8, and 2 ≤ 5
    # → (90 + 88) / 2 = 89.00; A's 80 is dropped.
    result = double_mark(("A", 80), ("B", 90), TOL5, third=("C", 88))
    assert (result.final, result.state) == (Decimal("89.00"), COMPLETE)
    assert [m.judge for m in result.used] == ["B", "C"]
    assert [m.judge for m in result.dropped] == ["A"]


def test_third_mark_at_the_midpoint_uses_all_three():
    # 80 and 90, third 85: both 5 away (≤ 5) → (80 + 90 + 85) / 3 = 85.00, nobody dropped
    result = double_mark(("A", 80), ("B", 90), TOL5, third=("C", 85))
    assert result.final == Decimal("85.00") and result.dropped == ()


def test_third_mark_far_from_both_needs_arbitration_and_the_chief_mark_stands():
    # 60 and 90, third 75: both 15 away > 5 → needs arbitration
    waiting = double_mark(("A", 60), ("B", 90), TOL5, third=("C", 75))
    assert waiting.state == NEEDS_ARBITRATION and waiting.final is None
    # the chief judge's 仲裁 mark 78.5 is the final score; all three others are dropped
    done = double_mark(("A", 60), ("B", 90), TOL5, third=("C", 75), arbitration=("chief", "78.5"))
    assert (done.final, done.state) == (Decimal("78.50"), ARBITRATED)
    assert [m.judge for m in done.dropped] == ["A", "B", "C"]


def test_tolerance_as_a_share_of_the_maximum():
    # 10% of 50 = 5 points: |40 − 44| = 4 → (40 + 44) / 2 = 42.00; |40 − 46| = 6 → third
    tolerance = Tolerance(share="0.1")
    assert double_mark(("A", 40), ("B", 44), tolerance, max_points=50).final == Decimal("42.00")
    assert double_mark(("A", 40), ("B", 46), tolerance, max_points=50).state == NEEDS_THIRD
    with pytest.raises(InvalidScoring):
        double_mark(("A", 40), ("B", 44), tolerance)          # a share needs the maximum
    with pytest.raises(InvalidScoring):
        double_mark(("A", 40), ("B", 51), tolerance, max_points=50)   # above the maximum
    with pytest.raises(InvalidScoring):
        Tolerance(points=1, share="0.1")


def test_marks_not_needed_are_reported_as_unused_not_dropped():
    result = double_mark(("A", 80), ("B", 82), TOL5, third=("C", 60))
    assert result.final == Decimal("81.00")
    assert result.dropped == () and [m.judge for m in result.unused] == ["C"]
