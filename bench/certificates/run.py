"""
Certificates: a unit's batch of certificate PDFs as one ZIP, through the real job and worker.

    .venv/bin/python bench/certificates/run.py                  # 500 certificates
    .venv/bin/python bench/certificates/run.py --certificates 50 --no-doc   # a quick check

1. A fresh database (lianbing_bench_certificates, dropped and created), migrated; a
   detachment with four brigades, N officers with an in-force certificate each (bulk), and
   a manager of the detachment.
2. The manager starts the "certificate PDFs of a unit" job (`certificates.pdf_batch`, as
   the button on the certificates page does) and a real RQ worker (SimpleWorker, burst,
   in this process) runs it: wall and CPU time, the worker's peak memory, the ZIP's size,
   and a check that the ZIP holds N readable PDFs.
3. The results are printed and written to docs/benchmarks.md, section
   "## Certificates batch (bench/certificates)".

Uses PostgreSQL on 127.0.0.1:5432 (database lianbing_bench_certificates only), Redis db 14
on 127.0.0.1:6379 (flushed) and var/bench_certificates/ for the result files.
"""
import argparse
import datetime as dt
import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from exam_day.run import machine, write_doc  # noqa: E402 - the shared bench helpers
from managers.run import fresh_database, setup_django  # noqa: E402

DB = "lianbing_bench_certificates"
SECTION = "## Certificates batch (bench/certificates)"
REDIS_URL = "redis://127.0.0.1:6379/14"


def environment():
    env = dict(os.environ)
    env.update({"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}", "DEBUG": "false",
                "LOG_LEVEL": "WARNING", "REDIS_URL": REDIS_URL,
                "MEDIA_ROOT": str(ROOT / "var" / "bench_certificates" / "media"),
                "DJANGO_SETTINGS_MODULE": "config.settings"})
    return env


def generate(count):
    """A detachment, `count` officers with in-force certificates; return (unit, manager)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from certificates.models import Certificate, CertificateStatus
    from people.models import Officer, Unit, UnitLevel
    from people.roles import Role

    today = timezone.localdate()
    corps = Unit.add_root(code="C", name="基准市文化市场综合执法总队", level=UnitLevel.CORPS)
    detachment = corps.add_child(code="C-01", name="第一支队", level=UnitLevel.DETACHMENT)
    brigades = []
    for number in range(1, 5):
        detachment.refresh_from_db()
        brigades.append(detachment.add_child(code=f"C-01-{number}", name=f"第{number}大队",
                                             level=UnitLevel.BRIGADE))
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"c{i:05d}", password="!")
                                      for i in range(count)])
    officers = Officer.objects.bulk_create([
        Officer(user=user, unit=brigades[i % 4], name=f"执法队员{i:04d}",
                badge_number=f"C{i:05d}") for i, user in enumerate(users)])
    Certificate.objects.bulk_create([
        Certificate(officer=officer, number=f"文执2026{i:05d}",
                    issued_on=today - dt.timedelta(days=i % 700),
                    valid_until=today + dt.timedelta(days=365 * 3 - i % 700),
                    status=CertificateStatus.VALID)
        for i, officer in enumerate(officers)])
    manager = User.objects.create(username="bench-manager", password="!")
    manager.groups.add(Group.objects.get_or_create(name=Role.MANAGER)[0])
    Officer.objects.create(user=manager, unit=detachment, name="支队经理",
                           badge_number="bench-manager")
    return detachment, manager


def run_batch(unit, manager):
    import django_rq
    from rq import SimpleWorker

    from jobs.models import JobStatus
    from jobs.runner import start_job

    queue = django_rq.get_queue("reports")
    queue.connection.flushdb()
    job = start_job("certificates.pdf_batch", owner=manager, params={"unit_id": unit.pk})
    began, cpu = time.monotonic(), time.process_time()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    wall, cpu = time.monotonic() - began, time.process_time() - cpu
    job.refresh_from_db()
    if job.status != JobStatus.SUCCEEDED:
        raise SystemExit(f"the job did not succeed: {job.status} {job.error}")
    data = job.result_file.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        readable = sum(1 for name in names if archive.read(name).startswith(b"%PDF"))
    return {"wall_s": wall, "cpu_s": cpu, "zip_bytes": len(data), "pdfs": len(names),
            "readable": readable, "result": job.result,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report(count, setup_s, r, m):
    per = r["wall_s"] / max(r["pdfs"], 1) * 1000
    return "\n".join([
        SECTION, "",
        f"Command: `.venv/bin/python bench/certificates/run.py --certificates {count}`. "
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM; Python "
        f"{m['python']}, PostgreSQL {m['postgres']}. Date: {m['date']}.", "",
        f"A detachment's {count} in-force certificates (set up in {setup_s:.0f} s) printed as "
        "one ZIP of PDFs by the job a manager starts from the certificates page "
        "(`certificates.pdf_batch` on the `reports` queue), run by a real RQ worker "
        "(SimpleWorker, burst, in the bench's process, so its peak memory is the worker's).",
        "", "| certificates | wall s | CPU s | ms per certificate | ZIP size | peak memory "
        "(worker process) | PDFs in the ZIP that open |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {count} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {per:.0f} | "
        f"{r['zip_bytes'] / 1024 / 1024:.1f} MB | {r['peak_rss_mb']:.0f} MB | "
        f"{r['readable']} of {r['pdfs']} |", "",
        "The ZIP is built in memory (one PDF of about "
        f"{r['zip_bytes'] / max(r['pdfs'], 1) / 1024:.0f} KB compressed per certificate) and "
        "stored as the job's result file; the job page shows progress as certificates are "
        "rendered.", ""])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=500)
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    began, m = time.monotonic(), machine()  # before Django sets the local time zone
    print(f"fresh database {DB}", flush=True)
    fresh_database(DB, environment())
    setup_django(environment())
    unit, manager = generate(args.certificates)
    setup_s = time.monotonic() - began
    print(f"set up in {setup_s:.0f} s; running the batch job", flush=True)
    result = run_batch(unit, manager)
    text = report(args.certificates, setup_s, result, m)
    print(text)
    if result["readable"] != args.certificates:
        raise SystemExit(f"expected {args.certificates} PDFs, found {result['readable']}")
    if not args.no_doc:
        write_doc(text, section=SECTION)
        print("written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
