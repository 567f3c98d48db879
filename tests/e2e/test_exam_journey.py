"""An officer sits an exam in Chromium: answers, reloads mid-way, answers survive, submits."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams import sitting
from exams.models import (Attempt, AttemptStatus, BlueprintRule, Exam, ExamStatus, Layout, Paper,
                          PaperKind, QuestionType)
from tests.conftest import PASSWORD
from tests.exams.factories import category, question

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def exam(org, people):
    cat = category("通用法律/行政处罚法")
    question(stem="行政处罚的种类中，下列哪一项属于财产罚？", cat=cat, options=["警告", "罚款", "行政拘留", "通报批评"],
             correct=("B",), points="40")
    question(QuestionType.TRUE_FALSE, stem="限制人身自由的行政处罚，只能由法律设定。", cat=cat,
             answer_bool=True, points="30")
    question(QuestionType.FILL_BLANK, stem="行政处罚的种类包括警告、通报批评、____等。", cat=cat,
             blanks="罚款/没收违法所得", points="30")
    paper = Paper.objects.create(title="演示试卷", kind=PaperKind.BLUEPRINT, shuffle_questions=False,
                                 shuffle_options=False)
    for order, qtype in enumerate([QuestionType.SINGLE, QuestionType.TRUE_FALSE,
                                   QuestionType.FILL_BLANK]):
        points = {"single": "40", "true_false": "30", "fill_blank": "30"}[qtype]
        BlueprintRule.objects.create(paper=paper, category=cat, qtype=qtype, count=1,
                                     points=Decimal(points), sort_order=order)
    now = timezone.now()
    exam = Exam.objects.create(title="2026年11月学法考试", paper=paper, status=ExamStatus.PUBLISHED,
                               opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=2), duration_minutes=30,
                               layout=Layout.ONE_PER_PAGE, review_from="on_submit")
    exam.eligible_units.add(org.east)
    sitting.draw_for_exam(exam)
    return exam


def wait_saved(page):
    page.wait_for_selector("#save-state.ok")


def test_an_officer_sits_an_exam_reloads_and_submits(page, live_server, people, exam, redis_conn):
    sign_in(page, live_server, "officer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.click("form[action$='/begin/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/exams/attempt/\d+/$"))

    page.check("#q-1 input[value=B]")
    wait_saved(page)
    page.click("#next")
    page.check("#q-2 input[value=true]")
    page.check("#q-2 [data-flag]")
    wait_saved(page)
    screenshot(page, "exam-taking.png")

    page.reload()  # mid-way: everything given so far is on the server
    expect(page.locator("#q-1 input[value=B]")).to_be_checked()
    expect(page.locator("#q-2 input[value=true]")).to_be_checked()
    expect(page.locator("[data-goto='2']")).to_have_class(re.compile(r"(^|\s)flagged(\s|$)"))

    page.click("[data-goto='3']")
    with page.expect_response(re.compile(r"/save/$")):
        page.fill("#q-3 input[type=text]", "罚款")  # typed text is saved after a short pause
    wait_saved(page)
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    assert attempt.items.get(position=3).answer == ["罚款"]

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#submit-form button")
    page.wait_for_url(re.compile(r"/result/$"))
    expect(page.locator("#score")).to_have_text("100")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED and attempt.passed
    screenshot(page, "exam-result.png")


def test_an_officer_signed_in_early_waits_and_starts_when_the_exam_opens(
        page, live_server, people, exam, redis_conn):
    sign_in(page, live_server, "officer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    # The officer is signed in; the exam opens 12 s from now. Set only now, so a slow sign-in
    # cannot eat into the 12 s before the start page is even shown.
    exam.opens_at = timezone.now() + dt.timedelta(seconds=12)
    exam.save(update_fields=["opens_at"])
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    expect(page.locator("#waiting")).to_be_visible()
    expect(page.locator("#start-form")).to_be_hidden()
    countdown = page.locator("[data-countdown]")
    first = countdown.inner_text()
    assert re.fullmatch(r"00:(0\d|1[0-2])", first)
    expect(countdown).not_to_have_text(first, timeout=5000)  # it counts down
    assert countdown.inner_text() < first
    screenshot(page, "exam-waiting.png")
    page.wait_for_selector("#start-form button", state="visible", timeout=25000)
    expect(page.locator("#waiting")).to_be_hidden()
    page.click("#start-form button")
    page.wait_for_url(re.compile(r"/exams/attempt/\d+/$"))
    attempt = Attempt.objects.get(officer=people["officer"].officer, exam=exam)
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_answers_given_offline_are_kept_in_the_browser_and_sent_later(
        page, live_server, people, exam, redis_conn):
    sign_in(page, live_server, "officer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.click("form[action$='/begin/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/exams/attempt/\d+/$"))
    page.route("**/save/", lambda route: route.abort())  # the network drops
    page.check("#q-1 input[value=B]")
    page.wait_for_selector("#save-state.bad")
    stored = page.evaluate("Object.keys(localStorage)")
    assert any(key.startswith("lianbing-attempt-") for key in stored)
    page.unroute("**/save/")
    page.reload()  # a crash and a reload: the unacknowledged answer is re-sent
    wait_saved(page)
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    assert attempt.items.get(position=1).answer == "B"


def begin_exam(page, live_server, exam):
    sign_in(page, live_server, "officer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"{live_server.url}/exams/{exam.pk}/")
    page.click("form[action$='/begin/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/exams/attempt/\d+/$"))


def attempt_keys(page):
    return [key for key in page.evaluate("Object.keys(localStorage)")
            if key.startswith("lianbing-attempt-")]


def test_answers_not_yet_saved_go_with_the_submission(page, live_server, people, exam,
                                                     redis_conn):
    begin_exam(page, live_server, exam)
    page.route("**/save/", lambda route: route.abort())  # saves fail and wait to be retried
    page.check("#q-1 input[value=B]")
    page.wait_for_selector("#save-state.bad")
    page.click("#next")
    page.check("#q-2 input[value=true]")
    page.click("#next")
    page.fill("#q-3 input[data-answer]", "罚款")  # typed, and submitted within the 0.8 s
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#submit-form button")
    page.wait_for_url(re.compile(r"/result/$"))
    expect(page.locator("#score")).to_have_text("100")
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    assert [item.answer for item in attempt.items.order_by("position")] == ["B", True, ["罚款"]]
    assert attempt_keys(page) == []  # the result page forgets the browser's copy


def test_at_time_up_the_page_submits_with_what_was_just_typed(page, live_server, people, exam,
                                                             redis_conn):
    begin_exam(page, live_server, exam)
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + dt.timedelta(seconds=6))
    page.reload()
    page.route("**/save/", lambda route: route.abort())  # only the submission gets through
    page.click("[data-goto='3']")
    page.fill("#q-3 input[data-answer]", "罚款")
    expect(page.locator("#q-3 input[data-answer]")).to_be_disabled(timeout=15000)  # time up
    page.wait_for_url(re.compile(r"/result/$"), timeout=20000)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED and attempt.score == Decimal("30")
