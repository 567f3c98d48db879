"""
Exam day: N officers sit a 20-question exam against gunicorn + PostgreSQL, with a ceiling.

The full run, on an otherwise idle machine (about 35-45 minutes; writes the section
"Exam day (bench/exam_day)" of docs/benchmarks.md):

    .venv/bin/python bench/exam_day/run.py --officers 3000 --levels 500,1000,1500,2000,3000 \
        --configs sync4,gthread2x8 --seconds 180 --sync-n 1000

A quick check that the bench still works (a minute or two; does not touch the docs):

    .venv/bin/python bench/exam_day/run.py --officers 100 --levels 50 --seconds 20 \
        --configs sync4 --hammer-seconds 3 --sync-n 50 --no-doc

Per-request queries and CPU time of the start path, in-process (no gunicorn), on a
database built by `prepare build`: see exam_day/profile_start.py.

1. A fresh database (lianbing_bench, dropped and created), migrated; N officers with
   sessions made in the database; a bank, a 20-question blueprint paper, a published exam
   and every officer's paper drawn ahead (sitting.draw_for_exam, as the publish job does).
2. For each gunicorn configuration: the ceiling (a bare view doing one UPDATE of an answer
   row, exam_day/ceiling.py) and the real save endpoint, each hammered for a few seconds.
3. With the best configuration, for each N in --levels: (a) N officers sign in and start
   within 60 s (login page, login, start page, begin, exam page); (b) the papers are put
   back to ready and all N, signed in beforehand, start within 60 s, save an answer every
   7-13 s for --seconds in all and submit in the last 20 s; every acknowledged answer is
   then compared with the database. "Steady" saves: from 10 s after the last start until
   the submissions begin, so --seconds must leave room (180 s: ~100 s of steady saves).
   (c) Once: --sync-n officers press start at the same second.
4. Results are printed and written to docs/benchmarks.md ("Exam day (bench/exam_day)").

The load generator (bench/exam_day/loadgen.py) runs in its own process on the same two
cores. Everything is bounded in time. Uses PostgreSQL on 127.0.0.1:5432 (database
lianbing_bench only) and Redis db 12 on 127.0.0.1:6379.
"""
import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PY = sys.executable
DB = "lianbing_bench"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Exam day (bench/exam_day)"
CONFIGS = {
    "sync4": ["-k", "sync", "-w", "4"],
    "gthread2x8": ["-k", "gthread", "-w", "2", "--threads", "8"],
    "gthread4x4": ["-k", "gthread", "-w", "4", "--threads", "4"],
}


def env(args):
    e = dict(os.environ)
    e.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT / "site"), str(ROOT / "bench"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "exam_day.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{getattr(args, 'db', DB)}",
        "DATABASE_CONN_MAX_AGE": "600",
        "REDIS_URL": getattr(args, "redis_url", "redis://127.0.0.1:6379/12"),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "BENCH_FAST_HASHER": "1" if args.fast_hasher else "0",
    })
    # Optional, for benches that reuse this one (bench/whole_system): their own database,
    # Redis db and extra variables (e.g. MEDIA_ROOT).
    e.update(getattr(args, "extra_env", {}))
    return e


def sh(cmd, args, timeout=900, capture=False):
    print("$", " ".join(shlex.quote(str(c)) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env(args), timeout=timeout,
                            check=True, text=True,
                            stdout=subprocess.PIPE if capture else None)
    return result.stdout


def fresh_database(args):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    import redis

    redis.Redis.from_url("redis://127.0.0.1:6379/12").flushdb()
    sh([PY, "manage.py", "migrate", "-v0"], args)


class Gunicorn:
    def __init__(self, name, args):
        self.name, self.args = name, args
        cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--pythonpath", "site,bench",
               "config.wsgi", "-b", f"127.0.0.1:{args.port}", "--backlog", "4096",
               "--timeout", "60", "--log-level", "warning", *CONFIGS[name]]
        self.command = " ".join(cmd[1:]).replace(str(ROOT) + "/", "")
        print("$ gunicorn", self.command, flush=True)
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env(args), start_new_session=True)
        deadline = time.monotonic() + 180  # four workers importing Django on a busy machine
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/accounts/login/",
                                            timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            self.stop()
            raise SystemExit("gunicorn did not come up")
        for _ in range(20):  # load templates in every worker
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/accounts/login/", timeout=5)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def loadgen(args, mode, *extra):
    out = args.work / f"{mode}-{int(time.time() * 1000)}.json"
    sh([PY, HERE / "loadgen.py", mode, "--plan", args.plan, "--base",
        f"http://127.0.0.1:{args.port}", "--out", out, *extra], args, timeout=1200)
    return json.loads(out.read_text())


def prepare(args, *extra):
    return sh([PY, "-m", "exam_day.prepare", *extra, "--plan", args.plan], args, capture=True)


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"],
                        capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 1024 / 1024, 1),
            "python": platform.python_version(), "postgres": pg,
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}


def fmt(v):
    return "" if v is None else (f"{v:.0f}" if isinstance(v, float) else str(v))


def row(name, s):
    return (f"| {name} | {s['count']} | {s['errors']} | {fmt(s.get('per_s'))} | {fmt(s['p50'])} "
            f"| {fmt(s['p95'])} | {fmt(s['p99'])} | {fmt(s['max'])} |")


HEAD = ("| request | count | errors | ok/s | p50 ms | p95 ms | p99 ms | max ms |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=3000, help="the largest N")
    parser.add_argument("--levels", default="", help="N values to try (default 1000,2000,N)")
    parser.add_argument("--seconds", type=float, default=180,
                        help="length of each measured save phase (bounded to 600)")
    parser.add_argument("--configs", default="sync4,gthread2x8,gthread4x4")
    parser.add_argument("--hammer-seconds", type=float, default=8)
    parser.add_argument("--sync-n", type=int, default=1000,
                        help="officers in the synchronized-start phase")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--fast-hasher", action="store_true",
                        help="MD5 passwords instead of the product's Argon2id (not the product)")
    args = parser.parse_args()
    levels = sorted({int(v) for v in args.levels.split(",") if v} or
                    {n for n in (1000, 2000, args.officers) if n <= args.officers})
    args.work = ROOT / "var" / "bench_exam_day"
    args.work.mkdir(parents=True, exist_ok=True)
    args.plan = args.work / "plan.json"
    began = time.monotonic()
    report = {"machine": machine(), "levels": levels, "seconds": args.seconds,
              "command": " ".join([".venv/bin/python bench/exam_day/run.py", *sys.argv[1:]]),
              "hasher": ("MD5 (--fast-hasher, not the product's)" if args.fast_hasher else
                         "the product's Argon2id, m = 19 MiB, t = 2, p = 1")}

    fresh_database(args)
    t = time.monotonic()
    print(prepare(args, "build", "--levels", ",".join(map(str, levels)), "--out", args.plan))
    report["prepare_s"] = round(time.monotonic() - t, 1)
    plan = json.loads(args.plan.read_text())
    report["draw_s"] = plan["exam"]["draw_seconds"]
    report["save_queries"] = json.loads(prepare(args, "queries").strip().splitlines()[-1])
    # What each start-path request costs in-process (queries, CPU), before any load.
    costs = args.work / "start_path.json"
    sh([PY, "-m", "exam_day.profile_start", "--plan", args.plan, "--officers", "30",
        "--json", costs], args)
    report["start_path"] = json.loads(costs.read_text())

    # Gunicorn configurations: the ceiling and the real save endpoint, hammered.
    trials = {}
    for name in args.configs.split(","):
        server = Gunicorn(name, args)
        try:
            hs = str(args.hammer_seconds)
            loadgen(args, "hammer", "--kind", "ceiling", "--seconds", "3", "--concurrency", "16")
            ceiling = loadgen(args, "hammer", "--kind", "ceiling", "--seconds", hs,
                              "--concurrency", "32")
            save = loadgen(args, "hammer", "--kind", "save", "--seconds", hs,
                           "--concurrency", "32")
            trials[name] = {"command": server.command, "ceiling": ceiling, "save": save}
        finally:
            server.stop()
    best = max(trials, key=lambda n: trials[n]["save"]["requests"]["save"]["per_s"])
    report["trials"], report["best"] = trials, best
    print("best configuration:", best, flush=True)

    runs = []
    server = Gunicorn(best, args)
    try:
        for n in levels:
            prepare(args, "reset")
            spread = loadgen(args, "spread", "--officers", str(n), "--window", "60")
            prepare(args, "reset")
            acks = args.work / f"acks-{n}.json"
            day = loadgen(args, "examday", "--officers", str(n), "--seconds",
                          str(args.seconds), "--start-window", str(min(60, args.seconds / 3)),
                          "--submit-window", "20",
                          "--acks", acks)
            check = json.loads(prepare(args, "verify", "--acks", acks).strip().splitlines()[-1])
            runs.append({"n": n, "spread": spread, "examday": day, "verify": check})
            print(json.dumps({"n": n, "verify": check,
                              "steady_save": day["steady_saves"]}), flush=True)
        # The worst case: every officer presses "start" at the same second.
        prepare(args, "reset")
        report["sync"] = loadgen(args, "examday", "--officers", str(args.sync_n),
                                 "--start-only", "--start-window", "0", "--seconds", "0",
                                 "--acks", args.work / "acks-sync.json")
    finally:
        server.stop()
    report["runs"] = runs
    report["total_s"] = round(time.monotonic() - began)
    (args.work / "report.json").write_text(json.dumps(report, indent=1))
    text = markdown(report)
    print(text)
    if not args.no_doc:
        write_doc(text)


START_KINDS = ("start page", "begin (start)", "exam page")


def start_p95(requests):
    """p95 of the start requests (start page, begin, exam page), the worst of the three."""
    return max((requests[k]["p95"] or 1e9) for k in START_KINDS if k in requests)


def p95(requests, kind):
    return (requests.get(kind) or {}).get("p95") or 1e9


def complete(phase, n):
    """Every officer of the phase started, no request failed and none was left unfinished
    (p95s are over successful requests only, so failures must be counted apart)."""
    return (phase.get("started_ok") == n and not phase.get("unfinished")
            and not sum(phase["errors"].values()))


def phase_b_ok(run):
    """Phase (b), officers signed in beforehand: all start within the window, start p95
    < 500 ms, every save (the start included) p95 < 150 ms, nothing failed or lost."""
    day = run["examday"]
    return (complete(day, run["n"]) and start_p95(day["requests"]) < 500
            and p95(day["requests"], "save") < 150 and run["verify"]["lost"] == 0)


def verdict(run):
    """Targets met at this N: phase (b) as above, and in (a), signing in and starting
    within 60 s, every officer started with no failure and start p95 < 500 ms. The sign-in
    requests' own p95 (the password check) is reported beside it."""
    start = max(start_p95(run["spread"]["requests"]), start_p95(run["examday"]["requests"]))
    ok = phase_b_ok(run) and complete(run["spread"], run["n"]) and start < 500
    return ok, start


def reading(r):
    """What limits N: the machine CPU one officer's sign-in and start costs, from the
    measured load (busy share of all cores over the 60 s window), against the cores."""
    cores, window_ms = r["machine"]["nproc"], 60_000
    passing = [run for run in r["runs"] if verdict(run)[0]]
    basis = max(passing, key=lambda run: run["n"]) if passing else min(r["runs"],
                                                                      key=lambda run: run["n"])
    busy = basis["spread"]["cpu"]["machine_busy_pct"] / 100
    per_officer = busy * cores * window_ms / basis["n"]
    target = max(r["levels"])
    lines = ["", f"Reading the result: the largest N that meets every target here is "
             f"**{max(run['n'] for run in passing) if passing else 'none'}**. At N = "
             f"{basis['n']} the sign-in phase kept the machine {busy:.0%} busy, i.e. "
             f"**{per_officer:.0f} ms of machine CPU per officer** (gunicorn, Django, "
             f"PostgreSQL, Redis and the load generator together) for the five requests of "
             f"signing in and starting; {cores} cores can do that for at most "
             f"{cores * window_ms / per_officer:.0f} officers a minute at 100% use, and queues "
             f"(p95 over 500 ms) build well before that."]
    password_ms = (r.get("start_path") or {}).get("password_check_cpu_ms")
    if password_ms:
        lines[-1] += (f" N = {target} within 60 s would need at most "
                      f"{cores * window_ms / target:.0f} ms per officer in all, of which the "
                      f"password check alone (Argon2id at OWASP's minimum) takes "
                      f"{password_ms:.0f} ms.")
    # Officers signed in beforehand (phase b): the start alone, with the saves running.
    started = [run for run in r["runs"] if phase_b_ok(run)]
    if started:
        best = max(started, key=lambda run: run["n"])
        lines[-1] += (f" Officers already signed in (phase b: sessions made beforehand) start "
                      f"at N = {best['n']} within 60 s with start p95 "
                      f"{fmt(start_p95(best['examday']['requests']))} ms and save p95 "
                      f"{fmt(best['examday']['requests']['save']['p95'])} ms: what limits N is "
                      f"signing in. Before the opening the start page is a waiting room (it "
                      f"shows the start button at the opening without a reload), so officers "
                      f"can sign in during the minutes before it: {best['n']} sign-ins spread "
                      f"over ten minutes are {best['n'] / 600:.0f} a second.")
    return lines


def markdown(r):
    m = r["machine"]
    best = r["best"]
    ceiling = r["trials"][best]["ceiling"]["requests"]["ceiling save"]
    save = r["trials"][best]["save"]["requests"]["save"]
    lines = [SECTION, "",
             f"Command: `{r['command']}` (about {r['total_s'] // 60} minutes in all). "
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM; Python "
             f"{m['python']}, PostgreSQL {m['postgres']}, on the same machine. Date: {m['date']}.",
             "",
             f"Set-up: a fresh database, {max(r['levels'])} officers, a 60-question bank, a "
             f"20-question blueprint paper (12 single choice + 8 true/false), one published exam "
             f"with every paper drawn ahead by `sitting.draw_for_exam` ({r['draw_s']} s for "
             f"{max(r['levels'])} papers). DEBUG off, `DATABASE_CONN_MAX_AGE=600`, "
             f"Redis for the deadline jobs. Passwords: {r.get('hasher', 'MD5')}. The load "
             f"generator (asyncio + aiohttp, one process) runs on the same two cores as "
             f"gunicorn and PostgreSQL.",
             "", "### Gunicorn configurations (the ceiling and the save endpoint, hammered)", "",
             f"Each hammer: 32 clients posting back to back for {r['trials'][best]['ceiling']['seconds']:.0f} s. "
             "The ceiling is a bare view doing one UPDATE of an answer row (no session, no user, "
             "no attempt check) through the same gunicorn, middleware, settings and database "
             "(`bench/exam_day/ceiling.py`).", "",
             "| configuration | ceiling saves/s | ceiling p95 ms | product saves/s | product p95 ms | ratio | machine busy | load generator (% of a core) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, t in r["trials"].items():
        c, s = t["ceiling"]["requests"]["ceiling save"], t["save"]["requests"]["save"]
        lines.append(f"| `{t['command']}` | {fmt(c['per_s'])} | {fmt(c['p95'])} | "
                     f"{fmt(s['per_s'])} | {fmt(s['p95'])} | "
                     f"{s['per_s'] / c['per_s']:.0%} | {t['save']['cpu']['machine_busy_pct']}% | "
                     f"{t['save']['cpu']['loadgen_cpu_pct_of_one_core']}% |")
    lines += ["", f"Best: **{best}** — answer saves at **{save['per_s'] / ceiling['per_s']:.0%} "
              f"of the ceiling** ({fmt(save['per_s'])} vs {fmt(ceiling['per_s'])} saves/s).", ""]
    lines += ["### Exam day with the best configuration", "",
              "Per N: (a) N officers sign in and start at random moments within 60 s "
              "(login page, login POST, start page, begin, exam page); (b) the papers are put "
              "back to ready, then all N start within 60 s with sessions made "
              f"beforehand, save an answer every 7–13 s, {r['seconds']:.0f} s in all, and submit in "
              "the last 20 s. (c) Once, after the levels: N officers press start at the same second. \"Steady\" saves are those sent from 10 s after the last officer "
              "had started until the submissions begin. Targets met at N: in (a) and (b) every "
              "officer started with no failed request, and the start requests (start page, "
              "begin, exam page) have p95 < 500 ms; every save of (b) (the start included) has "
              "p95 < 150 ms; nothing lost. The sign-in requests' own p95 (the password check) "
              "is shown beside them, not judged as a start.",
              "",
              "| N | start requests p95 ms: (a) during the sign-in rush / (b) while others "
              "save | (a) sign-in requests p95 ms: login page / login | phase (b): all "
              "started after s | save p95 ms, all of (b) | steady saves/s | "
              "steady save p50 / p95 / p99 ms | errors | answers compared | lost | meets targets |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    empty = {"per_s": None, "p50": None, "p95": None, "p99": None}
    for run in r["runs"]:
        ok, _ = verdict(run)
        s = run["examday"]["steady_saves"] or empty
        saves = run["examday"]["requests"].get("save") or empty
        errors = (sum(run["examday"]["errors"].values()) + sum(run["spread"]["errors"].values())
                  + run["spread"].get("unfinished", 0) + run["examday"].get("unfinished", 0))
        v = run["verify"]
        lines.append(f"| {run['n']} | {fmt(start_p95(run['spread']['requests']))} / "
                     f"{fmt(start_p95(run['examday']['requests']))} | "
                     f"{fmt(p95(run['spread']['requests'], 'login page'))} / "
                     f"{fmt(p95(run['spread']['requests'], 'login'))} | "
                     f"{run['examday']['all_started_after_s']} | {fmt(saves['p95'])} "
                     f"| {fmt(s.get('per_s'))} | {fmt(s['p50'])} / {fmt(s['p95'])} / "
                     f"{fmt(s['p99'])} | {errors} | {v['compared']} | {v['lost']} "
                     f"(in doubt {v['in_doubt']}) | {'yes' if ok else 'no'} |")
    lines += reading(r)
    for run in r["runs"]:
        lines += ["", f"N = {run['n']}, sign-in and start within 60 s "
                  f"(machine busy {run['spread']['cpu']['machine_busy_pct']}%, load generator "
                  f"{run['spread']['cpu']['loadgen_cpu_pct_of_one_core']}% of a core):", "", HEAD]
        for kind, s in run["spread"]["requests"].items():
            lines.append(row(kind, s))
        lines += ["", f"N = {run['n']}, synchronized start, saves and submits over "
                  f"{run['examday']['seconds']:.0f} s (machine busy "
                  f"{run['examday']['cpu']['machine_busy_pct']}%, load generator "
                  f"{run['examday']['cpu']['loadgen_cpu_pct_of_one_core']}% of a core):", "", HEAD]
        for kind, s in run["examday"]["requests"].items():
            lines.append(row(kind, s))
        if run["examday"]["steady_saves"]:
            lines.append(row("save (steady)", run["examday"]["steady_saves"]))
        if run["examday"]["errors"] or run["spread"]["errors"]:
            lines.append("")
            lines.append("Errors: " + json.dumps({**run["spread"]["errors"],
                                                   **run["examday"]["errors"]}))
    sync = r.get("sync")
    if sync:
        lines += ["", f"(c) Synchronized start: {sync['officers']} officers press start at the "
                  f"same second (sessions made beforehand); {sync['started_ok']} started, the "
                  f"last after {sync['all_started_after_s']} s (machine busy "
                  f"{sync['cpu']['machine_busy_pct']}%):", "", HEAD]
        for kind, s in sync["requests"].items():
            lines.append(row(kind, s))
        if sync["errors"]:
            lines.append("")
            lines.append("Errors: " + json.dumps(sync["errors"]))
    costs = r.get("start_path")
    if costs:
        lines += ["", f"Cost of each request on the start path, measured in-process before the "
                  f"load (Django's test client through the full middleware stack, same "
                  f"database and settings; {costs['officers']} officers; "
                  "`bench/exam_day/profile_start.py`). CPU is this process only: gunicorn, "
                  "PostgreSQL and the network come on top.", "",
                  "| request | queries | CPU ms p50 | CPU ms mean | bytes |",
                  "|---|---:|---:|---:|---:|"]
        for kind, c in costs["requests"].items():
            lines.append(f"| {kind} | {c['queries']} | {c['cpu_ms_p50']} | {c['cpu_ms_mean']} "
                         f"| {c['bytes']} |")
        lines += ["", f"Sign-in and start (the first five rows) cost "
                  f"**{costs['per_officer_cpu_ms']:.0f} ms of CPU per officer** in Django; "
                  f"two cores at full use can therefore start at most about "
                  f"{2000 / costs['per_officer_cpu_ms']:.0f} officers a second, "
                  f"{120000 / costs['per_officer_cpu_ms']:.0f} a minute, before PostgreSQL's "
                  "own share."]
    q = r["save_queries"]["queries"]
    lines += ["", f"The SQL of one save request as Django issues it ({len(q)} statement"
              f"{'s' if len(q) != 1 else ''}; the session is read from Redis, "
              "`site/ops/sessions.py`; with `conn_health_checks=True` a reused connection also "
              "runs `SELECT 1` first, which Django sends outside its query log):", ""]
    q = [" ".join(s.split()) for s in q]
    lines += [f"{i}. `{s[:400]}{'…' if len(s) > 400 else ''}`" for i, s in enumerate(q, 1)]
    return "\n".join(lines) + "\n"


def write_doc(text, section=SECTION):
    """Replace (or add) `section` of docs/benchmarks.md with `text`."""
    doc = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if section in doc:
        head, rest = doc.split(section, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt + 1:] if nxt >= 0 else ""
        doc = head + text + ("\n" + tail if tail else "")
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc)


if __name__ == "__main__":
    main()
