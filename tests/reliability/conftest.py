import pytest

from .faults import RedisServer, queues_on


@pytest.fixture
def private_redis(settings, tmp_path):
    """Start a private redis-server and point the platform's queues at it."""
    server = RedisServer(tmp_path).start()
    settings.RQ_QUEUES = queues_on(server.url)
    yield server
    server.stop()
