"""Certificates, qualification-exam settings and certificate requests in the Wagtail admin."""
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views import generic

from people.scopes import visible_officers

from .models import Certificate, IssueRequest, QualificationSetting


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(
            officer__in=visible_officers(self.request.user)).select_related("officer")


class ScopedEditView(generic.EditView):
    def get_object(self, queryset=None):
        return super().get_object(self.model.objects.filter(
            officer__in=visible_officers(self.request.user)))


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    list_display = ["number", "officer", "issued_on", "valid_until", "status"]
    list_filter = ["status"]
    search_fields = ["number", "officer__name", "officer__badge_number"]
    search_backend_name = None
    form_fields = ["status", "granted_by_decision"]


class IssueRequestViewSet(ModelViewSet):
    model = IssueRequest
    icon = "tasks"
    menu_label = _("Certificate requests")
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    list_display = ["officer", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    form_fields = ["reason"]
    add_to_admin_menu = False


class QualificationSettingViewSet(ModelViewSet):
    model = QualificationSetting
    icon = "cog"
    menu_label = _("Qualification exam settings")
    list_display = ["exam", "requires_approval", "validity_years"]
    form_fields = ["exam", "requires_approval", "validity_years"]


class CertificateViewSetGroup(ViewSetGroup):
    menu_label = _("Qualification certificates")
    menu_icon = "doc-full"
    menu_order = 450
    items = (CertificateViewSet("qualification_certificates"), IssueRequestViewSet("certificate_requests"),
             QualificationSettingViewSet("qualification_settings"))


@hooks.register("register_admin_viewset")
def register_certificate_viewsets():
    return CertificateViewSetGroup()
