"""Sign-in, the dashboard, the language switch and the site shell."""
import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture
def homepage(db):
    # Transactional tests elsewhere flush the migration-made home page; make sure it exists.
    from wagtail.models import Page, Site

    from home.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="练兵", slug="home-test"))
        Site.objects.update_or_create(is_default_site=True,
                                      defaults={"hostname": "localhost", "root_page": home})
    return home


def test_the_dashboard_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_in_leads_to_the_dashboard_in_chinese(client, people):
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD},
                           follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "王小兵，您好" in page and "我的考试" in page and "我的学习" in page
    assert "我的竞赛" in page and 'lang="zh-hans"' in page


def test_a_wrong_password_is_refused_with_a_chinese_message(client, people):
    response = client.post(reverse("login"), {"username": "officer", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_the_language_can_be_switched_to_english(client_for, people):
    client = client_for(people["officer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/me/"})
    page = client.get(reverse("dashboard")).content.decode()
    assert "My exams" in page and 'lang="en"' in page


def test_the_dashboard_shows_manager_tools_only_to_managers(client_for, people):
    assert "导入花名册" not in client_for(people["officer"]).get("/me/").content.decode()
    assert "导入花名册" in client_for(people["manager"]).get("/me/").content.decode()


def test_the_dashboard_uses_a_bounded_number_of_queries(client_for, people,
                                                        django_assert_max_num_queries):
    client = client_for(people["officer"])
    with django_assert_max_num_queries(14):
        assert client.get("/me/").status_code == 200


def test_the_dashboard_lists_the_officers_contest_entries(client_for, people, org):
    from competitions.models import Contest, ContestStatus, Entry, EntryStatus

    officer = people["officer"].officer
    page = client_for(people["officer"]).get("/me/").content.decode()
    assert "您尚未报名任何技能竞赛" in page and 'id="my-contest-entries"' not in page
    running = Contest.objects.create(name="2026年岗位练兵比武", year=2026,
                                     organizer_unit=org.corps, status=ContestStatus.RUNNING)
    gone = Contest.objects.create(name="2025年技能竞赛", year=2025, organizer_unit=org.corps,
                                  status=ContestStatus.PUBLISHED)
    Entry.objects.create(contest=running, officer=officer, unit=officer.unit,
                         status=EntryStatus.APPROVED, blind_code="AAAAAA")
    Entry.objects.create(contest=gone, officer=officer, unit=officer.unit,
                         status=EntryStatus.WITHDRAWN, blind_code="BBBBBB")
    page = client_for(people["officer"]).get("/me/").content.decode()
    entries = page.split('id="my-contest-entries"')[1].split("</ul>")[0]
    assert "2026年岗位练兵比武" in entries and "已批准" in entries
    assert f'href="/contests/{running.pk}/"' in entries
    assert "2025年技能竞赛" not in entries  # withdrawn


def test_the_home_page_is_the_wagtail_root(client, homepage):
    response = client.get("/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_password_change_page_needs_sign_in(client, client_for, people):
    assert client.get(reverse("password_change")).status_code == 302
    assert client_for(people["officer"]).get(reverse("password_change")).status_code == 200
