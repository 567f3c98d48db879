"""With no environment variables the platform uses SQLite and an embedded, real Redis."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import django, operator
    django.setup()
    from django.conf import settings
    import django_rq
    from rq import SimpleWorker
    from jobs import embedded_redis

    print("engine", settings.DATABASES["default"]["ENGINE"])
    print("embedded", settings.EMBEDDED_REDIS, settings.REDIS_URL)
    socket = embedded_redis.ensure_running()
    print("socket", socket.exists())
    queue = django_rq.get_queue("default", commit_mode="auto")
    job = queue.enqueue(operator.add, 20, 22)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    job.refresh()
    print("result", job.return_value())
    embedded_redis.stop()
""")


def test_no_env_vars_means_sqlite_and_an_embedded_redis_that_runs_jobs(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT / "site"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LIANBING_VAR_DIR": str(tmp_path / "var"),
    }
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.strip().splitlines())
    assert lines["engine"] == "django.db.backends.sqlite3"
    assert lines["embedded"] == f"True unix://{tmp_path / 'var' / 'redis.sock'}?db=0"
    assert lines["socket"] == "True"
    assert lines["result"] == "42"
    assert (tmp_path / "var" / "redis.log").exists()
