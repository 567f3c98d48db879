from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: health checks, the outage page, structured logs, backups, queue dashboard."""

    name = "ops"
    verbose_name = _("Operations")
