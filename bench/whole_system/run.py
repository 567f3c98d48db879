"""
Whole-system load: the exam-day load while a manager exports and a contest is judged.

On a fresh database (lianbing_whole, dropped, created and migrated; Redis db 13 only) this
builds N officers' exam with their papers drawn ahead (exam_day.prepare), the managers'
bench city of --city officers with --months of exam, study and training history
(bench/managers/run.py's generate()) and a contest in marking (40 entries, a rubric-judged
practical event per round, 5 judges; whole_system/prepare.py); starts gunicorn (--config,
one of bench/exam_day's; default sync4, the best there and the deployment guide's) and two
RQ workers (`manage.py worker`), then for --seconds runs at
once (a) the exam day through exam_day/loadgen.py (each officer signs in and starts within
60 s, saves an answer every 7-13 s, submits near the end), (b) the corps manager's
full-scope Excel exports back to back over HTTP (start, job page, status polls, download;
every file opened with openpyxl) and (c) the judges marking their entries through the judge
pages (whole_system/clients.py). Afterwards every acknowledged answer is compared with the
database, every mark submitted over HTTP is looked up, every export must have finished;
per request kind count/errors/p50/p95/p99, export durations and judging marks/s are printed
and written to docs/benchmarks.md ("Whole-system load (bench/whole_system)") unless --no-doc.
Everything is bounded in time and every subprocess is stopped on exit. The full run, on an
otherwise idle machine (about 10 minutes):

    .venv/bin/python bench/whole_system/run.py --officers 1000 --seconds 120

A quick check that it works (about 3 minutes; does not touch the docs):

    .venv/bin/python bench/whole_system/run.py --officers 60 --seconds 30 --city 300 \
        --months 3 --no-doc
"""
import argparse
import importlib.util
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))  # bench/: exam_day is reused, not copied

from exam_day import run as exam_day  # noqa: E402

PY = sys.executable
DB = "lianbing_whole"
REDIS_URL = "redis://127.0.0.1:6379/13"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Whole-system load (bench/whole_system)"
WORKERS = 2


def fresh_database(args):
    import psycopg
    import redis

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    exam_day.sh([PY, "manage.py", "migrate", "-v0"], args)
    exam_day.sh([PY, "manage.py", "createcachetable"], args)


class Processes:
    """Every subprocess started here, each in its own session; all stopped on exit."""

    def __init__(self):
        self.procs = []

    def start(self, name, cmd, args, log=None):
        print("$", name, " ".join(str(c) for c in cmd[1:]), flush=True)
        out = open(log, "w") if log else None
        proc = subprocess.Popen([str(c) for c in cmd], cwd=ROOT, env=exam_day.env(args),
                                stdout=out, stderr=subprocess.STDOUT if out else None,
                                start_new_session=True)
        proc.name = name
        self.procs.append(proc)
        return proc

    def wait(self, procs, timeout):
        """Wait for `procs` until `timeout` s; kill those still running. Return their codes."""
        deadline = time.monotonic() + timeout
        for proc in procs:
            try:
                proc.wait(timeout=max(1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"{proc.name} still running after {timeout:.0f} s: stopped", flush=True)
                self.stop(proc)
        return {proc.name: proc.returncode for proc in procs}

    @staticmethod
    def stop(proc, grace=30):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            except ProcessLookupError:
                pass

    def stop_all(self):
        for proc in reversed(self.procs):
            self.stop(proc)


def wait_for_workers(count, timeout=180):
    import redis
    from rq import Worker

    connection = redis.Redis.from_url(REDIS_URL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(Worker.all(connection=connection)) >= count:
            return
        time.sleep(1)
    raise SystemExit(f"the {count} RQ workers did not register within {timeout} s")


def check_export(path):
    """Open an exported workbook with openpyxl; return its sheets and rows."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        rows = sum(sum(1 for _row in sheet.iter_rows(values_only=True))
                   for sheet in workbook.worksheets)
        return {"sheets": len(workbook.sheetnames), "rows": rows}
    finally:
        workbook.close()


def last_json(text):
    return json.loads(text.strip().splitlines()[-1])


def pct(values, p):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n")[0])
    parser.add_argument("--officers", type=int, default=1000, help="officers sitting the exam")
    parser.add_argument("--seconds", type=float, default=120,
                        help="length of the concurrent window (bounded to 600)")
    parser.add_argument("--city", type=int, default=5000,
                        help="officers of the managers' city (at least 250)")
    parser.add_argument("--months", type=int, default=12, help="months of history in the city")
    parser.add_argument("--entries", type=int, default=40, help="contest entries")
    parser.add_argument("--judges", type=int, default=5)
    parser.add_argument("--judge-think", type=float, default=2.0,
                        help="mean seconds a judge spends on an entry before saving")
    parser.add_argument("--export-timeout", type=float, default=600,
                        help="longest wait for one export")
    parser.add_argument("--config", default="sync4", choices=sorted(exam_day.CONFIGS),
                        help="gunicorn configuration (bench/exam_day/run.py CONFIGS)")
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--fast-hasher", action="store_true",
                        help="MD5 passwords instead of the product's Argon2id (not the product)")
    args = parser.parse_args()
    if importlib.util.find_spec("aiohttp") is None:  # the load generators need it
        raise SystemExit('aiohttp is missing: .venv/bin/pip install ".[bench]" '
                         '(README, "Benchmarks")')
    args.seconds = min(args.seconds, 600)
    if args.city < 250:
        parser.error("--city must be at least 250 (the managers' city has a 200-entry contest)")
    args.work = ROOT / "var" / "bench_whole"
    args.work.mkdir(parents=True, exist_ok=True)
    for old in (args.work / "exports").glob("*.xlsx"):
        old.unlink()
    # exam_day.run.env() reads these: this bench's database, Redis db and media folder.
    args.db, args.redis_url = DB, REDIS_URL
    args.extra_env = {"MEDIA_ROOT": str(args.work / "media")}
    args.plan = args.work / "plan.json"
    whole_plan = args.work / "whole.json"
    base = f"http://127.0.0.1:{args.port}"
    began = time.monotonic()
    report = {"machine": exam_day.machine(), "args": vars(args).copy(),
              "command": " ".join([".venv/bin/python bench/whole_system/run.py", *sys.argv[1:]]),
              "hasher": ("MD5 (--fast-hasher, not the product's)" if args.fast_hasher else
                         "the product's Argon2id")}
    report["args"] = {k: v for k, v in report["args"].items()
                      if isinstance(v, (int, float, str, bool))}

    processes = Processes()

    def interrupted(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    try:
        fresh_database(args)
        t = time.monotonic()
        print(exam_day.prepare(args, "build", "--levels", str(args.officers), "--out",
                               args.plan), flush=True)
        per_entry = 1.5 * args.judge_think + 0.3
        rounds = math.ceil(args.seconds / (args.entries * per_entry)) + 1
        print(exam_day.sh([PY, "-m", "whole_system.prepare", "build", "--officers", args.city,
                           "--months", args.months, "--entries", args.entries, "--judges",
                           args.judges, "--rounds", rounds, "--out", whole_plan], args,
                          timeout=3600, capture=True), flush=True)
        report["prepare_s"] = round(time.monotonic() - t, 1)
        plan = json.loads(args.plan.read_text())
        whole = json.loads(whole_plan.read_text())
        report["draw_s"] = plan["exam"]["draw_seconds"]
        report["data"] = whole["data"]
        report["rounds"] = rounds

        server = exam_day.Gunicorn(args.config, args)
        processes.procs.append(server.proc)
        server.proc.name = "gunicorn"
        report["gunicorn"] = server.command
        for n in range(1, WORKERS + 1):
            processes.start(f"rq worker {n}", [PY, "manage.py", "worker"], args,
                            log=args.work / f"worker-{n}.log")
        wait_for_workers(WORKERS)

        # The concurrent window: officers (loadgen), the manager and the judges (clients).
        start_window = min(60.0, args.seconds / 2)
        submit_window = min(20.0, args.seconds / 5)
        report.update(start_window=start_window, submit_window=submit_window)
        stamp = int(time.time())
        exam_out, acks = args.work / f"examday-{stamp}.json", args.work / f"acks-{stamp}.json"
        clients_out, marks = args.work / f"clients-{stamp}.json", args.work / f"marks-{stamp}.json"
        loadgen = processes.start("exam-day load", [
            PY, HERE.parent / "exam_day" / "loadgen.py", "examday", "--login", "--plan",
            args.plan, "--base", base, "--officers", args.officers, "--seconds", args.seconds,
            "--start-window", start_window, "--submit-window", submit_window,
            "--out", exam_out, "--acks", acks], args)
        clients = processes.start("manager and judges", [
            PY, HERE / "clients.py", "--plan", whole_plan, "--base", base, "--seconds",
            args.seconds, "--judge-think", args.judge_think, "--export-timeout",
            args.export_timeout, "--out", clients_out, "--marks", marks,
            "--exports-dir", args.work / "exports"], args)
        codes = processes.wait([loadgen, clients], args.seconds + args.export_timeout + 240)
        report["exit_codes"] = codes
        processes.stop_all()  # the workers and gunicorn: nothing is left to do
        for path in (exam_out, clients_out):
            if not path.exists():
                raise SystemExit(f"a load generator wrote no results ({path.name}); "
                                 f"exit codes {codes}")

        report["examday"] = json.loads(exam_out.read_text())
        report["clients"] = json.loads(clients_out.read_text())
        report["answers"] = last_json(exam_day.prepare(args, "verify", "--acks", acks))
        checked = last_json(exam_day.sh([PY, "-m", "whole_system.prepare", "verify", "--plan",
                                         whole_plan, "--marks", marks], args, capture=True))
        report["marks"], jobs = checked["marks"], checked["jobs"]
        by_id = {job["id"]: job for job in jobs}
        for export in report["clients"]["exports"]:
            job = by_id.get(export.get("job"), {})
            export["queue_wait_s"], export["run_s"] = job.get("wait_s"), job.get("run_s")
            if export.get("file"):
                try:
                    export.update(check_export(export["file"]))
                    export["opened"] = True
                except Exception as problem:  # noqa: BLE001 - any failure to open is the finding
                    export["opened"] = False
                    export["error"] = f"openpyxl: {type(problem).__name__}: {problem}"
        report["jobs"] = summarize_jobs(jobs)
    finally:
        processes.stop_all()
    report["total_s"] = round(time.monotonic() - began)
    (args.work / "report.json").write_text(json.dumps(report, indent=1))
    text = markdown(report)
    print(text)
    if not args.no_doc:
        write_doc(text)
        print(f"written to {DOC.relative_to(ROOT)}")
    return 0 if outcome(report)["ok"] else 1


def summarize_jobs(jobs):
    kinds = {}
    for job in jobs:
        entry = kinds.setdefault(job["kind"], {"statuses": {}, "wait": [], "run": []})
        entry["statuses"][job["status"]] = entry["statuses"].get(job["status"], 0) + 1
        entry["wait"].append(job["wait_s"])
        entry["run"].append(job["run_s"])
    return {kind: {"statuses": e["statuses"], "wait_p50": pct(e["wait"], 50),
                   "wait_max": pct(e["wait"], 100), "run_p50": pct(e["run"], 50),
                   "run_max": pct(e["run"], 100)} for kind, e in kinds.items()}


def outcome(r):
    exam, clients = r["examday"], r["clients"]
    errors = (sum(s["errors"] for s in exam["requests"].values())
              + sum(s["errors"] for s in clients["requests"].values()))
    unfinished = exam.get("unfinished", 0) + clients.get("unfinished", 0)
    exports = clients["exports"]
    done = [e for e in exports if e.get("opened")]
    bad_exports = [e for e in exports if not e.get("opened")]
    marks = r["marks"]
    ok = (errors == 0 and unfinished == 0 and r["answers"]["lost"] == 0
          and marks["missing"] == 0 and marks["different"] == 0 and not bad_exports
          and len(done) > 0 and exam["started_ok"] == exam["officers"]
          and all(code == 0 for code in r["exit_codes"].values()))
    return {"ok": ok, "errors": errors, "unfinished": unfinished, "exports": len(exports),
            "exports_done": len(done), "bad_exports": bad_exports}


def fmt(v, digits=0):
    if v is None:
        return ""
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def markdown(r):
    m, d, exam, clients = r["machine"], r["data"], r["examday"], r["clients"]
    o = outcome(r)
    a, marks = r["answers"], r["marks"]
    lines = [SECTION, "",
             f"Command: `{r['command']}` (about {max(1, round(r['total_s'] / 60))} min in all, "
             f"{r['prepare_s']:.0f} s of it building the data). Machine: {m['nproc']} CPUs "
             f"({m['cpu']}), {m['ram_gb']} GB RAM; Python {m['python']}, PostgreSQL "
             f"{m['postgres']}, Redis, gunicorn, two RQ workers and the load generators all on "
             f"the same machine. Date: {m['date']}.", ""]
    if r["args"]["officers"] < 1000 or r["args"]["seconds"] < 120:
        lines += ["**A small check run, not the full-size measurement.**", ""]
    lines += [
        f"Set-up: a fresh database. The exam: {exam['officers']} officers, a 20-question "
        f"blueprint paper drawn ahead for each (`exam_day.prepare`, {r['draw_s']} s). The "
        f"managers' city (`bench/managers` `generate()`): {d['officers']} officers in "
        f"{d['units']} units, {d['months']} monthly exams ({d['attempts']} marked attempts), "
        f"{d['records']} study records, {d['attendances']} training attendances, "
        f"certificates. A contest in marking: {d['entries']} entries, a practical event "
        f"judged against a rubric (3 criteria: level, measures, deductions) per round "
        f"({r['rounds']} rounds prepared, because a submitted mark is locked), {d['judges']} "
        f"judges on every round. gunicorn `{r['gunicorn']}`; two RQ workers "
        f"(`manage.py worker`: queues default, reports, marking); DEBUG off, "
        f"`DATABASE_CONN_MAX_AGE=600`; passwords: {r['hasher']}.", "",
        f"During the same {r['args']['seconds']:.0f} s, at once: (a) the exam day "
        f"(`exam_day/loadgen.py examday --login`): every officer signs in and starts at a "
        f"random moment within {r['start_window']:.0f} s, saves an answer every 7–13 s and "
        f"submits in the last {r['submit_window']:.0f} s; (b) the corps manager, signed in "
        f"over HTTP, exports the whole city's dashboard to Excel back to back (dashboard, "
        f"POST export, job page, status polled every second, download; each file opened "
        f"with openpyxl); (c) the judges, signed in over HTTP, mark their entries through "
        f"the judge pages (event list, marking page, draft POST, page again, submit POST, "
        f"list), about {r['args']['judge_think']:.0f} s of thought per entry, round after "
        f"round. A request is an error unless it gets the status a browser would "
        f"(200, or 302 for sign-in, begin, the export and the mark forms).", "",
        f"Outcome: **{o['errors']} errors**, {o['unfinished']} unfinished clients; "
        f"**{a['lost']} answers lost** of {a['compared']} acknowledged (in doubt "
        f"{a['in_doubt']}); **{marks['found']} of {marks['compared']} marks submitted over "
        f"HTTP found** in the database as sent ({marks['missing']} missing, "
        f"{marks['different']} different; {marks['submitted_in_db']} submitted marks in the "
        f"database); **{o['exports_done']} of {o['exports']} exports finished** and opened. "
        f"{'All goals met.' if o['ok'] else '**Goals NOT met.**'} All {exam['started_ok']} of "
        f"{exam['officers']} officers started (the last {exam['all_started_after_s']} s "
        f"after the start); machine busy {exam['cpu']['machine_busy_pct']}% during the "
        f"exam-day load.", "", exam_day.HEAD]
    for kind, s in exam["requests"].items():
        lines.append(exam_day.row(f"officer: {kind}", s))
    if exam.get("steady_saves"):
        lines.append(exam_day.row(f"officer: save (steady, {exam['steady_window_s']:.0f} s "
                                  f"window)", exam["steady_saves"]))
    for kind in sorted(clients["requests"], key=lambda k: not k.startswith("manager")):
        lines.append(exam_day.row(kind, clients["requests"][kind]))
    errors = {**exam["errors"], **clients["errors"]}
    if errors:
        lines += ["", "Errors: " + json.dumps(errors, ensure_ascii=False)]
    lines += ["", "Steady saves: from 10 s after the last officer had started until the "
              "submissions began.", "",
              "Exports (from the POST to the job's finished status as the manager's polling "
              "saw it, to the end of the download; queue wait and run time from the job "
              "record):", "",
              "| # | started at s | finished after s | downloaded after s | queue wait s | "
              "run s | KB | sheets | rows | opened |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for e in clients["exports"]:
        lines.append(
            f"| {e.get('n', '')} | {fmt(e.get('started_at_s'), 1)} | "
            f"{fmt(e.get('job_seconds'), 1)} | {fmt(e.get('total_seconds'), 1)} | "
            f"{fmt(e.get('queue_wait_s'), 1)} | {fmt(e.get('run_s'), 1)} | "
            f"{fmt(e['bytes'] / 1024) if e.get('bytes') else ''} | {fmt(e.get('sheets'))} | "
            f"{fmt(e.get('rows'))} | {'yes' if e.get('opened') else 'no: ' + e.get('error', '')} |")
    durations = [e["job_seconds"] for e in clients["exports"] if e.get("opened")]
    if durations:
        lines += ["", f"Export duration (POST to finished): p50 {pct(durations, 50):.1f} s, "
                  f"max {max(durations):.1f} s over {len(durations)} exports."]
    lines += ["", f"Judging: **{clients['marks_submitted']} marks submitted in "
              f"{clients['judging_s']:.0f} s, {clients['marks_per_s']:.2f} marks/s** by "
              f"{d['judges']} judges (each mark: the marking page, a draft, the page again, "
              f"the submission; every submission rescores the entry).", "",
              "Jobs the workers ran (from the job records):", "",
              "| kind | statuses | queue wait p50 / max s | run p50 / max s |",
              "|---|---|---:|---:|"]
    for kind, j in r["jobs"].items():
        lines.append(f"| {kind} | {', '.join(f'{k} {v}' for k, v in j['statuses'].items())} | "
                     f"{fmt(j['wait_p50'], 1)} / {fmt(j['wait_max'], 1)} | "
                     f"{fmt(j['run_p50'], 1)} / {fmt(j['run_max'], 1)} |")
    if marks["examples"] or a.get("examples"):
        lines += ["", "Examples of problems: " + json.dumps(
            {"answers": a.get("examples"), "marks": marks["examples"]}, ensure_ascii=False)]
    return "\n".join(lines) + "\n"


def write_doc(text):
    """Replace (or add) this bench's section of docs/benchmarks.md."""
    exam_day.write_doc(text, SECTION)


if __name__ == "__main__":
    sys.exit(main())
