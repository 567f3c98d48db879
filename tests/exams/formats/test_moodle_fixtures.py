"""Lianbing reads Moodle's own test files the way Moodle does, for the types both have."""
import pytest

from exams.formats import parse

from .conftest import MOODLE, locations, read


def by_name(result):
    return {question.name: question for question in result.questions}


# GIFT ----------------------------------------------------------------------------------

def test_gift_questions_file_reads_every_shared_type_and_skips_the_rest_by_line():
    result = parse(read(MOODLE / "gift/questions.gift.txt"), "questions.gift.txt", "gift")
    assert result.ok
    names = [(q.name, q.qtype) for q in result.questions]
    assert names == [("Q8", "short_answer"), ("Q2", "single"), ("colours", "multiple"),
                     ("Shortanswer", "fill_blank"), ("Q1", "true_false"),
                     ("2-08 TSL", "true_false"), ("2-08 TSL", "true_false")]
    assert result.skipped == 2
    skipped = [w for w in result.warnings if "skipped" in w.message]
    assert locations(skipped) == ["line 5", "line 31"]
    assert "matching" in skipped[0].message and "numerical" in skipped[1].message


def test_gift_multiple_choice_keeps_feedback_and_format_markers_are_removed():
    q2 = by_name(parse(read(MOODLE / "gift/questions.gift.txt"), "q.gift", "gift"))["Q2"]
    assert q2.stem == "What's between orange and green in the spectrum?"
    assert [(o.text, o.correct, o.feedback) for o in q2.options] == [
        ("yellow", True, "right; good!"), ("red", False, "wrong, it's yellow"),
        ("blue", False, "wrong, it's yellow")]


def test_gift_multiple_response_keeps_negative_weights():
    colours = by_name(parse(read(MOODLE / "gift/questions.gift.txt"), "q.gift", "gift"))[
        "colours"]
    assert [(o.text, o.correct, o.fraction) for o in colours.options] == [
        ("yellow", True, 0.5), ("red", False, -1.0), ("off-beige", True, 0.5),
        ("blue", False, -1.0)]


def test_gift_short_answer_accepts_full_marks_and_warns_about_partial_credit():
    result = parse(read(MOODLE / "gift/questions.gift.txt"), "q.gift", "gift")
    short = by_name(result)["Shortanswer"]
    assert [blank.answers for blank in short.blanks] == [["Frog"]]
    assert any("Cat" in w.message and w.location == "line 34" for w in result.warnings)


def test_gift_true_false_spellings_and_general_feedback():
    questions = parse(read(MOODLE / "gift/questions.gift.txt"), "q.gift", "gift").questions
    q1 = [q for q in questions if q.name == "Q1"][0]
    assert q1.answer_bool is False
    assert q1.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert [q.answer_bool for q in questions if q.name == "2-08 TSL"] == [True, True]


def test_gift_category_switch_escapes_and_html_are_read():
    result = parse(read(MOODLE / "gift/questions_in_category.gift.txt"), "c.gift", "gift")
    assert result.ok and result.skipped == 1
    questions = by_name(result)
    greeting = questions["Greeting"]
    assert greeting.category == ["Default for New Features"]
    assert greeting.stem_format == "html"
    assert greeting.stem.startswith(
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this '
        'greeting:</a>')
    assert [o.text for o in greeting.options if o.correct] == ["French"]
    assert questions["Moodle user"].blanks[0].answers == ["Moodler"]
    assert questions["Moodle acronym"].answer_bool is True


def test_gift_examples_missing_word_questions_get_a_blank_in_the_stem():
    result = parse(read(MOODLE / "gift/examples.txt"), "examples.txt", "gift")
    assert result.ok
    stems = {q.location: q for q in result.questions}
    assert stems["line 10"].stem == "Grant is ____ in Grant's tomb."
    assert stems["line 10"].qtype == "single"
    assert stems["line 45"].stem == "Two plus two equals ____."
    assert stems["line 45"].blanks[0].answers == ["four", "4"]


def test_gift_examples_control_characters_are_unescaped():
    result = parse(read(MOODLE / "gift/examples.txt"), "examples.txt", "gift")
    control = by_name(result)["GIFT Control Characters"]
    assert [o.text for o in control.options] == ["~", "=", "#", "{", "}", "\\"]
    assert control.options[-1].correct
    equals = [q for q in result.questions if q.location == "line 143"][0]
    assert [o.text for o in equals.options] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]


def test_gift_examples_report_every_matching_and_numerical_question():
    result = parse(read(MOODLE / "gift/examples.txt"), "examples.txt", "gift")
    assert result.skipped == 11
    assert len(result.questions) == 32
    assert "line 177" in locations(result.warnings)  # matching over two lines
    assert "line 202" in locations(result.warnings)  # numerical with a title


# Aiken ---------------------------------------------------------------------------------

def test_aiken_questions_are_read_with_html_characters_kept_as_text():
    result = parse(read(MOODLE / "aiken/questions.aiken.txt"), "q.txt", "aiken")
    assert result.ok and len(result.questions) == 2
    first, second = result.questions
    assert first.correct_letters == "B" and first.options[1].text == "Martin Dougiamas"
    assert second.stem == ("Moodle's abilities include handling user input that includes "
                           '<html class="cool"> & images:')
    assert second.stem_format == "text"


def test_aiken_errors_are_reported_on_the_lines_moodle_reports():
    result = parse(read(MOODLE / "aiken/aiken_errors.txt"), "errors.txt", "aiken")
    assert locations(result.errors) == ["line 3", "line 5", "line 7", "line 18"]
    assert [q.stem for q in result.questions] == ["A good question", "A second good question"]
    assert result.questions[1].options[1].text == "Correct (No space)"
    assert result.questions[1].correct_letters == "B"


# Moodle XML ----------------------------------------------------------------------------

def xml(name):
    return parse(read(MOODLE / "xml" / name), name, "moodlexml")


def test_moodlexml_multichoice_partial_credit_becomes_multiple_choice():
    result = xml("multichoice.testquestion.moodle.xml")
    assert result.ok
    (question,) = result.questions
    assert question.qtype == "multiple" and question.name == "Multi-choice-001"
    assert question.category == ["Default for C1"]
    assert question.explanation == "Berlin, Paris and London"
    assert [(o.text, o.correct, o.fraction) for o in question.options if o.correct] == [
        ("London", True, 0.5), ("Paris", True, 0.5)]
    assert question.location == "line 12"


def test_moodlexml_truefalse_essay_and_shortanswer():
    (tf,) = xml("truefalse.testquestion.moodle.xml").questions
    assert tf.qtype == "true_false" and tf.answer_bool is True
    (essay,) = xml("essay.testquestion.moodle.xml").questions
    assert essay.qtype == "short_answer" and essay.explanation == "This is general feedback"
    short = xml("shortanswer.testquestion.moodle.xml")
    (question,) = short.questions
    assert question.qtype == "fill_blank" and question.blanks[0].answers == ["frog"]
    assert question.stem == "Name an amphibian: __________"
    assert any("toad" in w.message for w in short.warnings)


def test_moodlexml_categories_listed_child_before_parent():
    result = xml("categories_reverse_order.xml")
    assert [(q.name, q.category) for q in result.questions] == [
        ("Tau Question", ["Sigma", "Tau"]), ("Sigma Question", ["Sigma"])]


def test_moodlexml_invalid_grades_are_an_error_like_moodles():
    result = xml("error_invalid_grades.xml")
    assert not result.ok and result.questions == []
    (error,) = result.errors
    assert error.location == "line 4"
    assert "33" in error.message and "33.33333" in error.message


@pytest.mark.parametrize("name", ["multichoice", "truefalse", "shortanswer", "essay"])
def test_moodlexml_clean_fixtures_have_no_errors(name):
    assert xml(f"{name}.testquestion.moodle.xml").ok
