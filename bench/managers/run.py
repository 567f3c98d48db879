"""
Managers' view: the dashboard and the full-city export against PostgreSQL at city size.

    .venv/bin/python bench/managers/run.py                 # 20,000 officers, 24 months
    .venv/bin/python bench/managers/run.py --officers 500  # a quick dry run

1. A fresh database (lianbing_bench_managers, dropped and created), migrated, with the
   cache table; a city of one corps, 10 detachments, 4 brigades each and 2 squads per
   brigade; N officers (bulk_create, no password hashing); 24 months of monthly exams
   (about 92% of officers sit each, about 85% of those pass), study records (one lesson a
   month for about 70% of officers), training events with attendance, certificates,
   two study requirements and a contest with awards.
2. The dashboard through Django's test client (in this process, DEBUG off), signed in as
   the corps manager and as a detachment manager: p50/p95 over --requests requests, warm
   (figures cached, as in production within five minutes) and cold (cache emptied before
   every request: every figure computed), plus the four charts warm.
3. The full-city export (home.exports.write_dashboard for the corps, the work the export
   job does) timed from start to the .xlsx bytes.
4. The results are printed and written to docs/benchmarks.md, section "## Managers' view".

Uses PostgreSQL on 127.0.0.1:5432 (database lianbing_bench_managers only).
"""
import argparse
import datetime as dt
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DB = "lianbing_bench_managers"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Managers' view"
BATCH = 5000


def environment():
    env = dict(os.environ)
    env.update({"DATABASE_URL": DATABASE_URL, "DEBUG": "false", "LOG_LEVEL": "WARNING",
                "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
                "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
                "DJANGO_SETTINGS_MODULE": "config.settings"})
    return env


def fresh_database(db=DB, env=None):
    """Drop and create database `db`, then migrate it (with `env`, default this bench's)."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {db}")
    for command in (["migrate", "--no-input", "-v", "0"], ["createcachetable"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT,
                       env=env or environment(), check=True)


def setup_django(env=None):
    """Set up Django in this process with `env` (default this bench's environment)."""
    os.environ.update(env or environment())
    sys.path.insert(0, str(ROOT / "site"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def months_ending(today, count):
    year, month, keys = today.year, today.month, []
    for _index in range(count):
        keys.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(keys))


def generate(officer_count, month_count, seed=2026):
    """Create the city and its history quickly; return (corps, a detachment, timings)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from wagtail.models import Page

    from certificates.models import Certificate, CertificateStatus
    from competitions.models import (AwardResult, AwardScope, Contest, ContestStatus, Entry,
                                     EntryStatus)
    from content.models import (Attendance, RequirementKind, StudyIndexPage, StudyRecord,
                                StudyRequirement, TrainingEventPage)
    from exams.models import Attempt, AttemptStatus, Exam, ExamKind, ExamStatus, Paper
    from people.models import Officer, Unit, UnitLevel
    from people.roles import Role

    rng = random.Random(seed)
    started = time.monotonic()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def aware(day, hour=10):
        return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)

    corps = Unit.add_root(code="B", name="基准市文化市场综合执法总队", level=UnitLevel.CORPS)
    leaves = []
    for d in range(1, 11):
        corps.refresh_from_db()
        det = corps.add_child(code=f"B-{d:02d}", name=f"第{d}支队", level=UnitLevel.DETACHMENT)
        for b in range(1, 5):
            det.refresh_from_db()
            brigade = det.add_child(code=f"B-{d:02d}-{b}", name=f"第{d}支队第{b}大队",
                                    level=UnitLevel.BRIGADE)
            for s in range(1, 3):
                brigade.refresh_from_db()
                leaves.append(brigade.add_child(code=f"B-{d:02d}-{b}-{s}",
                                                name=f"第{d}支队第{b}大队第{s}中队",
                                                level=UnitLevel.SQUAD))
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"b{i:06d}", password="!") for i in range(officer_count)],
        batch_size=BATCH)
    officers = Officer.objects.bulk_create([
        Officer(user=user, unit=leaves[i % len(leaves)], name=f"队员{i:06d}",
                badge_number=f"B{i:06d}",
                hire_date=today - dt.timedelta(days=rng.randint(30, 3650)))
        for i, user in enumerate(users)], batch_size=BATCH)
    detachment = Unit.objects.get(code="B-01")
    managers = {}
    for username, unit in (("bench-corps", corps), ("bench-det", detachment)):
        user = User.objects.create(username=username, password="!")
        user.groups.add(Group.objects.get_or_create(name=Role.MANAGER)[0])
        Officer.objects.create(user=user, unit=unit, name=username, badge_number=username)
        managers[username] = user
    print(f"  units and {officer_count} officers: {time.monotonic() - started:.1f} s", flush=True)

    # Monthly exams with attempts.
    months = months_ending(today, month_count)
    paper = Paper.objects.create(title="基准试卷")
    ability = [rng.gauss(72, 10) for _o in officers]
    attempts = 0
    batch = []
    for index, (year, month) in enumerate(months):
        opens = aware(dt.date(year, month, 1), 8)
        exam = Exam.objects.create(title=f"{year}年{month}月学法考试", kind=ExamKind.MONTHLY,
                                   paper=paper, status=ExamStatus.PUBLISHED, opens_at=opens,
                                   closes_at=opens + dt.timedelta(days=4),
                                   period=f"{year:04d}-{month:02d}")
        exam.eligible_units.add(corps)
        drift = index * 0.3
        for o_index, officer in enumerate(officers):
            if rng.random() > 0.92:
                continue
            score = max(0, min(100, round(ability[o_index] + drift + rng.gauss(0, 8))))
            batch.append(Attempt(exam=exam, officer=officer, number=1,
                                 status=AttemptStatus.MARKED, seed="b", score=Decimal(score),
                                 max_score=Decimal(100), passed=score >= 60,
                                 started_at=opens, submitted_at=opens + dt.timedelta(hours=1)))
            if len(batch) >= BATCH:
                Attempt.objects.bulk_create(batch)
                attempts += len(batch)
                batch = []
    Attempt.objects.bulk_create(batch)
    attempts += len(batch)
    print(f"  {len(months)} monthly exams, {attempts} attempts: "
          f"{time.monotonic() - started:.1f} s", flush=True)

    # Study material, records and training.
    home = Page.objects.get(depth=2)
    shelf = home.add_child(instance=StudyIndexPage(title="基准学习园地", slug="bench-study"))
    lessons = [shelf.add_child(instance=Page(title=f"{y}年{m}月学法课", slug=f"lesson-{y}-{m}"))
               for y, m in months]
    records = 0
    batch = []
    for (year, month), lesson in zip(months, lessons):
        day = dt.date(year, month, 10)
        for officer in officers:
            if rng.random() < 0.7:
                batch.append(StudyRecord(officer=officer, page=lesson, active_seconds=3600,
                                         completed_at=aware(day), credited_hours=Decimal("2")))
                if len(batch) >= BATCH:
                    StudyRecord.objects.bulk_create(batch)
                    records += len(batch)
                    batch = []
    StudyRecord.objects.bulk_create(batch)
    records += len(batch)
    attendances = 0
    for index, (year, month) in enumerate(months[::2]):
        starts = aware(dt.date(year, month, 15), 9)
        event = shelf.add_child(instance=TrainingEventPage(
            title=f"{year}年{month}月集中培训", slug=f"event-{index}", starts_at=starts,
            ends_at=starts + dt.timedelta(hours=6), hours=Decimal("6"), trainer_name="基准讲师"))
        chosen = [o for o in officers if rng.random() < 0.25]
        Attendance.objects.bulk_create([Attendance(event=event, officer=o, hours=Decimal("6"))
                                        for o in chosen], batch_size=BATCH)
        attendances += len(chosen)
    StudyRequirement.objects.create(name="年度轮训", kind=RequirementKind.ANNUAL,
                                    hours=Decimal("20"))
    StudyRequirement.objects.create(name="入职培训", kind=RequirementKind.INDUCTION,
                                    hours=Decimal("12"), within_days=90)
    print(f"  {records} study records, {attendances} attendances: "
          f"{time.monotonic() - started:.1f} s", flush=True)

    certs = []
    for officer in officers:
        if rng.random() < 0.9:
            until = today + dt.timedelta(days=rng.randint(-120, 1000))
            status = (CertificateStatus.EXPIRED if until < today else CertificateStatus.VALID)
            certs.append(Certificate(officer=officer, number=f"BC{officer.pk:07d}",
                                     issued_on=until - dt.timedelta(days=1095),
                                     valid_until=until, status=status))
    Certificate.objects.bulk_create(certs, batch_size=BATCH)

    contest = Contest.objects.create(name=f"{today.year}年岗位技能竞赛", year=today.year,
                                     organizer_unit=corps, status=ContestStatus.PUBLISHED)
    entries = Entry.objects.bulk_create([
        Entry(contest=contest, officer=o, unit=o.unit, status=EntryStatus.APPROVED,
              blind_code=f"E{i:05d}") for i, o in enumerate(rng.sample(officers, 200))])
    AwardResult.objects.bulk_create([
        AwardResult(contest=contest, scope=AwardScope.OVERALL, entry=entry, place=i + 1,
                    prize="一等奖" if i < 3 else "二等奖" if i < 10 else "三等奖")
        for i, entry in enumerate(entries[:20])])
    print(f"  {len(certs)} certificates, a contest: {time.monotonic() - started:.1f} s",
          flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        # As a database in use would be: statistics gathered, hint bits set.
        cursor.execute("VACUUM ANALYZE")
    return corps, detachment, managers, {"generate_seconds": time.monotonic() - started,
                                         "units": Unit.objects.count(),
                                         "attempts": attempts, "records": records,
                                         "attendances": attendances}


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def time_requests(client, url, count, before=None):
    times = []
    for _index in range(count):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {"p50": statistics.median(times), "p95": percentile(times, 95), "n": count}


def measure(corps, detachment, managers, requests):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from home import exports

    results = {}
    for label, user, unit in (("corps", managers["bench-corps"], corps),
                              ("detachment", managers["bench-det"], detachment)):
        client = Client()
        client.force_login(user)
        url = reverse("home:managers_unit", args=[unit.pk])
        cache.clear()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[f"{label}_first_ms"] = (time.perf_counter() - start) * 1000
        results[f"{label}_queries"] = len(queries)
        results[f"{label}_warm"] = time_requests(client, url, requests)
        results[f"{label}_cold"] = time_requests(client, url, max(5, requests // 5),
                                                 before=cache.clear)
        if label == "corps":
            client.get(url)
            chart_times = []
            for name in ("participation", "scores", "coverage", "expiry"):
                chart_url = reverse("home:managers_chart", args=[unit.pk, name, "svg"])
                client.get(chart_url)
                chart_times.append(time_requests(client, chart_url, requests)["p95"])
            results["chart_warm_p95"] = max(chart_times)
        print(f"  {label}: warm p95 {results[f'{label}_warm']['p95']:.0f} ms, "
              f"cold p95 {results[f'{label}_cold']['p95']:.0f} ms, "
              f"{results[f'{label}_queries']} queries", flush=True)
    cache.clear()
    start = time.perf_counter()
    content = exports.write_dashboard(corps, timezone.localdate())
    results["export_seconds"] = time.perf_counter() - start
    results["export_bytes"] = len(content)
    print(f"  full-city export: {results['export_seconds']:.1f} s, "
          f"{len(content) / 1e6:.1f} MB", flush=True)
    return results


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"


def report(args, data, results):
    from django.db import connection

    def row(label, r):
        return f"| {label} | {r['p50']:.0f} ms | {r['p95']:.0f} ms | {r['n']} |"

    ok_dash = results["corps_warm"]["p95"] < 300
    ok_export = results["export_seconds"] < 30
    lines = [
        SECTION, "",
        f"`.venv/bin/python bench/managers/run.py --officers {args.officers} "
        f"--months {args.months}` — {dt.date.today().isoformat()}, {machine()}, "
        f"PostgreSQL {connection.pg_version // 10000}, Django test client in-process "
        f"(DEBUG off); load average {os.getloadavg()[0]:.1f} at the end of the run.", "",
        f"Data: {args.officers} officers in {data['units']} units, {args.months} monthly exams "
        f"({data['attempts']} marked attempts), {data['records']} study records, "
        f"{data['attendances']} training attendances, certificates, a contest "
        f"(generated in {data['generate_seconds']:.0f} s).", "",
        "| dashboard request | p50 | p95 | requests |", "|---|---|---|---|",
        row("whole city (corps manager), warm", results["corps_warm"]),
        row("whole city, cold (cache emptied before each request)", results["corps_cold"]),
        row("one detachment, warm", results["detachment_warm"]),
        row("one detachment, cold", results["detachment_cold"]), "",
        f"Queries per dashboard request when nothing is cached: "
        f"{results['corps_queries']} (city) and {results['detachment_queries']} (detachment): "
        f"the same bound whatever the number of officers (tests/home/test_managers_pages.py). "
        f"Warm chart requests (SVG): p95 {results['chart_warm_p95']:.0f} ms.", "",
        f"Full-city export (the export job's work: every table, the non-participant and "
        f"not-met lists for {args.officers} officers, four charts): "
        f"**{results['export_seconds']:.1f} s**, {results['export_bytes'] / 1e6:.1f} MB.", "",
        f"Goals: dashboard p95 < 300 ms warm — {'met' if ok_dash else 'NOT met'} "
        f"({results['corps_warm']['p95']:.0f} ms); full-city export < 30 s — "
        f"{'met' if ok_export else 'NOT met'}. “Warm” means the figures are in the cache "
        f"(home/manager_charts.py keeps them five minutes); the cold rows show the cost of "
        f"computing every figure.", "",
    ]
    if args.officers < 20000:
        lines.insert(2, f"**Dry run at a small size ({args.officers} officers); the "
                        f"20,000-officer figures are still to be taken on an idle machine.**\n")
    return "\n".join(lines) + "\n"


def write_doc(text):
    doc = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if SECTION in doc:
        head, rest = doc.split(SECTION, 1)
        following = rest.find("\n## ")
        tail = rest[following + 1:] if following >= 0 else ""
        doc = head + text + ("\n" + tail if tail else "")
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=20000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    print(f"fresh database {DB}", flush=True)
    fresh_database()
    setup_django()
    print("generating", flush=True)
    corps, detachment, managers, data = generate(args.officers, args.months)
    print("measuring", flush=True)
    results = measure(corps, detachment, managers, args.requests)
    text = report(args, data, results)
    print()
    print(text)
    if not args.no_doc:
        write_doc(text)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
