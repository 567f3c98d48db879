"""
Screenshots of the managers' view on the demo data (docs/screenshots/manager-*.png).

    .venv/bin/python bench/managers/screenshots.py http://127.0.0.1:8713

Expects a running server with `manage.py seed_demo` loaded (the demo manager 王振华 sees
第一支队 and its brigades). Uses Playwright with Debian's Chromium.
"""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "Lianbing@2026"


def main(base):
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "manager")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{base}/manage/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "manager-dashboard.png"), full_page=True)
        dashboard = page.url
        # The second month listed: the first may still be open.
        link = page.locator("#monthly tbody tr:nth-child(2) a").first
        if link.count():
            link.click()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / "manager-non-participants.png"), full_page=True)
        # The training file of the demo officer 陈晓明, found by the search box.
        page.goto(dashboard)
        page.fill("input[name=q]", "陈晓明")
        page.click("form.filters button")
        page.wait_for_load_state("networkidle")
        officer = page.locator("#officers a").first
        if officer.count():
            officer.click()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / "manager-training-file.png"), full_page=True)
        page.goto(dashboard)
        sub_unit = page.locator("#sub-units tbody a").first
        if sub_unit.count():
            sub_unit.click()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / "manager-sub-unit.png"), full_page=True)
        page.goto(dashboard.rstrip("/") + "/annual/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "manager-annual.png"), full_page=True)
        browser.close()
    print("screenshots in", OUT)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8713")
