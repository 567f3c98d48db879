"""A trainer annotates a case in the browser; an officer sees the note beside the passage."""
import re

import pytest

from cases_library.models import Annotation
from tests.conftest import PASSWORD
from tests.content import factories

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SELECT = """([blockId, quote]) => {
  const para = document.querySelector(`[data-block-id="${blockId}"]`);
  const node = para.firstChild;
  const start = node.textContent.indexOf(quote);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + quote.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_a_trainer_annotates_a_case_and_an_officer_sees_the_note(page, live_server, people,
                                                                browser):
    shelf = factories.shelf()
    factories.law(shelf, "行政处罚法", short_title="行政处罚法")
    case = factories.case()
    second = [child.id for child in case.body][1]

    sign_in(page, live_server, "trainer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("link", name="某网吧接纳未成年人案").click()
    page.wait_for_selector(f'[data-block-id="{second}"]')
    page.evaluate(SELECT, [second, "未核对上网人员身份证件"])
    form = page.locator("#annotate-form")
    form.wait_for(state="visible")
    assert page.locator("#annotate-quote").inner_text() == "未核对上网人员身份证件"
    page.select_option("#annotate-kind", "procedure_risk")
    page.fill("#annotate-comment", "应当逐一核对有效身份证件并登记。")
    screenshot(page, "case-annotate.png")
    page.get_by_role("button", name="保存批注").click()
    page.wait_for_selector("mark.note-mark")
    note = Annotation.objects.get()
    assert note.quote == "未核对上网人员身份证件" and note.kind == "procedure_risk"

    officer_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    officer = officer_context.new_page()
    sign_in(officer, live_server, "officer", PASSWORD)
    officer.wait_for_url(re.compile(r"/me/$"))
    officer.goto(f"{live_server.url}{case.url}")
    row = officer.locator(".annotated-row", has=officer.locator(f'[data-block-id="{second}"]'))
    assert row.locator("mark.note-mark").inner_text() == "未核对上网人员身份证件"
    margin = row.locator(".margin-notes .note")
    assert "应当逐一核对有效身份证件并登记。" in margin.inner_text()
    # The note sits beside the passage: to its right, overlapping it vertically.
    mark_box = row.locator("mark.note-mark").bounding_box()
    note_box = margin.bounding_box()
    assert note_box["x"] > mark_box["x"] + mark_box["width"] - 1
    assert note_box["y"] < mark_box["y"] + mark_box["height"] + 40
    assert officer.locator("#annotate-form").count() == 0
    screenshot(officer, "case-officer-notes.png")
    officer.goto(f"{live_server.url}/study/")
    screenshot(officer, "study-my-study.png")
    officer_context.close()
