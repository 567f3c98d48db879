"""Health endpoints for load balancers and monitors, and the guard of the queue dashboard."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from people.roles import Role, has_role

from . import health


def _reply(ok, details):
    return JsonResponse({"status": "ok" if ok else "unavailable", **details},
                        status=200 if ok else 503)


@never_cache
def health_full(request):
    """Everything the platform needs: database, Redis, workers on every queue, scheduler.

    200 when all answer, 503 otherwise. For monitoring and alerts: a 503 here means
    background work (exports, marking, deadlines) is not being done.
    """
    ok, details = health.report()
    return _reply(ok, details)


@never_cache
def health_web(request):
    """Whether this web machine can serve requests: only the database decides (200/503).

    For the load balancer. Redis and the workers are not needed to sit an exam, so their
    outage must not take every web machine out of rotation; they are reported only.
    """
    ok, details = health.report()
    return _reply(details["database"]["ok"], details)


def admin_only(view):
    """Let a view through only for active staff administrators (superusers or the admin role).

    Others signed in get 403; anonymous visitors are sent to the sign-in page.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff and has_role(user, Role.ADMIN)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
