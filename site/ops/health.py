"""
The health checks a load balancer or a monitor asks for: the database, Redis, the RQ
workers and the periodic-work scheduler.

Each check is cheap (one query, one PING, a read of RQ's worker and scheduler
registries), bounded by short timeouts, and reports nothing private: only whether each
part answers, how long it took, and how many workers listen on each queue.
"""
import time

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from rq import Worker
from rq import cron_scheduler_registry

# A worker refreshes its registration well within RQ's worker TTL (420 s); one whose last
# heartbeat is older than this is treated as gone even if its key has not expired yet.
WORKER_STALE_SECONDS = 480
# `manage.py scheduler` (rqcron) heartbeats into a sorted set; RQ drops it after 120 s.
SCHEDULER_STALE_SECONDS = 120
REDIS_TIMEOUT = 1.0  # seconds, for both connecting and each reply

_clients = {}


def _elapsed_ms(started):
    return round((time.monotonic() - started) * 1000, 1)


def check_database():
    """Return whether the default database answers a trivial query."""
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__, "ms": _elapsed_ms(started)}
    return {"ok": True, "ms": _elapsed_ms(started)}


def redis_client():
    """Return a Redis client for the queues' server with short timeouts (one per URL)."""
    url = settings.RQ_QUEUES["default"]["URL"]
    client = _clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url)
        # Set after parsing: options in the URL would win over from_url's keyword arguments.
        client.connection_pool.connection_kwargs.update(
            socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)
        _clients[url] = client
    return client


def check_redis(client):
    """Return whether Redis answers PING."""
    started = time.monotonic()
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        return {"ok": False, "error": type(exc).__name__, "ms": _elapsed_ms(started)}
    return {"ok": True, "ms": _elapsed_ms(started)}


def check_workers(client, now=None):
    """Return how many live workers listen on each configured queue; ok if none is left out."""
    now = now or time.time()
    queues = {name: 0 for name in settings.RQ_QUEUES}
    try:
        workers = Worker.all(connection=client)
    except (redis.RedisError, OSError) as exc:
        return {"ok": False, "error": type(exc).__name__, "queues": queues}
    alive = 0
    for worker in workers:
        beat = worker.last_heartbeat
        if beat is None or now - beat.timestamp() > WORKER_STALE_SECONDS:
            continue
        alive += 1
        for name in worker.queue_names():
            if name in queues:
                queues[name] += 1
    return {"ok": all(queues.values()), "count": alive, "queues": queues}


def check_scheduler(client, now=None):
    """Return how many periodic-work schedulers sent a heartbeat recently (one is right)."""
    now = now or time.time()
    try:
        entries = client.zrange(cron_scheduler_registry.get_registry_key(), 0, -1,
                                withscores=True)
    except (redis.RedisError, OSError) as exc:
        return {"ok": False, "error": type(exc).__name__, "count": 0}
    count = sum(1 for _name, beat in entries if now - beat <= SCHEDULER_STALE_SECONDS)
    return {"ok": count >= 1, "count": count}


def report():
    """Run every check; return (all_ok, details)."""
    client = redis_client()
    details = {"database": check_database(), "redis": check_redis(client)}
    if details["redis"]["ok"]:
        details["workers"] = check_workers(client)
        details["scheduler"] = check_scheduler(client)
    else:
        details["workers"] = {"ok": False, "error": "redis unavailable"}
        details["scheduler"] = {"ok": False, "error": "redis unavailable"}
    return all(part["ok"] for part in details.values()), details
