"""Certificates in the browser: the officer's certificate, a manager's roster, the public
verification page its QR code opens, and an organizer suspending a certificate."""
import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from certificates import issuing
from certificates.models import Certificate, CertificateStatus
from tests.conftest import PASSWORD

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["李建华", "张伟", "刘芳", "陈静", "杨洋", "赵磊"]


def certify(officer, days_left, status=None):
    """Give `officer` a certificate ending `days_left` days from today."""
    today = timezone.localdate()
    until = today + dt.timedelta(days=days_left)
    cert = issuing.grant(officer, today=issuing.add_years(until, -3), decision="执法资格考试合格")
    Certificate.objects.filter(pk=cert.pk).update(
        valid_until=until, status=status or Certificate(valid_until=until).status_on(today))
    cert.refresh_from_db()
    return cert


def test_certificate_journey(page, live_server, people, org, browser):
    cert = certify(people["officer"].officer, 500)
    certify(people["manager"].officer, 20)
    for index, (name, days) in enumerate(zip(NAMES, [700, 45, 80, -15, 300, 15])):
        unit = org.east1 if index % 2 == 0 else org.east2
        certify(org.person(f"east{index}", unit, name=name).officer, days)
    issuing.change_status(Certificate.objects.get(officer__name="杨洋"),
                          CertificateStatus.REVOKED, people["organizer"], "违法执法被处分")
    cache.clear()

    # The officer's own certificate.
    sign_in(page, live_server, "officer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"{live_server.url}/certificates/")
    expect(page.locator("#certificate")).to_contain_text(cert.number)
    screenshot(page, "certificate-officer.png")

    # The manager's roster of the east detachment.
    manager = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    manager_page = manager.new_page()
    sign_in(manager_page, live_server, "manager", PASSWORD)
    manager_page.wait_for_url(re.compile(r"/me/$"))
    manager_page.goto(f"{live_server.url}/certificates/roster/?show=all")
    expect(manager_page.locator("#certificates tbody tr")).to_have_count(8)
    expect(manager_page.locator("#certificates")).to_contain_text("王小兵")
    screenshot(manager_page, "certificate-roster.png")
    manager.close()

    # The public verification page, as a phone scanning the QR code opens it.
    public = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 760},
                                 is_mobile=True)
    public_page = public.new_page()
    public_page.goto(cert.verification_url().replace("http://127.0.0.1:8000", live_server.url))
    facts = public_page.locator("#verification")
    expect(facts).to_contain_text("王小兵")
    expect(facts).to_contain_text(cert.number)
    expect(public_page.locator("#not-in-force")).to_have_count(0)
    screenshot(public_page, "certificate-verify.png")

    # An organizer suspends the certificate, giving a reason.
    organizer = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    organizer_page = organizer.new_page()
    sign_in(organizer_page, live_server, "organizer", PASSWORD)
    organizer_page.wait_for_url(re.compile(r"/me/$"))
    organizer_page.goto(f"{live_server.url}/certificates/roster/?unit={org.east.pk}&show=all")
    organizer_page.locator("#certificates").get_by_role("link", name="王小兵").click()
    organizer_page.wait_for_url(re.compile(rf"/certificates/{cert.pk}/$"))
    organizer_page.fill("#decision input[name=reason]", "涉嫌违规执法，停职调查期间暂停执法资格")
    # The decision redirects back to this same URL: the success message marks the new page.
    organizer_page.click("#decision button[value=suspended]")
    expect(organizer_page.locator(".messages li.success")).to_be_visible()
    expect(organizer_page.locator("#history")).to_contain_text("停职调查期间暂停执法资格")
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    assert cert.changes.first().by == people["organizer"]
    screenshot(organizer_page, "certificate-suspend.png")
    organizer.close()

    # The same QR code now shows the suspension.
    cache.clear()
    public_page.reload()
    expect(public_page.locator("#not-in-force")).to_be_visible()
    screenshot(public_page, "certificate-verify-suspended.png")
    public.close()
