"""Typical cases in the management console: annotations can be reviewed and removed."""
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Annotation


class AnnotationViewSet(ModelViewSet):
    model = Annotation
    icon = "comment"
    menu_label = _("Case annotations")
    add_to_admin_menu = True
    menu_order = 460
    form_fields = ["kind", "comment"]
    list_display = ["__str__", "case", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["quote", "comment"]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return AnnotationViewSet("case_annotations")
