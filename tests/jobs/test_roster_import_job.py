"""The roster import through the pages and a real RQ worker (burst mode) on Redis."""
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job, JobStatus
from people.models import Officer
from tests.conftest import make_xlsx
from tests.people.test_roster_import import GOOD_ROWS

pytestmark = pytest.mark.django_db(transaction=True)


def upload(client, file, name="roster.xlsx"):
    data = file.getvalue() if hasattr(file, "getvalue") else file
    return client.post(reverse("people:roster_import"),
                       {"file": SimpleUploadedFile(name, data)})


def test_upload_checks_in_a_worker_then_confirm_saves(people, client_for, run_worker):
    client = client_for(people["manager"])
    response = upload(client, make_xlsx(GOOD_ROWS))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.QUEUED and job.enqueued_at is not None

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["dry_run"] and job.result["created"] == 3
    assert not Officer.objects.filter(badge_number="JZ-1001").exists()  # a dry run saves nothing
    page = client.get(job.get_absolute_url()).content.decode()
    assert "文件检查通过" in page and "张伟" in page

    response = client.post(reverse("people:roster_import_confirm", args=[job.pk]))
    real = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == real.get_absolute_url()
    run_worker()
    real.refresh_from_db()
    assert real.status == JobStatus.SUCCEEDED, real.error
    assert real.result["saved"] and real.result["created"] == 3
    assert Officer.objects.filter(badge_number__in=["JZ-1001", "JZ-1002", "JZ-1003"]).count() == 3
    assert "导入完成" in client.get(real.get_absolute_url()).content.decode()


def test_a_file_with_errors_lists_them_and_cannot_be_confirmed(people, client_for, run_worker):
    client = client_for(people["manager"])
    upload(client, make_xlsx([GOOD_ROWS[0], ("", "JZ-2", "T-E-1", "", "", "", "")]))
    run_worker()
    job = Job.objects.get()
    assert job.result["error_count"] == 1
    page = client.get(job.get_absolute_url()).content.decode()
    assert "姓名为空" in page and "未保存任何数据" in page
    client.post(reverse("people:roster_import_confirm", args=[job.pk]))
    assert Job.objects.count() == 1
    assert not Officer.objects.filter(badge_number="JZ-1001").exists()


def test_a_file_that_is_not_a_workbook_fails_with_a_plain_message(people, client_for, run_worker):
    client = client_for(people["manager"])
    upload(client, b"this is a csv, really\n", name="roster.xlsx")
    run_worker()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "roster.xlsx" in job.error and "不是 Excel 工作簿" in job.error
    page = client.get(job.get_absolute_url()).content.decode()
    assert "不是 Excel 工作簿" in page and "技术详情" not in page  # no traceback for managers


def test_the_upload_form_refuses_a_wrong_extension_before_any_job(people, client_for):
    response = upload(client_for(people["manager"]), b"a,b\n", name="roster.csv")
    assert response.status_code == 200
    assert "不是 .xlsx 文件" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_50000_row_file_is_imported_by_the_worker(people, client_for, run_worker):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["姓名*", "执法证号*", "所属单位*", "职务", "入职日期", "状态", "手机号"])
    for i in range(50_000):
        ws.append([f"人员{i}", f"BIG-{i:06d}", "T-E-1", "执法队员", "2020-01-01", "在职", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    client = client_for(people["manager"])
    upload(client, buffer, name="big.xlsx")
    run_worker()
    checked = Job.objects.get()
    assert checked.status == JobStatus.SUCCEEDED, checked.error
    assert checked.result["rows"] == 50_000 and checked.result["error_count"] == 0
    client.post(reverse("people:roster_import_confirm", args=[checked.pk]))
    run_worker()
    real = Job.objects.exclude(pk=checked.pk).get()
    assert real.status == JobStatus.SUCCEEDED, real.error
    assert Officer.objects.filter(badge_number__startswith="BIG-").count() == 50_000


def test_export_runs_as_a_job_and_gives_the_scope_only(people, client_for, run_worker, org):
    client = client_for(people["manager"])
    response = client.post(reverse("people:roster_export"), {"unit": org.east.pk})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    badges = {row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert badges == set(Officer.objects.filter(unit__path__startswith=org.east.path)
                         .values_list("badge_number", flat=True))


def test_export_of_a_unit_outside_the_scope_is_forbidden(people, client_for, org):
    response = client_for(people["manager"]).post(reverse("people:roster_export"),
                                                  {"unit": org.west.pk})
    assert response.status_code == 403
    assert not Job.objects.exists()
