"""Certificates, qualification-exam settings and certificate requests in the Wagtail admin.

A certificate's status is never a plain form field here: the edit form offers the same
decisions as the front-end page (suspend, reinstate, revoke), each needing a reason, and
saves them through issuing.change_status so every change lands in the history. Certificates
and requests are never created in the admin (only by issuing, renewal or the import).
"""
from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from people.scopes import visible_officers
from people.wagtail_hooks import ScopedHistoryView, ScopedUsageView

from . import issuing
from .forms import StatusDecision
from .models import Certificate, IssueRequest, QualificationSetting


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(
            officer__in=visible_officers(self.request.user)).select_related("officer")

    def get_add_url(self):
        return None  # made by issuing, renewal or the import only


class NoCreateView(generic.CreateView):
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class ScopedEditView(generic.EditView):
    def get_object(self, queryset=None):
        return super().get_object(self.model.objects.filter(
            officer__in=visible_officers(self.request.user)))


class NeverDeletedPolicy(ModelPermissionPolicy):
    """Django's model permissions, except that nobody may delete (no button, no view)."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


register_permission_policy(Certificate, NeverDeletedPolicy(Certificate))
register_permission_policy(IssueRequest, NeverDeletedPolicy(IssueRequest))


class NoDeleteView(generic.DeleteView):
    """Certificates and requests are never deleted, not even by a superuser: a certificate
    is revoked (its history and public verification stay), a request is refused."""

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


def _scoped(model):
    """The objects of `model` (certificates, requests) of the officers a user may see."""
    return lambda user: model.objects.filter(officer__in=visible_officers(user))


class CertificateAdminForm(WagtailAdminModelForm):
    """The admin's certificate form: the status changes only by a decision with a reason."""

    status_decision = forms.ChoiceField(label=_("Change the status"), required=False)
    status_reason = forms.CharField(label=_("Reason for the status change"), required=False,
                                    max_length=300)

    class Meta:
        model = Certificate
        fields = ["granted_by_decision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cert = self.instance
        own = self.for_user is not None and cert.pk and cert.officer.user_id == self.for_user.pk
        # Nobody decides on their own certificate: another organizer does.
        allowed = set(issuing.allowed_decisions(cert)) if cert.pk and not own else set()
        field = self.fields["status_decision"]
        field.choices = [("", _("No change"))] + [
            (value, label) for value, label in StatusDecision.choices if value in allowed]
        if cert.pk:
            field.help_text = _("Current status: %(status)s. The change and its reason are "
                                "kept in the certificate's history.") % {
                "status": cert.current_status.label}

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("status_decision")
        cleaned["status_reason"] = (cleaned.get("status_reason") or "").strip()
        if decision and not cleaned["status_reason"]:
            self.add_error("status_reason", _("Give the reason for this decision."))
        return cleaned


class CertificateEditView(ScopedEditView):
    def save_instance(self):
        instance = super().save_instance()
        decision = self.form.cleaned_data.get("status_decision")
        if decision:
            instance = issuing.change_status(instance, decision, self.request.user,
                                             self.form.cleaned_data["status_reason"])
        return instance


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    index_view_class = ScopedIndexView
    add_view_class = NoCreateView
    edit_view_class = CertificateEditView
    delete_view_class = NoDeleteView
    history_view_class = type("CertificateHistoryView", (ScopedHistoryView,),
                              {"scope": staticmethod(_scoped(Certificate))})
    usage_view_class = type("CertificateUsageView", (ScopedUsageView,),
                            {"scope": staticmethod(_scoped(Certificate))})
    copy_view_enabled = False
    list_display = ["number", "officer", "issued_on", "valid_until", "status"]
    list_filter = ["status"]
    search_fields = ["number", "officer__name", "officer__badge_number"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return CertificateAdminForm


class IssueRequestViewSet(ModelViewSet):
    model = IssueRequest
    icon = "tasks"
    menu_label = _("Certificate requests")
    index_view_class = ScopedIndexView
    add_view_class = NoCreateView
    edit_view_class = ScopedEditView
    delete_view_class = NoDeleteView
    history_view_class = type("IssueRequestHistoryView", (ScopedHistoryView,),
                              {"scope": staticmethod(_scoped(IssueRequest))})
    usage_view_class = type("IssueRequestUsageView", (ScopedUsageView,),
                            {"scope": staticmethod(_scoped(IssueRequest))})
    copy_view_enabled = False
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
