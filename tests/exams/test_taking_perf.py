"""
The start path stays cheap (a thousand officers start in the same minute):

- every request on it (start page, begin, exam page, save) issues a bounded number of
  queries, the same for a 3-question paper as for a 40-question one;
- the exam page's questions, built in Python by exams/exam_page.py, are the same HTML as
  the template exams/includes/question.html gives, for every question type and state.
"""
import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams import exam_page
from exams.blocks import stem_from_html
from exams.models import (Attempt, AttemptStatus, BlueprintRule, Exam, ExamStatus, Layout, Paper,
                          PaperKind, QuestionType)
from exams.rendering import officer_view

from .factories import category, question

# Queries per request, whatever the number of questions. The session is read from Redis
# (ops/sessions.py); the user (authentication) and, on pages, the roles read by base.html
# (one query, people/roles.py) are not the exam's own. The start page reads the attempts
# with their question count; begin reads the attempt (with whether an override exists),
# starts it and logs the start; the exam page reads the attempt and its items. The save
# is one UPDATE that checks the attempt, its deadline and device and the user's row
# (exams/sitting.py).
BOUNDS = {"start page": 3, "begin": 4, "exam page": 4, "save": 1}


def make_exam(org, title, singles, true_false, shuffle=True):
    cat = category(f"测试/{title}")
    for i in range(singles):
        question(stem=f"{title}单选题{i}", cat=cat, correct=("B",), points="5")
    for i in range(true_false):
        question(QuestionType.TRUE_FALSE, stem=f"{title}判断题{i}", cat=cat, answer_bool=True,
                 points="5")
    paper = Paper.objects.create(title=title, kind=PaperKind.BLUEPRINT,
                                 shuffle_questions=shuffle, shuffle_options=shuffle)
    BlueprintRule.objects.create(paper=paper, category=cat, qtype=QuestionType.SINGLE,
                                 count=singles, points=Decimal("5"))
    BlueprintRule.objects.create(paper=paper, category=cat, qtype=QuestionType.TRUE_FALSE,
                                 count=true_false, points=Decimal("5"))
    now = timezone.now()
    exam = Exam.objects.create(title=title, paper=paper, status=ExamStatus.PUBLISHED,
                               opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=1), duration_minutes=60,
                               layout=Layout.ALL_ON_ONE, review_from="on_submit")
    exam.eligible_units.add(org.east)
    from exams import sitting

    sitting.draw_for_exam(exam)  # as the publish job does, ahead of the window
    return exam


def start_path(client, exam, officer, check=None):
    """Walk start page → begin → exam page → save; return the query count of each."""
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    steps = [
        ("start page", lambda: client.get(reverse("exams:exam_start", args=[exam.pk])), 200),
        ("begin", lambda: client.post(reverse("exams:attempt_begin", args=[attempt.pk])), 302),
        ("exam page", lambda: client.get(reverse("exams:attempt", args=[attempt.pk])), 200),
        ("save", lambda: client.post(
            reverse("exams:attempt_save", args=[attempt.pk]),
            json.dumps({"position": 2, "answer": "B", "flagged": True}),
            content_type="application/json"), 200),
    ]
    counts = {}
    for name, request, status in steps:
        with CaptureQueriesContext(connection) as ctx:
            if check:
                with check(BOUNDS[name]):
                    response = request()
            else:
                response = request()
        assert response.status_code == status, (name, response.content[:300])
        counts[name] = len(ctx.captured_queries)
    return counts


def test_the_start_path_uses_bounded_queries_independent_of_the_paper_size(
        org, people, client_for, django_assert_max_num_queries):
    small = make_exam(org, "小卷", singles=2, true_false=1)
    large = make_exam(org, "大卷", singles=25, true_false=15)
    officer = people["officer"].officer
    client = client_for(people["officer"])
    few = start_path(client, small, officer, django_assert_max_num_queries)
    many = start_path(client, large, officer, django_assert_max_num_queries)
    assert few == many
    attempt = Attempt.objects.get(exam=large, officer=officer)
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.items.get(position=2).answer == "B"


def test_an_override_is_read_only_when_there_is_one(org, people, client_for,
                                                     django_assert_max_num_queries):
    from exams.models import ExamOverride

    exam = make_exam(org, "补时", singles=2, true_false=1)
    officer = people["officer"].officer
    ExamOverride.objects.create(exam=exam, officer=officer, extra_minutes=30)
    client = client_for(people["officer"])
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    with django_assert_max_num_queries(BOUNDS["start page"] + 1):
        page = client.get(reverse("exams:exam_start", args=[exam.pk]))
    assert page.context["minutes"] == 90
    with django_assert_max_num_queries(BOUNDS["begin"] + 1):
        client.post(reverse("exams:attempt_begin", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=90)


def test_resuming_reads_no_more_than_starting(org, people, client_for,
                                              django_assert_max_num_queries):
    exam = make_exam(org, "续考", singles=3, true_false=2, shuffle=False)  # 2 is single choice
    client = client_for(people["officer"])
    start_path(client, exam, people["officer"].officer)
    attempt = Attempt.objects.get(exam=exam, officer=people["officer"].officer)
    with django_assert_max_num_queries(BOUNDS["begin"] - 2):  # no update, no event, no job
        response = client.post(reverse("exams:attempt_begin", args=[attempt.pk]))
    assert response.status_code == 302
    with django_assert_max_num_queries(BOUNDS["exam page"]):
        page = client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert 'name="q-2" value="B" data-answer checked' in page
    assert 'data-flag checked' in page


# --- the exam page's HTML is the template's HTML ---------------------------------------

def normalized(html):
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


def template_html(item, number):
    """The question as the exam page rendered it through question.html before."""
    data = item.version.data
    is_case = data["qtype"] == QuestionType.CASE_ANALYSIS
    view = officer_view(data, number=None if is_case else number,
                        option_order=item.option_order, answer=item.answer)
    view.update(position=item.position, flagged=item.flagged, is_case=is_case,
                points=item.points, in_case=item.parent_id is not None)
    return render_to_string("exams/includes/question.html", {"q": view})


class FakeItem:
    def __init__(self, version, position, answer=None, flagged=False, option_order=(),
                 points="5", parent_id=None):
        self.version, self.position, self.answer, self.flagged = version, position, answer, flagged
        self.option_order, self.points = list(option_order), Decimal(points)
        self.parent_id = parent_id

    def fast(self):
        data = self.version.data
        return exam_page.Item(self.position, self.version.pk, self.parent_id, self.points,
                              self.option_order, self.answer, self.flagged, qtype=data["qtype"],
                              stem=data["stem"], options=data["options"], blanks=data["blanks"])


def cases(db):
    cat = category("测试/渲染")
    single = question(stem="罚款<的>\"种类\" & 其他", cat=cat,
                      options=["警告", "<b>罚款</b>", "行政拘留 & 记过", "\"没收\""])
    multiple = question(QuestionType.MULTIPLE, stem="多选题", cat=cat, correct=("A", "C"))
    true_false = question(QuestionType.TRUE_FALSE, stem="判断题", cat=cat, answer_bool=True)
    blanks = question(QuestionType.FILL_BLANK, stem="填空题 ____ 和 ____", cat=cat,
                      blanks="警告\n罚款/罚金")
    short = question(QuestionType.SHORT_ANSWER, stem="简答题", cat=cat, reference_answer="参考")
    case = question(QuestionType.CASE_ANALYSIS, stem="案例：某某", cat=cat)
    child = question(stem="案例小题", cat=cat, parent=case, position=1)
    v = {name: q.current_version for name, q in [
        ("single", single), ("multiple", multiple), ("tf", true_false), ("blanks", blanks),
        ("short", short), ("case", case), ("child", child)]}
    return [
        FakeItem(v["single"], 1),
        FakeItem(v["single"], 2, answer="C", flagged=True, option_order=["D", "C", "A", "B"],
                 points="2.50"),
        FakeItem(v["single"], 3, answer="A#17"),  # any string is stored for any type
        FakeItem(v["multiple"], 4, answer=["A", "D"], option_order=["B", "A", "D", "C"]),
        FakeItem(v["multiple"], 5, answer="AC"),  # the template's `in` on a string
        FakeItem(v["multiple"], 6, answer=None),
        FakeItem(v["tf"], 7, answer=True),
        FakeItem(v["tf"], 8, answer=False, flagged=True),
        FakeItem(v["tf"], 9, answer="true"),
        FakeItem(v["blanks"], 10, answer=["<警告>", "\"罚款\""]),
        FakeItem(v["blanks"], 11, answer=["只有一个"]),
        FakeItem(v["blanks"], 12, answer="不是列表"),
        FakeItem(v["short"], 13, answer="<script>alert(1)</script> & \"引号\"\n第二行"),
        FakeItem(v["short"], 14),
        FakeItem(v["case"], 15, points="0"),
        FakeItem(v["child"], 16, answer="B", parent_id=15),
    ]


@pytest.mark.django_db
def test_the_exam_page_html_is_the_question_template_html(db):
    items = cases(db)
    texts = exam_page._texts()
    number = 0
    for item in items:
        if item.version.data["qtype"] != QuestionType.CASE_ANALYSIS:
            number += 1
        is_case = item.version.data["qtype"] == QuestionType.CASE_ANALYSIS
        fast = exam_page.question_html(item.fast(), None if is_case else number, texts)
        assert normalized(fast) == normalized(template_html(item, number)), item.position
    paper = exam_page.render([item.fast() for item in items])
    assert paper.total == 15 and paper.answered == 12
    assert paper.nav.count('class="nav-q"') == 15
    assert "<script>alert" not in paper.questions and "&lt;script&gt;" in paper.questions


@pytest.mark.django_db
def test_the_exam_page_html_is_the_template_html_in_english_too(db, settings):
    from django.utils import translation

    items = cases(db)[:3]
    with translation.override("en"):
        texts = exam_page._texts()
        for number, item in enumerate(items, start=1):
            assert normalized(exam_page.question_html(item.fast(), number, texts)) == \
                normalized(template_html(item, number))


def test_a_stem_is_never_served_from_the_cache_once_it_changed():
    first = stem_from_html("<p>第一版</p>")
    second = stem_from_html("<p>第二版</p>")
    assert "第一版" in exam_page.stem_html(10 ** 9, first)
    assert "第二版" in exam_page.stem_html(10 ** 9, second)
    assert exam_page.stem_html(10 ** 9, second) is exam_page.stem_html(10 ** 9, second)


def test_the_exam_page_never_loads_the_key_into_the_page(org, people, client_for):
    exam = make_exam(org, "无答案", singles=3, true_false=2)
    client = client_for(people["officer"])
    start_path(client, exam, people["officer"].officer)
    attempt = Attempt.objects.get(exam=exam, officer=people["officer"].officer)
    items = exam_page.load_items(attempt)
    assert len(items) == 5
    page = client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    for secret in ('"correct"', "fraction", "answer_bool", "explanation"):
        assert secret not in page


# --- sign-in: the password hasher ---------------------------------------------------------

def test_passwords_use_argon2id_at_owasp_minimum_and_old_pbkdf2_hashes_still_work(
        settings, people):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password

    from config import settings as product

    settings.PASSWORD_HASHERS = product.PASSWORD_HASHERS  # tests otherwise use MD5 for speed
    assert make_password("Exam-day-2026!").startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    user = people["officer"]
    user.password = PBKDF2PasswordHasher().encode("Exam-day-2026!", "somesaltsalt1234")
    user.save(update_fields=["password"])
    assert check_password("Exam-day-2026!", user.password, setter=user.set_password)
    user.save(update_fields=["password"])
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")  # upgraded at sign-in
    assert user.check_password("Exam-day-2026!") and not user.check_password("wrong-2026!")
