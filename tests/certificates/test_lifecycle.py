"""Renewal without exam, the expiry job, verification, PDF, import, roster, reminders."""
import datetime as dt
import io

import pypdf
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from certificates import dashboard, expiry, importing, issuing, pdf, renewal
from certificates.models import (Certificate, CertificateStatus, IssueRequest, RequestKind,
                                 RequestStatus)
from exams.models import ExamKind
from tests.conftest import make_xlsx

from .factories import make_attempt, make_exam


def cert_for(officer, until, status=CertificateStatus.VALID):
    cert = issuing.grant(officer, today=until - dt.timedelta(days=3 * 365))
    Certificate.objects.filter(pk=cert.pk).update(valid_until=until, status=status)
    cert.refresh_from_db()
    return cert


def pass_monthly(officer, months, passed=True):
    for year, month in months:
        exam = make_exam(kind=ExamKind.MONTHLY, period=f"{year}-{month:02d}",
                         opens_at=timezone.make_aware(dt.datetime(year, month, 20, 8)))
        make_attempt(exam, officer, passed=passed)


TODAY = dt.date(2026, 11, 21)


def test_renewal_without_exam_when_every_rule_holds(people, settings):
    officer = people["officer"].officer
    cert_for(officer, TODAY + dt.timedelta(days=40))
    pass_monthly(officer, renewal.last_months(TODAY, 12))
    results = renewal.check(officer, TODAY)
    assert [r.passed for r in results] == [True, True, True]
    request, _results = renewal.request_renewal(officer, TODAY)
    assert request.status == RequestStatus.PENDING and request.kind == RequestKind.NO_EXAM
    assert renewal.request_renewal(officer, TODAY)[0] == request  # one pending at a time
    issuing.approve(request.pk, people["organizer"], today=TODAY)
    cert = Certificate.objects.get(officer=officer)
    assert cert.valid_until == issuing.add_years(TODAY + dt.timedelta(days=40), 3)
    assert cert.changes.first().action == "renewed_no_exam"


def test_renewal_without_exam_refused_and_the_failing_rules_named(people, settings):
    settings.CERTIFICATE_RENEWAL = {"min_hours": 20}
    officer = people["officer"].officer
    cert_for(officer, TODAY + dt.timedelta(days=40))
    months = renewal.last_months(TODAY, 12)
    pass_monthly(officer, months[:-2])
    september = make_exam(kind=ExamKind.MONTHLY, period="2026-09",
                          opens_at=timezone.make_aware(dt.datetime(2026, 9, 20, 8)))
    september.eligible_units.add(officer.unit)  # due, never sat
    pass_monthly(officer, months[-1:], passed=False)
    results = {r.code: r for r in renewal.check(officer, TODAY)}
    assert results["certificate"].passed
    assert not results["monthly"].passed
    assert "2026-09" in results["monthly"].detail and "2026-10" in results["monthly"].detail
    assert not results["hours"].passed and "0" in results["hours"].detail
    assert renewal.request_renewal(officer, TODAY)[0] is None
    assert not IssueRequest.objects.exists()


def test_renewal_rules_require_a_certificate_due_for_renewal(people):
    officer = people["officer"].officer
    assert not renewal.check(officer, TODAY)[0].passed  # no certificate
    cert_for(officer, TODAY + dt.timedelta(days=400))
    assert not renewal.check(officer, TODAY)[0].passed  # not due yet
    Certificate.objects.update(status=CertificateStatus.REVOKED, valid_until=TODAY)
    assert not renewal.check(officer, TODAY)[0].passed


def test_the_eligibility_page_shows_each_rule(people, client_for, org):
    officer = people["officer"].officer
    cert_for(officer, timezone.localdate() + dt.timedelta(days=10))
    year, month = renewal.last_months(timezone.localdate(), 1)[0]
    exam = make_exam(kind=ExamKind.MONTHLY, period=f"{year}-{month:02d}",
                     opens_at=timezone.make_aware(dt.datetime(year, month, 3, 8)))
    exam.eligible_units.add(org.corps)  # due last month, never sat
    page = client_for(people["officer"]).get(reverse("certificates:mine")).content.decode()
    assert 'id="renewal"' in page and page.count("badge bad") == 1
    assert page.count("badge ok") == 2 and f"{year}-{month:02d}" in page


def test_the_expiry_job_marks_once_and_is_idempotent(people, org):
    soon = cert_for(people["officer"].officer, TODAY + dt.timedelta(days=10))
    gone = cert_for(people["manager"].officer, TODAY - dt.timedelta(days=1))
    fine = cert_for(people["trainer"].officer, TODAY + dt.timedelta(days=300))
    revoked = cert_for(people["judge"].officer, TODAY - dt.timedelta(days=5),
                       status=CertificateStatus.REVOKED)
    assert expiry.mark_expirations(TODAY) == {"expiring": 1, "expired": 1}
    assert expiry.mark_expirations(TODAY) == {"expiring": 0, "expired": 0}
    statuses = dict(Certificate.objects.values_list("pk", "status"))
    assert statuses[soon.pk] == "expiring" and statuses[gone.pk] == "expired"
    assert statuses[fine.pk] == "valid" and statuses[revoked.pk] == "revoked"
    assert soon.changes.filter(action="expiring").count() == 1


def test_reminders_for_the_officer_and_the_manager(people):
    today = timezone.localdate()
    cert_for(people["officer"].officer, today + dt.timedelta(days=10))
    cert_for(people["manager"].officer, today - dt.timedelta(days=1))
    mine = dashboard.reminders(people["officer"])
    assert len(mine) == 1 and mine[0]["level"] == "warn"
    manager = [r["text"] for r in dashboard.reminders(people["manager"])]
    assert any("30" in text for text in manager) and len(manager) == 3
    assert dashboard.reminders(people["other_manager"])[-1]["url"] == reverse(
        "certificates:mine")  # outside the west scope: only their own (missing) certificate


def test_verification_shows_the_public_facts_and_nothing_private(people, client):
    officer = people["officer"].officer
    officer.phone = "13912345678"
    officer.save()
    cert = cert_for(officer, timezone.localdate() + dt.timedelta(days=200))
    cache.clear()
    page = client.get(reverse("certificates:verify", args=[cert.token])).content.decode()
    for shown in (officer.name, cert.number, officer.unit.name, "有效"):
        assert str(shown).lower() in page.lower()
    for private in (officer.badge_number, officer.phone, people["officer"].username):
        assert private not in page
    assert len(cert.token) >= 30 and cert.number not in cert.token
    assert client.get(reverse("certificates:verify", args=["nope" * 8])).status_code == 404
    assert client.get(reverse("certificates:verify", args=[cert.number])).status_code == 404


def test_verification_is_rate_limited(people, client, settings):
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 3
    cert = cert_for(people["officer"].officer, timezone.localdate() + dt.timedelta(days=200))
    cache.clear()
    url = reverse("certificates:verify", args=[cert.token])
    codes = [client.get(url).status_code for _i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_verification_is_rate_limited_per_visitor_behind_the_proxy(people, client, settings):
    """Behind the HTTPS proxy every request comes from the proxy's address: the count is per
    client address as the proxy reports it (the sign-in lockout's security.lockout.client_ip),
    and an address the client prepends itself to X-Forwarded-For is ignored."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 2
    cert = cert_for(people["officer"].officer, timezone.localdate() + dt.timedelta(days=200))
    cache.clear()
    url = reverse("certificates:verify", args=[cert.token])

    def get(forwarded):
        return client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https",
                          HTTP_X_FORWARDED_FOR=forwarded, secure=True).status_code

    assert [get("203.0.113.5") for _i in range(3)] == [200, 200, 429]
    assert get("198.51.100.7") == 200  # another visitor through the same proxy
    assert get("192.0.2.1, 203.0.113.5") == 429  # a forged first hop does not reset the count
    assert get("198.51.100.7") == 200
    assert get("198.51.100.7") == 429


def test_the_pdf_holds_the_name_number_and_a_qr_of_the_verification_url(people, settings):
    """The QR is decoded with zxing-cpp (pip wheels, no system library) from the PDF's image."""
    import zxingcpp

    settings.SITE_URL = "https://lianbing.example.cn"
    cert = cert_for(people["officer"].officer, timezone.localdate() + dt.timedelta(days=200))
    reader = pypdf.PdfReader(io.BytesIO(pdf.render(cert)))
    text = reader.pages[0].extract_text()
    officer = cert.officer
    for shown in ("行政执法资格证", "王小兵", officer.unit.name, cert.number,
                  pdf._date(cert.issued_on), pdf._date(cert.valid_until)):
        assert shown in text, shown
    assert f"{cert.valid_until.year}年{cert.valid_until.month}月{cert.valid_until.day}日" in text
    # The bundled CJK font (WenQuanYi Micro Hei) is embedded: its subsets carry a font file.
    # (reportlab also lists its unused default Helvetica, which is never embedded.)
    fonts = [ref.get_object() for ref in
             reader.pages[0]["/Resources"]["/Font"].get_object().values()]
    cjk = [font for font in fonts if "WenQuanYiMicroHei" in font["/BaseFont"]]
    assert cjk
    for font in cjk:
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
    image = reader.pages[0].images[0].image.convert("L")
    decoded = zxingcpp.read_barcodes(image)
    assert [d.text for d in decoded] == [
        f"https://lianbing.example.cn/certificates/verify/{cert.token}/"]


def test_a_unit_batch_is_one_zip_of_pdfs(people):
    import zipfile

    certs = [cert_for(people[k].officer, timezone.localdate() + dt.timedelta(days=99))
             for k in ("officer", "manager")]
    buffer = io.BytesIO()
    assert pdf.write_zip(certs, buffer) == 2
    names = zipfile.ZipFile(buffer).namelist()
    assert sorted(names) == sorted(pdf.file_name(c) for c in certs)


HEADER = ["执法证号*", "证书编号*", "发证日期*", "有效期至*", "状态"]


def test_import_reports_every_bad_cell_and_saves_nothing(people):
    officer = people["officer"].officer
    other = cert_for(people["manager"].officer, TODAY)
    rows = [
        [officer.badge_number, "JZ1", "2024-01-01", "2023-01-01", ""],
        ["NOPE-1", "JZ2", "2024-01-01", "2027-01-01", "有效"],
        [officer.badge_number, other.number, "明天", "2027-01-01", "作废"],
        [people["judge"].officer.badge_number, "JZ1", "2024-01-01", "2027-01-01", ""],
    ]
    parsed = importing.parse(make_xlsx(rows, HEADER, sheet="证书"), "certs.xlsx",
                             __import__("people.scopes").scopes.visible_officers(
                                 people["manager"]))
    found = {(e.row, e.column_letter) for e in parsed.errors}
    assert found == {(2, "D"), (3, "A"), (4, "B"), (4, "C"), (4, "E"), (5, "A"), (5, "B")}
    assert all(e.sheet == "证书" and e.message for e in parsed.errors)
    with pytest.raises(ValueError):
        importing.apply(parsed, people["manager"])


def test_import_refuses_ones_own_certificate_and_suspended_or_revoked_ones(people):
    from people.scopes import visible_officers

    manager, officer = people["manager"], people["officer"].officer
    cert = cert_for(officer, TODAY + dt.timedelta(days=400))
    issuing.change_status(cert, CertificateStatus.SUSPENDED, people["organizer"], "停职调查")
    rows = [[manager.officer.badge_number, "JZ9", "2024-01-01", "2099-01-01", "有效"],
            [officer.badge_number, cert.number, "2024-01-01", "2099-01-01", "有效"]]
    parsed = importing.parse(make_xlsx(rows, HEADER, sheet="证书"), "certs.xlsx",
                             visible_officers(manager), importer=manager)
    assert [(e.row, e.column_letter) for e in parsed.errors] == [(2, "A"), (3, "A")]
    assert "暂停" in parsed.errors[1].message
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED


def test_import_runs_as_a_checked_job_then_saves(people, client_for, run_worker,
                                                 django_capture_on_commit_callbacks):
    officer = people["officer"].officer
    client = client_for(people["manager"])
    upload = make_xlsx([[officer.badge_number, "JZ2019-7", "2019-03-01", "2099-02-28", "有效"]],
                       HEADER)
    upload.name = "certs.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:import"), {"file": upload})
    run_worker()
    from jobs.models import Job
    job = Job.objects.get(kind="certificates.import")
    assert job.result["dry_run"] and job.result["rows"] == 1 and not Certificate.objects.exists()
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:import_confirm", args=[job.pk]))
    run_worker()
    cert = Certificate.objects.get(officer=officer)
    assert cert.number == "JZ2019-7" and cert.changes.get().action == "imported"


def test_roster_views_stay_inside_the_scope(people, client_for, org):
    today = timezone.localdate()
    cert_for(people["officer"].officer, today + dt.timedelta(days=45))  # east
    cert_for(people["judge"].officer, today + dt.timedelta(days=45))  # west
    client = client_for(people["manager"])
    page = client.get(reverse("certificates:roster") + "?show=expiring60").content.decode()
    assert "王小兵" in page and people["judge"].officer.name not in page
    page = client.get(reverse("certificates:roster") + "?show=expiring30").content.decode()
    assert "王小兵" not in page
    assert client.get(reverse("certificates:roster") + f"?unit={org.west.pk}").status_code == 200
    assert client_for(people["officer"]).get(reverse("certificates:roster")).status_code == 403


def test_demo_seed_covers_every_state_and_is_idempotent(org):
    from certificates import demo
    from certificates.models import ChangeAction

    demo_officers = [org.person(f"demo{i}", org.east1).officer for i in range(14)]
    from people.models import Unit
    Unit.objects.update(code=__import__("django.db.models.functions",
                                        fromlist=["Concat"]).Concat(
        __import__("django.db.models", fromlist=["Value"]).Value("JZ"), "code"))
    # Last month's test: only demo1 (certificate far from expiry) and demo7 (expiring in 25
    # days) passed it, so demo7 is the one officer due for renewal who meets every rule.
    year, month = renewal.last_months(timezone.localdate(), 1)[0]
    exam = make_exam(kind=ExamKind.MONTHLY, period=f"{year}-{month:02d}",
                     opens_at=timezone.make_aware(dt.datetime(year, month, 3, 8)))
    exam.eligible_units.add(org.corps)
    for index, officer in enumerate(demo_officers):
        make_attempt(exam, officer, passed=index in (1, 7))
    assert demo.seed().startswith("14 certificates, 1 pending")
    assert demo.seed().startswith("0 certificates, 0 pending")
    states = set(Certificate.objects.values_list("status", flat=True))
    assert states == {"valid", "expiring", "expired", "revoked"}

    pending = IssueRequest.objects.get(kind=RequestKind.NO_EXAM)
    assert pending.officer == demo_officers[7] and pending.status == RequestStatus.PENDING
    assert [(r["code"], r["passed"]) for r in pending.eligibility] == [
        ("certificate", True), ("monthly", True), ("hours", True)]
    assert renewal.eligible(renewal.check(pending.officer))

    # The history is dated when it happened, not when the demo was seeded.
    for cert in Certificate.objects.all():
        issued = cert.changes.get(action=ChangeAction.ISSUED)
        assert timezone.localtime(issued.at).date() == cert.issued_on < timezone.localdate()
    expired = Certificate.objects.get(status=CertificateStatus.EXPIRED)
    assert timezone.localtime(expired.changes.get(action=ChangeAction.EXPIRED).at).date() == (
        expired.valid_until + dt.timedelta(days=1))
    revoked = Certificate.objects.get(status=CertificateStatus.REVOKED)
    assert revoked.changes.get(action=ChangeAction.REVOKED).reason
