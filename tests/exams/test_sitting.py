"""Sitting an exam, end to end against PostgreSQL: start, save, resume, submit, time-outs."""
import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from exams import sitting
from exams.models import (Attempt, AttemptEvent, AttemptStatus, BlueprintRule, Exam, ExamOverride,
                          ExamStatus, Layout, Paper, PaperKind, QuestionType, SubmitReason)

from .factories import category, question


@pytest.fixture
def exam(db, org):
    cat = category("通用法律/行政处罚法")
    for i in range(6):
        question(stem=f"单选题{i}", cat=cat, correct=("B",), points="10")
    for i in range(4):
        question(QuestionType.TRUE_FALSE, stem=f"判断题{i}", cat=cat, answer_bool=True, points="10")
    paper = Paper.objects.create(title="十一月月考", kind=PaperKind.BLUEPRINT,
                                 shuffle_questions=False, shuffle_options=False)
    BlueprintRule.objects.create(paper=paper, category=cat, qtype=QuestionType.SINGLE, count=5,
                                 points=Decimal("10"))
    BlueprintRule.objects.create(paper=paper, category=cat, qtype=QuestionType.TRUE_FALSE,
                                 count=3, points=Decimal("10"))
    now = timezone.now()
    exam = Exam.objects.create(title="2026年11月学法考试", paper=paper, status=ExamStatus.PUBLISHED,
                               opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=3), duration_minutes=60,
                               layout=Layout.ALL_ON_ONE, review_from="on_submit")
    exam.eligible_units.add(org.east)
    return exam


def items_by_type(attempt):
    return {qtype: [i for i in attempt.items.select_related("version") if i.version.qtype == qtype]
            for qtype in ("single", "true_false")}


def begin(client, attempt, **extra):
    return client.post(reverse("exams:attempt_begin", args=[attempt.pk]), extra)


def save(client, attempt, position, answer, flagged=None):
    return client.post(reverse("exams:attempt_save", args=[attempt.pk]),
                       json.dumps({"position": position, "answer": answer, "flagged": flagged}),
                       content_type="application/json")


def test_drawing_ahead_of_the_window_gives_every_eligible_officer_a_paper(exam, people, org):
    drawn = sitting.draw_for_exam(exam)
    eligible = set(sitting.eligible_officers(exam).values_list("pk", flat=True))
    assert drawn == len(eligible) == 2  # officer and manager sit in the east subtree
    assert set(Attempt.objects.values_list("officer_id", flat=True)) == eligible
    assert sitting.draw_for_exam(exam) == 0  # idempotent
    attempt = Attempt.objects.first()
    assert attempt.items.count() == 8 and attempt.max_score == Decimal("80")


def test_start_save_resume_and_submit(exam, people, client_for):
    client = client_for(people["officer"])
    page = client.get(reverse("exams:exam_start", args=[exam.pk])).content.decode()
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    assert reverse("exams:attempt_begin", args=[attempt.pk]) in page
    response = begin(client, attempt)
    assert response.status_code == 302 and "lb_device" in response.cookies
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.deadline == attempt.started_at + dt.timedelta(minutes=60)

    kinds = items_by_type(attempt)
    for item in kinds["single"]:
        reply = save(client, attempt, item.position, "B")
        assert reply.status_code == 200 and reply.json()["ok"]
        assert 3500 < reply.json()["remaining"] <= 3600
    save(client, attempt, kinds["true_false"][0].position, True, flagged=True)
    save(client, attempt, kinds["true_false"][1].position, False)

    # A reload (or another visit) shows the saved answers exactly as they were.
    page = client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert page.count('value="B" data-answer  checked') + page.count(
        'value="B" data-answer checked') >= 1
    first = attempt.items.get(position=kinds["true_false"][0].position)
    assert first.answer is True and first.flagged and first.saved_ip == "127.0.0.1"

    response = client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED
    assert attempt.score == Decimal("60.00") and attempt.passed  # 5×10 + one right T/F
    assert attempt.submit_reason == SubmitReason.OFFICER
    result = client.get(reverse("exams:attempt_result", args=[attempt.pk])).content.decode()
    assert '<div class="value" id="score">60</div>' in result


def test_a_second_submit_changes_nothing(exam, people, client_for):
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    submitted_at = attempt.submitted_at
    client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.submitted_at == submitted_at
    assert attempt.events.filter(kind=AttemptEvent.Kind.SUBMIT).count() == 1


def sit(client_for, people, exam):
    """The officer opens the exam and begins: return their client and attempt."""
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    return client, attempt


def submit_with(client, attempt, answers):
    raw = answers if isinstance(answers, str) else json.dumps(answers)
    return client.post(reverse("exams:attempt_submit", args=[attempt.pk]), {"answers": raw})


def test_answers_not_yet_acknowledged_are_saved_with_the_submission(exam, people, client_for):
    client, attempt = sit(client_for, people, exam)
    kinds = items_by_type(attempt)
    singles = [item.position for item in kinds["single"]]
    save(client, attempt, singles[0], "B")
    # The page's last answers never reached the server before the button was pressed.
    response = submit_with(client, attempt, {
        str(singles[1]): {"answer": "B", "flagged": True},
        str(singles[2]): {"answer": "A", "flagged": None},
        str(kinds["true_false"][0].position): {"answer": True, "flagged": None},
        "999": {"answer": "B", "flagged": None},  # no such question: left out
        str(singles[3]): {"answer": {"not": "an answer"}, "flagged": None},  # refused shape
        "x": {"answer": "B"},
    })
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED
    assert attempt.score == Decimal("30.00")  # two right singles and one right T/F
    second = attempt.items.get(position=singles[1])
    assert second.answer == "B" and second.flagged and second.saved_ip == "127.0.0.1"
    assert attempt.items.get(position=singles[3]).answer is None


def test_a_submission_with_unreadable_answers_is_still_a_submission(exam, people, client_for):
    client, attempt = sit(client_for, people, exam)
    for answers in ("{not json", "[1, 2]"):
        submit_with(client, attempt, answers)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED and attempt.score == 0


def test_answers_sent_with_a_late_submission_are_refused_like_late_saves(exam, people,
                                                                          client_for):
    client, attempt = sit(client_for, people, exam)
    position = items_by_type(attempt)["single"][0].position
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - sitting.GRACE - dt.timedelta(seconds=1))
    submit_with(client, attempt, {str(position): {"answer": "B", "flagged": None}})
    attempt.refresh_from_db()
    assert attempt.items.get(position=position).answer is None and attempt.score == 0
    assert attempt.events.filter(kind=AttemptEvent.Kind.LATE_SAVE).exists()


def test_answers_sent_with_a_submission_from_another_device_are_refused(exam, people,
                                                                        client_for):
    client, attempt = sit(client_for, people, exam)
    position = items_by_type(attempt)["single"][0].position
    client.cookies["lb_device"] = "another-browser"
    submit_with(client, attempt, {str(position): {"answer": "B", "flagged": None}})
    assert attempt.items.get(position=position).answer is None


def test_saves_after_the_deadline_are_refused(exam, people, client_for):
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    position = attempt.items.first().position
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - sitting.GRACE - dt.timedelta(seconds=1))
    reply = save(client, attempt, position, "B")
    assert reply.status_code == 409 and reply.json()["code"] == "too_late"
    assert attempt.items.get(position=position).answer is None
    assert attempt.events.filter(kind=AttemptEvent.Kind.LATE_SAVE).exists()


def test_a_save_within_the_grace_after_the_deadline_is_kept(exam, people, client_for):
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=3))
    reply = save(client, attempt, 1, "B")
    assert reply.status_code == 200 and reply.json()["remaining"] == 0


def test_two_tabs_saving_the_same_answer_last_write_wins(exam, people, client_for):
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    # Both tabs share the browser's device cookie, so both may save.
    for answer in ("A", "C", "B"):
        assert save(client, attempt, 1, answer).status_code == 200
    assert attempt.items.get(position=1).answer == "B"


def test_another_officer_cannot_read_or_write_my_attempt(exam, people, client_for):
    mine = client_for(people["officer"])
    mine.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(mine, attempt)
    intruder = client_for(people["manager"])
    assert intruder.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 404
    assert save(intruder, attempt, 1, "B").status_code == 404
    assert intruder.post(reverse("exams:attempt_submit", args=[attempt.pk])).status_code == 404
    assert intruder.get(reverse("exams:attempt_result", args=[attempt.pk])).status_code == 404
    assert attempt.items.get(position=1).answer is None


def test_a_second_device_takes_over_when_allowed_and_the_first_stops_saving(
        exam, people, client, django_user_model):
    from django.test import Client

    first, second = Client(), Client()
    for c in (first, second):
        c.force_login(people["officer"])
    first.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(first, attempt)
    assert save(first, attempt, 1, "A").status_code == 200
    page = begin(second, attempt)
    assert 'name="take_over"' in page.content.decode()
    assert begin(second, attempt, take_over="1").status_code == 302
    assert save(second, attempt, 1, "B").status_code == 200
    refused = save(first, attempt, 1, "C")
    assert refused.status_code == 409 and refused.json()["code"] == "other_device"
    assert attempt.items.get(position=1).answer == "B"
    assert attempt.events.filter(kind=AttemptEvent.Kind.TAKEOVER).count() == 1


def test_takeover_is_refused_when_the_organizer_forbids_it(exam, people):
    from django.test import Client

    exam.allow_takeover = False
    exam.save()
    first, second = Client(), Client()
    for c in (first, second):
        c.force_login(people["officer"])
    first.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(first, attempt)
    response = begin(second, attempt, take_over="1")
    assert response.status_code == 409
    assert attempt.events.filter(kind=AttemptEvent.Kind.REFUSED).count() == 1
    assert save(first, attempt, 1, "B").status_code == 200


def test_extra_time_from_an_accommodation_and_an_override(exam, people, client_for):
    officer = people["officer"].officer
    officer.extra_time_percent = 25
    officer.save()
    ExamOverride.objects.create(exam=exam, officer=officer, extra_minutes=10)
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=officer)
    begin(client, attempt)
    attempt.refresh_from_db()
    assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=60 * 1.25 + 10)


def test_the_deadline_never_passes_the_window_close(exam, people, client_for):
    exam.closes_at = timezone.now() + dt.timedelta(minutes=20)
    exam.save()
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    attempt.refresh_from_db()
    assert attempt.deadline == exam.closes_at


def test_a_late_added_officer_gets_a_paper_drawn_on_demand(exam, people, org, client_for):
    sitting.draw_for_exam(exam)
    late = org.person("late", org.east2, name="新同事")
    client = client_for(late)
    assert client.get(reverse("exams:exam_start", args=[exam.pk])).status_code == 200
    assert Attempt.objects.filter(officer=late.officer).count() == 1


def test_an_ineligible_officer_cannot_open_the_exam(exam, people, client_for):
    assert client_for(people["judge"]).get(
        reverse("exams:exam_start", args=[exam.pk])).status_code == 404


def test_focus_losses_are_recorded_and_can_submit(exam, people, client_for):
    exam.focus_loss_limit = 2
    exam.save()
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    url = reverse("exams:attempt_event", args=[attempt.pk])
    assert client.post(url).json()["submitted"] is False
    assert client.post(url).json()["submitted"] is True
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKED and attempt.submit_reason == SubmitReason.FOCUS
    assert attempt.events.filter(kind=AttemptEvent.Kind.FOCUS_LOSS).count() == 2


def test_the_key_never_reaches_the_browser_before_review(exam, people, client_for):
    exam.review_from = "after_close"
    exam.save()
    client = client_for(people["officer"])
    start = client.get(reverse("exams:exam_start", args=[exam.pk])).content.decode()
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    pages = [start, client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode(),
             save(client, attempt, 1, "A").content.decode()]
    client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    pages.append(client.get(reverse("exams:attempt_result", args=[attempt.pk])).content.decode())
    pages.append(client.get(reverse("exams:my_exams")).content.decode())
    for page in pages:
        for secret in ('"correct"', "fraction", "answer_bool", "explanation", "正确答案", "参考答案"):
            assert secret not in page


def test_saving_uses_a_bounded_number_of_queries(exam, people, client_for,
                                                 django_assert_max_num_queries):
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    # One UPDATE that checks the attempt, the deadline, the device and the user's row; the
    # session comes from Redis (ops/sessions.py) and the user is never loaded.
    with django_assert_max_num_queries(1):
        assert save(client, attempt, 2, "B").status_code == 200
    with django_assert_max_num_queries(1):
        assert save(client, attempt, 2, None, flagged=True).status_code == 200
    item = attempt.items.get(position=2)
    assert item.answer is None and item.flagged  # a cleared answer is SQL NULL, as the ORM writes
    assert attempt.items.filter(position=2, answer__isnull=True).exists()


def test_the_exam_page_query_count_does_not_grow_with_questions(
        exam, people, client_for, django_assert_max_num_queries):
    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 200


def test_saves_check_the_sign_in_like_every_page(exam, people, client_for,
                                                 django_assert_max_num_queries):
    """The save path never loads the user, yet a password change or a deactivated account
    ends the session for saves as it does for pages (security/session_auth.py)."""
    from security.session_auth import FINGERPRINT_KEY

    client = client_for(people["officer"])
    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.get(officer=people["officer"].officer)
    begin(client, attempt)
    # A session from before the fingerprint existed: checked in full once, then remembered.
    session = client.session
    del session[FINGERPRINT_KEY]
    session.save()
    assert save(client, attempt, 1, "A").status_code == 200
    assert client.session[FINGERPRINT_KEY]
    with django_assert_max_num_queries(1):
        assert save(client, attempt, 1, "B").status_code == 200

    user = people["officer"]
    user.set_password("a-new-Passw0rd")  # changed elsewhere, e.g. by an administrator
    user.save()
    refused = save(client, attempt, 1, "C")
    assert refused.status_code == 401
    assert refused.json()["code"] == "signed_out" and "重新登录" in refused.json()["error"]
    assert attempt.items.get(position=1).answer == "B"
    assert client.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 302  # signed out
    form_post = client.post(reverse("exams:attempt_save", args=[attempt.pk]), {"position": 1})
    assert form_post.status_code == 302 and "/accounts/login/" in form_post.url

    client = client_for(user)  # signs in again: saves work again
    assert save(client, attempt, 1, "C").status_code == 200
    user.is_active = False
    user.save()
    assert save(client, attempt, 1, "D").status_code == 401
    assert attempt.items.get(position=1).answer == "C"


def test_an_eligible_officer_without_a_drawn_paper_waits_too(exam, people, client_for):
    """A paper not drawn ahead (a qualification exam, an officer added late) is drawn when
    the officer opens the start page before the opening; others still get a 404."""
    exam.opens_at = timezone.now() + dt.timedelta(days=1)
    exam.save(update_fields=["opens_at"])
    start_url = reverse("exams:exam_start", args=[exam.pk])
    page = client_for(people["officer"]).get(start_url).content.decode()
    assert 'id="waiting"' in page and re.search(r'id="start-form" hidden>', page)
    attempt = Attempt.objects.get(exam=exam, officer=people["officer"].officer)
    assert attempt.status == AttemptStatus.READY and attempt.items.count() == 8
    assert client_for(people["judge"]).get(start_url).status_code == 404  # not eligible


def test_before_the_opening_the_start_page_is_a_waiting_room(exam, people, client_for):
    """Officers sign in early and wait on the start page: it counts down with the server's
    seconds and holds the start button (hidden) for the page's script to show at the
    opening; once the window has closed an unstarted attempt offers no start."""
    sitting.draw_for_exam(exam)
    exam.opens_at = timezone.now() + dt.timedelta(minutes=5, seconds=30)
    exam.save(update_fields=["opens_at"])
    client = client_for(people["officer"])
    start_url = reverse("exams:exam_start", args=[exam.pk])
    mine = client.get(reverse("exams:my_exams")).content.decode()
    assert f'href="{start_url}"' in mine  # upcoming, linked to the waiting room
    response = client.get(start_url)
    assert "no-store" in response["Cache-Control"]  # a stale countdown never comes back
    page = response.content.decode()
    waiting = re.search(r'id="waiting" data-opens-in="(\d+)"', page)
    assert waiting and 325 <= int(waiting.group(1)) <= 330
    assert re.search(r"<strong data-countdown>05:(2\d|30)</strong>", page)
    assert re.search(r'id="start-form" hidden>', page)
    assert "exams/start.js" in page
    attempt = Attempt.objects.get(exam=exam, officer=people["officer"].officer)
    assert begin(client, attempt).status_code == 409  # the server refuses an early start

    exam.opens_at = timezone.now() + dt.timedelta(days=2)  # far ahead: the date, no count
    exam.save(update_fields=["opens_at"])
    page = client.get(start_url).content.decode()
    assert 'id="waiting"' in page and "data-countdown" not in page
    assert timezone.localtime(exam.opens_at).strftime("%Y-%m-%d %H:%M") in page

    exam.opens_at = timezone.now() - dt.timedelta(hours=2)
    exam.save(update_fields=["opens_at"])
    page = client.get(reverse("exams:exam_start", args=[exam.pk])).content.decode()
    assert 'id="waiting"' not in page and "start.js" not in page
    assert re.search(r'id="start-form">', page)

    exam.closes_at = timezone.now() - dt.timedelta(minutes=1)
    exam.save(update_fields=["closes_at"])
    page = client.get(reverse("exams:exam_start", args=[exam.pk]))
    assert 'id="start-form"' not in page.content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext("This exam is not open now.") in page.content.decode()


def test_the_countdown_reads_like_a_clock():
    from exams.views.taking import countdown

    assert countdown(0) == "00:00" and countdown(-5) == "00:00"
    assert countdown(75) == "01:15"
    assert countdown(3600 + 62) == "1:01:02"


def test_the_review_numbers_questions_and_shows_the_papers_points_and_the_answer_given(
        exam, people, client_for):
    client, attempt = sit(client_for, people, exam)
    kinds = items_by_type(attempt)
    first, second = kinds["single"][:2]
    first.points = Decimal("25")  # the paper's points, not the bank's 10
    first.save(update_fields=["points"])
    save(client, attempt, first.position, "B")
    save(client, attempt, kinds["true_false"][0].position, False)
    client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    page = client.get(reverse("exams:attempt_result", args=[attempt.pk])).content.decode()
    first_card = page.split(f'id="q-{first.position}"')[1].split('class="review card"')[1]
    head = page.split(f'id="q-{first.position}"')[1].split("</header>")[0]
    assert f'<span class="question-number">{first.position}</span>' in head
    assert "25 分" in head
    assert re.search(r"得分：</strong> 25 / 25", first_card)
    assert re.search(r"你的答案：</strong> B", first_card)
    second_card = page.split(f'id="q-{second.position}"')[1].split('class="review card"')[1]
    assert re.search(r"你的答案：</strong> 未作答", second_card)
    tf = page.split(f'id="q-{kinds["true_false"][0].position}"')[1].split('class="review card"')[1]
    assert re.search(r"你的答案：</strong> 错误", tf)
