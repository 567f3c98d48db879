"""Per-option partial credit as the admin stores it, fill-blank matching."""
import hashlib
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from exams.grading import HALF_FOR_PARTIAL, PER_OPTION, grade
from exams.models import Question, QuestionOption, QuestionType, QuestionVersion
from exams.normalize import fingerprint, normalize_answer, plain_text
from exams.versions import sync_version

from .factories import question
from .test_bank_admin import QUESTIONS, form_data

unset = importlib.import_module("exams.migrations.0003_option_fraction_unset")


def per_option(q, answer):
    return grade(q.current_version.data, answer, multiple_rule=PER_OPTION).points


def multiple(correct=("A", "B"), points="2", fractions=None):
    """A multiple choice as the admin stores it: options without a value unless given."""
    q = question(QuestionType.MULTIPLE, correct=correct, points=points)
    for key, value in (fractions or {}).items():
        QuestionOption.objects.filter(question=q, sort_order=ord(key) - 65).update(
            fraction=Decimal(value))
    sync_version(q)
    q.refresh_from_db()
    return q


# 1. "Each option's own partial credit" ------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xlsx", "aiken"])
def test_a_file_that_gives_no_option_values_imports_all_or_nothing(fmt, db):
    from exams.formats import write
    from exams.formats.xlsx import example_questions
    from exams.importing import import_file

    if fmt == "xlsx":
        data, name = write(example_questions(), "xlsx"), "题库.xlsx"
    else:
        data, name = ("行政处罚的种类有哪些？\nA. 警告\nB. 罚款\nC. 记过\nANSWER: B\n"
                      .encode()), "题库.txt"
    report = import_file(data, name, fmt)
    assert report["errors"] == [] and report["created"] >= 1
    assert not QuestionOption.objects.exclude(fraction=None).exists()
    choice = Question.objects.get(qtype="multiple" if fmt == "xlsx" else "single",
                                  parent=None)
    options = choice.current_version.data["options"]
    assert all(option["fraction"] is None for option in options)
    if fmt == "xlsx":  # ticking every option earns nothing
        assert per_option(choice, [option["key"] for option in options]) == Decimal("0.00")

def test_the_admin_stores_no_value_for_an_option_left_empty(client_for, people):
    client = client_for(people["trainer"])
    data = form_data(**{
        "qtype": QuestionType.MULTIPLE, "options-TOTAL_FORMS": 4,
        "options-1-is_correct": "on",
        "options-2-text": "丙", "options-2-ORDER": 3, "options-2-DELETE": "",
        "options-3-text": "丁", "options-3-ORDER": 4, "options-3-DELETE": "",
        **{f"options-{index}-fraction": "" for index in range(4)}})
    response = client.post(f"{QUESTIONS}add/", data)
    assert response.status_code == 302, response.context["form"].errors
    q = Question.objects.get()
    assert [o["fraction"] for o in q.current_version.data["options"]] == [None] * 4
    # Key A, B worth 2: one right option or every option is not the key (all or nothing).
    assert per_option(q, ["A"]) == Decimal("0.00")
    assert per_option(q, ["A", "B", "C", "D"]) == Decimal("0.00")
    assert per_option(q, ["B", "A"]) == Decimal("2.00")


@pytest.mark.django_db
@pytest.mark.parametrize("answer, expected", [
    (["A"], "0.00"), (["A", "B", "C", "D"], "0.00"), (["A", "C"], "0.00"), (["A", "B"], "2.00"),
])
def test_no_value_on_any_option_means_all_or_nothing(answer, expected):
    assert per_option(multiple(), answer) == Decimal(expected)


@pytest.mark.django_db
@pytest.mark.parametrize("answer, expected", [
    (["B"], "1.00"),                 # an empty right option: 1/k of the points (k = 2)
    (["A"], "1.00"),                 # its own 0.5
    (["A", "B"], "2.00"),            # the key
    (["A", "B", "C"], "1.00"),       # an empty wrong option: -1/m (m = 2)
    (["A", "B", "C", "D"], "0.00"),  # ticking everything
    (["C", "D"], "0.00"),            # never below zero
])
def test_an_empty_option_among_filled_ones_counts_1_over_k_or_minus_1_over_m(answer, expected):
    q = multiple(fractions={"A": "0.5"})
    assert per_option(q, answer) == Decimal(expected)


@pytest.mark.django_db
def test_a_given_value_wins_over_the_default_share():
    q = multiple(correct=("A", "B", "C"), points="6", fractions={"A": "0.5", "D": "-0.25"})
    assert per_option(q, ["A"]) == Decimal("3.00")       # its own 0.5
    assert per_option(q, ["B"]) == Decimal("2.00")       # 1/3
    assert per_option(q, ["B", "D"]) == Decimal("0.50")  # 1/3 - 1/4


@pytest.mark.django_db
def test_given_values_are_each_options_own_credit():
    q = multiple(fractions={"A": "0.5", "B": "0.5", "C": "-0.5", "D": "0"})
    assert per_option(q, ["A"]) == Decimal("1.00")
    assert per_option(q, ["A", "C"]) == Decimal("0.00")
    assert per_option(q, ["A", "D"]) == Decimal("1.00")  # a given 0 costs nothing


@pytest.mark.django_db
def test_the_other_rules_and_single_choices_are_unchanged_by_empty_values():
    q = multiple()
    assert grade(q.current_version.data, ["A"], multiple_rule=HALF_FOR_PARTIAL).points == \
        Decimal("1.00")
    single = question(correct=("B",), points="2")
    assert grade(single.current_version.data, "B").points == Decimal("2.00")
    assert grade(single.current_version.data, "A").points == Decimal("0.00")


def _old_form(version):
    """Put a version back as it was stored before: 1.0 / 0.0 for the empty values."""
    data = version.data
    for option in data["options"]:
        if option["fraction"] is None:
            option["fraction"] = 1.0 if option["correct"] else 0.0
    QuestionVersion.objects.filter(pk=version.pk).update(data=data)


@pytest.mark.django_db
def test_the_migration_gives_stored_versions_back_their_empty_values():
    plain = multiple()
    mixed = multiple(fractions={"A": "0.6"})
    moodle = multiple(fractions={"A": "0.5", "B": "0.5", "C": "-0.5", "D": "-0.5"})
    edited = multiple()
    old_edited = edited.current_version
    for q in (plain, mixed, moodle, edited):
        _old_form(q.current_version)
    QuestionVersion.objects.filter(pk=old_edited.pk).update(used=True)
    QuestionOption.objects.filter(question=edited, sort_order=3).update(text="记大过")
    assert per_option(Question.objects.get(pk=plain.pk), ["A"]) == Decimal("2.00")  # the defect

    unset._unset(apps, None)

    def fractions(version_id):
        return [o["fraction"] for o in QuestionVersion.objects.get(pk=version_id).data["options"]]

    assert fractions(plain.current_version_id) == [None] * 4
    assert fractions(mixed.current_version_id) == [0.6, None, None, None]
    assert fractions(moodle.current_version_id) == [0.5, 0.5, -0.5, -0.5]
    assert fractions(old_edited.pk) == [None] * 4  # no longer the question's options
    assert per_option(Question.objects.get(pk=plain.pk), ["A"]) == Decimal("0.00")
    assert per_option(Question.objects.get(pk=mixed.pk), ["B"]) == Decimal("1.00")
    # The current versions equal a fresh snapshot again: saving makes no new version.
    for q in (plain, mixed, moodle):
        assert sync_version(q).pk == q.current_version_id
    unset._unset(apps, None)  # idempotent
    assert fractions(plain.current_version_id) == [None] * 4
    unset._restore(apps, None)
    assert fractions(plain.current_version_id) == [1.0, 1.0, 0.0, 0.0]


@pytest.mark.django_db
def test_an_export_writes_the_usual_shares_for_options_left_empty():
    from exams.importing import export_questions
    from exams.formats import parse

    multiple()
    data = export_questions(Question.objects.top_level(), "moodlexml")
    assert b'fraction="50"' in data and b'fraction="100"' not in data
    parsed = parse(data, "bank.xml", "moodlexml")
    assert not parsed.errors and not parsed.warnings
    assert [o.fraction for o in parsed.questions[0].options] == [0.5, 0.5, 0.0, 0.0]


# 7. Fill in the blank ------------------------------------------------------------------------

def blanks(lines, order_insensitive=False, points="2"):
    return {"qtype": "fill_blank", "points": points, "order_insensitive": order_insensitive,
            "blanks": lines}


@pytest.mark.parametrize("key, answer, right", [
    ("1.5", "15", False), ("-5", "5", False), ("1.5", "1.5", True), ("-5", "-5", True),
    ("1.5", "１．５", True), ("-5", "－５", True), ("1.5", "1.5。", True), ("-5", "−5", True),
    ("警告", "警 告。", True), ("罚款", "罚款-", True),
])
def test_a_decimal_point_or_a_minus_sign_of_a_number_is_kept(key, answer, right):
    assert grade(blanks([[key]], points="1"), [answer]).correct is right


def test_numbers_with_and_without_their_marks_differ_after_normalising():
    assert normalize_answer("1.5") != normalize_answer("15")
    assert normalize_answer("-5") != normalize_answer("5")
    assert normalize_answer("第3-5条") == "第3-5条"


def test_question_fingerprints_are_made_as_before():
    """The bank's stored fingerprints drop every "." and "-": a re-import still matches."""
    def old(stem, options):
        def fold(text):
            import unicodedata

            from exams.normalize import PUNCTUATION
            text = unicodedata.normalize("NFKC", plain_text(text)).lower()
            return "".join(ch for ch in text if ch not in PUNCTUATION and not ch.isspace())
        parts = [fold(stem)] + sorted(fold(option) for option in options)
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()

    stem, options = "罚款1.5万元以下，期限-5日？", ["1.5", "-5", "警告"]
    assert fingerprint(stem, options) == old(stem, options)


@pytest.mark.parametrize("answer", [["甲", "乙"], ["乙", "甲"]])
def test_any_order_blanks_are_matched_as_well_as_they_can_be(answer):
    data = blanks([["甲", "乙"], ["甲"]], order_insensitive=True)
    result = grade(data, answer)
    assert result.points == Decimal("2.00") and result.correct


def test_any_order_matching_still_uses_each_answer_and_each_blank_once():
    data = blanks([["甲", "乙"], ["甲"], ["丙"]], order_insensitive=True, points="3")
    assert grade(data, ["甲", "甲", "甲"]).points == Decimal("2.00")
    assert grade(data, ["丙", "乙", "甲"]).points == Decimal("3.00")
    assert grade(data, ["", "", "丙"]).points == Decimal("1.00")
