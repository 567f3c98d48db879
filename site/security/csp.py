"""Content-Security-Policy header: the browser runs only the platform's own scripts.

Django 5.2 has no CSP support of its own. The front end's policy allows scripts from our
static files plus the few inline snippets listed in settings.CSP_INLINE_SCRIPTS
(allowed by their hashes) (tests/security/test_headers.py fails when a template
gains an inline script or event handler that is not listed). The Wagtail admin under
/cms/ uses inline scripts of its own, so it gets settings.CSP_ADMIN_POLICY, which allows
them; everything else (objects, framing by other sites, foreign hosts) is still refused.
"""
import base64
import hashlib

from django.conf import settings


def script_hash(code):
    """Return the CSP source expression ('sha256-…') that allows one inline script."""
    digest = hashlib.sha256(code.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def header_value(policy, inline_scripts=()):
    """Return the header text for `policy`, allowing `inline_scripts` by their hashes."""
    policy = {directive: list(sources) for directive, sources in policy.items()}
    if inline_scripts and "'unsafe-inline'" not in policy.get("script-src", []):
        # 'unsafe-hashes' lets a hash allow an event-handler attribute (onchange="…") too.
        policy.setdefault("script-src", ["'self'"])
        policy["script-src"] += ["'unsafe-hashes'", *map(script_hash, inline_scripts)]
    return "; ".join(f"{directive} {' '.join(sources)}".strip()
                     for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.site = header_value(settings.CSP_POLICY, settings.CSP_INLINE_SCRIPTS)
        self.admin = header_value(settings.CSP_ADMIN_POLICY)
        self.name = ("Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY
                     else "Content-Security-Policy")
        self.admin_prefixes = tuple(settings.CSP_ADMIN_PATH_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.CSP_ENABLED or self.name in response:
            return response
        admin = request.path.startswith(self.admin_prefixes)
        response[self.name] = self.admin if admin else self.site
        return response
