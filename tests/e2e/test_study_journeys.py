"""Study journeys in the browser: a trainer annotates a case and an officer sees the note
beside the passage; an officer answers a lesson's self-check questions."""
import re

import pytest

from django.urls import reverse
from playwright.sync_api import expect

from cases_library.models import Annotation
from exams.models import PracticeAnswer, WrongAnswer
from tests.conftest import PASSWORD
from tests.content import factories
from tests.content.self_check_data import EXPLANATION, LEGAL_BASIS, attach, make_bank

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
    page.wait_for_url(re.compile(re.escape(case.url) + "$"))
    # The selection script is deferred: select only once the page has loaded, or the
    # mouseup can reach the page before anything listens for it.
    page.wait_for_load_state("load")
    page.evaluate(SELECT, [second, "未核对上网人员身份证件"])
    expect(page.locator("#annotate-form")).to_be_visible()  # shown by a setTimeout after mouseup
    expect(page.locator("#annotate-quote")).to_have_text("未核对上网人员身份证件")
    page.select_option("#annotate-kind", "procedure_risk")
    page.fill("#annotate-comment", "应当逐一核对有效身份证件并登记。")
    screenshot(page, "case-annotate.png")
    page.get_by_role("button", name="保存批注").click()
    expect(page.locator("mark.note-mark")).to_be_visible()  # only on the page after the save
    note = Annotation.objects.get()
    assert note.quote == "未核对上网人员身份证件" and note.kind == "procedure_risk"

    officer_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    officer = officer_context.new_page()
    sign_in(officer, live_server, "officer", PASSWORD)
    officer.wait_for_url(re.compile(r"/me/$"))
    officer.goto(f"{live_server.url}{case.url}")
    row = officer.locator(".annotated-row", has=officer.locator(f'[data-block-id="{second}"]'))
    expect(row.locator("mark.note-mark")).to_have_text("未核对上网人员身份证件")
    margin = row.locator(".margin-notes .note")
    expect(margin).to_contain_text("应当逐一核对有效身份证件并登记。")
    # The note sits beside the passage: to its right, overlapping it vertically.
    mark_box = row.locator("mark.note-mark").bounding_box()
    note_box = margin.bounding_box()
    assert note_box["x"] > mark_box["x"] + mark_box["width"] - 1
    assert note_box["y"] < mark_box["y"] + mark_box["height"] + 40
    expect(officer.locator("#annotate-form")).to_have_count(0)
    screenshot(officer, "case-officer-notes.png")
    officer.goto(f"{live_server.url}/study/")
    screenshot(officer, "study-my-study.png")
    officer_context.close()


FOCUSED_NAME_VALUE = "() => [document.activeElement.name, document.activeElement.value]"


def test_an_officer_answers_a_lessons_check_questions_and_the_wrong_one_goes_to_the_notebook(
        page, live_server, people):
    bank = make_bank()
    _course, (lesson, _other) = factories.course_with_lessons(factories.shelf())
    multiple, single = bank["multiple"], bank["single"]
    lesson = attach(lesson, [multiple, single, bank["true_false"], bank["fill_blank"]])

    sign_in(page, live_server, "officer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"{live_server.url}{lesson.url}")
    wrong_form = page.locator(f"#check-{multiple.pk}")
    right_form = page.locator(f"#check-{single.pk}")
    expect(wrong_form).to_contain_text("多选：哪些是行政处罚？")
    # Nothing of the key reaches the browser before an answer.
    html = page.content()
    assert EXPLANATION not in html and LEGAL_BASIS not in html and "标准答案" not in html
    expect(page.locator("[data-feedback] *")).to_have_count(0)

    # Wrong, with the mouse: only A of A and B.
    wrong_form.locator("input[value=A]").check()
    wrong_form.get_by_role("button", name="提交答案").click()
    feedback = wrong_form.locator("[data-feedback]")
    expect(feedback.locator(".badge.bad")).to_be_visible()  # the answer goes by fetch
    for part in ("错误", "该题已加入错题本，连续答对两次后移出。", re.compile(r"标准答案：\s*AB"),
                 EXPLANATION, LEGAL_BASIS):
        expect(feedback).to_contain_text(part, use_inner_text=True)
    assert page.content().count(EXPLANATION) == 1  # only the answered question shows it
    expect(right_form.locator("[data-feedback] *")).to_have_count(0)
    # The button is disabled while the answer is out; focus it only once it is enabled again.
    expect(wrong_form.get_by_role("button", name="提交答案")).to_be_enabled()

    # Right, with the keyboard: Tab from the last button into the next question, Space, Enter.
    wrong_form.get_by_role("button", name="提交答案").focus()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_NAME_VALUE) == [f"q-{single.pk}", "A"]
    page.keyboard.press("Space")
    expect(right_form.locator("input[value=A]")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "提交答案"
    page.keyboard.press("Enter")
    feedback = right_form.locator("[data-feedback]")
    expect(feedback.locator(".badge.ok")).to_be_visible()
    for part in ("正确", EXPLANATION, LEGAL_BASIS):
        expect(feedback).to_contain_text(part, use_inner_text=True)
    expect(feedback).not_to_contain_text("错题本", use_inner_text=True)
    assert page.url.endswith(lesson.url)  # answered in place, not on a feedback page
    screenshot(page, "lesson-self-check.png")

    officer = people["officer"].officer
    assert sorted(PracticeAnswer.objects.filter(officer=officer)
                  .values_list("version__question_id", "correct")) == sorted(
        [(multiple.pk, False), (single.pk, True)])
    assert [entry.question_id for entry in WrongAnswer.objects.filter(
        officer=officer, cleared_at__isnull=True)] == [multiple.pk]
    page.goto(f"{live_server.url}{reverse('exams:notebook')}")
    notebook = page.locator("main").inner_text()
    assert "多选：哪些是行政处罚？" in notebook and "单选：哪一项是申诫罚？" not in notebook
