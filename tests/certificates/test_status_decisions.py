"""Suspending, reinstating and revoking a certificate: who may, the history, what shows."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from certificates import issuing
from certificates.models import Certificate, CertificateChange, CertificateStatus
from people.roles import Role

ADMIN_EDIT = "/cms/qualification_certificates/edit/{}/"


@pytest.fixture
def cert(people):
    return issuing.grant(people["officer"].officer, decision="首次发证")


def decide(client, cert, decision, reason="违法办案，暂停执法资格"):
    return client.post(reverse("certificates:change_status", args=[cert.pk]),
                       {"decision": decision, "reason": reason})


def test_an_organizer_suspends_reinstates_and_revokes_with_history(people, client_for, cert):
    client = client_for(people["organizer"])
    response = decide(client, cert, "suspended", "涉嫌违规执法，停职调查")
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    change = cert.changes.first()
    assert (change.action, change.by, change.reason) == (
        "suspended", people["organizer"], "涉嫌违规执法，停职调查")
    assert (change.old_status, change.new_status) == ("valid", "suspended")

    decide(client, cert, "valid", "调查结束，恢复执法资格")
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID
    change = cert.changes.first()
    assert (change.action, change.old_status, change.new_status) == (
        "reinstated", "suspended", "valid")
    assert change.reason == "调查结束，恢复执法资格" and change.by == people["organizer"]

    decide(client, cert, "revoked", "行政处罚决定书 文执罚〔2026〕12号")
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED
    change = cert.changes.first()
    assert (change.action, change.old_status, change.new_status, change.by) == (
        "revoked", "valid", "revoked", people["organizer"])
    # The history shows on the certificate page with who, why and before → after.
    page = client.get(reverse("certificates:detail", args=[cert.pk])).content.decode()
    for text in ("涉嫌违规执法，停职调查", "调查结束，恢复执法资格", "文执罚〔2026〕12号",
                 people["organizer"].officer.name):
        assert text in page
    assert 'id="decision"' not in page  # revocation is final: no more decisions offered


def test_a_decision_needs_a_reason(people, client_for, cert):
    response = decide(client_for(people["organizer"]), cert, "suspended", "   ")
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode() or "理由" in response.content.decode()
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID and cert.changes.count() == 1
    with pytest.raises(issuing.StatusChangeRefused):
        issuing.change_status(cert, CertificateStatus.SUSPENDED, people["organizer"], "")


def test_only_allowed_transitions_are_offered_and_accepted(people, client_for, cert):
    client = client_for(people["organizer"])
    response = decide(client, cert, "valid", "恢复")  # not suspended: nothing to reinstate
    assert response.status_code == 400
    assert cert.changes.count() == 1
    page = client.get(reverse("certificates:detail", args=[cert.pk])).content.decode()
    assert 'value="suspended"' in page and 'value="revoked"' in page
    assert 'value="valid"' not in page
    issuing.change_status(cert, CertificateStatus.REVOKED, people["organizer"], "吊销")
    with pytest.raises(issuing.StatusChangeRefused):
        issuing.change_status(cert, CertificateStatus.VALID, people["organizer"], "恢复")


def test_officers_managers_and_other_units_cannot_decide(people, client_for, cert, org):
    west_organizer = org.person("west_organizer", org.west, Role.ORGANIZER)
    assert decide(client_for(people["officer"]), cert, "suspended").status_code == 403
    # A manager sees the certificate (it is in scope) but may not decide.
    manager = client_for(people["manager"])
    page = manager.get(reverse("certificates:detail", args=[cert.pk]))
    assert page.status_code == 200 and 'id="decision"' not in page.content.decode()
    assert decide(manager, cert, "suspended").status_code == 403
    # Outside the scope: not found, for managers and organizers of another unit alike.
    assert client_for(people["other_manager"]).get(
        reverse("certificates:detail", args=[cert.pk])).status_code == 404
    other = client_for(west_organizer)
    assert other.get(reverse("certificates:detail", args=[cert.pk])).status_code == 404
    assert decide(other, cert, "suspended").status_code == 404
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID and cert.changes.count() == 1


@pytest.mark.parametrize("status, label", [("suspended", "Suspended"), ("revoked", "Revoked")])
def test_the_verification_page_shows_a_suspension_or_revocation(people, client, cert, status,
                                                                label):
    issuing.change_status(cert, status, people["organizer"], "决定")
    cache.clear()
    page = client.get(reverse("certificates:verify", args=[cert.token])).content.decode()
    assert 'id="not-in-force"' in page
    assert label in page or str(CertificateStatus(status).label) in page
    assert "决定" not in page  # the reason stays internal


def test_the_roster_links_each_certificate_to_its_page(people, client_for, cert):
    page = client_for(people["manager"]).get(
        reverse("certificates:roster") + "?show=all").content.decode()
    assert reverse("certificates:detail", args=[cert.pk]) in page


def test_the_admin_form_cannot_change_the_status_without_history(people, client_for, cert):
    client = client_for(people["organizer"])
    url = ADMIN_EDIT.format(cert.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    # A posted raw status is ignored.
    client.post(url, {"granted_by_decision": "首次发证", "status": "revoked"})
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID and cert.changes.count() == 1
    # A decision without a reason is refused.
    response = client.post(url, {"granted_by_decision": "首次发证",
                                 "status_decision": "suspended", "status_reason": ""})
    assert response.status_code == 200
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID
    # A decision with a reason goes through the history.
    response = client.post(url, {"granted_by_decision": "首次发证",
                                 "status_decision": "suspended", "status_reason": "停职调查"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    change = cert.changes.first()
    assert (change.action, change.by, change.reason, change.old_status, change.new_status) == (
        "suspended", people["organizer"], "停职调查", "valid", "suspended")


def test_the_admin_cannot_create_or_copy_certificates(people, client_for, cert):
    client = client_for(people["admin"])
    # Wagtail turns PermissionDenied into a redirect to the admin home with a message.
    assert client.get("/cms/qualification_certificates/new/").status_code in (302, 403)
    client.post("/cms/qualification_certificates/new/", {"granted_by_decision": "x"})
    assert Certificate.objects.count() == 1
    assert client.get(f"/cms/qualification_certificates/copy/{cert.pk}/").status_code == 404
    index = client.get("/cms/qualification_certificates/").content.decode()
    assert "/cms/qualification_certificates/new/" not in index


@pytest.mark.parametrize("who", ["organizer", "admin"])
def test_certificates_and_requests_are_never_deleted_in_the_admin(people, client_for, cert, who):
    from certificates.models import IssueRequest

    request = IssueRequest.objects.create(officer=cert.officer, kind="renewal")
    client = client_for(people[who])
    for url in (f"/cms/qualification_certificates/delete/{cert.pk}/",
                f"/cms/certificate_requests/delete/{request.pk}/"):
        assert client.get(url).status_code in (302, 403)
        client.post(url)
    assert Certificate.objects.filter(pk=cert.pk).exists()
    assert IssueRequest.objects.filter(pk=request.pk).exists()
    index = client.get("/cms/qualification_certificates/").content.decode()
    assert f"/cms/qualification_certificates/delete/{cert.pk}/" not in index


def test_the_admin_edit_is_scoped(people, client_for, cert, org):
    west_organizer = org.person("west_organizer", org.west, Role.ORGANIZER)
    west = client_for(west_organizer)
    assert west.get(ADMIN_EDIT.format(cert.pk)).status_code == 404
    for view in ("history", "usage"):
        assert west.get(f"/cms/qualification_certificates/{view}/{cert.pk}/").status_code == 404
    assert CertificateChange.objects.count() == 1
    assert Certificate.objects.get().status == CertificateStatus.VALID


def test_reinstating_an_expired_date_gives_expired_not_valid(people, cert):
    Certificate.objects.filter(pk=cert.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1))
    issuing.change_status(cert, CertificateStatus.SUSPENDED, people["organizer"], "停职")
    cert = issuing.change_status(cert, CertificateStatus.VALID, people["organizer"], "恢复")
    assert cert.status == CertificateStatus.EXPIRED
    assert cert.changes.first().new_status == "expired"


def test_nobody_decides_on_their_own_certificate_or_request(people, client_for):
    from certificates.models import IssueRequest

    organizer = people["organizer"]
    own = issuing.grant(organizer.officer, decision="首次发证")
    issuing.change_status(own, "suspended", people["admin"], "停职调查")
    client = client_for(organizer)
    assert decide(client, own, "valid", "恢复").status_code == 403
    page = client.get(reverse("certificates:detail", args=[own.pk])).content.decode()
    assert 'name="decision"' not in page
    client.post(ADMIN_EDIT.format(own.pk), {"granted_by_decision": "首次发证",
                                            "status_decision": "valid",
                                            "status_reason": "恢复"})
    own.refresh_from_db()
    assert own.status == CertificateStatus.SUSPENDED

    request = IssueRequest.objects.create(officer=organizer.officer, kind="no_exam")
    assert reverse("certificates:decide", args=[request.pk]) not in client.get(
        reverse("certificates:approvals")).content.decode()
    client.post(reverse("certificates:decide", args=[request.pk]),
                {"decision": "approve", "reason": "自己批"})
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_unit_that_is_not_a_number_is_not_an_error(people, client_for):
    client = client_for(people["manager"])
    assert client.get(reverse("certificates:roster"), {"unit": "abc"}).status_code == 200
    for name in ("certificates:roster_export", "certificates:batch_pdf"):
        assert client.post(reverse(name), {"unit": "abc"}).status_code == 403


def test_the_approvals_queue_is_paginated(people, client_for, org):
    from certificates.models import IssueRequest

    officers = [org.person(f"queued{i}", org.east1).officer for i in range(51)]
    for officer in officers:
        IssueRequest.objects.create(officer=officer, kind="no_exam")
    client = client_for(people["organizer"])
    first = client.get(reverse("certificates:approvals")).content.decode()
    assert first.count('name="decision" value="approve"') == 50 and "?page=2" in first
    second = client.get(reverse("certificates:approvals"), {"page": 2}).content.decode()
    assert second.count('name="decision" value="approve"') == 1
