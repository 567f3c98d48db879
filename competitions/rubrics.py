"""
Rubrics (评分标准): scoring one judge's marking of one entry.

A rubric has criteria, each worth `max_points`, and veto items.

How a criterion is scored
    base  = the judge's level score, 0 ≤ score ≤ max        (criterion with `levels`)
          = the sum of the measurement items met             (criterion with `measures`;
            each item is all or nothing and the items add up to max)
          = max                                              (otherwise: a pure
            deduction criterion, 扣分制)
    score = max(0, base − Σ deductions applied)               扣完为止，不计负分

Deductions never reach past their own criterion: a criterion that has lost all its
points absorbs any further deduction, and the other criteria keep theirs.

A deduction item is fixed (扣2分: low == high) or ranged (扣5–15分: the judge picks
an amount within [low, high]). A `repeatable` item may be applied once per occurrence
(每缺一页扣2分); any other item at most once.

Veto items (一票否决): if any is marked, the entry scores 0 and gets the failing grade,
whatever the criteria say.

Grades: a GradeScale lists bands from the highest down (优秀 ≥ 90, 合格 ≥ 70); an entry
gets the first band whose minimum it reaches, and the failing grade (不合格) below all
of them. A band with `requires_no_basic_problem` (优秀) is skipped when the entry has any
basic-element problem: a veto, an unmet measurement item flagged `basic`, or an applied
deduction flagged `basic`.

Everything here works on plain values; the models store the rubric definition and the
judge's RubricMarks, and call `score_rubric` to get the entry's score from one judge.
"""
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .scoring_types import ZERO, InvalidScoring, round_score, to_decimal

EXCELLENT = "优秀"
QUALIFIED = "合格"
UNQUALIFIED = "不合格"


@dataclass(frozen=True)
class Level:
    """A level descriptor (档次): the band of points a judge gives for work like this."""

    name: str
    low: Decimal
    high: Decimal
    description: str = ""

    def __post_init__(self):
        object.__setattr__(self, "low", to_decimal(self.low))
        object.__setattr__(self, "high", to_decimal(self.high))
        if not ZERO <= self.low <= self.high:
            raise InvalidScoring(_("Level %(name)s has an invalid range.") % {"name": self.name})


@dataclass(frozen=True)
class MeasureItem:
    """A measurement item (测评项): met → its points, not met → nothing."""

    code: str
    name: str
    points: Decimal
    basic: bool = False

    def __post_init__(self):
        object.__setattr__(self, "points", to_decimal(self.points))
        if self.points <= ZERO:
            raise InvalidScoring(_("Item %(code)s must be worth points.") % {"code": self.code})


@dataclass(frozen=True)
class DeductionItem:
    """A deduction item (扣分项): fixed when low == high, else the judge picks within."""

    code: str
    name: str
    low: Decimal
    high: Decimal | None = None
    basic: bool = False
    repeatable: bool = False

    def __post_init__(self):
        object.__setattr__(self, "low", to_decimal(self.low))
        high = self.low if self.high is None else to_decimal(self.high)
        object.__setattr__(self, "high", high)
        if not ZERO < self.low <= self.high:
            raise InvalidScoring(
                _("Deduction %(code)s has an invalid range.") % {"code": self.code})

    @property
    def fixed(self):
        return self.low == self.high

    def amount(self, chosen):
        """Return the amount deducted: the fixed amount, or the judge's validated choice."""
        if chosen is None:
            if not self.fixed:
                raise InvalidScoring(
                    _("Deduction %(code)s needs an amount between %(low)s and %(high)s.")
                    % {"code": self.code, "low": self.low, "high": self.high})
            return self.low
        chosen = to_decimal(chosen)
        if not self.low <= chosen <= self.high:
            raise InvalidScoring(
                _("Deduction %(code)s must be between %(low)s and %(high)s, not %(amount)s.")
                % {"code": self.code, "low": self.low, "high": self.high, "amount": chosen})
        return chosen


@dataclass(frozen=True)
class VetoItem:
    """A veto item (一票否决项): marked → the entry fails with zero points."""

    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Criterion:
    """One criterion worth `max_points`, scored by levels, by measures, or by deductions."""

    code: str
    name: str
    max_points: Decimal
    levels: tuple = ()
    measures: tuple = ()
    deductions: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "max_points", to_decimal(self.max_points))
        for name in ("levels", "measures", "deductions"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.max_points <= ZERO:
            raise InvalidScoring(
                _("Criterion %(code)s must be worth points.") % {"code": self.code})
        if self.levels and self.measures:
            raise InvalidScoring(
                _("Criterion %(code)s cannot have both levels and measurement items.")
                % {"code": self.code})
        if self.measures and sum((m.points for m in self.measures), ZERO) != self.max_points:
            raise InvalidScoring(
                _("The measurement items of %(code)s must add up to its points.")
                % {"code": self.code})
        if any(level.high > self.max_points for level in self.levels):
            raise InvalidScoring(
                _("A level of %(code)s goes above its points.") % {"code": self.code})

    @property
    def scored_by_levels(self):
        return bool(self.levels)


@dataclass(frozen=True)
class GradeBand:
    """A grade reached at `min_points` or more (and only without basic problems, if asked)."""

    name: str
    min_points: Decimal
    requires_no_basic_problem: bool = False

    def __post_init__(self):
        object.__setattr__(self, "min_points", to_decimal(self.min_points))


@dataclass(frozen=True)
class GradeScale:
    """Grade bands from the highest down, and the grade for everything below them."""

    bands: tuple = (
        GradeBand(EXCELLENT, 90, requires_no_basic_problem=True),
        GradeBand(QUALIFIED, 70),
    )
    failing: str = UNQUALIFIED

    def __post_init__(self):
        object.__setattr__(self, "bands", tuple(self.bands))
        minimums = [band.min_points for band in self.bands]
        if minimums != sorted(minimums, reverse=True):
            raise InvalidScoring(_("Grade bands must run from the highest down."))

    def grade(self, points, has_basic_problem, vetoed=False):
        """Return the grade name for `points`."""
        if vetoed:
            return self.failing
        for band in self.bands:
            if band.requires_no_basic_problem and has_basic_problem:
                continue
            if points >= band.min_points:
                return band.name
        return self.failing


@dataclass(frozen=True)
class Rubric:
    """A complete scoring standard: criteria, veto items, and a grade scale."""

    name: str
    criteria: tuple
    vetoes: tuple = ()
    grades: GradeScale = field(default_factory=GradeScale)

    def __post_init__(self):
        object.__setattr__(self, "criteria", tuple(self.criteria))
        object.__setattr__(self, "vetoes", tuple(self.vetoes))
        codes = [c.code for c in self.criteria] + [v.code for v in self.vetoes]
        codes += [item.code for c in self.criteria for item in (*c.measures, *c.deductions)]
        repeated = sorted(code for code, count in Counter(codes).items() if count > 1)
        if repeated:
            raise InvalidScoring(
                _("Codes must be unique in a rubric: %(codes)s") % {"codes": ", ".join(repeated)})

    @property
    def max_points(self):
        return sum((c.max_points for c in self.criteria), ZERO)


@dataclass(frozen=True)
class AppliedDeduction:
    """A judge's use of a deduction item; `amount` only for ranged items (None = fixed)."""

    code: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class RubricMarks:
    """One judge's marking of one entry, as plain codes and numbers."""

    levels: dict = field(default_factory=dict)          # criterion code → points given
    measures_met: frozenset = frozenset()               # measurement item codes met
    deductions: tuple = ()                              # AppliedDeduction, in any order
    vetoes: frozenset = frozenset()                     # veto item codes marked


@dataclass(frozen=True)
class CriterionScore:
    code: str
    max_points: Decimal
    base: Decimal        # before deductions
    deducted: Decimal    # what the deductions actually took (never more than the base)
    points: Decimal      # max(0, base − deductions)


@dataclass(frozen=True)
class RubricResult:
    points: Decimal              # the entry's total, 0 when vetoed, rounded to 0.01
    grade: str
    criteria: tuple             # CriterionScore per criterion, in rubric order
    vetoed_by: tuple            # codes of the veto items marked
    basic_problems: tuple       # codes of items that are basic-element problems

    @property
    def vetoed(self):
        return bool(self.vetoed_by)


def score_rubric(rubric, marks):
    """Score one judge's `marks` against `rubric`; raise InvalidScoring on bad marks."""
    veto_codes = {v.code for v in rubric.vetoes}
    unknown = set(marks.vetoes) - veto_codes
    if unknown:
        raise InvalidScoring(
            _("Unknown veto items: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    _check_known(rubric, marks)

    by_criterion = {}
    for applied in marks.deductions:
        by_criterion.setdefault(_criterion_of(rubric, applied.code).code, []).append(applied)

    basic_problems = [v.code for v in rubric.vetoes if v.code in marks.vetoes]
    scores = []
    for criterion in rubric.criteria:
        base = _base_points(criterion, marks)
        basic_problems += [m.code for m in criterion.measures
                           if m.basic and m.code not in marks.measures_met]
        applied = by_criterion.get(criterion.code, [])
        items = {item.code: item for item in criterion.deductions}
        counts = Counter(a.code for a in applied)
        for code, count in counts.items():
            if count > 1 and not items[code].repeatable:
                raise InvalidScoring(
                    _("Deduction %(code)s may be applied only once.") % {"code": code})
        total_deduction = sum((items[a.code].amount(a.amount) for a in applied), ZERO)
        basic_problems += [code for code in counts if items[code].basic]
        points = max(ZERO, base - total_deduction)
        scores.append(CriterionScore(criterion.code, criterion.max_points, base,
                                     base - points, points))

    vetoed_by = tuple(v.code for v in rubric.vetoes if v.code in marks.vetoes)
    total = ZERO if vetoed_by else sum((s.points for s in scores), ZERO)
    total = round_score(total)
    basic_problems = tuple(dict.fromkeys(basic_problems))
    grade = rubric.grades.grade(total, bool(basic_problems), vetoed=bool(vetoed_by))
    return RubricResult(total, grade, tuple(scores), vetoed_by, basic_problems)


def _check_known(rubric, marks):
    level_codes = {c.code for c in rubric.criteria if c.scored_by_levels}
    measure_codes = {m.code for c in rubric.criteria for m in c.measures}
    unknown = (set(marks.levels) - level_codes) | (set(marks.measures_met) - measure_codes)
    if unknown:
        raise InvalidScoring(_("Unknown items: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    missing = level_codes - set(marks.levels)
    if missing:
        raise InvalidScoring(
            _("No level score for: %(codes)s") % {"codes": ", ".join(sorted(missing))})


def _criterion_of(rubric, deduction_code):
    for criterion in rubric.criteria:
        if any(item.code == deduction_code for item in criterion.deductions):
            return criterion
    raise InvalidScoring(_("Unknown deduction item: %(code)s") % {"code": deduction_code})


def _base_points(criterion, marks):
    if criterion.scored_by_levels:
        given = to_decimal(marks.levels[criterion.code])
        if not ZERO <= given <= criterion.max_points:
            raise InvalidScoring(
                _("The score for %(code)s must be between 0 and %(max)s.")
                % {"code": criterion.code, "max": criterion.max_points})
        return given
    if criterion.measures:
        return sum((m.points for m in criterion.measures if m.code in marks.measures_met), ZERO)
    return criterion.max_points


# ---------------------------------------------------------------------------------------
# 案卷评查: the case-file review standard shipped with the platform.
# The wording below is this project's rubric text, written for contests and reviews;
# it is not quoted from any statute or official standard.

CASE_FILE_VETOES = (
    ("subject", "主体", "执法主体不合法，或超越法定职权作出处罚"),
    ("qualification", "执法资格", "执法人员未取得执法资格，或调查取证时少于两名持证人员"),
    ("evidence", "证据", "主要证据不足，或关键证据系非法取得"),
    ("facts", "事实", "违法事实不清，或认定的事实与证据相矛盾"),
    ("characterisation", "定性", "违法行为定性错误"),
    ("legal_basis", "法律适用", "适用法律依据错误，或处罚超出法定种类、幅度"),
    ("procedure", "程序", "违反法定程序，如应告知未告知、应听证未组织听证"),
)

CASE_FILE_PRESENTATION = (
    # code, wording, low, high, basic, repeatable
    ("p_missing_page", "卷内文书缺页、漏页（每处）", 2, None, False, True),
    ("p_order", "卷内文书排列顺序不符合归档要求", 1, 3, False, False),
    ("p_index", "卷内目录缺失或与实际文书不符", 2, None, False, False),
    ("p_page_numbers", "页码编写缺失、错误或重复", 1, 2, False, False),
    ("p_cover", "案卷封面、备考表填写不完整", 1, 2, False, False),
    ("p_writing", "文书字迹潦草、涂改未经确认（每处）", 1, None, False, True),
    ("p_binding", "装订不规范，文书破损或使用易褪色书写材料", 1, 3, False, False),
)

CASE_FILE_CONTENT = (
    ("c_language", "文书用语不规范、表述不准确", 1, 3, False, False),
    ("c_missing_items", "文书必备事项填写不全（每处）", 1, None, False, True),
    ("c_signature", "当事人或执法人员签名、捺印缺失（每处）", 2, None, False, True),
    ("c_evidence_gaps", "证据收集不全面、证据链有瑕疵，但不影响事实认定", 3, 8, True, False),
    ("c_evidence_source", "证据未注明来源、收集人或收集时间", 2, 5, True, False),
    ("c_facts_wording", "违法事实表述不完整（时间、地点、情节缺项）", 2, 6, True, False),
    ("c_citation", "法律条款引用不具体，未引至条、款、项", 2, 5, True, False),
    ("c_discretion", "裁量理由未说明或与裁量基准不对应", 3, 8, True, False),
    ("c_deadline", "程序环节超过期限，但未影响当事人权利", 2, 5, True, False),
    ("c_service", "送达回证缺失或送达方式不规范", 2, 4, False, False),
    ("c_review", "法制审核意见缺失或过于简单", 3, 6, False, False),
    ("c_execution", "处罚决定执行情况未记录或结案手续不全", 2, 5, False, False),
)


def _deductions(rows):
    return tuple(DeductionItem(code, name, low, high, basic=basic, repeatable=repeatable)
                 for code, name, low, high, basic, repeatable in rows)


def case_file_review_rubric(excellent=90, qualified=70):
    """
    Return the 案卷评查 standard: seven basic elements as vetoes, 卷面 20 + 内容 80.

    优秀 needs `excellent` points and no basic-element problem; 合格 needs `qualified`.
    """
    return Rubric(
        name="案卷评查标准",
        vetoes=tuple(VetoItem(code, name, description)
                     for code, name, description in CASE_FILE_VETOES),
        criteria=(
            Criterion("presentation", "卷面", 20, deductions=_deductions(CASE_FILE_PRESENTATION)),
            Criterion("content", "内容", 80, deductions=_deductions(CASE_FILE_CONTENT)),
        ),
        grades=GradeScale(bands=(
            GradeBand(EXCELLENT, excellent, requires_no_basic_problem=True),
            GradeBand(QUALIFIED, qualified),
        )),
    )
