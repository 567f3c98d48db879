"""
案卷纠错: scoring a contestant's findings in a case file against the answer key.

The key lists the planted errors (PlantedError: id, location, category, points). A
contestant submits findings (location, category, explanation); a judge marks whether
each finding's reason is right (`reason_ok`) and may confirm which key error an
ambiguous finding means (`confirmed_key`).

Matching
    1. Confirmed matches first: a finding with `confirmed_key` is matched to that error,
       whatever its location (the judge's word overrides the location rule).
    2. Then automatically: a finding matches an unmatched key error at exactly the same
       location id. Findings with a right reason are placed first, so that a
       right-reason finding is never beaten to an error by a wrong-reason one; among
       several errors at one location, one of the finding's own category is preferred,
       then the one worth more, then the one listed first in the key.
    Each key error is matched at most once. A finding that matches nothing — including a
    second finding of an error already matched — is a false finding.

Points
    right location, right reason   → the error's points
    right location, wrong reason   → the error's points × `partial_share` (default 50%)
    false findings                 → penalty each, by `Penalty`:
                                     NONE, FIXED (points), or SHARE (a share of the
                                     mean points of the key's errors)
    score = max(0, matched points − false findings × penalty), rounded half up to 0.01

Quality measures
    precision = matched findings / all findings      (None when there are no findings)
    recall    = matched key errors / all key errors  (None when the key is empty)
    Both are rounded to 4 decimals.

No submission (`findings=None`) is "not attempted": score, precision and recall are
None, unlike a submission that scores 0.
"""
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .scoring_types import ZERO, InvalidScoring, mean, round_score, to_decimal


class CategoryLabels(dict):
    """Error categories: code (what is stored: findings, answer keys) → label. The labels
    are lazy, so the model's choices, forms and templates (`.items()`) show them in the
    active language; `[code]` and `.get(code)` give the label as plain text in the
    active language (for spreadsheets and messages)."""

    def __getitem__(self, code):
        return str(super().__getitem__(code))

    def get(self, code, default=None):
        return self[code] if code in self else default


CATEGORIES = CategoryLabels({
    "subject": pgettext_lazy("case-file error category", "Subject"),
    "facts": pgettext_lazy("case-file error category", "Facts"),
    "evidence": pgettext_lazy("case-file error category", "Evidence"),
    "procedure": pgettext_lazy("case-file error category", "Procedure"),
    "legal_basis": pgettext_lazy("case-file error category", "Application of law"),
    "documents": pgettext_lazy("case-file error category", "Documents"),
})

NO_PENALTY = "none"
FIXED = "fixed"
SHARE = "share"

RATIO_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class PlantedError:
    """A planted error in the case file, as the answer key lists it."""

    id: str
    location: str
    category: str
    points: Decimal

    def __post_init__(self):
        object.__setattr__(self, "points", to_decimal(self.points))
        if self.points <= ZERO:
            raise InvalidScoring(_("Key error %(id)s must be worth points.") % {"id": self.id})
        if self.category not in CATEGORIES:
            raise InvalidScoring(_("Unknown category: %(category)s") % {"category": self.category})


@dataclass(frozen=True)
class Finding:
    """A contestant's finding, with the judge's verdict on its reason."""

    location: str
    category: str
    explanation: str = ""
    reason_ok: bool = False
    confirmed_key: str | None = None


@dataclass(frozen=True)
class Penalty:
    """What each false finding costs: nothing, fixed points, or a share of an error's value."""

    kind: str = NO_PENALTY
    value: Decimal = ZERO

    def __post_init__(self):
        if self.kind not in (NO_PENALTY, FIXED, SHARE):
            raise InvalidScoring(_("Unknown penalty kind: %(kind)s") % {"kind": self.kind})
        object.__setattr__(self, "value", to_decimal(self.value))
        if self.value < ZERO:
            raise InvalidScoring(_("A penalty cannot be negative."))

    def per_finding(self, key):
        """Return the points one false finding costs against this `key`."""
        if self.kind == FIXED:
            return self.value
        if self.kind == SHARE and key:
            return self.value * mean(error.points for error in key)
        return ZERO


@dataclass(frozen=True)
class Match:
    finding: int            # index of the finding in the submission
    key_id: str
    full: bool              # right reason (full points) or not (partial credit)
    points: Decimal
    confirmed: bool         # matched by the judge's confirmation


@dataclass(frozen=True)
class CorrectionResult:
    attempted: bool
    score: Decimal | None
    matched_points: Decimal
    penalty_points: Decimal
    matches: tuple          # Match, in submission order
    false_findings: tuple   # indexes of findings that matched nothing
    missed: tuple           # ids of key errors nobody found
    precision: Decimal | None
    recall: Decimal | None


def _check_key(key):
    repeated = sorted(i for i, count in Counter(e.id for e in key).items() if count > 1)
    if repeated:
        raise InvalidScoring(
            _("Key error ids must be unique: %(ids)s") % {"ids": ", ".join(repeated)})


def _ratio(part, whole):
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATIO_PLACES)


def score_correction(key, findings, partial_share=Decimal("0.5"), penalty=Penalty()):
    """Score one contestant's `findings` (None = no submission) against the `key`."""
    key = tuple(key)
    _check_key(key)
    partial_share = to_decimal(partial_share)
    if not ZERO <= partial_share <= 1:
        raise InvalidScoring(_("The partial credit share must be between 0 and 1."))
    if findings is None:
        return CorrectionResult(False, None, ZERO, ZERO, (), (), tuple(e.id for e in key),
                                None, None)
    findings = tuple(findings)
    by_id = {error.id: error for error in key}
    taken = {}   # key id → Match

    def points_for(error, finding):
        return error.points if finding.reason_ok else error.points * partial_share

    for index, finding in enumerate(findings):
        if finding.confirmed_key is None:
            continue
        error = by_id.get(finding.confirmed_key)
        if error is None:
            raise InvalidScoring(
                _("No key error %(id)s to confirm.") % {"id": finding.confirmed_key})
        if error.id in taken:
            raise InvalidScoring(
                _("Key error %(id)s is confirmed for two findings.") % {"id": error.id})
        taken[error.id] = Match(index, error.id, finding.reason_ok,
                                points_for(error, finding), True)

    automatic = sorted((i for i, f in enumerate(findings) if f.confirmed_key is None),
                       key=lambda i: (not findings[i].reason_ok, i))
    for index in automatic:
        finding = findings[index]
        candidates = [(position, error) for position, error in enumerate(key)
                      if error.location == finding.location and error.id not in taken]
        if not candidates:
            continue
        _position, error = min(candidates, key=lambda pair: (
            pair[1].category != finding.category, -pair[1].points, pair[0]))
        taken[error.id] = Match(index, error.id, finding.reason_ok,
                                points_for(error, finding), False)

    matches = tuple(sorted(taken.values(), key=lambda m: m.finding))
    matched_findings = {m.finding for m in matches}
    false_findings = tuple(i for i in range(len(findings)) if i not in matched_findings)
    matched_points = sum((m.points for m in matches), ZERO)
    penalty_points = penalty.per_finding(key) * len(false_findings)
    score = round_score(max(ZERO, matched_points - penalty_points))
    return CorrectionResult(
        attempted=True,
        score=score,
        matched_points=round_score(matched_points),
        penalty_points=round_score(penalty_points),
        matches=matches,
        false_findings=false_findings,
        missed=tuple(e.id for e in key if e.id not in taken),
        precision=_ratio(len(matches), len(findings)),
        recall=_ratio(len(matches), len(key)),
    )
