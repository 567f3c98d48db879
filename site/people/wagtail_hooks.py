"""Units and officers in the Wagtail admin, each limited to the user's scope."""
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.forms import movenodeform_factory
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage

from .models import Officer, Unit
from .roles import Role, has_role
from .scopes import visible_officers, visible_units


class ScopedIndexView(generic.IndexView):
    scope = None

    def get_base_queryset(self):
        return self.scope(self.request.user).select_related(*self.related)


class ScopedEditView(generic.EditView):
    scope = None

    def get_object(self, queryset=None):
        return super().get_object(self.scope(self.request.user))


class ScopedHistoryView(history.HistoryView):
    """An object's history (its audit entries), only for objects in the user's scope."""

    scope = None

    def get_base_object_queryset(self):
        return self.scope(self.request.user)


class ScopedUsageView(usage.UsageView):
    scope = None

    def get_base_object_queryset(self):
        return self.scope(self.request.user)


class ScopedCopyView(generic.CopyView):
    scope = None

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.scope(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


class UnitIndexView(ScopedIndexView):
    scope = staticmethod(visible_units)
    related = ()


class UnitEditView(ScopedEditView):
    scope = staticmethod(visible_units)


class UnitViewSet(ModelViewSet):
    model = Unit
    icon = "group"
    menu_label = pgettext_lazy("admin menu", "Units")
    index_view_class = UnitIndexView
    edit_view_class = UnitEditView
    history_view_class = type("UnitHistoryView", (ScopedHistoryView,),
                              {"scope": staticmethod(visible_units)})
    usage_view_class = type("UnitUsageView", (ScopedUsageView,),
                            {"scope": staticmethod(visible_units)})
    copy_view_class = type("UnitCopyView", (ScopedCopyView,),
                           {"scope": staticmethod(visible_units)})
    list_display = [Column("indented_name", label=_("name"), accessor="indented_name"),
                    "code", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code", "short_name"]
    search_backend_name = None
    ordering = ["path"]

    def get_form_class(self, for_update=False):
        return movenodeform_factory(Unit, fields=["name", "short_name", "code", "level",
                                                  "is_active"])


class OfficerAdminForm(WagtailAdminModelForm):
    """An officer in the admin, within the editor's scope.

    The unit may only be one the editor sees. Only an administrator links a user account
    (managers add officers with the roster import, which makes the account). Nobody but an
    administrator changes their own unit or status: a manager could otherwise move
    themselves to the top of the tree and see everything.
    """

    class Meta:
        model = Officer
        fields = ["user", "name", "unit", "badge_number", "position", "hire_date", "status",
                  "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        is_admin = user is not None and has_role(user, Role.ADMIN)
        self.fields["unit"].queryset = visible_units(user) if user else Unit.objects.none()
        if not is_admin:
            del self.fields["user"]
            if self.instance.pk and user is not None and self.instance.user_id == user.pk:
                for name in ("unit", "status"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Only an administrator changes your own "
                                                    "unit or status.")


class OfficerIndexView(ScopedIndexView):
    scope = staticmethod(visible_officers)
    related = ("unit", "user")


class OfficerEditView(ScopedEditView):
    scope = staticmethod(visible_officers)


class OfficerViewSet(ModelViewSet):
    model = Officer
    icon = "user"
    menu_label = _("Officers")
    index_view_class = OfficerIndexView
    edit_view_class = OfficerEditView
    history_view_class = type("OfficerHistoryView", (ScopedHistoryView,),
                              {"scope": staticmethod(visible_officers)})
    usage_view_class = type("OfficerUsageView", (ScopedUsageView,),
                            {"scope": staticmethod(visible_officers)})
    copy_view_class = type("OfficerCopyView", (ScopedCopyView,),
                           {"scope": staticmethod(visible_officers)})
    list_display = ["name", "badge_number", "unit", "position", "hire_date", "status"]
    list_filter = ["status", "unit__level", "hire_date"]
    search_fields = ["name", "badge_number", "unit__name", "position"]
    search_backend_name = None
    list_export = ["name", "badge_number", "unit", "position", "hire_date", "status"]

    def get_form_class(self, for_update=False):
        return OfficerAdminForm


class PeopleViewSetGroup(ViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 300
    items = (UnitViewSet("units"), OfficerViewSet("officers"))


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()
