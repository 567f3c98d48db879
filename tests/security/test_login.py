"""Sign-in: throttling and lockout (django-axes), password strength, session expiry."""
import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def fail(client, username, times, address="10.0.0.1", url=LOGIN, **extra):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong-password-1A"},
                               REMOTE_ADDR=address, **extra)
    return response


def sign_in(client, username, address="10.0.0.1", url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": PASSWORD},
                       REMOTE_ADDR=address, **extra)


def is_lockout_page(response):
    with translation.override("zh-hans"):
        title = translation.gettext("Sign-in paused")
    return response.status_code == 429 and title in response.content.decode()


@pytest.fixture
def officer(people):
    return people["officer"]


def test_the_limit_and_lockout_come_from_the_environment():
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_wrong_passwords_below_the_limit_still_let_the_right_one_in(client, officer):
    response = fail(client, "officer", settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200  # the form again, with an error
    assert sign_in(client, "officer").status_code == 302


def test_it_locks_a_user_name_out_after_the_limit_even_with_the_right_password(client, officer):
    response = fail(client, "officer", settings.AXES_FAILURE_LIMIT)
    assert is_lockout_page(response)
    response = sign_in(client, "officer")
    assert is_lockout_page(response)
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_in_chinese(client, officer):
    response = fail(client, "officer", settings.AXES_FAILURE_LIMIT,
                    HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 429
    assert 'lang="zh-hans"' in response.content.decode()
    assert "security/locked_out.html" in [template.name for template in response.templates]
    assert response.context["cooloff_minutes"] == 15


def test_lockout_is_per_user_name_and_address(client, people):
    fail(client, "officer", settings.AXES_FAILURE_LIMIT, address="10.0.0.1")
    # A colleague at the same address, and the same officer elsewhere, can still sign in.
    assert sign_in(client, "trainer", address="10.0.0.1").status_code == 302
    client.logout()
    assert sign_in(client, "officer", address="10.0.0.2").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, officer, settings):
    fail(client, "officer", settings.AXES_FAILURE_LIMIT)
    from axes.models import AccessAttempt
    from django.utils import timezone
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert sign_in(client, "officer").status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, officer):
    for number in range(settings.AXES_FAILURE_LIMIT):
        response = fail(client, "officer", 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert is_lockout_page(response)


def test_behind_the_proxy_the_last_forwarded_address_counts(client, officer, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = "10.9.9.9"
    for number in range(settings.AXES_FAILURE_LIMIT):
        response = fail(client, "officer", 1, address=proxy,
                        HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.7")
    assert is_lockout_page(response)
    # Another client behind the same proxy is not locked out.
    assert sign_in(client, "officer", address=proxy,
                   HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_the_management_console_sign_in_is_throttled_too(client, people):
    url = reverse("wagtailadmin_login")
    response = fail(client, "admin", settings.AXES_FAILURE_LIMIT, url=url)
    assert response.status_code == 429
    assert sign_in(client, "admin", url=url).status_code == 429


@pytest.mark.parametrize("password", [
    "short1A!",            # under 10 characters
    "abcdefghijkl",        # one class only
    "abcdefgh1234",        # two classes only
    "1234567890123",       # numeric
    "Password123",         # too common
])
def test_weak_passwords_are_refused(password, officer):
    with pytest.raises(ValidationError):
        validate_password(password, officer)


@pytest.mark.parametrize("password", ["Lianbing@2026", "执法检查2026abc", "Xk9-meadow-lantern"])
def test_strong_passwords_pass(password, officer):
    validate_password(password, officer)


def test_the_password_change_form_applies_the_rules(client_for, officer):
    client = client_for(officer)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "abcdefghijkl",
        "new_password2": "abcdefghijkl"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_a_session_lasts_eight_hours_and_ends_with_the_browser(client, officer):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    response = sign_in(client, "officer")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expiry_age() <= 8 * 3600


def test_signing_in_writes_the_session_once_and_skips_axes_clean_ups_it_does_not_need(
        client, officer):
    """At an exam's opening minute thousands sign in: the session is inserted once (no
    check that a fresh random key is free, no empty row rewritten), and with no failures on
    record axes has nothing to reset (only its count and its access log)."""
    from axes.models import AccessLog
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    logs = AccessLog.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        response = sign_in(client, "officer")
    assert response.status_code == 302
    sql = [q["sql"] for q in ctx.captured_queries]
    sessions = [s for s in sql if "django_session" in s]
    assert len(sessions) == 1 and sessions[0].startswith("INSERT"), sessions
    axes = [s for s in sql if "axes_accessattempt" in s]
    assert len(axes) == 1 and "SUM" in axes[0], axes  # the lockout check only
    assert AccessLog.objects.count() == logs + 1
    key = response.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.session.session_key == key
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_sign_in_after_failures_still_clears_them(client, officer):
    from axes.models import AccessAttempt

    fail(client, "officer", 2)
    assert AccessAttempt.objects.filter(username="officer").exists()
    assert sign_in(client, "officer").status_code == 302
    assert not AccessAttempt.objects.filter(username="officer").exists()


def test_a_taken_session_key_is_never_reused(client, officer, people, monkeypatch):
    """The key drawn at sign-in is not looked up first; were it taken, the INSERT fails
    and another is drawn — the other person's session is left as it was."""
    from django.contrib.sessions.models import Session
    from django.test import Client

    from ops import sessions

    other = Client()
    other.force_login(people["trainer"])
    taken = other.cookies[settings.SESSION_COOKIE_NAME].value
    before = Session.objects.get(session_key=taken).session_data
    keys = iter([taken])
    real = sessions.get_random_string
    monkeypatch.setattr(sessions, "get_random_string",
                        lambda *args: next(keys, None) or real(*args))
    response = sign_in(client, "officer")
    mine = response.cookies[settings.SESSION_COOKIE_NAME].value
    assert mine != taken
    assert Session.objects.get(session_key=taken).session_data == before
    assert other.get(reverse("dashboard")).status_code == 200
    assert int(client.session["_auth_user_id"]) == officer.pk
