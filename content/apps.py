from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Study material")

    def ready(self):
        from people.roles import Role, extend_role

        extend_role(Role.TRAINER, "content.view_article", "content.view_assignment",
                    "content.add_assignment", "content.change_assignment",
                    "content.delete_assignment", "wagtaildocs.add_document",
                    "wagtaildocs.change_document", "wagtaildocs.choose_document",
                    "wagtailimages.add_image", "wagtailimages.choose_image")
        extend_role(Role.MANAGER, "content.view_studyrequirement", "content.view_assignment")
        extend_role(Role.ADMIN, "content.view_studyrequirement", "content.add_studyrequirement",
                    "content.change_studyrequirement", "content.delete_studyrequirement",
                    "content.view_article", "content.change_article")
