"""The managers' exports run as jobs through a real worker; the workbooks are read back."""
import io

import openpyxl
import pytest
from django.urls import reverse

from jobs.models import Job, JobStatus

from .manager_data import AS_OF, build


def run_export(client, url, run_worker):
    response = client.post(url)
    assert response.status_code == 302
    run_worker()
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == JobStatus.SUCCEEDED, job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))


def rows(ws):
    return list(ws.iter_rows(values_only=True))


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_export_holds_each_table_and_the_charts(
        org, people, client_for, run_worker, monkeypatch):
    officers = build(org, people)
    from people.models import Officer

    Officer.objects.filter(pk=officers["E"].pk).update(name="=HYPERLINK(\"http://x\")")
    monkeypatch.setattr("home.jobs.timezone.localdate", lambda: AS_OF)
    wb = run_export(client_for(people["manager"]),
                    reverse("home:managers_export", args=[org.east.pk]), run_worker)
    names = wb.sheetnames
    assert len(names) == 9
    summary, sub_units, monthly, absent, coverage, not_met, expiry, contests, _charts = (
        wb[name] for name in names)
    values = dict(rows(summary)[1:])
    assert 6 in values.values() and 22.7 in values.values()
    names_column = [r[0] for r in rows(sub_units)[1:]]
    assert names_column[0].startswith("东区支队")  # the unit itself
    assert names_column[1:] == ["东区第一大队", "东区第二大队", "东区支队"]  # … and the total
    assert rows(sub_units)[-1][1] == 6  # the total row
    assert [r[:5] for r in rows(monthly)[1:]] == [("2026-01", 4, 2, 2, 50.0),
                                                  ("2026-02", 6, 4, 2, 66.7)]
    assert sorted((r[0], r[1]) for r in rows(absent)[1:]) == [
        ("2026-01", "人员B"), ("2026-01", "人员C"),
        ("2026-02", "=HYPERLINK(\"http://x\")"), ("2026-02", "东区经理")]
    cell = next(c for row in absent.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("="))
    assert cell.data_type == "s"  # text, never a formula
    assert rows(coverage)[1][:5] == ("年度轮训", 6, 2, 4, 33.3)
    assert len(rows(not_met)) == 1 + 4
    assert sum(r[1] for r in rows(expiry)[1:]) == 2
    assert rows(contests)[1][:3] == ("2026年岗位技能竞赛", 2026, 1)
    assert "西区" not in str([rows(wb[n]) for n in names[:8]])


@pytest.mark.django_db(transaction=True)
def test_the_charts_are_embedded_as_images(org, people, client_for, run_worker, monkeypatch):
    build(org, people)
    monkeypatch.setattr("home.jobs.timezone.localdate", lambda: AS_OF)
    client = client_for(people["manager"])
    response = client.post(reverse("home:managers_export", args=[org.east.pk]))
    run_worker()
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    import zipfile

    with job.result_file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    images = [n for n in archive.namelist() if n.startswith("xl/media/")]
    assert len(images) == 4
    assert all(archive.read(n)[:4] == b"\x89PNG" for n in images)


@pytest.mark.django_db(transaction=True)
def test_the_training_file_export(org, people, client_for, run_worker):
    officers = build(org, people)
    wb = run_export(client_for(people["manager"]),
                    reverse("home:managers_officer_file_export", args=[officers["A"].pk]),
                    run_worker)
    officer, study, training, exams, history, contests, awards = (
        rows(wb[n]) for n in wb.sheetnames)
    assert officer[1][1] == "人员A"
    assert len(study) == 2 and study[1][4] == 6
    assert len(training) == 2 and training[1][2] == 4
    assert sorted(r[4] for r in exams[1:]) == [50, 60, 80]
    assert contests[1][0] == "2026年岗位技能竞赛"
    assert awards[1][3] == "一等奖"
