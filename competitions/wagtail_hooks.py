"""
Contest set-up in the management console (技能竞赛): contests, events, rubrics, answer
keys and judge assignments — for organizers only (the competitions permissions are
granted to the organizer role in apps.py; judges and contestants have no console
access, so they never reach an answer key).

Every list shows only the contests whose organizer unit lies in the organizer's scope.
A rubric's definition is checked by rubric_spec.validate_definition before it is saved.
"""
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views import generic

from ops.i18n_text import join_list
from people.roles import Role
from people.scopes import visible_units

from .models import (Contest, EntryStatus, Event, JudgeAssignment, PlantedError, Rubric,
                     Submission)
from .rubric_spec import validate_definition
from .scoring_types import InvalidScoring


def _scoped(queryset, user, path):
    return queryset.filter(**{f"{path}organizer_unit__in": visible_units(user)})


def scoped_views(path):
    """Return (index, edit, delete) view classes limited to the user's contests."""

    class Index(generic.IndexView):
        def get_base_queryset(self):
            return _scoped(super().get_base_queryset(), self.request.user, path)

    class Edit(generic.EditView):
        def get_object(self, queryset=None):
            return super().get_object(_scoped(self.model.objects.all(), self.request.user, path))

    class Delete(generic.DeleteView):
        def get_object(self, queryset=None):
            return super().get_object(_scoped(self.model.objects.all(), self.request.user, path))

    return Index, Edit, Delete


class ScopedForm(forms.ModelForm):
    """A form whose contest / event choices are limited to the user's contests."""

    contest_path = ""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "contest" in self.fields:
            self.fields["contest"].label = _("Contest")
        if "event" in self.fields:
            self.fields["event"].label = _("Event")
        if for_user is None:
            return
        units = visible_units(for_user)
        if "contest" in self.fields:
            self.fields["contest"].queryset = Contest.objects.filter(organizer_unit__in=units)
        if "event" in self.fields:
            self.fields["event"].queryset = Event.objects.filter(
                contest__organizer_unit__in=units).select_related("contest")
        for name in ("organizer_unit", "participating_units", "best_organisation_unit"):
            if name in self.fields:
                self.fields[name].queryset = units


class ContestForm(ScopedForm):
    class Meta:
        model = Contest
        fields = ["name", "series", "year", "organizer_unit", "participating_units",
                  "description", "starts_on", "ends_on", "team_size", "team_score_rule",
                  "prize_levels", "prize_cap_per_unit", "team_award_rule", "team_prize_levels",
                  "award_points", "tie_break", "tie_rule", "results_visibility",
                  "best_organisation_unit", "best_organisation_reason"]


class EventForm(ScopedForm):
    class Meta:
        model = Event
        fields = ["contest", "name", "kind", "sort_order", "weight", "max_points", "brief",
                  "brief_file", "case", "exam", "open_to_outsiders", "rubric", "locations",
                  "aggregation", "trim_from", "tolerance_points", "tolerance_share",
                  "partial_share", "penalty_kind", "penalty_value", "prize_levels",
                  "prize_cap_per_unit", "opens_at", "closes_at"]

    def clean_locations(self):
        value = self.cleaned_data.get("locations") or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise forms.ValidationError(_("Give the locations as a list of texts, e.g. "
                                          "[\"询问笔录第2页\", \"处罚决定书\"]."))
        return [v.strip() for v in value if v.strip()]


class RubricForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ["name", "description", "definition"]

    def clean_definition(self):
        definition = self.cleaned_data.get("definition")
        try:
            validate_definition(definition)
        except InvalidScoring as error:
            raise forms.ValidationError(str(error)) from None
        return definition


class PlantedErrorForm(ScopedForm):
    class Meta:
        model = PlantedError
        fields = ["event", "code", "location", "category", "points", "description"]

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event")
        location = cleaned.get("location")
        if event is not None and event.locations and location not in event.locations:
            self.add_error("location", _("Use one of the event's locations: %(places)s")
                           % {"places": join_list(event.locations)})
        return cleaned


class JudgeAssignmentForm(ScopedForm):
    class Meta:
        model = JudgeAssignment
        fields = ["event", "judge", "is_chief", "seat", "role", "submissions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = get_user_model().objects.filter(
            groups__name=Role.JUDGE).select_related("officer").order_by("username")
        self.fields["judge"].label_from_instance = lambda u: (
            f"{u.officer.name}（{u.username}）" if hasattr(u, "officer") else u.username)
        event_id = self.instance.event_id if self.instance.pk else None
        # Organizers choose subsets by blind code, never by name; only approved entries
        # are judged (one already chosen stays listed with its status, so saving keeps it).
        chosen = (self.instance.submissions.values("pk") if self.instance.pk
                  else Submission.objects.none())
        self.fields["submissions"].queryset = Submission.objects.filter(
            Q(entry__status=EntryStatus.APPROVED) | Q(pk__in=chosen),
            event_id=event_id).select_related("entry")
        self.fields["submissions"].label_from_instance = lambda s: (
            s.entry.blind_code if s.entry.status == EntryStatus.APPROVED
            else f"{s.entry.blind_code}（{s.entry.get_status_display()}）")
        self.fields["submissions"].help_text = _(
            "Save the assignment first; then the event's entries can be chosen by blind code. "
            "Leave empty to mark every submission of the event.")


def _form_kwargs_mixin(view_class):
    class WithUser(view_class):
        def get_form_kwargs(self):
            kwargs = super().get_form_kwargs()
            kwargs["for_user"] = self.request.user
            return kwargs

    return WithUser


def _viewset(model_, form, path, icon, label, display, filters=(), search=()):
    index, edit, delete = scoped_views(path)

    class ViewSet(ModelViewSet):
        model = model_
        menu_label = label
        index_view_class = index
        edit_view_class = _form_kwargs_mixin(edit)
        add_view_class = _form_kwargs_mixin(generic.CreateView)
        delete_view_class = delete
        copy_view_enabled = False
        list_display = display
        list_filter = list(filters)
        search_fields = list(search) or None
        search_backend_name = None
        inspect_view_enabled = False

        def get_form_class(self, for_update=False):
            return form

    ViewSet.icon = icon
    ViewSet.__name__ = f"{model_.__name__}ViewSet"
    return ViewSet


ContestViewSet = _viewset(Contest, ContestForm, "", "calendar-check", _("Contests"),
                          ["name", "year", "status", "organizer_unit"], ["status", "year"],
                          ["name"])
EventViewSet = _viewset(Event, EventForm, "contest__", "list-ol", _("Events"),
                        ["name", "contest", "kind", "weight", "aggregation"],
                        ["kind", "contest"], ["name"])
PlantedErrorViewSet = _viewset(PlantedError, PlantedErrorForm, "event__contest__", "key",
                               _("Answer keys"),
                               ["code", "event", "location", "category", "points"],
                               ["event"])
JudgeAssignmentViewSet = _viewset(JudgeAssignment, JudgeAssignmentForm, "event__contest__",
                                  "user", _("Judge assignments"),
                                  ["event", "judge", "seat", "role", "is_chief"], ["event"])


class RubricViewSet(ModelViewSet):
    model = Rubric
    icon = "list-ul"
    menu_label = _("Rubrics")
    copy_view_enabled = True
    inspect_view_enabled = False
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return RubricForm


class ContestViewSetGroup(ViewSetGroup):
    menu_label = _("Skills contests")
    menu_icon = "clipboard-list"
    menu_order = 460
    items = (ContestViewSet("contests"), EventViewSet("contest_events"),
             RubricViewSet("contest_rubrics"), PlantedErrorViewSet("contest_answer_keys"),
             JudgeAssignmentViewSet("contest_judges"))


@hooks.register("register_admin_viewset")
def register_contest_viewsets():
    return ContestViewSetGroup()
