import pytest

from .faults import RedisServer, queues_on


@pytest.fixture
def private_redis(settings, tmp_path):
    """Start a private redis-server and point the platform's queues and sessions at it."""
    from ops import sessions

    server = RedisServer(tmp_path).start()
    settings.RQ_QUEUES = queues_on(server.url)
    settings.CACHES = {**settings.CACHES,
                       "sessions": {**settings.CACHES["sessions"], "LOCATION": server.url}}
    sessions._skip_until = 0.0
    yield server
    server.stop()
    sessions._skip_until = 0.0
