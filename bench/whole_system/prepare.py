"""
Inside Django: the whole-system bench's data besides the exam (which exam_day.prepare
builds), and the checks afterwards.

    python -m whole_system.prepare build --officers 5000 --months 12 --entries 40 \
        --judges 5 --rounds 3 --out whole.json
    python -m whole_system.prepare verify --plan whole.json --marks marks.json

build: the managers' bench city (bench/managers/run.py's generate(): a corps with 80
squads, officers, monthly exams, study records, training, certificates) so that the corps
manager's export is real work; the manager's password; a contest in marking with --entries
entries from that city, one rubric-judged practical event per round (a submitted mark is
locked, so a judge who finishes a round goes on to the next one) and --judges judges
assigned to every round.

verify: every mark the judges submitted over HTTP is in the database, submitted, with the
points and measures sent; the contest's submitted marks are counted; every job record
(exports, and anything else the workers ran) is summarised with its queue wait and run time.

Run by bench/whole_system/run.py with PYTHONPATH=site:bench:. ; not part of the product.
"""
import argparse
import json
import sys
import time
from decimal import Decimal

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F, Value  # noqa: E402
from django.db.models.functions import Concat  # noqa: E402
from django.utils import timezone  # noqa: E402

from competitions.demo import PRACTICAL_DEFINITION  # noqa: E402
from competitions.models import (Contest, ContestStatus, Entry, EntryStatus, Event,  # noqa: E402
                                 EventKind, JudgeAssignment, Mark, MarkStatus, Rubric,
                                 Submission)
from exam_day.prepare import PASSWORD  # noqa: E402
from jobs.models import Job  # noqa: E402
from managers.run import generate  # noqa: E402
from people.models import Officer, Unit  # noqa: E402
from people.roles import Role  # noqa: E402

WORK_TEXT = ("网络案件电子数据固定操作记录：登录涉案网店后台，全程录屏，提取商品页面、交易记录和"
             "聊天记录，计算哈希校验值并记录，见证人签字确认。")


def build(args):
    t0 = time.monotonic()
    # exam_day.prepare numbers its officers' badges B000000… like the managers' city
    # does; badge numbers are unique, so the exam's officers take an E in front.
    Officer.objects.filter(unit__code="BENCH").update(
        badge_number=Concat(Value("E"), F("badge_number")))
    corps, _detachment, managers, data = generate(args.officers, args.months)
    print(f"managers' city in {time.monotonic() - t0:.1f} s", flush=True)

    User = get_user_model()
    hashed = make_password(PASSWORD)
    manager = managers["bench-corps"]
    manager.password = hashed
    manager.save(update_fields=["password"])

    groups = {role: Group.objects.get_or_create(name=role.value)[0]
              for role in (Role.OFFICER, Role.JUDGE)}
    squad = Unit.objects.filter(path__startswith=corps.path, numchild=0).order_by("-path").first()
    judges = []
    for n in range(1, args.judges + 1):
        user = User.objects.create(username=f"whole-judge{n}", password=hashed)
        user.groups.add(groups[Role.OFFICER], groups[Role.JUDGE])
        Officer.objects.create(user=user, unit=squad, name=f"评委{n}", badge_number=f"WJ{n:03d}")
        judges.append(user)

    today = timezone.localdate()
    with transaction.atomic():
        contest = Contest.objects.create(name=f"{today.year}年压力测试岗位技能竞赛",
                                         year=today.year, organizer_unit=corps,
                                         status=ContestStatus.MARKING)
        rubric = Rubric.objects.create(name="压力测试·网络案件电子数据固定评分标准",
                                       definition=PRACTICAL_DEFINITION)
        people = list(Officer.objects.filter(unit__path__startswith=corps.path)
                      .exclude(user__username__startswith="bench-")
                      .exclude(user__in=judges).order_by("pk"))
        step = max(1, len(people) // args.entries)
        chosen = people[::step][:args.entries]
        entries = Entry.objects.bulk_create([
            Entry(contest=contest, officer=o, unit=o.unit, status=EntryStatus.APPROVED)
            for o in chosen])
        rounds = []
        for r in range(1, args.rounds + 1):
            event = Event.objects.create(contest=contest, name=f"网络案件电子数据固定（第{r}轮）",
                                         kind=EventKind.PRACTICAL, sort_order=r,
                                         weight=Decimal("1"), rubric=rubric)
            Submission.objects.bulk_create([
                Submission(event=event, entry=e, text=f"{WORK_TEXT}（{e.blind_code}）",
                           submitted_at=timezone.now(), completion_seconds=1800)
                for e in entries])
            JudgeAssignment.objects.bulk_create([
                JudgeAssignment(event=event, judge=user, seat=f"J{n}", is_chief=n == 1)
                for n, user in enumerate(judges, start=1)])
            rounds.append({"event": event.pk, "codes": [e.blind_code for e in entries]})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    plan = {"password": PASSWORD,
            "manager": {"username": manager.username, "unit": corps.pk, "unit_name": corps.name},
            "judges": [u.username for u in judges], "contest": contest.pk, "rounds": rounds,
            "data": {**data, "officers": args.officers, "months": args.months,
                     "entries": len(entries), "judges": len(judges)}}
    with open(args.out, "w") as fh:
        json.dump(plan, fh)
    print(f"prepared in {time.monotonic() - t0:.1f} s", flush=True)


def verify(args):
    """Compare every mark acknowledged over HTTP with the database; summarise the jobs."""
    with open(args.plan) as fh:
        plan = json.load(fh)
    with open(args.marks) as fh:
        sent = json.load(fh)  # [{"event", "code", "judge", "level", "measures"}]
    stored = {}
    for event_id, code, judge, status, raw in Mark.objects.filter(
            submission__event__contest_id=plan["contest"]).values_list(
            "submission__event_id", "submission__entry__blind_code", "judge__username",
            "status", "raw"):
        stored[(event_id, code, judge)] = (status, raw)
    marks = {"compared": 0, "found": 0, "missing": 0, "different": 0, "examples": [],
             "submitted_in_db": sum(1 for status, _raw in stored.values()
                                    if status in (MarkStatus.SUBMITTED, MarkStatus.RELEASED))}
    for mark in sent:
        marks["compared"] += 1
        found = stored.get((mark["event"], mark["code"], mark["judge"]))
        if found is None:
            marks["missing"] += 1
            problem = "missing"
        else:
            status, raw = found
            same = (status in (MarkStatus.SUBMITTED, MarkStatus.RELEASED)
                    and str((raw.get("levels") or {}).get("capture")) == mark["level"]
                    and sorted(raw.get("measures_met") or []) == sorted(mark["measures"]))
            if same:
                marks["found"] += 1
                continue
            marks["different"] += 1
            problem = [status, raw]
        if len(marks["examples"]) < 5:
            marks["examples"].append([mark, problem])

    jobs = []
    for pk, kind, status, created, started, finished in Job.objects.values_list(
            "pk", "kind", "status", "created_at", "started_at", "finished_at"):
        jobs.append({"id": str(pk), "kind": kind, "status": status,
                     "wait_s": round((started - created).total_seconds(), 2) if started else None,
                     "run_s": (round((finished - started).total_seconds(), 2)
                               if started and finished else None)})
    print(json.dumps({"marks": marks, "jobs": jobs}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["build", "verify"])
    parser.add_argument("--officers", type=int, default=5000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--entries", type=int, default=40)
    parser.add_argument("--judges", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default="whole.json")
    parser.add_argument("--plan", default="whole.json")
    parser.add_argument("--marks", default="marks.json")
    args = parser.parse_args()
    {"build": build, "verify": verify}[args.command](args)
    sys.exit(0)
