"""Layout on a phone (390 × 844) and a laptop (1280 × 860): the main menu gets a full line
of its own on a phone, the managers' dashboard fits the phone's width, and the cards of a
grid line up."""
import re

import pytest

from tests.conftest import PASSWORD

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 860}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _nav_box(page):
    return page.locator("nav.nav").bounding_box()


def _overflow(page):
    """How far the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_menu_takes_a_full_line_on_a_phone(phone, live_server, people):
    sign_in(phone, live_server, "manager", PASSWORD)
    phone.wait_for_url(re.compile(r"/me/$"))
    box = _nav_box(phone)
    width = phone.evaluate("window.innerWidth")
    assert width == PHONE["width"]
    # The header bar's padding is .75rem + .5rem at most on either side; the menu spans the rest.
    assert box["width"] >= width - 2 * 20 * 1.25, box
    assert box["height"] >= 30, box
    brand = phone.locator(".brand").bounding_box()
    assert box["y"] >= brand["y"] + brand["height"] - 1   # its own line, below the brand
    # The menu scrolls sideways: its links keep their size and the page itself does not.
    links = phone.locator("nav.nav a")
    assert links.count() >= 8
    assert min(links.nth(i).bounding_box()["width"] for i in range(links.count())) > 40
    assert _overflow(phone) <= 0
    screenshot(phone, "layout-phone-nav.png")


def test_the_menu_stays_in_the_header_row_on_a_laptop(page, live_server, people):
    sign_in(page, live_server, "manager", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    assert page.evaluate("window.innerWidth") == LAPTOP["width"]
    box = _nav_box(page)
    brand = page.locator(".brand").bounding_box()
    assert box["x"] > brand["x"] + brand["width"]           # beside the brand, as before
    assert box["width"] > 500
    assert _overflow(page) <= 0
    screenshot(page, "layout-laptop-nav.png")


def test_the_managers_dashboard_fits_a_phone(phone, live_server, org, people):
    sign_in(phone, live_server, "manager", PASSWORD)
    phone.wait_for_url(re.compile(r"/me/$"))
    phone.goto(f"{live_server.url}/manage/unit/{org.east.pk}/")
    charts = phone.locator(".manager-charts figure")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index).bounding_box()
        assert chart["x"] >= 0 and chart["x"] + chart["width"] <= PHONE["width"] + 0.5, chart
    assert _overflow(phone) <= 0
    screenshot(phone, "layout-phone-managers.png")


def test_the_cards_of_a_grid_line_up(page, live_server, org, people):
    sign_in(page, live_server, "manager", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"{live_server.url}/manage/unit/{org.east.pk}/")
    # The monthly tests and the training coverage sit side by side in one grid row.
    cards = page.locator("main .grid > section.card")
    assert cards.count() == 2
    first, second = (cards.nth(i).bounding_box() for i in (0, 1))
    assert abs(first["y"] - second["y"]) < 1, (first, second)
    assert second["x"] > first["x"] + first["width"] - 1


def test_an_organizer_reaches_the_approvals_from_the_menu(page, live_server, people):
    sign_in(page, live_server, "organizer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.locator("nav.nav").get_by_role("link", name=re.compile("资格证审批|Certificate approvals")
                                        ).click()
    page.wait_for_url(re.compile(r"/certificates/approvals/$"))
    current = page.locator('nav.nav a[aria-current="page"]')
    assert current.count() == 1 and current.get_attribute("href") == "/certificates/approvals/"
    assert _overflow(page) <= 0
    screenshot(page, "layout-laptop-approvals.png")


def test_a_long_tag_wraps_inside_the_phone_screen(phone, live_server, people):
    from tests.content import factories

    tag = "文化市场综合执法典型案例未成年人保护专项整治行动重点案件"
    case = factories.case(title="某网吧接纳未成年人案")
    case.tags.add(tag)
    case.save_revision().publish()
    sign_in(phone, live_server, "officer", PASSWORD)
    phone.wait_for_url(re.compile(r"/me/$"))
    phone.goto(f"{live_server.url}{case.url}")
    badge = phone.locator("p.lead a.badge", has_text=tag).bounding_box()
    assert badge["x"] >= 0 and badge["x"] + badge["width"] <= PHONE["width"], badge
    short = phone.locator("p.lead span.badge").bounding_box()   # the domain: one line
    assert short["height"] < 30, short
    assert _overflow(phone) <= 0
    screenshot(phone, "layout-phone-case.png")
