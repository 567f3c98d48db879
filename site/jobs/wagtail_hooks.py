"""The job records in the Wagtail admin, for administrators (errors and tracebacks)."""
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Job


class JobViewSet(ModelViewSet):
    model = Job
    icon = "cogs"
    menu_label = _("Background jobs")
    add_to_settings_menu = True
    list_display = ["label", "owner", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "kind", "queue"]
    search_fields = ["kind", "input_name", "error"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = ["kind", "owner", "status", "progress", "message", "params", "result",
                           "error", "traceback", "attempts", "created_at", "started_at",
                           "finished_at"]
    form_fields = ["status", "message"]
    create_view_enabled = False


@hooks.register("register_admin_viewset")
def register_job_viewset():
    return JobViewSet("job_records")
