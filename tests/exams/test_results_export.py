"""The results export: a job in the starter's scope, read back with openpyxl."""
import io

import openpyxl
from django.urls import reverse

from jobs.models import Job, JobStatus

from .factories import question
from .test_marking import fixed_exam, sit


def export(client, exam, run_worker, capture):
    with capture(execute=True):
        response = client.post(reverse("exams:results_export", args=[exam.pk]))
    run_worker()
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == JobStatus.SUCCEEDED, job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))


def test_the_export_holds_results_questions_units_and_absentees_of_my_scope_only(
        org, people, client_for, run_worker, django_capture_on_commit_callbacks):
    exam = fixed_exam(org, [question(stem="=1+1 是公式吗", correct=("B",), points="10"),
                            question(stem="乙", correct=("B",), points="10")], units=("corps",))
    sly = org.person("sly", org.east2, name="=HYPERLINK(\"http://x\")")
    org.person("absent", org.east2, name="东二缺考")
    west = org.person("west", org.west1, name="西一甲")
    sit(exam, people["officer"], {1: "B", 2: "B"})
    sit(exam, sly, {1: "B", 2: "C"})
    sit(exam, west, {1: "B", 2: "B"})

    wb = export(client_for(people["manager"]), exam, run_worker,
                django_capture_on_commit_callbacks)
    assert len(wb.sheetnames) == 4  # results, questions, units, absentees (names translated)
    ranking, questions, units, absent = (list(ws.iter_rows(values_only=True))
                                         for ws in wb.worksheets)
    assert len(ranking[0]) == 9 and wb.worksheets[0]["A1"].font.bold
    assert [row[1] for row in ranking[1:]] == ["王小兵", "=HYPERLINK(\"http://x\")"]
    assert ranking[1][0] == 1 and ranking[1][4] == 20 and ranking[2][4] == 10
    cell = wb.worksheets[0]["B3"]
    assert cell.data_type == "s" and cell.value.startswith("=")  # text, never a formula
    assert "西一甲" not in str(ranking)

    assert len(questions) == 3
    stems = {row[3]: row for row in questions[1:]}
    assert stems["=1+1 是公式吗"][6] == 1.0  # facility: both east candidates right
    assert wb.worksheets[1]["D2"].data_type == "s"

    assert [row[0] for row in units[1:]] == ["东区支队", "东区第一大队", "东区第二大队"]
    assert units[3][1:4] == (2, 1, 1)  # east-2: eligible, sat, absent
    assert [row[0] for row in absent[1:]] == ["东区经理", "东二缺考"]
