"""Judge consistency: offsets, spread, drops, correlation, ICC(2,1), Kendall's W."""
import statistics

import numpy as np
import pytest

from competitions.consistency import (
    average_ranks, complete_matrix, disagreements, icc_2_1, judge_reports, kendalls_w,
    pearson, standardise,
)

# 4 entries × 3 judges
#          A  B  C    row sum  row mean
#   E1     9  7  8      24       8
#   E2     6  5  7      18       6
#   E3     8  7  9      24       8
#   E4     4  4  4      12       4
#   col   27 23 28      78       grand mean 78 / 12 = 6.5
TABLE = {
    "E1": {"A": 9, "B": 7, "C": 8},
    "E2": {"A": 6, "B": 5, "C": 7},
    "E3": {"A": 8, "B": 7, "C": 9},
    "E4": {"A": 4, "B": 4, "C": 4},
}


def test_icc_2_1_by_hand():
    # n = 4 entries, k = 3 judges, grand mean 6.5
    # SSR = k Σ (row mean − 6.5)² = 3 × (1.5² + 0.5² + 1.5² + 2.5²) = 3 × 11 = 33
    # SSC = n Σ (col mean − 6.5)² = 4 × (0.25² + 0.75² + 0.5²) = 4 × 0.875 = 3.5
    #       (col means 6.75, 5.75, 7)
    # SST = Σ (x − 6.5)² = 8.75 + 2.75 + 8.75 + 18.75 = 39
    # SSE = 39 − 33 − 3.5 = 2.5
    # MSR = 33 / 3 = 11;  MSC = 3.5 / 2 = 1.75;  MSE = 2.5 / (3 × 2) = 5/12
    # ICC = (MSR − MSE) / (MSR + (k−1) MSE + k (MSC − MSE) / n)
    #     = (11 − 5/12) / (11 + 10/12 + 3 × (16/12) / 4)
    #     = (127/12) / (142/12 + 12/12) = 127 / 154 = 0.8247
    assert icc_2_1(TABLE) == pytest.approx(127 / 154)
    assert round(icc_2_1(TABLE), 3) == 0.825


def test_icc_2_1_agrees_with_a_numpy_anova():
    x = np.array([[9, 7, 8], [6, 5, 7], [8, 7, 9], [4, 4, 4]], dtype=float)
    n, k = x.shape
    grand = x.mean()
    msr = k * ((x.mean(axis=1) - grand) ** 2).sum() / (n - 1)
    msc = n * ((x.mean(axis=0) - grand) ** 2).sum() / (k - 1)
    resid = x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + grand
    mse = (resid ** 2).sum() / ((n - 1) * (k - 1))
    expected = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    assert icc_2_1(TABLE) == pytest.approx(expected)


def test_kendalls_w_with_tie_correction_by_hand():
    # ranks within each judge, lowest mark = 1:
    #   A: 9 6 8 4 → 4 2 3 1
    #   B: 7 5 7 4 → 3.5 2 3.5 1   (E1 and E3 tie: one group of t = 2)
    #   C: 8 7 9 4 → 3 2 4 1
    # rank sums R: E1 10.5, E2 6, E3 10.5, E4 3; mean m(n+1)/2 = 3 × 5 / 2 = 7.5
    # S = 3² + 1.5² + 3² + 4.5² = 9 + 2.25 + 9 + 20.25 = 40.5
    # Σ T = (2³ − 2) = 6
    # W = 12 S / (m² (n³ − n) − m Σ T) = 486 / (9 × 60 − 3 × 6) = 486 / 522 = 0.9310
    assert kendalls_w(TABLE) == pytest.approx(486 / 522)
    assert round(kendalls_w(TABLE), 3) == 0.931


def test_kendalls_w_is_one_for_identical_orders_and_ranks_share_ties():
    same = {e: {"A": v, "B": v * 2, "C": v + 1} for e, v in zip("abcd", (1, 2, 3, 4))}
    assert kendalls_w(same) == pytest.approx(1.0)
    assert average_ranks([5, 3, 5, 1]) == [3.5, 2.0, 3.5, 1.0]


def test_judge_offsets_spread_and_correlation_by_hand():
    # panel medians per entry: E1 8, E2 6, E3 8, E4 4
    # A: +1, 0, 0, 0 → +0.25;  B: −1, −1, −1, 0 → −0.75;  C: 0, +1, +1, 0 → +0.5
    reports = {r.judge: r for r in judge_reports(TABLE)}
    assert reports["A"].offset == pytest.approx(0.25)
    assert reports["B"].offset == pytest.approx(-0.75)
    assert reports["C"].offset == pytest.approx(0.5)
    # spreads (n − 1): A 9 6 8 4, mean 6.75, Σd² = 14.75 → √(14.75/3) = 2.2174
    #                  B 7 5 7 4, mean 5.75, Σd² = 6.75  → √2.25 = 1.5
    #                  C 8 7 9 4, mean 7,    Σd² = 14    → √(14/3) = 2.1602
    assert round(reports["A"].spread, 3) == 2.217
    assert reports["B"].spread == pytest.approx(1.5)
    assert round(reports["C"].spread, 3) == 2.160
    # panel spread = median of the spreads = 2.1602; B: 1.5 < 0.75 × 2.1602 = 1.62 → flat
    assert not reports["B"].flat
    flagged = {r.judge: r.flat for r in judge_reports(TABLE, flat_ratio=0.75)}
    assert flagged == {"A": False, "B": True, "C": False}
    # A against the mean of B and C (7.5, 6, 8, 4): deviations from 6.75 and 6.375
    # Sxy = 11.375, Sxx = 14.75, Syy = 9.6875 → r = 11.375 / √142.890625 = 0.9516
    assert round(reports["A"].correlation, 3) == 0.952
    assert reports["A"].correlation == pytest.approx(
        np.corrcoef([9, 6, 8, 4], [7.5, 6, 8, 4])[0, 1])
    assert reports["A"].marked == 4


def test_how_often_each_judge_was_dropped_by_the_trimmed_mean():
    # with 3 marks and the default threshold of 5 nothing is trimmed
    assert [r.dropped for r in judge_reports(TABLE)] == [0, 0, 0]
    # trimming from 3 marks: E1 drops A (9) and B (7); E2 C (7) and B (5); E3 C (9) and
    # B (7); E4 all 4: the first listed high (A) and the first other low (B)
    reports = {r.judge: r for r in judge_reports(TABLE, trim_from=3)}
    assert {j: r.dropped for j, r in reports.items()} == {"A": 2, "B": 4, "C": 2}
    assert reports["B"].drop_rate == 1.0


def test_a_flat_judge_is_flagged():
    table = {f"E{i}": {"A": 60 + 5 * i, "B": 58 + 5 * i, "C": 80 + (i % 2)} for i in range(6)}
    assert {r.judge: r.flat for r in judge_reports(table)} == {"A": False, "B": False, "C": True}


def test_missing_marks_leave_only_complete_entries_for_icc_and_w():
    table = dict(TABLE, E5={"A": 1, "B": 9})      # C did not mark E5
    entries, judges, _rows = complete_matrix(table)
    assert entries == ["E1", "E2", "E3", "E4"] and judges == ["A", "B", "C"]
    assert icc_2_1(table) == pytest.approx(127 / 154)
    assert kendalls_w(table) == pytest.approx(486 / 522)
    # per-judge numbers use every mark the judge gave: A's offset now includes E5,
    # median(1, 9) = 5 → 1 − 5 = −4 → (1 + 0 + 0 + 0 − 4) / 5 = −0.6
    reports = {r.judge: r for r in judge_reports(table)}
    assert reports["A"].offset == pytest.approx(-0.6) and reports["C"].marked == 4


def test_undefined_statistics_are_none():
    assert icc_2_1({"E1": {"A": 1, "B": 2}}) is None                     # one entry
    assert icc_2_1({"E1": {"A": 5, "B": 5}, "E2": {"A": 5, "B": 5}}) is None
    assert pearson([(1, 2), (2, 3)]) is None
    assert pearson([(1, 2), (1, 3), (1, 4)]) is None


def test_high_disagreement_entries_are_flagged():
    # ranges 2, 2, 2, 0 and E5 = 9 − 1 = 8 → mean range 14 / 5 = 2.8; 8 > 2 × 2.8
    table = dict(TABLE, E5={"A": 1, "B": 9, "C": 5})
    flagged = [d.entry for d in disagreements(table) if d.flagged]
    assert flagged == ["E5"]
    assert not any(d.flagged for d in disagreements(TABLE))


def test_z_scores_only_when_every_judge_has_enough_marks():
    assert standardise(TABLE) is None
    table = {f"E{i}": {"A": 50 + i, "B": 70 + 2 * i, "C": 80} for i in range(15)}
    z = standardise(table)
    a_scores = [z[e]["A"] for e in table]
    assert statistics.fmean(a_scores) == pytest.approx(0)
    assert statistics.stdev(a_scores) == pytest.approx(1)
    assert z["E3"]["A"] == pytest.approx(z["E3"]["B"])     # same position, same z
    assert {z[e]["C"] for e in table} == {0.0}               # no spread → 0
