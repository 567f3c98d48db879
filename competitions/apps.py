from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The contest set-up models the organizers edit in the management console.
ADMIN_MODELS = ("contest", "event", "rubric", "plantederror", "judgeassignment")


class CompetitionsConfig(AppConfig):
    name = "competitions"
    verbose_name = _("Skills contests")

    def ready(self):
        from people.roles import Role, extend_role

        permissions = [f"competitions.{action}_{model}" for model in ADMIN_MODELS
                       for action in ("view", "add", "change", "delete")]
        extend_role(Role.ORGANIZER, *permissions)
        extend_role(Role.ADMIN, *permissions)
