"""Lists and dates in certificate messages read right in either language, and approvers are
reminded of the certificates awaiting their decision."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from certificates import dashboard, issuing, renewal
from certificates.models import Certificate, CertificateStatus, IssueRequest, RequestKind
from exams.models import ExamKind
from ops.i18n_text import join_list, local_date

from .factories import make_exam

pytestmark = pytest.mark.django_db


def cert_for(officer, until, status=CertificateStatus.VALID):
    cert = issuing.grant(officer, today=until - dt.timedelta(days=3 * 365))
    Certificate.objects.filter(pk=cert.pk).update(valid_until=until, status=status)
    cert.refresh_from_db()
    return cert


def due_not_sat(officer, year, month):
    """A monthly exam of (year, month) for the officer's unit, never sat."""
    exam = make_exam(kind=ExamKind.MONTHLY, period=f"{year}-{month:02d}",
                     opens_at=timezone.make_aware(dt.datetime(year, month, 3, 8)))
    exam.eligible_units.add(officer.unit)


def page(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


# --- the helpers -------------------------------------------------------------------------------

def test_a_list_is_joined_as_the_active_language_joins_lists():
    with translation.override("en"):
        assert join_list(["2025-12", "2026-06", 3]) == "2025-12, 2026-06, 3"
    with translation.override("zh-hans"):
        assert join_list(["2025-12", "2026-06", 3]) == "2025-12、2026-06、3"
    assert join_list([]) == ""


def test_a_date_is_written_as_the_active_language_writes_dates():
    day = dt.date(2026, 12, 26)
    with translation.override("en"):
        assert local_date(day) == "Dec. 26, 2026" == local_date("2026-12-26")
        # 07:30 in Shanghai is still the day before in UTC: the local day counts.
        assert local_date(dt.datetime(2026, 12, 25, 23, 30, tzinfo=dt.UTC)) == "Dec. 26, 2026"
    with translation.override("zh-hans"):
        assert local_date(day) == "2026年12月26日" == local_date("2026-12-26")
    assert local_date("不是日期") == "不是日期" and local_date(None) is None


# --- the renewal rules on /certificates/ ---------------------------------------------------------

def test_the_months_not_passed_and_the_validity_read_right_in_both_languages(
        people, client_for):
    officer = people["officer"].officer
    valid_until = timezone.localdate() + dt.timedelta(days=10)
    cert_for(officer, valid_until)
    months = renewal.last_months(timezone.localdate(), 12)
    (y1, m1), (y2, m2) = months[-3], months[-1]
    due_not_sat(officer, y1, m1)
    due_not_sat(officer, y2, m2)
    first, last = f"{y1}-{m1:02d}", f"{y2}-{m2:02d}"
    client = client_for(people["officer"])
    url = reverse("certificates:mine")

    english = page(client, url, "en")
    assert f"Not passed: {first}, {last}." in english
    assert "、" not in english.split('id="renewal"')[1].split("</table>")[0]
    with translation.override("en"):
        assert f"Valid until {local_date(valid_until)}." in english
    assert valid_until.isoformat() not in english

    chinese = page(client, url, "zh-hans")
    assert f"{first}、{last}" in chinese
    assert (f"{valid_until.year}年{valid_until.month}月{valid_until.day}日"
            in chinese.split('id="renewal"')[1])


def test_a_stored_check_joins_and_dates_in_the_language_of_whoever_looks(people, org):
    officer = people["officer"].officer
    stored = [
        {"code": "certificate", "passed": True,
         "label": {"msgid": "Holds a certificate", "params": {}},
         "detail": {"msgid": "Valid until %(date)s.", "params": {"date": "2026-12-26"}}},
        {"code": "monthly", "passed": False,
         "label": {"msgid": "Holds a certificate", "params": {}},
         "detail": {"msgid": "Not passed: %(months)s.", "params": {"months": ["2025-12",
                                                                              "2026-06"]}}},
        # Stored before the months were kept as a list.
        {"code": "monthly", "passed": False,
         "label": {"msgid": "Holds a certificate", "params": {}},
         "detail": {"msgid": "Not passed: %(months)s.",
                    "params": {"months": "2025-12、2026-06"}}},
    ]
    request = IssueRequest.objects.create(officer=officer, kind=RequestKind.NO_EXAM,
                                          eligibility=stored)
    with translation.override("en"):
        details = [rule["detail"] for rule in request.eligibility_shown]
    assert details == ["Valid until Dec. 26, 2026.", "Not passed: 2025-12, 2026-06.",
                       "Not passed: 2025-12, 2026-06."]
    with translation.override("zh-hans"):
        details = [rule["detail"] for rule in request.eligibility_shown]
    assert details[0].endswith("2026年12月26日。")
    assert "2025-12、2026-06" in details[1] and "2025-12、2026-06" in details[2]


def test_a_new_check_keeps_the_months_as_a_list_and_the_date_as_iso(people):
    officer = people["officer"].officer
    today = timezone.localdate()
    valid_until = today + dt.timedelta(days=10)
    cert_for(officer, valid_until)
    year, month = renewal.last_months(today, 1)[0]
    due_not_sat(officer, year, month)
    stored = {r.code: r.as_dict() for r in renewal.check(officer)}
    assert stored["certificate"]["detail"]["params"] == {"date": valid_until.isoformat()}
    assert stored["monthly"]["detail"]["params"] == {"months": [f"{year}-{month:02d}"]}


# --- dashboard reminders -------------------------------------------------------------------------

def test_the_expiry_reminder_writes_the_date_in_the_active_language(people):
    valid_until = timezone.localdate() + dt.timedelta(days=10)
    cert_for(people["officer"].officer, valid_until)
    with translation.override("en"):
        [reminder] = dashboard.reminders(people["officer"])
        assert f"expires on {local_date(valid_until)}:" in reminder["text"]
    assert valid_until.isoformat() not in reminder["text"]
    with translation.override("zh-hans"):
        [reminder] = dashboard.reminders(people["officer"])
    assert f"{valid_until.year}年{valid_until.month}月{valid_until.day}日" in reminder["text"]


def pending_requests(*users):
    for user in users:
        IssueRequest.objects.create(officer=user.officer, kind=RequestKind.NO_EXAM)


def approval_reminders(user):
    url = reverse("certificates:approvals")
    return [r for r in dashboard.reminders(user) if r["url"] == url]


def test_approvers_are_reminded_of_the_certificates_awaiting_them(people, client_for):
    pending_requests(people["officer"], people["judge"])
    with translation.override("en"):
        [reminder] = approval_reminders(people["organizer"])
        assert reminder["text"] == "2 certificates await your approval."
        assert reminder["level"] == "warn"
        [admin] = approval_reminders(people["admin"])
        assert admin["text"] == reminder["text"]
    for user in ("officer", "manager", "trainer", "judge"):
        assert approval_reminders(people[user]) == [], user

    client = client_for(people["organizer"])
    link = f'<a class="badge warn" href="{reverse("certificates:approvals")}">'
    english = page(client, reverse("dashboard"), "en")
    assert f"{link}2 certificates await your approval.</a>" in english
    chinese = page(client, reverse("dashboard"), "zh-hans")
    assert f"{link}有2本执法资格证待您审批。</a>" in chinese
    officer_page = page(client_for(people["officer"]), reverse("dashboard"), "en")
    assert link not in officer_page and "await your approval" not in officer_page


def test_the_approval_reminder_counts_only_pending_requests_in_scope(org, people):
    pending_requests(people["officer"])
    with translation.override("en"):
        assert approval_reminders(people["organizer"])[0]["text"] == (
            "1 certificate awaits your approval.")
    IssueRequest.objects.update(status="approved")
    assert approval_reminders(people["organizer"]) == []
    from people.roles import Role

    west_organizer = org.person("west_organizer", org.west, Role.ORGANIZER)
    pending_requests(people["officer"])  # an east officer: outside the west scope
    assert approval_reminders(west_organizer) == []
    assert len(approval_reminders(people["organizer"])) == 1


def test_the_approval_reminder_costs_one_count_query_and_only_for_approvers(people):
    pending_requests(people["officer"])
    table = IssueRequest._meta.db_table

    def request_queries(user):
        with CaptureQueriesContext(connection) as ctx:
            dashboard.reminders(user)
        return [q["sql"] for q in ctx.captured_queries if table in q["sql"]]

    [count] = request_queries(people["organizer"])
    assert "COUNT(" in count.upper()
    assert request_queries(people["officer"]) == []
    assert request_queries(people["manager"]) == []
