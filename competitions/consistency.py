"""
Judge consistency (评委评分一致性) for one event.

Input: `table`, a mapping entry → {judge → mark}. Marks may be missing; each measure
below says which marks it uses. These are statistics about judges, not scores, so they
are computed in floating point and returned as floats (None where undefined).

Per judge (`judge_reports`)
    offset       mean over the judge's entries of (judge's mark − panel median of that
                 entry), counting entries with at least two marks; > 0 lenient, < 0 severe.
    spread       sample standard deviation of the judge's marks (n − 1).
    flat         spread < `flat_ratio` × the panel's spread, where the panel's spread is
                 the median of all judges' spreads — a judge who gives everyone nearly
                 the same mark (打保险分).
    dropped      how many times the judge's mark was one of the two the trimmed mean
                 dropped (aggregation.aggregate with the same `trim_from`); drop_rate is
                 that over the entries the judge marked.
    correlation  Pearson's r between the judge's marks and the mean of the other judges'
                 marks on the same entries (entries with at least one other mark; None
                 with fewer than 3 such entries or no variation).

Panel (`icc_2_1`, `kendalls_w`, `disagreements`)
    ICC(2,1)     Shrout & Fleiss (1979), two-way random effects, absolute agreement,
                 single rater. On the complete n entries × k judges matrix:
                     MSR = k Σ_i (row mean_i − grand mean)² / (n − 1)        entries
                     MSC = n Σ_j (col mean_j − grand mean)² / (k − 1)        judges
                     MSE = (SS_total − SSR − SSC) / ((n − 1)(k − 1))
                     ICC = (MSR − MSE) / (MSR + (k − 1) MSE + k (MSC − MSE) / n)
                 Missing marks: only the entries marked by every judge in the table are
                 used (listwise deletion); judges are all judges that appear.
    Kendall's W  each judge ranks the entries (average ranks for ties); R_i is entry i's
                 rank sum, S = Σ (R_i − mean R)², T_j = Σ (t³ − t) over judge j's ties:
                     W = 12 S / (m² (n³ − n) − m Σ_j T_j)        m judges, n entries
                 Same complete entries as the ICC.
    disagreement an entry whose range (highest − lowest mark) exceeds `factor` × the mean
                 range of the entries with at least two marks.

Standardisation (`standardise`)
    z = (mark − judge's mean) / judge's spread, offered only when every judge has marked
    at least `min_marks` entries (default 15); otherwise None. A judge with zero spread
    gets z = 0 for every mark.
"""
import math
import statistics
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .aggregation import DEFAULT_TRIM_FROM, TRIMMED_MEAN, Mark, aggregate
from .scoring_types import InvalidScoring


@dataclass(frozen=True)
class JudgeReport:
    judge: object
    marked: int
    offset: float | None
    spread: float | None
    flat: bool
    dropped: int
    drop_rate: float | None
    correlation: float | None


def _floats(table):
    return {entry: {judge: float(value) for judge, value in marks.items()}
            for entry, marks in table.items()}


def judges_of(table):
    """Return the judges in `table`, in the order they first appear."""
    return list(dict.fromkeys(judge for marks in table.values() for judge in marks))


def complete_matrix(table):
    """Return (entries, judges, rows): the entries marked by every judge, as float rows."""
    table = _floats(table)
    judges = judges_of(table)
    entries = [entry for entry, marks in table.items() if all(j in marks for j in judges)]
    return entries, judges, [[table[entry][j] for j in judges] for entry in entries]


def judge_reports(table, flat_ratio=0.5, trim_from=DEFAULT_TRIM_FROM):
    """Return a JudgeReport per judge (see the module's definitions)."""
    floats = _floats(table)
    judges = judges_of(floats)
    spreads = {}
    for judge in judges:
        marks = [m[judge] for m in floats.values() if judge in m]
        spreads[judge] = statistics.stdev(marks) if len(marks) >= 2 else None
    known = [s for s in spreads.values() if s is not None]
    panel_spread = statistics.median(known) if known else None

    dropped = {judge: 0 for judge in judges}
    for marks in table.values():
        result = aggregate([Mark(j, v) for j, v in marks.items()], TRIMMED_MEAN, trim_from)
        for mark in result.dropped:
            dropped[mark.judge] += 1

    reports = []
    for judge in judges:
        mine = {e: m[judge] for e, m in floats.items() if judge in m}
        offsets = [mine[e] - statistics.median(floats[e].values())
                   for e in mine if len(floats[e]) >= 2]
        pairs = [(mine[e], statistics.fmean(v for j, v in floats[e].items() if j != judge))
                 for e in mine if len(floats[e]) >= 2]
        spread = spreads[judge]
        flat = spread is not None and bool(panel_spread) and spread < flat_ratio * panel_spread
        reports.append(JudgeReport(
            judge=judge,
            marked=len(mine),
            offset=statistics.fmean(offsets) if offsets else None,
            spread=spread,
            flat=flat,
            dropped=dropped[judge],
            drop_rate=dropped[judge] / len(mine) if mine else None,
            correlation=pearson(pairs),
        ))
    return reports


def pearson(pairs):
    """Return Pearson's r of (x, y) pairs, or None with fewer than 3 or no variation."""
    if len(pairs) < 3:
        return None
    xs, ys = zip(*pairs)
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def icc_2_1(table):
    """Return ICC(2,1) over the complete entries, or None with < 2 entries or judges."""
    _entries, judges, rows = complete_matrix(table)
    n, k = len(rows), len(judges)
    if n < 2 or k < 2:
        return None
    grand = statistics.fmean(v for row in rows for v in row)
    row_means = [statistics.fmean(row) for row in rows]
    col_means = [statistics.fmean(row[j] for row in rows) for j in range(k)]
    ss_rows = k * sum((m - grand) ** 2 for m in row_means)
    ss_cols = n * sum((m - grand) ** 2 for m in col_means)
    ss_total = sum((v - grand) ** 2 for row in rows for v in row)
    ms_rows = ss_rows / (n - 1)
    ms_cols = ss_cols / (k - 1)
    ms_error = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    denominator = ms_rows + (k - 1) * ms_error + k * (ms_cols - ms_error) / n
    if denominator == 0:
        return None   # every mark the same: agreement is undefined, not perfect
    return (ms_rows - ms_error) / denominator


def average_ranks(values):
    """Return ranks 1..n of `values` (lowest = 1), ties sharing the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for i in order[start:end + 1]:
            ranks[i] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def kendalls_w(table):
    """Return Kendall's W with tie correction over the complete entries, or None."""
    _entries, judges, rows = complete_matrix(table)
    n, m = len(rows), len(judges)
    if n < 2 or m < 2:
        return None
    rank_columns, tie_sum = [], 0.0
    for j in range(m):
        column = [row[j] for row in rows]
        rank_columns.append(average_ranks(column))
        tie_sum += sum(t ** 3 - t for t in _tie_sizes(column))
    rank_sums = [sum(ranks[i] for ranks in rank_columns) for i in range(n)]
    mean_sum = statistics.fmean(rank_sums)
    s = sum((r - mean_sum) ** 2 for r in rank_sums)
    denominator = m ** 2 * (n ** 3 - n) - m * tie_sum
    if denominator == 0:
        return None
    return 12 * s / denominator


def _tie_sizes(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return [count for count in counts.values() if count > 1]


@dataclass(frozen=True)
class Disagreement:
    entry: object
    range: float
    flagged: bool


def disagreements(table, factor=2.0):
    """Return each entry's range of marks, flagged above `factor` × the mean range."""
    ranges = {entry: max(marks.values()) - min(marks.values())
              for entry, marks in _floats(table).items() if len(marks) >= 2}
    if not ranges:
        return []
    mean_range = statistics.fmean(ranges.values())
    return [Disagreement(entry, value, value > factor * mean_range)
            for entry, value in ranges.items()]


def standardise(table, min_marks=15):
    """Return entry → {judge → z-score}, or None if a judge has fewer than `min_marks`."""
    if min_marks < 2:
        raise InvalidScoring(_("Standardising needs at least 2 marks per judge."))
    floats = _floats(table)
    stats = {}
    for judge in judges_of(floats):
        marks = [m[judge] for m in floats.values() if judge in m]
        if len(marks) < min_marks:
            return None
        stats[judge] = (statistics.fmean(marks), statistics.stdev(marks))
    return {entry: {judge: ((value - stats[judge][0]) / stats[judge][1]
                            if stats[judge][1] else 0.0)
                    for judge, value in marks.items()}
            for entry, marks in floats.items()}
