"""
Inside Django (exam_day.settings): build the bench data set, and check answers afterwards.

    python -m exam_day.prepare build --officers 3000 --levels 1000,2000,3000 --out plan.json
    python -m exam_day.prepare verify --plan plan.json --acks acks.json
    python -m exam_day.prepare queries --plan plan.json   # the queries one save issues

Run by bench/exam_day/run.py with PYTHONPATH=site:bench:. ; not part of the product.
"""
import argparse
import datetime as dt
import json
import secrets
import sys
import time
from decimal import Decimal

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from exams import sitting  # noqa: E402
from exams.blocks import stem_from_html  # noqa: E402
from exams.models import (AttemptItem, BlueprintRule, Category, Exam, ExamStatus,  # noqa: E402
                          Layout, Paper, PaperKind, Question, QuestionOption, QuestionStatus,
                          QuestionType)
from exams.versions import sync_version  # noqa: E402
from people.models import Officer, Unit, UnitLevel  # noqa: E402
from people.roles import Role  # noqa: E402

PASSWORD = "Bench-password-2026"
HAMMER_OFFICERS = 200


def question(qtype, stem, cat, correct="B", answer_bool=None):
    q = Question.objects.create(qtype=qtype, category=cat, stem=stem_from_html(f"<p>{stem}</p>"),
                                difficulty=3, points=Decimal("5"), status=QuestionStatus.ACTIVE,
                                answer_bool=answer_bool)
    if qtype == QuestionType.SINGLE:
        for index, text in enumerate(["警告", "罚款", "行政拘留", "记过"]):
            QuestionOption.objects.create(question=q, text=text, sort_order=index,
                                          is_correct=chr(65 + index) == correct)
    sync_version(q)
    return q


def make_exam(title, paper, officer_ids):
    now = timezone.now()
    exam = Exam.objects.create(title=title, paper=paper, status=ExamStatus.PUBLISHED,
                               opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=1), duration_minutes=120,
                               layout=Layout.ALL_ON_ONE, review_from="on_submit")
    exam.eligible_officers.add(*officer_ids)
    started = time.monotonic()
    drawn = sitting.draw_for_exam(exam)  # as the publish job does
    took = time.monotonic() - started
    print(f"  {title}: drew {drawn} papers in {took:.1f} s", flush=True)
    items = {}
    for attempt_id, officer_id, position, qtype in AttemptItem.objects.filter(
            attempt__exam=exam).order_by("attempt_id", "position").values_list(
            "attempt_id", "attempt__officer_id", "position", "version__qtype"):
        entry = items.setdefault(officer_id, {"attempt": attempt_id, "qtypes": []})
        entry["qtypes"].append(qtype)
    return {"exam": exam.pk, "draw_seconds": round(took, 1), "by_officer": items}


def build(args):
    levels = [int(v) for v in args.levels.split(",")]
    total = max(levels + [HAMMER_OFFICERS])
    User = get_user_model()
    t0 = time.monotonic()
    root = Unit.add_root(code="BENCH", name="压力测试总队", level=UnitLevel.CORPS)
    group, _ = Group.objects.get_or_create(name=Role.OFFICER)
    hashed = make_password(PASSWORD)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"bench{i:05d}", password=hashed) for i in range(total)],
            batch_size=1000)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users],
            batch_size=1000)
        officers = Officer.objects.bulk_create(
            [Officer(user=u, unit=root, name=f"考生{i:05d}", badge_number=f"B{i:06d}")
             for i, u in enumerate(users)], batch_size=1000)
    print(f"{total} officers in {time.monotonic() - t0:.1f} s", flush=True)

    # Sessions made directly in the database, so the measured phases need no sign-in.
    store = SessionStore()
    expire = timezone.now() + dt.timedelta(hours=8)
    sessions = []
    for u in users:
        key = secrets.token_hex(16)
        data = store.encode({"_auth_user_id": str(u.pk),
                             "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                             "_auth_user_hash": u.get_session_auth_hash()})
        sessions.append(Session(session_key=key, session_data=data, expire_date=expire))
    Session.objects.bulk_create(sessions, batch_size=1000)

    cat = Category.get_or_create_path(["压力测试", "行政处罚法"])
    for i in range(40):
        question(QuestionType.SINGLE, f"单选题{i}：行政处罚的种类不包括哪一项？", cat,
                 correct="ABCD"[i % 4])
    for i in range(20):
        question(QuestionType.TRUE_FALSE, f"判断题{i}：行政处罚应当公开。", cat,
                 answer_bool=bool(i % 2))
    paper = Paper.objects.create(title="压力测试月考", kind=PaperKind.BLUEPRINT,
                                 shuffle_questions=True, shuffle_options=True)
    BlueprintRule.objects.create(paper=paper, category=cat, qtype=QuestionType.SINGLE,
                                 count=12, points=Decimal("5"))
    BlueprintRule.objects.create(paper=paper, category=cat, qtype=QuestionType.TRUE_FALSE,
                                 count=8, points=Decimal("5"))

    ids = [o.pk for o in officers]
    plan = {"password": PASSWORD,
            "officers": [{"id": o.pk, "username": u.username, "session": s.session_key}
                         for o, u, s in zip(officers, users, sessions)],
            "levels": {}}
    hammer = make_exam("压力测试-ceiling", paper, ids[:HAMMER_OFFICERS])
    from exams.models import Attempt
    for officer_id, entry in hammer["by_officer"].items():
        attempt = Attempt.objects.select_related("exam", "officer").get(pk=entry["attempt"])
        sitting.start(attempt, f"hammer-{officer_id}")
    plan["hammer"] = hammer
    # One exam for every level: officer i sits it at every level >= i. Between phases its
    # attempts are put back to "ready" (reset below) instead of drawing papers again
    # (drawing costs ~28 ms per paper on this machine).
    plan["exam"] = make_exam("压力测试-月考", paper, ids[:max(levels)])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    with open(args.out, "w") as fh:
        json.dump(plan, fh)
    print(f"prepared in {time.monotonic() - t0:.1f} s", flush=True)


def reset(args):
    """Put the exam's attempts back to ready with no answers (between phases)."""
    from exams.models import Attempt, AttemptEvent, AttemptStatus

    with open(args.plan) as fh:
        plan = json.load(fh)
    exam_id = plan["exam"]["exam"]
    with transaction.atomic():
        AttemptEvent.objects.filter(attempt__exam_id=exam_id).delete()
        AttemptItem.objects.filter(attempt__exam_id=exam_id).update(
            answer=None, answered_at=None, flagged=False, earned=None, needs_marking=False)
        Attempt.objects.filter(exam_id=exam_id).update(
            status=AttemptStatus.READY, started_at=None, deadline=None, device="",
            submitted_at=None, submit_reason="", score=None, passed=None, last_position=1,
            focus_losses=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE exams_attempt, exams_attemptitem")
    print("reset", exam_id)


def verify(args):
    """Compare every acknowledged answer with the database, exactly."""
    with open(args.acks) as fh:
        acks = json.load(fh)  # {attempt_id: {position: {"acked": value, "doubt": [values]}}}
    attempt_ids = [int(a) for a in acks]
    stored = {}
    for attempt_id, position, answer in AttemptItem.objects.filter(
            attempt_id__in=attempt_ids).values_list("attempt_id", "position", "answer"):
        stored[(attempt_id, position)] = answer
    result = {"compared": 0, "equal": 0, "lost": 0, "in_doubt": 0, "examples": []}
    for attempt_id, positions in acks.items():
        for position, state in positions.items():
            value = stored.get((int(attempt_id), int(position)), "<missing row>")
            result["compared"] += 1
            if value == state["acked"]:
                result["equal"] += 1
            elif value in state.get("doubt", []):
                result["in_doubt"] += 1  # a later save the client never heard back about
            else:
                result["lost"] += 1
                if len(result["examples"]) < 5:
                    result["examples"].append([attempt_id, position, state["acked"], value])
    print(json.dumps(result))


def queries(args):
    """Print the SQL one save request issues (through the full middleware stack)."""
    from django.db import reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with open(args.plan) as fh:
        plan = json.load(fh)
    officer = plan["officers"][0]
    entry = plan["hammer"]["by_officer"][str(officer["id"])]
    client = Client(HTTP_X_CSRFTOKEN="x" * 32, HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = officer["session"]
    client.cookies["lb_device"] = f"hammer-{officer['id']}"
    client.cookies["csrftoken"] = "x" * 32
    url = f"/exams/attempt/{entry['attempt']}/save/"
    body = json.dumps({"position": 1, "answer": "A", "flagged": None})
    client.post(url, body, content_type="application/json")  # warm (connection open)
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, body, content_type="application/json")
    print(json.dumps({"status": response.status_code,
                      "queries": [q["sql"][:1200] for q in ctx.captured_queries]}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["build", "verify", "queries", "reset"])
    parser.add_argument("--officers", type=int, default=3000)
    parser.add_argument("--levels", default="1000,2000,3000")
    parser.add_argument("--out", default="plan.json")
    parser.add_argument("--plan", default="plan.json")
    parser.add_argument("--acks", default="acks.json")
    args = parser.parse_args()
    {"build": build, "verify": verify, "queries": queries, "reset": reset}[args.command](args)
    sys.exit(0)
