"""Sign-in throttling with django-axes: which address a request comes from."""
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
