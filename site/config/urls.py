from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("me/", home_views.dashboard, name="dashboard"),
    path("people/", include("people.urls")),
    path("jobs/", include("jobs.urls")),
    path("study/", include("content.urls")),
    path("cases/", include("cases_library.urls")),
    path("exams/", include("exams.urls")),
    path("certificates/", include("certificates.urls")),
    path("contests/", include("competitions.urls")),
    path("manage/", include("home.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include("ops.urls"))]  # /health/, /ops/rq/
urlpatterns += [path("", include(wagtail_urls))]

# A lost database connection answers 503 (ops/unavailable.py), anything else 500.
handler500 = "ops.unavailable.server_error"
