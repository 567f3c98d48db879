"""Training-event attendance: by ticking a list, and by an Excel sign-in sheet in a job."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content import attendance
from content.models import Attendance
from jobs.models import Job, JobStatus

from . import factories


@pytest.fixture
def training(db, org, people):
    shelf = factories.shelf()
    return factories.event(shelf, units=[org.east], hours="3.0")


def sheet(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["执法证号*", "姓名", "学时"])
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_ticking_the_list_records_exactly_the_ticked_officers(training, people, client_for):
    client = client_for(people["trainer"])
    officer, manager = people["officer"].officer, people["manager"].officer
    url = reverse("content:event_attendance", args=[training.pk])
    assert client.post(url, {"officer": [officer.pk, manager.pk]}).status_code == 302
    assert set(Attendance.objects.values_list("officer_id", flat=True)) == {officer.pk, manager.pk}
    assert Attendance.objects.get(officer=officer).hours == Decimal("3.0")
    client.post(url, {"officer": [officer.pk]})  # unticking removes the record
    assert list(Attendance.objects.values_list("officer_id", flat=True)) == [officer.pk]


def test_an_officer_outside_the_event_cannot_be_ticked_in(training, people, client_for):
    client = client_for(people["trainer"])
    client.post(reverse("content:event_attendance", args=[training.pk]),
                {"officer": [people["judge"].officer.pk]})
    assert not Attendance.objects.exists()


def test_officers_may_not_record_attendance(training, people, client_for):
    url = reverse("content:event_attendance", args=[training.pk])
    assert client_for(people["officer"]).get(url).status_code == 403


def test_the_sign_in_sheet_is_checked_row_by_row(training, people):
    officer = people["officer"].officer
    parsed = attendance.parse_attendance(training, sheet([
        (officer.badge_number, officer.name, "2.5"),
        (officer.badge_number, officer.name, ""),
        (people["judge"].officer.badge_number, "", ""),
        (people["manager"].officer.badge_number, "别人", "9"),
    ]), "sign-in.xlsx")
    problems = [(e.row, e.column, e.message) for e in parsed.errors]
    assert [row for row, _c, _m in problems] == [3, 4, 5, 5]
    assert "第 2 行" in problems[0][2] or "2" in problems[0][2]
    assert parsed.hours[officer.pk] == Decimal("2.5")


@pytest.mark.django_db(transaction=True)
def test_an_excel_sign_in_sheet_is_imported_in_a_job(org, people, client_for, run_worker):
    training = factories.event(factories.shelf(), units=[org.east], hours="3.0")
    officer = people["officer"].officer
    client = client_for(people["trainer"])
    data = sheet([(officer.badge_number, officer.name, "")]).getvalue()
    response = client.post(reverse("content:attendance_import", args=[training.pk]),
                           {"file": SimpleUploadedFile("签到表.xlsx", data)})
    assert response.status_code == 302
    run_worker()
    checked = Job.objects.get()
    assert checked.status == JobStatus.SUCCEEDED, checked.error
    assert not Attendance.objects.exists()  # checked first, saved only on confirmation
    confirm = client.get(checked.get_absolute_url()).content.decode()
    assert "form" in confirm
