"""
Operations URLs: /health/ and /health/web/ (no sign-in), and django-rq's queue dashboard
at /ops/rq/ for administrators only.

django-rq's pages are Django-admin templates; they link to a few `admin:` URL names, so
a tiny `admin` namespace maps those names to the platform's own pages. No Django admin
site is mounted (users, roles and data are managed in Wagtail's admin at /cms/).
"""
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from django_rq.urls import get_admin_urlpatterns, get_api_urlpatterns

from . import views


def _guarded(patterns):
    for pattern in patterns:
        pattern.callback = views.admin_only(pattern.callback)
    return patterns


# django-rq's statistics JSON also accepts an API token; here it is for administrators only.
rq_dashboard = (_guarded(get_api_urlpatterns()) + _guarded(get_admin_urlpatterns()), "django_rq")

admin_names = ([
    path("", views.admin_only(RedirectView.as_view(url=reverse_lazy("django_rq:home"))),
         name="index"),
    path("password/", RedirectView.as_view(url=reverse_lazy("password_change")),
         name="password_change"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
], "admin")

urlpatterns = [
    path("health/", views.health_full, name="health"),
    path("health/web/", views.health_web, name="health_web"),
    path("ops/rq/", include(rq_dashboard)),
    path("ops/", include(admin_names)),
]
