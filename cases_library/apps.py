from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesLibraryConfig(AppConfig):
    name = "cases_library"
    verbose_name = _("Typical cases")
