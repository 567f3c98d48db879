"""Answer checking for every objective type, and the partial-credit rules."""
from decimal import Decimal

import pytest

from exams.grading import ALL_OR_NOTHING, HALF_FOR_PARTIAL, PER_OPTION, grade


def choice(qtype, correct, fractions=None, points="2"):
    keys = "ABCD"
    return {
        "qtype": qtype, "points": points,
        "options": [{"key": k, "text": k, "correct": k in correct,
                     "fraction": (fractions or {}).get(k, 0.0)} for k in keys],
    }


def test_single_choice_right_and_wrong():
    data = choice("single", "B")
    assert grade(data, "B").points == Decimal("2.00") and grade(data, "B").correct
    assert grade(data, "A").points == Decimal("0.00")
    assert grade(data, None).points == Decimal("0.00")
    assert grade(data, ["B"]).points == Decimal("0.00")  # a list is not a single answer


@pytest.mark.parametrize("answer, rule, expected", [
    (["A", "C"], HALF_FOR_PARTIAL, "4.00"),
    (["C", "A"], HALF_FOR_PARTIAL, "4.00"),
    (["A"], HALF_FOR_PARTIAL, "2.00"),          # 少选得一半分
    (["A", "B"], HALF_FOR_PARTIAL, "0.00"),     # 错选不得分
    ([], HALF_FOR_PARTIAL, "0.00"),
    (["A"], ALL_OR_NOTHING, "0.00"),
    (["A", "C"], ALL_OR_NOTHING, "4.00"),
])
def test_multiple_choice_rules(answer, rule, expected):
    data = choice("multiple", "AC", points="4")
    assert grade(data, answer, multiple_rule=rule).points == Decimal(expected)


def test_multiple_choice_per_option_fractions_never_go_below_zero():
    data = choice("multiple", "AC", {"A": 0.5, "C": 0.5, "B": -0.5, "D": -0.5}, points="4")
    assert grade(data, ["A"], multiple_rule=PER_OPTION).points == Decimal("2.00")
    assert grade(data, ["A", "B"], multiple_rule=PER_OPTION).points == Decimal("0.00")
    assert grade(data, ["B", "D"], multiple_rule=PER_OPTION).points == Decimal("0.00")


def test_single_choice_partial_credit_from_a_fraction():
    data = choice("single", "A", {"A": 1.0, "B": 0.5})
    assert grade(data, "B").points == Decimal("1.00")


def test_true_false():
    data = {"qtype": "true_false", "points": "1", "answer_bool": False}
    assert grade(data, False).correct and grade(data, False).points == Decimal("1.00")
    assert grade(data, True).points == Decimal("0.00")
    assert grade(data, "false").points == Decimal("0.00")  # only real booleans count


def blanks(order_insensitive=False):
    return {"qtype": "fill_blank", "points": "3", "order_insensitive": order_insensitive,
            "blanks": [["警告", "通报批评"], ["罚款"], ["没收违法所得"]]}


def test_fill_blank_normalises_width_spaces_and_punctuation():
    result = grade(blanks(), ["  警 告。", "罚款，", "没收违法所得"])
    assert result.correct and result.points == Decimal("3.00")
    assert grade(blanks(), ["ＡＢＣ", "罚款", ""]).points == Decimal("1.00")


def test_fill_blank_accepts_any_listed_alternative_and_gives_credit_per_blank():
    assert grade(blanks(), ["通报批评", "罚款", "x"]).points == Decimal("2.00")


def test_fill_blank_order_matters_unless_the_question_says_otherwise():
    swapped = ["罚款", "警告", "没收违法所得"]
    assert grade(blanks(), swapped).points == Decimal("1.00")
    assert grade(blanks(order_insensitive=True), swapped).points == Decimal("3.00")
    # the same answer twice fills only one blank
    assert grade(blanks(order_insensitive=True), ["罚款", "罚款", "罚款"]).points == Decimal("1.00")


def test_full_width_latin_matches_half_width():
    data = {"qtype": "fill_blank", "points": "1", "blanks": [["ABC-1"]]}
    assert grade(data, ["ａｂｃ－１"]).correct


def test_open_questions_need_marking():
    result = grade({"qtype": "short_answer", "points": "10"}, "我的回答")
    assert result.needs_marking and result.points == Decimal("0.00")
    assert result.max_points == Decimal("10.00")
