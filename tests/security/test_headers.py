"""Production settings: `check --deploy` is clean, security headers, CSP, CSRF on every view."""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse

from security.csp import script_hash

from .routes import all_routes

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "lianbing.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://lianbing.example.gov.cn",
    "SITE_URL": "https://lianbing.example.gov.cn",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "BEHIND_HTTPS_PROXY": "true",
    "LIANBING_PRODUCTION": "1",
    "LIANBING_REQUIRE_SECRET_KEY": "1",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "LIANBING_VAR_DIR": str(tmp_path / "var"),
        "LOG_FORMAT": "plain",
        **PRODUCTION_ENV,
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    script_src = re.search(r"script-src ([^;]*)", policy).group(1).split()
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src


def test_the_management_console_gets_its_own_policy(client_for, people):
    client = client_for(people["admin"])
    response = client.get("/cms/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "object-src 'none'" in policy


def test_hsts_is_sent_over_https_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == \
        "max-age=31536000; includeSubDomains; preload"


def test_csp_can_be_report_only(client, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get(reverse("login"))
    assert "Content-Security-Policy" not in response
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]


# --- Inline scripts must be allowed by the policy, or the browser refuses them ------------

SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<code>.*?)</script>", re.S | re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def template_files():
    for engine in engines.all():
        for directory in engine.template_dirs:
            path = Path(directory)
            if ROOT in path.parents and ".venv" not in path.parts:
                yield from path.rglob("*.html")


def test_every_inline_script_in_our_templates_is_allowed_by_the_policy():
    allowed = {script_hash(code) for code in settings.CSP_INLINE_SCRIPTS}
    refused = []
    for path in template_files():
        text = path.read_text()
        snippets = [m.group("code") for m in SCRIPT.finditer(text)
                    if "src=" not in m.group("attrs") and "json" not in m.group("attrs")
                    and m.group("code").strip()]
        snippets += [a or b for a, b in HANDLER.findall(text)]
        for code in snippets:
            if "{{" in code or "{%" in code or script_hash(code) not in allowed:
                refused.append(f"{path.relative_to(ROOT)}: {code[:80]!r}")
    assert not refused, (
        "These inline scripts or event handlers would be blocked by the Content-Security-"
        "Policy. Move them to a static .js file (best), or add the exact code to "
        "CSP_INLINE_SCRIPTS in site/config/settings.py:\n" + "\n".join(refused))


# --- CSRF ------------------------------------------------------------------------------

# Views that may skip Django's CSRF check, and why.
CSRF_EXEMPT_ALLOWED = {
    # Wagtail's admin API (Django REST framework): DRF's SessionAuthentication enforces
    # CSRF itself for signed-in requests; the views are read-only listings.
    "wagtailadmin_api:",
}


def test_no_view_skips_the_csrf_check_except_the_listed_ones():
    exempt = [route.name for route in all_routes()
              if getattr(route.callback, "csrf_exempt", False)
              and not any(route.name.startswith(prefix) for prefix in CSRF_EXEMPT_ALLOWED)]
    assert not exempt, (
        f"These views are csrf_exempt: {exempt}. Remove the exemption, or add the view to "
        "CSRF_EXEMPT_ALLOWED in tests/security/test_headers.py with the reason it is safe.")


@pytest.fixture
def csrf_client(client):
    client.handler.enforce_csrf_checks = True
    return client


@pytest.mark.parametrize("name", ["logout", "password_change", "set_language"])
def test_posts_without_a_csrf_token_are_refused(csrf_client, people, name):
    csrf_client.force_login(people["officer"])
    response = csrf_client.post(reverse(name), {"language": "en"})
    assert response.status_code == 403


def test_sign_in_without_a_csrf_token_is_refused(csrf_client, people):
    response = csrf_client.post(reverse("login"), {"username": "officer", "password": "x"})
    assert response.status_code == 403


def test_the_admin_api_refuses_a_signed_in_post_without_a_token(csrf_client, people):
    csrf_client.force_login(people["admin"])
    response = csrf_client.post("/cms/api/main/pages/2/action/copy/", {},
                                content_type="application/json")
    assert response.status_code == 403
