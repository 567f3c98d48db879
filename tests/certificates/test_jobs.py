"""The unit's certificate ZIP and the roster export run as jobs through a real RQ worker
(burst); their files are read back: only certificates in the view and in scope."""
import datetime as dt
import io
import zipfile

import openpyxl
import pypdf
from django.urls import reverse
from django.utils import timezone, translation

from certificates import issuing, pdf
from certificates.models import Certificate, CertificateStatus
from jobs.models import Job, JobStatus
from jobs.runner import start_job


def cert_for(officer, days, status=CertificateStatus.VALID):
    until = timezone.localdate() + dt.timedelta(days=days)
    cert = issuing.grant(officer, today=until - dt.timedelta(days=3 * 365))
    Certificate.objects.filter(pk=cert.pk).update(valid_until=until, status=status)
    cert.refresh_from_db()
    return cert


def certificates(org, people):
    """East subtree (the east manager's scope): 4 in force, 1 expired, 1 revoked.
    Outside it: the west judge (10 days left) and the corps organizer."""
    east2 = org.person("east2", org.east2, name="赵二队").officer
    east1b = org.person("east1b", org.east1, name="钱过期").officer
    east1c = org.person("east1c", org.east1, name="孙撤销").officer
    east1d = org.person("east1d", org.east1, name="李远期").officer
    return {
        "officer": cert_for(people["officer"].officer, 10),  # expiring within 30 days
        "manager": cert_for(people["manager"].officer, 30),  # the 30th day still counts
        "east2": cert_for(east2, 31),  # outside 30 days
        "far": cert_for(east1d, 400),
        "expired": cert_for(east1b, -3, CertificateStatus.EXPIRED),
        "revoked": cert_for(east1c, 20, CertificateStatus.REVOKED),
        "judge": cert_for(people["judge"].officer, 10),  # west: outside the scope
        "organizer": cert_for(people["organizer"].officer, 10),  # corps: above the scope
    }


def run_job(client, url, data, run_worker, capture):
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    run_worker()
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == JobStatus.SUCCEEDED, job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def test_the_unit_batch_job_zips_one_pdf_per_certificate_in_scope(
        org, people, client_for, run_worker, django_capture_on_commit_callbacks):
    certs = certificates(org, people)
    client = client_for(people["manager"])
    job, data = run_job(client, reverse("certificates:batch_pdf"), {"unit": org.east.pk},
                        run_worker, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(io.BytesIO(data))
    expected = [certs[key] for key in ("officer", "manager", "east2", "far")]
    assert sorted(archive.namelist()) == sorted(pdf.file_name(c) for c in expected)
    assert job.result["certificates"] == 4
    for cert in expected:
        text = pypdf.PdfReader(io.BytesIO(archive.read(pdf.file_name(cert)))).pages[0]
        text = text.extract_text()
        assert cert.number in text and cert.officer.name in text

    # A sub-unit gives only its own; a unit outside the manager's subtree is refused, even
    # when the job is started directly (not through the page).
    _job, data = run_job(client, reverse("certificates:batch_pdf"), {"unit": org.east2.pk},
                         run_worker, django_capture_on_commit_callbacks)
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == [pdf.file_name(certs["east2"])]
    assert client.post(reverse("certificates:batch_pdf"),
                       {"unit": org.corps.pk}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("certificates.pdf_batch", owner=people["manager"],
                        params={"unit_id": org.corps.pk})
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.result_file


def read_rows(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_the_roster_export_job_writes_the_filtered_certificates_in_scope(
        org, people, client_for, run_worker, django_capture_on_commit_callbacks):
    certs = certificates(org, people)
    client = client_for(people["manager"])
    url = reverse("certificates:roster_export")

    job, data = run_job(client, url, {"unit": org.east.pk, "show": "expiring30"}, run_worker,
                        django_capture_on_commit_callbacks)
    header, *rows = read_rows(data)
    assert len(header) == 7
    officer, manager = certs["officer"], certs["manager"]
    by_number = {row[3]: row for row in rows}
    assert sorted(by_number) == sorted([officer.number, manager.number])
    row = by_number[officer.number]
    assert row[0] == "王小兵" and row[1] == officer.officer.badge_number
    assert "东区第一大队" in row[2]
    assert row[4].date() == officer.issued_on and row[5].date() == officer.valid_until
    with translation.override(job.language):
        assert row[6] == str(CertificateStatus.EXPIRING.label)

    _job, data = run_job(client, url, {"unit": org.east.pk, "show": "expired"}, run_worker,
                         django_capture_on_commit_callbacks)
    assert [row[3] for row in read_rows(data)[1:]] == [certs["expired"].number]

    _job, data = run_job(client, url, {"unit": org.east.pk, "show": "all"}, run_worker,
                         django_capture_on_commit_callbacks)
    numbers = {row[3] for row in read_rows(data)[1:]}
    assert numbers == {certs[k].number for k in ("officer", "manager", "east2", "far",
                                                 "expired", "revoked")}
    assert client.post(url, {"unit": org.west.pk, "show": "all"}).status_code == 403
