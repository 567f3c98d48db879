"""
Checking an answer against a question version's key, for every objective type.

`grade(data, answer, rules)` returns a Grade: the points earned (a Decimal) out of the
question's points, or `needs_marking` for open questions that people mark.

Option values (`fraction`, the share of the points an option gives) under the
"each option's own partial credit" rule, for a multiple choice:

- no option has a value (the trainer left them all empty): all or nothing;
- otherwise the chosen options' values are added up, and the total, kept between 0 and 1,
  is the share of the points earned. An option left empty among filled ones counts 1/k
  if it is right (k right options) and -1/m if it is wrong (m wrong options), so that
  ticking every option earns nothing unless the trainer said otherwise.

A version stores `fraction` None for an empty value. (Versions frozen before that stored
1.0 for an empty right option and 0.0 for an empty wrong one; migration
0003_option_fraction_unset gave them back their None.)
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
        fraction = next((o.get("fraction") for o in data["options"] if o["key"] == chosen),
                        None) or 0
        earned = max(Decimal("0"), _quantize(max_points * Decimal(str(fraction))))
        return Grade(earned, max_points, False)
    if qtype == QuestionType.MULTIPLE:
        return _grade_multiple(data, answer, max_points, multiple_rule)
    if qtype == QuestionType.TRUE_FALSE:
        right = isinstance(answer, bool) and answer == data["answer_bool"]
        return Grade(max_points if right else Decimal("0.00"), max_points, right)
    if qtype == QuestionType.FILL_BLANK:
        return _grade_blanks(data, answer, max_points)
    if qtype == QuestionType.CASE_ANALYSIS:
        # A case's own row is answered through its sub-questions and is worth nothing by
        # itself — even a case drawn without any sub-question must never await a marker.
        return Grade(Decimal("0.00"), Decimal("0.00"), False)
    return Grade(Decimal("0.00"), max_points, False, needs_marking=True)


def _grade_multiple(data, answer, max_points, rule):
    chosen = set(answer) if isinstance(answer, (list, tuple)) else set()
    keys = {o["key"] for o in data["options"] if o["correct"]}
    if chosen == keys:
        return Grade(max_points, max_points, True)
    if rule == PER_OPTION:
        credits = option_credits(data["options"])
        if credits is None:  # no option has a value: all or nothing
            return Grade(Decimal("0.00"), max_points, False)
        total = sum((credits.get(key, Decimal("0")) for key in chosen), Decimal("0"))
        total = min(Decimal("1"), max(Decimal("0"), total))
        return Grade(_quantize(max_points * total), max_points, False)
    if rule == HALF_FOR_PARTIAL and chosen and chosen < keys:
        return Grade(_quantize(max_points / 2), max_points, False)
    return Grade(Decimal("0.00"), max_points, False)


def option_credits(options):
    """Return {key: Decimal share} of a multiple choice's options under the per-option rule,
    or None when no option has a value (all or nothing); see the module docstring."""
    if all(option.get("fraction") is None for option in options):
        return None
    right = sum(1 for option in options if option["correct"]) or 1
    wrong = sum(1 for option in options if not option["correct"]) or 1
    credits = {}
    for option in options:
        if option.get("fraction") is not None:
            credits[option["key"]] = Decimal(str(option["fraction"]))
        elif option["correct"]:
            credits[option["key"]] = Decimal("1") / right
        else:
            credits[option["key"]] = Decimal("-1") / wrong
    return credits


def _grade_blanks(data, answer, max_points):
    blanks = data["blanks"]
    given = list(answer) if isinstance(answer, (list, tuple)) else []
    given = [normalize_answer(str(value)) for value in given] + [""] * len(blanks)
    accepted = [{normalize_answer(alt) for alt in alts} for alts in blanks]
    if data.get("order_insensitive"):
        right = _most_blanks_filled(given[:len(blanks)], accepted)
    else:
        right = sum(1 for value, alts in zip(given, accepted) if value and value in alts)
    if not blanks:
        return Grade(Decimal("0.00"), max_points, False)
    earned = _quantize(max_points * right / len(blanks))
    return Grade(earned, max_points, right == len(blanks))


def _most_blanks_filled(values, accepted):
    """Return the most blanks the values can fill, each value and each blank used once.

    A maximum bipartite matching (augmenting paths): a greedy pass may give a value to a
    blank that another value needed ({甲, 乙} and {甲} with 甲, 乙 fill both). Blanks are
    few, so the simple algorithm is plenty.
    """
    holder = {}  # blank index -> value index

    def place(value_index, seen):
        for blank_index, alts in enumerate(accepted):
            if blank_index in seen or values[value_index] not in alts:
                continue
            seen.add(blank_index)
            if blank_index not in holder or place(holder[blank_index], seen):
                holder[blank_index] = value_index
                return True
        return False

    return sum(1 for index, value in enumerate(values) if value and place(index, set()))
