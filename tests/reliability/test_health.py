"""The health endpoints: database, Redis, workers on every queue and the scheduler; no sign-in."""
import time

import pytest
from django.urls import reverse
from rq import Worker
from rq import cron_scheduler_registry

from ops import health

from .faults import database_down, queues_on

pytestmark = pytest.mark.django_db


def worker_on(connection, *queue_names, name="w1"):
    """Register a (not running) RQ worker as alive on `queue_names`."""
    import django_rq

    worker = Worker([django_rq.get_queue(q) for q in queue_names], connection=connection,
                    name=name)
    worker.register_birth()
    worker.heartbeat()
    return worker


def scheduler_alive(connection):
    connection.zadd(cron_scheduler_registry.get_registry_key(), {"cron-1": time.time()})


def test_everything_up_answers_200_with_each_part(client, redis_conn):
    worker_on(redis_conn, "default", "reports", "marking")
    scheduler_alive(redis_conn)
    response = client.get(reverse("health"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] and data["redis"]["ok"] and data["scheduler"]["count"] == 1
    assert data["workers"] == {"ok": True, "count": 1,
                               "queues": {"default": 1, "reports": 1, "marking": 1}}
    # Nothing private: only these keys, no host names, URLs or user data.
    assert set(data) == {"status", "database", "redis", "workers", "scheduler"}
    assert "127.0.0.1" not in response.content.decode()


def test_a_queue_without_worker_fails_the_full_check_but_not_the_web_check(client, redis_conn):
    worker_on(redis_conn, "default", "marking")
    scheduler_alive(redis_conn)
    full = client.get(reverse("health"))
    assert full.status_code == 503
    assert full.json()["workers"]["queues"]["reports"] == 0
    web = client.get(reverse("health_web"))
    assert web.status_code == 200 and web.json()["status"] == "ok"


def test_a_worker_whose_heartbeat_is_stale_does_not_count(redis_conn):
    worker_on(redis_conn, "default", "reports", "marking")
    later = time.time() + health.WORKER_STALE_SECONDS + 5
    assert health.check_workers(redis_conn, now=later)["count"] == 0


def test_no_scheduler_fails_the_full_check(client, redis_conn):
    worker_on(redis_conn, "default", "reports", "marking")
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["scheduler"] == {"ok": False,
                                                                             "count": 0}


def test_redis_down_is_503_for_monitoring_and_200_for_the_load_balancer(client, settings):
    settings.RQ_QUEUES = queues_on("redis://127.0.0.1:1/0")
    started = time.monotonic()
    full = client.get(reverse("health"))
    assert time.monotonic() - started < 3
    assert full.status_code == 503
    assert full.json()["redis"]["ok"] is False and full.json()["workers"]["ok"] is False
    assert client.get(reverse("health_web")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_database_down_is_503_for_both(client, redis_conn):
    with database_down():
        for name in ("health", "health_web"):
            response = client.get(reverse(name))
            assert response.status_code == 503
            assert response.json()["database"] == {
                "ok": False, "error": "OperationalError", "ms": response.json()["database"]["ms"]}


def test_it_needs_no_sign_in_and_costs_one_query(client, redis_conn,
                                                 django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("health_web"))
    assert response.status_code == 200
