"""The permission matrix: every URL of the project, for every kind of person.

The routes come from the resolver, so a new URL without an entry in
tests/security/permissions.py fails `test_every_url_has_expectations`. Set
PERMISSION_MATRIX_DISCOVER=1 to print what each person actually gets, as a starting point
for a new entry (then check every cell by hand: that is the point of the test).
"""
import os
import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import reverse

from . import permissions
from .routes import all_routes
from .world import World

# Built-in routes that are not ours to guard, and why. Everything under /cms/ is the
# Wagtail admin: every one of its views requires wagtailadmin.access_admin (Wagtail's
# require_admin_access), checked below for a sample of its pages and for the viewsets
# that hold our data; /documents/ serves Wagtail documents with Wagtail's own checks.
SKIPPED_PREFIXES = ("cms/", "documents/", "_util/")
# The RQ dashboard (django-rq's own views): every route is checked for non-administrators in
# test_only_administrators_reach_the_queue_dashboard instead of object by object.
SKIPPED_NAMESPACES = ("django_rq:",)
SKIPPED_NAMES = {
    "set_language",        # Django's language switch (POST, no data)
    "javascript-catalog",  # the translation catalogue for scripts, public by design
    "wagtail_serve",       # Wagtail pages, tested by each app's page tests
}
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<rename>\w+)>")


def our_routes():
    for route in all_routes():
        if route.route.startswith(SKIPPED_PREFIXES) or route.name in SKIPPED_NAMES:
            continue
        if route.name.startswith(SKIPPED_NAMESPACES):
            continue
        if route.name.startswith("^") or route.name == route.route:
            continue  # unnamed catch-alls (Wagtail's page serving)
        yield route


def route_kwargs(route, world, entry):
    if route.name in permissions.ROUTE_KWARGS:
        return permissions.ROUTE_KWARGS[route.name](world)
    names = [m.group("name") or m.group("rename") for m in PARAM.finditer(route.route)]
    return {name: permissions.KWARGS[name](world) for name in names}


def outcome(response):
    if response.status_code in (301, 302):
        location = urlparse(response["Location"]).path
        if location.startswith((reverse(settings.LOGIN_URL), "/cms/login/")):
            return "login"
        return 302
    return response.status_code


def test_every_url_has_expectations():
    missing = sorted({route.name for route in our_routes()} - set(permissions.EXPECTED))
    assert not missing, (
        "These URLs have no entry in tests/security/permissions.py EXPECTED. Add one saying "
        "what each role gets (run the matrix with PERMISSION_MATRIX_DISCOVER=1 to see the "
        "current behaviour, then check it):\n" + "\n".join(missing))


def test_expectations_name_only_existing_urls():
    stale = sorted(set(permissions.EXPECTED) - {route.name for route in our_routes()})
    assert not stale, f"EXPECTED names URLs that no longer exist: {stale}"


def actual_table(client, world, routes):
    users = {role: world.people.get(role) for role in permissions.ROLES}
    table = {}
    for route in routes:
        entry = permissions.EXPECTED.get(route.name, {})
        try:
            url = reverse(route.name, kwargs=route_kwargs(route, world, entry))
        except KeyError as missing:
            table[route.name] = f"no URL argument {missing} in permissions.KWARGS"
            continue
        method = entry.get("method")
        if method is None:  # POST-only views: their access check is what matters
            client.force_login(users["admin"])
            method = "post" if client.get(url).status_code == 405 else "get"
        row = {}
        for role in permissions.ROLES:
            client.logout()
            if users[role] is not None:
                client.force_login(users[role])
            data = permissions.ROUTE_DATA.get(route.name, lambda w: {})(world)
            response = client.post(url, data) if method == "post" else client.get(url)
            row[role] = outcome(response)
        table[route.name] = row
    return table


def matches(expected, got):
    if isinstance(expected, (set, frozenset, tuple)):
        return got in expected
    return expected == got


APPS = sorted({route.name.split(":")[0] if ":" in route.name else "site"
               for route in our_routes()})


@pytest.mark.parametrize("app", APPS)
def test_permission_matrix(client, org, people, app):
    world = World(org, people)
    routes = [route for route in our_routes()
              if (route.name.split(":")[0] if ":" in route.name else "site") == app]
    actual = actual_table(client, world, routes)
    if os.environ.get("PERMISSION_MATRIX_DISCOVER"):
        for name, row in actual.items():
            print(f"    {name!r}: {row!r},")
        return
    wrong = []
    for name, row in actual.items():
        expected = permissions.EXPECTED.get(name)
        if expected is None:
            continue  # reported by test_every_url_has_expectations
        if not isinstance(row, dict):
            wrong.append(f"{name}: {row}")
            continue
        diff = {role: f"expected {expected.get(role)}, got {got}" for role, got in row.items()
                if not matches(expected.get(role), got)}
        if diff:
            wrong.append(f"{name}: {diff}")
    assert not wrong, "Permission matrix mismatches:\n" + "\n".join(wrong)


def test_only_administrators_reach_the_queue_dashboard(client, people):
    routes = [route for route in all_routes() if route.name.startswith("django_rq:")]
    assert routes, "the RQ dashboard is expected to be mounted"
    for route in routes:
        try:
            url = reverse(route.name, kwargs=permissions.ROUTE_KWARGS.get(
                route.name, lambda w: {name: permissions.KWARGS[name](None)
                                       for name in PARAM_NAMES(route)})(None))
        except Exception:  # noqa: BLE001 - a route we cannot build is reported below
            pytest.fail(f"cannot build a URL for {route.name}")
        for role in ("anonymous", "officer", "manager", "organizer", "trainer"):
            client.logout()
            if role != "anonymous":
                client.force_login(people[role])
            got = outcome(client.get(url))
            assert got in ("login", 403, 302) and got != 200, (route.name, role, got)
            if got == 302:
                assert "/ops/rq/" not in client.get(url)["Location"], (route.name, role)


def PARAM_NAMES(route):
    return [m.group("name") or m.group("rename") for m in PARAM.finditer(route.route)]


# --- The Wagtail admin (/cms/): a sample of its pages, and the viewsets holding our data -----

CMS_SAMPLE = ["wagtailadmin_home", "wagtailadmin_explore_root", "wagtailadmin_reports:site_history",
              "wagtailsnippets_exams_question:list", "units:index", "officers:index",
              "wagtailusers_users:index", "wagtailusers_groups:index"]
CMS_NO_ACCESS = {"login", 302, 403}


def test_the_admin_is_closed_to_anonymous_visitors_officers_and_judges(client, people):
    for name in CMS_SAMPLE:
        url = reverse(name)
        for role in ("anonymous", "officer", "judge"):
            client.logout()
            if role != "anonymous":
                client.force_login(people[role])
            got = outcome(client.get(url))
            assert got in CMS_NO_ACCESS, (name, role, got)
            if got == 302:
                assert not client.get(url)["Location"].startswith(url), (name, role)


def test_only_administrators_manage_accounts_and_groups(client, people):
    for name in ("wagtailusers_users:index", "wagtailusers_groups:index"):
        for role in ("trainer", "organizer", "manager", "other_manager"):
            client.force_login(people[role])
            assert outcome(client.get(reverse(name))) in CMS_NO_ACCESS, (name, role)
        client.force_login(people["admin"])
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name, target", [
    ("units:edit", "unit"), ("units:history", "unit"), ("units:copy", "unit"),
    ("officers:edit", "officer"), ("officers:history", "officer"), ("officers:copy", "officer"),
])
def test_the_people_viewsets_hide_other_units(client, people, org, name, target):
    obj = org.east1 if target == "unit" else people["officer"].officer
    url = reverse(name, args=[obj.pk])
    client.force_login(people["other_manager"])
    assert refused(client.get(url)), name
    client.force_login(people["manager"])
    response = client.get(url)
    if name == "officers:copy":  # a copy is an addition: officers come by the roster import
        assert refused(response), name
    elif target == "officer":
        assert response.status_code == 200, name  # the manager's own officer
    else:
        assert response.status_code == 200 or refused(response), name  # units: view only
    client.force_login(people["admin"])
    assert client.get(url).status_code == 200, name


def refused(response):
    """Wagtail refuses with 403/404, or by sending the user back to the admin's home."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and urlparse(response["Location"]).path == "/cms/")
