"""The renewal approvals page is in the navigation of those who may use it; its reason
inputs are labelled; the grounds use a full-width colon in Chinese."""
import re

import pytest
from django.urls import reverse

from certificates.models import IssueRequest, RequestKind

pytestmark = pytest.mark.django_db



def _nav(html):
    return html.split('<nav class="nav"')[1].split("</nav>")[0]


def test_the_navigation_links_the_approvals_for_those_who_may_use_them(people, client_for):
    url = reverse("certificates:approvals")
    for who, may in (("organizer", True), ("admin", True), ("manager", False),
                     ("trainer", False), ("officer", False), ("judge", False)):
        client = client_for(people[who])
        nav = _nav(client.get(reverse("dashboard")).content.decode())
        assert (f'href="{url}"' in nav) is may, who
        assert (client.get(url).status_code == 200) is may, who


def test_the_approvals_link_is_marked_current_on_its_page(people, client_for):
    client = client_for(people["organizer"])
    url = reverse("certificates:approvals")
    nav = _nav(client.get(url).content.decode())
    current = re.findall(r'<a href="([^"]+)" aria-current="page"', nav)
    assert current == [url]
    nav = _nav(client.get(reverse("certificates:roster")).content.decode())
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', nav) == [
        reverse("certificates:mine")]


def _pending(people):
    return IssueRequest.objects.create(
        officer=people["officer"].officer, kind=RequestKind.NO_EXAM,
        eligibility=[{"code": "certificate", "passed": True,
                      "label": {"msgid": "Holds a certificate", "params": {}},
                      "detail": "有效期至2026-12-26"}])


def test_each_reason_input_has_a_label(people, client_for):
    request = _pending(people)
    page = client_for(people["organizer"]).get(reverse("certificates:approvals")
                                               ).content.decode()
    field = f"reason-{request.pk}"
    assert f'<label class="visually-hidden" for="{field}">理由（可选）</label>' in page
    assert f'id="{field}" name="reason"' in page


def test_the_grounds_use_a_full_width_colon_in_chinese(people, client_for):
    _pending(people)
    client = client_for(people["organizer"])
    page = client.get(reverse("certificates:approvals")).content.decode()
    grounds = page.split('id="approvals"')[1]
    assert "：有效期至2026-12-26" in grounds and ": 有效期至" not in grounds
    english = client.get(reverse("certificates:approvals"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Holds a certificate: 有效期至2026-12-26" in english.content.decode()
