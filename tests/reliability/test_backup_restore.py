"""Backup and restore: results and certificates come back, row for row, in an empty database."""
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from certificates.models import Certificate
from exams import sitting
from exams.models import Attempt, AttemptItem, ExamKind
from jobs import runner
from jobs.models import Job, JobStatus
from ops import backup as ops_backup

from .faults import make_exam

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
RESTORE_DB = "lianbing_h5_restore_test"


def pg(dbname):
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"],
                           password=s["PASSWORD"] or None, dbname=dbname, autocommit=True)


def rows(dbname, model, fields):
    table = model._meta.db_table
    with pg(dbname) as conn:
        return conn.execute(f"SELECT {', '.join(fields)} FROM {table} ORDER BY 1").fetchall()


@pytest.fixture
def empty_database():
    """A new, empty PostgreSQL database beside the test database."""
    with pg("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}"')
        conn.execute(f'CREATE DATABASE "{RESTORE_DB}"')
    yield RESTORE_DB
    with pg("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}" WITH (FORCE)')


def manage(*args, database, media_root):
    s = connection.settings_dict
    env = {**os.environ, "DATABASE_URL":
           f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{database}",
           "MEDIA_ROOT": str(media_root), "LOG_FORMAT": "plain"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def sit(exam, user, answers):
    attempt = sitting.create_attempt(exam, user.officer)
    sitting.start(attempt, device="d1")
    for position, answer in answers.items():
        sitting.save_answer(attempt.pk, user.pk, "d1", position, answer)
    return sitting.submit(attempt)


def test_a_backup_restored_into_an_empty_database_has_the_same_results(
        org, people, settings, tmp_path, empty_database):
    exam = make_exam(org, kind=ExamKind.QUALIFICATION)
    sit(exam, people["officer"], {1: "B", 2: "B", 3: "B", 4: "A"})  # 75: passes
    sit(exam, people["manager"], {1: "B", 2: "A"})  # 25: fails
    job = runner.start_job("certificates.pdf", owner=people["officer"],
                           params={"certificate_id": Certificate.objects.get().pk})
    runner.run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result_file
    pdf = (Path(settings.MEDIA_ROOT) / job.result_file.name).read_bytes()

    out = tmp_path / "backup"
    call_command("backup", out=str(out))
    manifest = ops_backup.read_manifest(out)
    assert manifest["row_counts"]["exams.Attempt"] == 2 and manifest["media_files"] >= 1
    assert (out / "database.dump").stat().st_size > 0 and (out / "media.tar.gz").exists()

    media2 = tmp_path / "media-restored"
    done = manage("restore", str(out), database=empty_database, media_root=media2)
    assert done.returncode == 0, done.stderr
    assert "every table has the rows of the backup" in done.stdout

    here, there = connection.settings_dict["NAME"], empty_database
    for model, fields in [
        (Attempt, ["id", "officer_id", "status", "score", "max_score", "passed", "submitted_at"]),
        (AttemptItem, ["id", "attempt_id", "position", "answer", "earned", "version_id"]),
        (Certificate, ["id", "officer_id", "number", "status", "issued_on", "valid_until",
                       "token"]),
        (Job, ["id", "kind", "status", "result", "result_file"]),
    ]:
        original = rows(here, model, fields)
        assert original and rows(there, model, fields) == original, model
    assert (media2 / job.result_file.name).read_bytes() == pdf

    # A second restore over the restored data is refused: it is no longer empty.
    again = manage("restore", str(out), database=empty_database, media_root=tmp_path / "m3")
    assert again.returncode != 0 and "The database is not empty" in again.stderr


def test_a_backup_refuses_a_directory_in_use(tmp_path, db):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", out=str(tmp_path / "old"))


def test_restore_refuses_a_directory_that_is_not_a_backup(tmp_path, db):
    with pytest.raises(CommandError, match="not a backup directory"):
        call_command("restore", str(tmp_path))
