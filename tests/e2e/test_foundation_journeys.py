"""An officer signs in and sees the dashboard; a manager imports a roster in the browser."""
import re

import pytest
from playwright.sync_api import expect

from people.models import Officer
from tests.conftest import PASSWORD, make_xlsx
from tests.people.test_roster_import import GOOD_ROWS

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_signs_in_and_sees_the_dashboard(page, live_server, people):
    sign_in(page, live_server, "officer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    expect(page.locator("h1")).to_have_text("王小兵，您好")
    for title in ("我的考试", "我的学习", "我的竞赛"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    screenshot(page, "officer-dashboard.png")


def test_a_manager_imports_a_roster_through_the_page(page, live_server, people, run_worker,
                                                     tmp_path):
    file = tmp_path / "花名册.xlsx"
    file.write_bytes(make_xlsx(GOOD_ROWS).getvalue())
    sign_in(page, live_server, "manager", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.get_by_role("link", name="导入花名册").first.click()
    page.wait_for_url(re.compile(r"/people/roster/import/$"))
    page.set_input_files("input[type=file]", str(file))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))  # the check job is queued by now
    check_url = page.url
    run_worker()
    expect(page.locator("#import-preview")).to_be_visible()
    expect(page.locator("main")).to_contain_text("文件检查通过")
    screenshot(page, "manager-roster-check.png")
    page.get_by_role("button", name="确认导入").click()
    # The import job has a page of its own: wait for that URL, not any job's (the check
    # job's URL matches at once, and the burst worker would then run before the import
    # job is queued, leaving it never run).
    page.wait_for_url(lambda url: url != check_url and re.search(r"/jobs/[0-9a-f-]+/$", url))
    run_worker()
    page.wait_for_selector("text=导入完成")
    assert Officer.objects.filter(badge_number__in=["JZ-1001", "JZ-1002", "JZ-1003"]).count() == 3
    page.get_by_role("link", name="查看人员").click()
    page.wait_for_url(re.compile(r"/people/$"))
    page.wait_for_selector("text=张伟")
    screenshot(page, "manager-officers.png")
