from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams and question bank")

    def ready(self):
        from people.roles import Role, extend_role

        bank = [f"exams.{action}_{model}" for model in ("question", "category", "paper")
                for action in ("view", "add", "change", "delete")]
        extend_role(Role.TRAINER, *bank)
        extend_role(Role.ORGANIZER, *bank)
        exams = [f"exams.{action}_{model}" for model in ("exam", "examoverride", "monthlyplan")
                 for action in ("view", "add", "change", "delete")]
        extend_role(Role.ORGANIZER, *exams)
        extend_role(Role.ADMIN, *bank, *exams)
