from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesLibraryConfig(AppConfig):
    name = "cases_library"
    verbose_name = _("Typical cases")

    def ready(self):
        from people.roles import Role, extend_role

        extend_role(Role.TRAINER, "cases_library.view_annotation",
                    "cases_library.change_annotation", "cases_library.delete_annotation")
