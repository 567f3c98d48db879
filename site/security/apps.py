from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security and audit")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the audit signal receivers
        from . import session_auth  # noqa: F401 - records the password fingerprint at sign-in
