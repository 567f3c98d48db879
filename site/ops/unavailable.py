"""
The answer when the database is briefly unreachable: 503, never a 500.

A lost database connection (a restart, a failover, a network blip) raises
OperationalError or InterfaceError. Instead of the generic error page, the visitor gets
a short "try again in a moment" page with a Retry-After header, and a JSON client (the
exam page's autosave) gets {"ok": false, "retry": true} with status 503, which it treats
as retryable: the answer stays in the browser and is sent again with back-off.

The page is rendered without a request context, so it never touches the database (no
session, no user, no context processors). `DatabaseUnavailableMiddleware` catches the
errors raised by views; `server_error` (the project's handler500) catches those raised
elsewhere, e.g. by the session middleware saving a session.
"""
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)


def wants_json(request):
    accept = request.headers.get("Accept", "")
    return (request.content_type == "application/json" or "application/json" in accept
            or request.headers.get("X-Requested-With") == "XMLHttpRequest")


def unavailable_response(request):
    """Return the 503 answer (JSON or a page) without using the database."""
    if wants_json(request):
        response = JsonResponse({
            "ok": False, "retry": True, "code": "unavailable",
            "error": _("The service is briefly unavailable. Your answer is kept and will be "
                       "sent again automatically."),
        }, status=503)
    else:
        response = HttpResponse(render_to_string("ops/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _log(request, exc):
    log.error("database unavailable: %s", type(exc).__name__,
              extra={"status_code": 503, "method": request.method, "path": request.path,
                     "error": str(exc)[:300]})


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection raised by a view into a 503 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            _log(request, exception)
            return unavailable_response(request)
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a 503 answer for a lost database connection, else the usual 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        _log(request, exc)
        return unavailable_response(request)
    return defaults.server_error(request, template_name)
