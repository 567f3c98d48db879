from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Qualification certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from exams.models import Attempt
        from people.roles import Role, extend_role

        from . import checks  # noqa: F401  (registers the settings checks)
        from .issuing import attempt_saved

        post_save.connect(attempt_saved, sender=Attempt,
                          dispatch_uid="certificates.attempt_saved")
        # Certificates and their requests are never deleted (a certificate is revoked, its
        # history kept); qualification settings may be.
        certificates = [f"certificates.{action}_{model}"
                        for model in ("certificate", "issuerequest", "qualificationsetting")
                        for action in ("view", "add", "change", "delete")
                        if action != "delete" or model == "qualificationsetting"]
        extend_role(Role.ORGANIZER, *certificates)
        extend_role(Role.ADMIN, *certificates)
        extend_role(Role.MANAGER, "certificates.view_certificate")
