"""Sign-in throttling with django-axes: which address a request comes from, the lockout
page, and the database handler (AXES_HANDLER)."""
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """Return the client's address for counting failed sign-ins.

    Behind our HTTPS proxy (BEHIND_HTTPS_PROXY) the proxy appends the real client address
    to X-Forwarded-For, so the last entry is the one to trust; anything before it was sent
    by the client and could be forged. Without a proxy, the socket address is the truth.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """Return the page shown instead of signing in while a user name is locked out (429)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "security/locked_out.html", context,
                  status=settings.AXES_HTTP_RESPONSE_CODE)


class AttemptsHandler(AxesDatabaseHandler):
    """django-axes' database handler, minus two clean-ups a clean sign-in does not need.

    Before every sign-in axes sums the user's recent failures (one query). When it found
    none, the successful sign-in that follows has no failures to reset, and the sweep of
    expired attempts is left to the next failed sign-in (axes runs it there too): each is
    a SELECT and a DELETE, four round trips in all on every sign-in — three thousand of
    them at an exam's opening minute. The access log of successful sign-ins is still
    written. After any failure the full axes behaviour applies unchanged.
    """

    def get_failures(self, request, credentials=None):
        count = super().get_failures(request, credentials)
        if request is not None:
            request._lianbing_failures = count
        return count

    def user_logged_in(self, sender, request, user, **kwargs):
        if request is None:  # a sign-in outside a request: nothing to log or reset
            return None
        request._lianbing_clean_sign_in = getattr(request, "_lianbing_failures", None) == 0
        try:
            super().user_logged_in(sender, request, user, **kwargs)
        finally:
            request._lianbing_clean_sign_in = False

    def clean_expired_user_attempts(self, request=None, credentials=None):
        if getattr(request, "_lianbing_clean_sign_in", False):
            return 0
        return super().clean_expired_user_attempts(request, credentials)

    def reset_user_attempts(self, request, credentials=None):
        if getattr(request, "_lianbing_clean_sign_in", False):
            return 0
        return super().reset_user_attempts(request, credentials)
