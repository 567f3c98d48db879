"""
Turning judges' marks on one entry into the entry's score.

The result is always recomputed from the raw marks, never stored on its own: change a
mark or the rule and the score follows.

Panel rules (`aggregate`)
    MEAN          the arithmetic mean of all marks.
    MEDIAN        the middle mark; with an even number, the mean of the two middle ones.
    TRIMMED_MEAN  去掉一个最高分和一个最低分: drop one highest and one lowest mark and take
                  the mean of the rest — but only when at least `trim_from` marks are in
                  (default 5, at least 3); below that, the plain mean of all marks.
                  When several marks share the highest (or lowest) value, the one listed
                  first is the one reported as dropped; the score is the same either way.

Double marking (`double_mark`, 双评)
    Two markers; the tolerance is absolute points or a share of the maximum.
    |a − b| ≤ tolerance                → final = (a + b) / 2.
    otherwise                          → state NEEDS_THIRD until a third mark c is in.
    with c: the closer of a and b to c is p; if |p − c| ≤ tolerance → final = (p + c) / 2,
            and the other first mark is dropped. If a and b are equally close to c
            (c is their midpoint), all three are used: final = (a + b + c) / 3 = c.
    otherwise                          → state NEEDS_ARBITRATION until the chief judge's
                                         仲裁 mark is in; that mark is the final score.

Every final score is rounded half up to two decimals (四舍五入); the unrounded value is kept
beside it (`Aggregate.exact`) so that a score scaled to another maximum is rounded once,
after scaling, not twice. The result names which
marks were used, which were dropped (for "how often was this judge's mark dropped"), and
which were given but not needed (a third mark entered although the first two agreed).
"""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .scoring_types import InvalidScoring, mean, round_score, to_decimal

MEAN = "mean"
MEDIAN = "median"
TRIMMED_MEAN = "trimmed_mean"
METHODS = (MEAN, MEDIAN, TRIMMED_MEAN)

COMPLETE = "complete"
PENDING = "pending"                      # no marks yet
NEEDS_THIRD = "needs_third"
NEEDS_ARBITRATION = "needs_arbitration"
ARBITRATED = "arbitrated"

DEFAULT_TRIM_FROM = 5


@dataclass(frozen=True)
class Mark:
    """One judge's mark; `judge` is whatever identifies the judge (id, seat code)."""

    judge: object
    value: Decimal

    def __post_init__(self):
        object.__setattr__(self, "value", to_decimal(self.value))


@dataclass(frozen=True)
class Aggregate:
    final: Decimal | None       # None until the state is COMPLETE or ARBITRATED
    state: str
    used: tuple = ()            # Marks the final score is the mean of
    dropped: tuple = ()         # Marks left out by the rule
    unused: tuple = ()          # Marks given but not needed
    unrounded: Decimal | None = None   # `final` before rounding (None: same as final)

    @property
    def is_final(self):
        return self.final is not None

    @property
    def exact(self):
        """The final score before rounding, to scale to another maximum and round once."""
        return self.final if self.unrounded is None else self.unrounded


def _final(value, state, used=(), dropped=(), unused=()):
    """Return an Aggregate of `value` rounded half up, keeping the unrounded value."""
    return Aggregate(round_score(value), state, used, dropped, unused, value)


def _marks(marks):
    return tuple(m if isinstance(m, Mark) else Mark(*m) for m in marks)


def aggregate(marks, method=TRIMMED_MEAN, trim_from=DEFAULT_TRIM_FROM):
    """Return the panel score of one entry from its `marks` (Marks or (judge, value) pairs)."""
    if method not in METHODS:
        raise InvalidScoring(_("Unknown aggregation method: %(method)s") % {"method": method})
    if method == TRIMMED_MEAN and trim_from < 3:
        # Trimming two marks from fewer than three would leave nothing to average.
        raise InvalidScoring(_("The trimmed mean needs at least 3 marks."))
    marks = _marks(marks)
    if not marks:
        return Aggregate(None, PENDING)
    if method == MEDIAN:
        return _final(_median([m.value for m in marks]), COMPLETE, marks)
    if method == TRIMMED_MEAN and len(marks) >= trim_from:
        # max() and min() return the first of equal values: that mark is the one dropped.
        order = range(len(marks))
        highest = max(order, key=lambda i: marks[i].value)
        lowest = min((i for i in order if i != highest), key=lambda i: marks[i].value)
        used = tuple(m for i, m in enumerate(marks) if i not in (highest, lowest))
        return _final(mean(m.value for m in used), COMPLETE, used,
                      (marks[highest], marks[lowest]))
    return _final(mean(m.value for m in marks), COMPLETE, marks)


def _median(values):
    values = sorted(values)
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


@dataclass(frozen=True)
class Tolerance:
    """How far two markers may differ: `points`, or `share` of the maximum (0.1 = 10%)."""

    points: Decimal | None = None
    share: Decimal | None = None

    def __post_init__(self):
        if (self.points is None) == (self.share is None):
            raise InvalidScoring(_("Give a tolerance either in points or as a share."))
        for name in ("points", "share"):
            value = getattr(self, name)
            if value is not None:
                value = to_decimal(value)
                if value < 0:
                    raise InvalidScoring(_("A tolerance cannot be negative."))
                object.__setattr__(self, name, value)

    def allowed(self, max_points=None):
        """Return the allowed difference in points."""
        if self.points is not None:
            return self.points
        if max_points is None:
            raise InvalidScoring(_("A tolerance given as a share needs the maximum points."))
        return self.share * to_decimal(max_points)


def double_mark(first, second, tolerance, third=None, arbitration=None, max_points=None):
    """
    Return the score of a double-marked entry (双评), asking for a third mark or
    arbitration when the rules require one. Marks are Marks or (judge, value) pairs;
    a missing `third`/`arbitration` is None.
    """
    first, second = _marks([first, second])
    third = _marks([third])[0] if third is not None else None
    arbitration = _marks([arbitration])[0] if arbitration is not None else None
    if max_points is not None:
        max_points = to_decimal(max_points)
        for mark in (first, second, third, arbitration):
            if mark is not None and not 0 <= mark.value <= max_points:
                raise InvalidScoring(
                    _("A mark must be between 0 and %(max)s, not %(value)s.")
                    % {"max": max_points, "value": mark.value})
    allowed = tolerance.allowed(max_points)
    unused = tuple(m for m in (third, arbitration) if m is not None)

    if abs(first.value - second.value) <= allowed:
        return _final(mean([first.value, second.value]), COMPLETE, (first, second), (), unused)
    if third is None:
        return Aggregate(None, NEEDS_THIRD, (), (), unused)

    unused = (arbitration,) if arbitration is not None else ()
    gap_first = abs(first.value - third.value)
    gap_second = abs(second.value - third.value)
    if gap_first == gap_second and gap_first <= allowed:
        return _final(mean([first.value, second.value, third.value]), COMPLETE,
                      (first, second, third), (), unused)
    closer, other = (first, second) if gap_first < gap_second else (second, first)
    if abs(closer.value - third.value) <= allowed:
        return _final(mean([closer.value, third.value]), COMPLETE, (closer, third), (other,),
                      unused)
    if arbitration is None:
        return Aggregate(None, NEEDS_ARBITRATION, (), ())
    return _final(arbitration.value, ARBITRATED, (arbitration,), (first, second, third))
