"""
Checking an answer against a question version's key, for every objective type.

`grade(data, answer, rules)` returns a Grade: the points earned (a Decimal) out of the
question's points, or `needs_marking` for open questions that people mark.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import QuestionType
from .normalize import normalize_answer

ALL_OR_NOTHING = "all_or_nothing"
HALF_FOR_PARTIAL = "half_for_partial"  # 少选得一半分、错选不得分
PER_OPTION = "per_option"  # each option's own fraction (Moodle-style partial credit)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Grade:
    points: Decimal
    max_points: Decimal
    correct: bool
    needs_marking: bool = False


def _quantize(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def grade(data, answer, points=None, multiple_rule=HALF_FOR_PARTIAL):
    """Grade `answer` (as saved from the exam page) against a version's `data`."""
    max_points = _quantize(points if points is not None else data["points"])
    qtype = data["qtype"]
    if qtype == QuestionType.SINGLE:
        keys = {option["key"] for option in data["options"] if option["correct"]}
        chosen = answer if isinstance(answer, str) else ""
        if chosen in keys:
            return Grade(max_points, max_points, True)
        fraction = next((o["fraction"] for o in data["options"] if o["key"] == chosen), 0)
        earned = max(Decimal("0"), _quantize(max_points * Decimal(str(fraction))))
        return Grade(earned, max_points, False)
    if qtype == QuestionType.MULTIPLE:
        return _grade_multiple(data, answer, max_points, multiple_rule)
    if qtype == QuestionType.TRUE_FALSE:
        right = isinstance(answer, bool) and answer == data["answer_bool"]
        return Grade(max_points if right else Decimal("0.00"), max_points, right)
    if qtype == QuestionType.FILL_BLANK:
        return _grade_blanks(data, answer, max_points)
    return Grade(Decimal("0.00"), max_points, False, needs_marking=True)


def _grade_multiple(data, answer, max_points, rule):
    chosen = set(answer) if isinstance(answer, (list, tuple)) else set()
    keys = {o["key"] for o in data["options"] if o["correct"]}
    if chosen == keys:
        return Grade(max_points, max_points, True)
    if rule == PER_OPTION:
        fractions = {o["key"]: Decimal(str(o["fraction"])) for o in data["options"]}
        total = sum((fractions.get(key, Decimal("0")) for key in chosen), Decimal("0"))
        earned = min(max_points, max(Decimal("0"), _quantize(max_points * total)))
        return Grade(earned, max_points, False)
    if rule == HALF_FOR_PARTIAL and chosen and chosen < keys:
        return Grade(_quantize(max_points / 2), max_points, False)
    return Grade(Decimal("0.00"), max_points, False)


def _grade_blanks(data, answer, max_points):
    blanks = data["blanks"]
    given = list(answer) if isinstance(answer, (list, tuple)) else []
    given = [normalize_answer(str(value)) for value in given] + [""] * len(blanks)
    accepted = [{normalize_answer(alt) for alt in alts} for alts in blanks]
    if data.get("order_insensitive"):
        remaining = list(accepted)
        right = 0
        for value in given[:len(blanks)]:
            match = next((i for i, alts in enumerate(remaining) if value and value in alts), None)
            if match is not None:
                remaining.pop(match)
                right += 1
    else:
        right = sum(1 for value, alts in zip(given, accepted) if value and value in alts)
    if not blanks:
        return Grade(Decimal("0.00"), max_points, False)
    earned = _quantize(max_points * right / len(blanks))
    return Grade(earned, max_points, right == len(blanks))
