"""Importing question files into the bank: the command, dedupe, atomicity, the admin job."""
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from exams import formats
from exams.formats.base import ParsedBlank, ParsedOption, ParsedQuestion
from exams.importing import export_questions, import_file
from exams.models import Question, QuestionType
from jobs.models import Job, JobStatus

MOODLE = Path(__file__).resolve().parents[3] / "shared" / "peer-fixtures" / "moodle"


def sample_questions(count=3):
    questions = []
    for i in range(count):
        questions.append(ParsedQuestion(
            qtype=QuestionType.SINGLE, stem=f"第{i}题：行政处罚由谁实施？", category=["通用法律", "行政处罚法"],
            options=[ParsedOption("具有行政处罚权的行政机关", True, 1.0), ParsedOption("任何组织")],
            explanation="《行政处罚法》第十七条", difficulty=2, tags=["重点"]))
    questions.append(ParsedQuestion(qtype=QuestionType.FILL_BLANK, stem="罚款属于____罚。",
                                    blanks=[ParsedBlank(["财产"])], category=["通用法律"]))
    questions.append(ParsedQuestion(
        qtype=QuestionType.CASE_ANALYSIS, case_text="某网吧接纳未成年人进入。", category=["专门法规"],
        sub_questions=[
            ParsedQuestion(qtype=QuestionType.TRUE_FALSE, stem="应当给予处罚。", answer_bool=True),
            ParsedQuestion(qtype=QuestionType.SHORT_ANSWER, stem="说明理由。",
                           reference_answer="依据条例相关条款。", scoring_points=["定性", "依据"]),
        ]))
    return questions


def run_command(*args):
    out = io.StringIO()
    try:
        call_command("import_questions", *args, "--json", stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


@pytest.mark.django_db
def test_the_command_imports_an_xlsx_and_reports_json(tmp_path):
    path = tmp_path / "bank.xlsx"
    path.write_bytes(formats.write(sample_questions(), "xlsx"))
    code, report = run_command(str(path), "--format", "xlsx")
    assert code == 0 and report["errors"] == []
    assert report["created"] == 5
    assert report["by_type"] == {"single": 3, "multiple": 0, "true_false": 0, "fill_blank": 1,
                                 "short_answer": 0, "case_analysis": 1}
    case = Question.objects.get(qtype=QuestionType.CASE_ANALYSIS)
    assert [c.qtype for c in case.sub_questions.order_by("position")] == ["true_false",
                                                                          "short_answer"]
    single = Question.objects.filter(qtype="single").first()
    assert single.category.full_name == "通用法律/行政处罚法"
    assert single.current_version.data["options"][0]["correct"] is True
    assert "重点" in single.tags.names()


@pytest.mark.django_db
def test_a_second_import_skips_duplicates_with_warnings(tmp_path):
    path = tmp_path / "bank.xlsx"
    path.write_bytes(formats.write(sample_questions(), "xlsx"))
    run_command(str(path))
    code, report = run_command(str(path))
    assert code == 0 and report["created"] == 0 and report["skipped"] == 5
    assert len(report["warnings"]) == 5 and Question.objects.top_level().count() == 5


@pytest.mark.django_db
def test_dry_run_saves_nothing_and_category_option_nests(tmp_path):
    path = tmp_path / "bank.xlsx"
    path.write_bytes(formats.write(sample_questions(), "xlsx"))
    code, report = run_command(str(path), "--dry-run")
    assert report["created"] == 5 and not Question.objects.exists()
    run_command(str(path), "--category", "2026年题库")
    assert Question.objects.filter(qtype="single").first().category.full_name == \
        "2026年题库/通用法律/行政处罚法"


@pytest.mark.django_db
def test_an_error_anywhere_saves_nothing_and_exits_non_zero(tmp_path):
    path = tmp_path / "bad.gift.txt"
    path.write_text("::好题::行政处罚由谁实施？{=行政机关 ~个人}\n\n::坏题::缺少右括号{=甲 ~乙\n",
                    encoding="utf-8")
    code, report = run_command(str(path), "--format", "gift")
    assert code == 1 and report["errors"] and report["created"] == 0
    assert "3" in report["errors"][0]["location"]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_moodle_fixtures_import_what_moodle_reads():
    data = (MOODLE / "xml" / "multichoice.testquestion.moodle.xml").read_bytes()
    report = import_file(data, "multichoice.xml", "moodlexml")
    assert report["errors"] == [] and report["created"] >= 1
    data = (MOODLE / "gift" / "questions.gift.txt").read_bytes()
    report = import_file(data, "questions.gift.txt", "gift")
    # Moodle reads 7 questions; the matching (line 5) and numerical (line 31) ones are
    # skipped by name and line. The file also holds the same true/false stem twice: the
    # second is a twin by our rule (same stem and options), skipped with a warning.
    assert report["errors"] == [] and report["created"] == 6 and report["skipped"] == 3
    locations = [w["location"] for w in report["warnings"]]
    assert any("5" in loc for loc in locations) and any("31" in loc for loc in locations)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "moodlexml", "gift"])
def test_export_then_import_gives_the_same_bank(fmt):
    from django.db import transaction

    simple = [q for q in sample_questions() if q.qtype != QuestionType.CASE_ANALYSIS]
    import_file(formats.write(simple, "xlsx"), "a.xlsx", "xlsx")
    before = sorted(q.current_version.data["stem_text"] for q in Question.objects.top_level())
    data = export_questions(Question.objects.top_level(), fmt)
    with transaction.atomic():
        Question.objects.all().delete()
    report = import_file(data, f"export.{fmt}", fmt)
    assert report["errors"] == [], report["errors"]
    after = sorted(q.current_version.data["stem_text"] for q in Question.objects.top_level())
    assert after == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_20000_question_file_is_imported_by_the_worker(people, client_for, run_worker):
    questions = [ParsedQuestion(qtype=QuestionType.SINGLE, stem=f"第{i}题：选择正确的一项。",
                                category=["批量"], options=[ParsedOption(f"正确{i}", True, 1.0),
                                                           ParsedOption(f"错误{i}")])
                 for i in range(20_000)]
    data = formats.write(questions, "xlsx")
    client = client_for(people["trainer"])
    client.post(reverse("exams:import"), {"file": SimpleUploadedFile("big.xlsx", data),
                                          "format": "xlsx"})
    run_worker()
    checked = Job.objects.get()
    assert checked.status == JobStatus.SUCCEEDED, checked.error
    assert checked.result["created"] == 20_000 and not Question.objects.exists()
    client.post(reverse("exams:import_confirm", args=[checked.pk]))
    run_worker()
    done = Job.objects.exclude(pk=checked.pk).get()
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert Question.objects.count() == 20_000
    assert Question.objects.filter(current_version__isnull=True).count() == 0
