"""The study material's place in the management console (Wagtail admin)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .article_chooser import ArticleChooserViewSet
from .models import Article, Assignment, StudyRequirement
from .question_chooser import question_chooser_viewset


class ArticleViewSet(SnippetViewSet):
    """Articles are chosen in cases and lessons; searched by substring (Chinese has no spaces)."""

    model = Article
    icon = "openquote"
    menu_label = _("Articles")
    list_display = ["__str__", "chapter"]
    search_fields = ["text", "law__title", "law__short_title"]
    search_backend_name = None
    list_per_page = 50
    chooser_viewset_class = ArticleChooserViewSet
    chooser_per_page = 20


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    icon = "tasks"
    menu_label = _("Study assignments")
    form_fields = ["page", "units", "role", "due_date"]
    list_display = ["__str__", "role", "due_date"]


class RequirementViewSet(ModelViewSet):
    model = StudyRequirement
    icon = "time"
    menu_label = _("Study requirements")
    form_fields = ["name", "kind", "hours", "within_days", "active"]
    list_display = ["name", "kind", "hours", "within_days", "active"]


class StudyViewSetGroup(ViewSetGroup):
    menu_label = _("Study material")
    menu_icon = "doc-full-inverse"
    items = (AssignmentViewSet, RequirementViewSet)


register_snippet(ArticleViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return StudyViewSetGroup()


@hooks.register("register_admin_viewset")
def register_question_chooser():
    """The chooser of self-check questions for lessons and cases (content/question_chooser.py)."""
    return question_chooser_viewset


@hooks.register("register_admin_menu_item")
def law_import_menu_item():
    return MenuItem(_("Import law text"), reverse("content:law_import"), icon_name="upload",
                    order=450)
