"""Shared fixtures: an organisation with one user per role, a real Redis and RQ worker."""
import io

import django_rq
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rq import SimpleWorker

from people.models import Officer, Unit, UnitLevel
from people.roles import Role

PASSWORD = "Test-password-2026"
QUEUES = ["default", "reports", "marking"]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real password hashing costs half a second per account; tests make many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _language_restored():
    """A request in English leaves English active in the test's thread: every test starts
    in the language the one before it started in."""
    from django.utils import translation

    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture
def redis_conn():
    """The real Redis server the queues use, emptied before the test."""
    connection = django_rq.get_connection("default")
    connection.flushdb()
    yield connection
    connection.flushdb()


@pytest.fixture
def run_worker(redis_conn):
    """Return a function that runs a burst RQ worker (no fork) until the queues are empty."""

    def run():
        queues = [django_rq.get_queue(name) for name in QUEUES]
        SimpleWorker(queues, connection=redis_conn).work(burst=True)

    return run


class Org:
    """A small organisation: corps › (east › east-1, east-2), (west › west-1)."""

    def __init__(self):
        self.corps = Unit.add_root(code="T", name="测试市文化市场综合执法总队",
                                   level=UnitLevel.CORPS)
        self.east = self.corps.add_child(code="T-E", name="东区支队", level=UnitLevel.DETACHMENT)
        self.corps.refresh_from_db()
        self.west = self.corps.add_child(code="T-W", name="西区支队", level=UnitLevel.DETACHMENT)
        self.east.refresh_from_db()
        self.east1 = self.east.add_child(code="T-E-1", name="东区第一大队", level=UnitLevel.BRIGADE)
        self.east.refresh_from_db()
        self.east2 = self.east.add_child(code="T-E-2", name="东区第二大队", level=UnitLevel.BRIGADE)
        self.west.refresh_from_db()
        self.west1 = self.west.add_child(code="T-W-1", name="西区第一大队", level=UnitLevel.BRIGADE)
        self._serial = 0

    def person(self, username, unit, *roles, name=None, superuser=False):
        """Create a user with an officer profile in `unit`, holding `roles`."""
        self._serial += 1
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, is_superuser=superuser, is_staff=superuser)
        for role in (Role.OFFICER, *roles):
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        Officer.objects.create(user=user, unit=unit, name=name or f"人员{self._serial}",
                               badge_number=f"T{self._serial:06d}")
        return user


@pytest.fixture
def org(db):
    return Org()


@pytest.fixture
def people(org):
    """One user per role; the managers sit at the east detachment and the west one."""
    return {
        "officer": org.person("officer", org.east1, name="王小兵"),
        "trainer": org.person("trainer", org.corps, Role.TRAINER),
        "organizer": org.person("organizer", org.corps, Role.ORGANIZER),
        "judge": org.person("judge", org.west1, Role.JUDGE),
        "manager": org.person("manager", org.east, Role.MANAGER, name="东区经理"),
        "other_manager": org.person("other_manager", org.west, Role.MANAGER),
        "admin": org.person("admin", org.corps, Role.ADMIN, superuser=True),
    }


@pytest.fixture
def client_for(client):
    """Return a function that signs the test client in as `user`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def make_xlsx(rows, header=None, sheet="花名册"):
    """Return an .xlsx file (BytesIO) with `header` and `rows`."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header or ["姓名*", "执法证号*", "所属单位*", "职务", "入职日期", "状态", "手机号"])
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer
