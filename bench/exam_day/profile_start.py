"""
Cost of each request on the sign-in-and-start path, measured in-process with Django's test
client (full middleware stack, PostgreSQL, Redis): queries and CPU time per request.

    PYTHONPATH=site:bench:. DJANGO_SETTINGS_MODULE=exam_day.settings \
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379/<n> \
      .venv/bin/python -m exam_day.profile_start --plan plan.json --officers 30 \
      [--cprofile "exam page"] [--sql]

Needs a database built by `python -m exam_day.prepare build` (its plan file). It puts the
exam's attempts back to ready first (as `prepare reset` does). BENCH_FAST_HASHER=0 measures
the product's password hasher (the officers' passwords are re-hashed with it first).
Not part of the product.
"""
import argparse
import cProfile
import io
import json
import pstats
import statistics
import time
from http.cookies import SimpleCookie

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import check_password, make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from exam_day import prepare  # noqa: E402


def steps(plan, officer):
    exam = plan["exam"]
    attempt = exam["by_officer"][str(officer["id"])]["attempt"]
    return [
        ("login page", "get", "/accounts/login/", None, 200),
        ("login", "post", "/accounts/login/",
         {"username": officer["username"], "password": plan["password"]}, 302),
        ("start page", "get", f"/exams/{exam['exam']}/", None, 200),
        ("begin (start)", "post", f"/exams/attempt/{attempt}/begin/", {}, 302),
        ("exam page", "get", f"/exams/attempt/{attempt}/", None, 200),
        ("exam page (reload)", "get", f"/exams/attempt/{attempt}/", None, 200),
        ("save (first)", "post", f"/exams/attempt/{attempt}/save/",
         json.dumps({"position": 1, "answer": "A", "flagged": None}), 200),
        ("save", "post", f"/exams/attempt/{attempt}/save/",
         json.dumps({"position": 2, "answer": "B", "flagged": None}), 200),
    ]


def run(plan, officers, profile_kind=None):
    results = {}
    profiler = cProfile.Profile() if profile_kind else None
    # One client (one handler, middleware loaded once, as in a gunicorn worker); each
    # officer starts with no cookies, as a browser would.
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1",
                    HTTP_USER_AGENT="lianbing-bench/1")
    for officer in officers:
        client.cookies = SimpleCookie()
        for kind, method, path, data, expect in steps(plan, officer):
            kwargs = {}
            if method == "post":
                token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
                kwargs["HTTP_X_CSRFTOKEN"] = token
                if isinstance(data, str):
                    kwargs["content_type"] = "application/json"
                else:
                    data = dict(data, csrfmiddlewaretoken=token)
            with CaptureQueriesContext(connection) as ctx:
                if profiler and kind == profile_kind:
                    profiler.enable()
                cpu, wall = time.process_time(), time.perf_counter()
                response = getattr(client, method)(path, data, **kwargs)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                if profiler and kind == profile_kind:
                    profiler.disable()
            if response.status_code != expect:
                raise SystemExit(f"{kind}: {response.status_code} (expected {expect})\n"
                                 f"{response.content[:500]!r}")
            entry = results.setdefault(kind, {"cpu": [], "wall": [], "queries": [], "bytes": []})
            entry["cpu"].append(cpu * 1000)
            entry["wall"].append(wall * 1000)
            entry["queries"].append(len(ctx.captured_queries))
            entry["bytes"].append(len(response.content))
            entry["sql"] = [q["sql"][:200] for q in ctx.captured_queries]
    return results, profiler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plan", required=True)
    parser.add_argument("--officers", type=int, default=30)
    parser.add_argument("--cprofile", help="profile this request kind (e.g. 'exam page')")
    parser.add_argument("--sql", action="store_true", help="print each request's SQL")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort keys")
    parser.add_argument("--json", help="also write the table to this file (run.py uses it)")
    args = parser.parse_args()
    with open(args.plan) as fh:
        plan = json.load(fh)
    prepare.reset(args)
    officers = [o for o in plan["officers"] if str(o["id"]) in plan["exam"]["by_officer"]]
    officers = officers[:args.officers + 3]
    # Sign in with the hasher now configured; the old hashes are put back afterwards, since
    # a changed hash ends the sessions run.py made for these officers.
    users = get_user_model().objects.filter(username__in=[o["username"] for o in officers])
    saved = dict(users.values_list("pk", "password"))
    users.update(password=make_password(plan["password"]))
    try:
        run(plan, officers[:3])  # warm: templates, translations, connection
        results, profiler = run(plan, officers[3:], args.cprofile)
    finally:
        for pk, password in saved.items():
            get_user_model().objects.filter(pk=pk).update(password=password)
    encoded = make_password(plan["password"])
    began = time.process_time()
    for _ in range(20):
        check_password(plan["password"], encoded)
    password_ms = (time.process_time() - began) / 20 * 1000
    print(f"one password check ({encoded.split('$')[0]}): {password_ms:.1f} CPU ms")
    print(f"{'request':<20} {'queries':>7} {'cpu ms p50':>10} {'cpu ms mean':>11} "
          f"{'wall ms p50':>11} {'bytes':>7}")
    total = 0.0
    for kind, e in results.items():
        mean = statistics.mean(e["cpu"])
        if kind not in ("exam page (reload)", "save (first)", "save"):
            total += mean
        print(f"{kind:<20} {max(e['queries']):>7} {statistics.median(e['cpu']):>10.1f} "
              f"{mean:>11.1f} {statistics.median(e['wall']):>11.1f} "
              f"{int(statistics.mean(e['bytes'])):>7}")
    print(f"sign-in + start (first five), CPU ms per officer in this process: {total:.0f}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"officers": len(officers) - 3, "per_officer_cpu_ms": round(total, 1),
                       "password_check_cpu_ms": round(password_ms, 1),
                       "requests": {kind: {
                           "queries": max(e["queries"]),
                           "cpu_ms_p50": round(statistics.median(e["cpu"]), 1),
                           "cpu_ms_mean": round(statistics.mean(e["cpu"]), 1),
                           "bytes": int(statistics.mean(e["bytes"]))}
                           for kind, e in results.items()}}, fh, indent=1)
    if args.sql:
        for kind, e in results.items():
            print(f"\n{kind}:")
            for sql in e["sql"]:
                print("  ", sql)
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(*args.sort.split(",")).print_stats(45)
        print(out.getvalue())


if __name__ == "__main__":
    main()
