"""The question bank in the Wagtail admin: categories, questions (with versions), papers."""
import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from treebeard.forms import movenodeform_factory
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel,
                                  ObjectList)
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import (CHOICE_TYPES, Category, Exam, ExamOverride, MonthlyPlan, Paper, PaperKind,
                     Question, QuestionStatus, QuestionType, QuestionVersion)
from .normalize import fingerprint, normalize_answer
from .papers import check_blueprint, freeze_fixed_items, paper_summary
from .sitting import eligible_officers
from .versions import sync_version


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Categories")
    list_display = [Column("indented_name", label=gettext_lazy("name"), accessor="indented_name")]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["path"]

    def get_form_class(self, for_update=False):
        return movenodeform_factory(Category, fields=["name"])


class QuestionFilterSet(WagtailFilterSet):
    used = django_filters.BooleanFilter(label=gettext_lazy("Used in a paper or exam"),
                                        method="filter_used")
    tag = django_filters.CharFilter(label=gettext_lazy("Tag"), field_name="tags__name")
    category = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Category (with subcategories)"), queryset=Category.objects.all(),
        method="filter_category")

    class Meta:
        model = Question
        fields = ["qtype", "status", "difficulty"]

    def filter_used(self, queryset, name, value):
        used = QuestionVersion.objects.filter(question=OuterRef("pk"), used=True)
        return queryset.filter(Exists(used)) if value else queryset.exclude(Exists(used))

    def filter_category(self, queryset, name, value):
        return queryset.filter(category__path__startswith=value.path) if value else queryset


class QuestionForm(WagtailAdminModelForm):
    """Check the key fits the type and refuse a twin unless the trainer confirms it."""

    confirm_duplicate = forms.BooleanField(
        label=gettext_lazy("Save even though a question with the same text and options exists"),
        required=False)

    def clean(self):
        cleaned = super().clean()
        qtype = cleaned.get("qtype")
        options = [form.cleaned_data for form in self.formsets["options"].forms
                   if form.is_valid() and form.cleaned_data
                   and not form.cleaned_data.get("DELETE")]
        texts = [option.get("text", "").strip() for option in options]
        if qtype in CHOICE_TYPES:
            correct = [option for option in options if option.get("is_correct")]
            if len(options) < 2:
                self.add_error(None, _("A choice question needs at least two options."))
            if len({normalize_answer(text) for text in texts}) != len(texts):
                self.add_error(None, _("Two options have the same text."))
            if not correct:
                self.add_error(None, _("Mark the correct option(s)."))
            elif qtype == QuestionType.SINGLE and len(correct) != 1:
                self.add_error(None, _("A single-choice question has exactly one correct option."))
        elif options:
            self.add_error(None, _("Only choice questions have options; remove them."))
        if qtype == QuestionType.TRUE_FALSE and cleaned.get("answer_bool") is None:
            self.add_error("answer_bool", _("Choose whether the statement is true or false."))
        if qtype == QuestionType.FILL_BLANK and not (cleaned.get("blank_answers") or "").strip():
            self.add_error("blank_answers", _("Give the accepted answers for each blank."))
        stem = cleaned.get("stem")
        if stem is not None and not self.errors and not cleaned.get("confirm_duplicate"):
            from .blocks import stem_to_text

            twins = Question.objects.filter(fingerprint=fingerprint(stem_to_text(stem), texts))
            twins = twins.exclude(status=QuestionStatus.RETIRED)
            if self.instance.pk:
                twins = twins.exclude(pk=self.instance.pk)
            twin = twins.first()
            if twin is not None:
                self.add_error(None, _("A question with the same text and options already exists "
                                       "(#%(pk)s, %(category)s). Tick the box below to save it "
                                       "anyway.") % {"pk": twin.pk, "category": twin.category})
        return cleaned


class PreviewColumn(Column):
    """A link to the candidate's-eye preview and the version history of a question."""

    cell_template_name = "exams/admin/preview_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["preview_url"] = reverse("exams:preview", args=[instance.pk])
        context["versions_url"] = reverse("wagtailsnippets_exams_question:versions",
                                          args=[instance.pk])
        return context


class ExamActionsColumn(Column):
    """Publish (drafts) and the links to an exam's monitor and results."""

    cell_template_name = "exams/admin/exam_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["exam"] = instance
        context["publish_url"] = reverse("exam_admin:publish", args=[instance.pk])
        return context


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = gettext_lazy("Questions")
    filterset_class = QuestionFilterSet
    list_display = ["__str__", "category", "qtype", "difficulty", "status",
                    Column("version_count", label=gettext_lazy("versions"),
                           accessor="version_count"),
                    "updated_at", PreviewColumn("preview", label=gettext_lazy("preview"))]
    search_fields = ["stem_text", "explanation", "legal_basis"]
    search_backend_name = None
    list_per_page = 50
    edit_handler = ObjectList([
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("qtype"), FieldPanel("category")]),
            FieldRowPanel([FieldPanel("difficulty"), FieldPanel("points"), FieldPanel("status")]),
            FieldPanel("tags"),
        ], heading=gettext_lazy("Classification")),
        FieldPanel("stem"),
        InlinePanel("options", heading=gettext_lazy("Options (choice questions)"),
                    label=gettext_lazy("option")),
        MultiFieldPanel([
            FieldPanel("answer_bool"),
            FieldPanel("blank_answers"),
            FieldPanel("order_insensitive"),
            FieldPanel("reference_answer"),
            FieldPanel("scoring_points"),
        ], heading=gettext_lazy("Answer key")),
        MultiFieldPanel([FieldPanel("explanation"), FieldPanel("legal_basis")],
                        heading=gettext_lazy("Explanation and legal basis")),
        MultiFieldPanel([FieldPanel("parent"), FieldPanel("position")],
                        heading=gettext_lazy("Case analysis (sub-questions only)")),
        FieldPanel("confirm_duplicate"),
    ], base_form_class=QuestionForm)

    def get_queryset(self, request):
        from django.db.models import Count

        return (Question.objects.select_related("category")
                .annotate(version_count=Count("versions")))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("versions/<int:pk>/", self.versions_view, name="versions"),
        ]

    def versions_view(self, request, pk):
        question = get_object_or_404(Question, pk=pk)
        if not self.permission_policy.user_has_permission(request.user, "view"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return TemplateResponse(request, "exams/admin/question_versions.html", {
            "question": question,
            "versions": question.versions.select_related("created_by"),
            "edit_url": reverse(self.get_url_name("edit"), args=[pk]),
        })


class SummaryColumn(Column):
    """A link to a paper's preview: totals, the mix, and rules the bank cannot satisfy."""

    cell_template_name = "exams/admin/link_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("wagtailsnippets_exams_paper:summary", args=[instance.pk])
        context["text"] = _("Preview")
        return context


class PaperViewSet(SnippetViewSet):
    model = Paper
    icon = "doc-full"
    menu_label = gettext_lazy("Papers")
    list_display = ["title", "kind", "updated_at",
                    SummaryColumn("summary", label=gettext_lazy("preview"))]
    search_fields = ["title"]
    search_backend_name = None
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("shuffle_questions"),
                       FieldPanel("shuffle_options")]),
        FieldPanel("description"),
        InlinePanel("items", heading=gettext_lazy("Questions (fixed paper)"),
                    label=gettext_lazy("question")),
        InlinePanel("rules", heading=gettext_lazy("Drawing rules (blueprint)"),
                    label=gettext_lazy("rule")),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("summary/<int:pk>/", self.summary_view, name="summary"),
        ]

    def summary_view(self, request, pk):
        paper = get_object_or_404(Paper, pk=pk)
        if not self.permission_policy.user_has_permission(request.user, "view"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return TemplateResponse(request, "exams/admin/paper_summary.html", {
            "paper": paper, "summary": paper_summary(paper),
            "edit_url": reverse(self.get_url_name("edit"), args=[pk]),
        })


class QuestionBankGroup(ViewSetGroup):
    menu_label = gettext_lazy("Question bank")
    menu_icon = "help"
    menu_order = 200
    items = (QuestionViewSet(), CategoryViewSet("question_categories"), PaperViewSet())


class ExamForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The exam must close after it opens."))
        paper = cleaned.get("paper")
        if paper is not None and paper.kind == PaperKind.BLUEPRINT:
            short = [check.message for check in check_blueprint(paper) if check.missing]
            for message in short:
                self.add_error("paper", message)
        return cleaned


class ExamViewSet(ModelViewSet):
    model = Exam
    icon = "date"
    menu_label = gettext_lazy("Exams")
    list_display = ["title", "kind", "opens_at", "closes_at", "status",
                    ExamActionsColumn("actions", label=gettext_lazy("actions"))]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("title"), FieldPanel("kind")]),
        FieldPanel("paper"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at"),
                       FieldPanel("duration_minutes")]),
        MultiFieldPanel([FieldPanel("eligible_units"), FieldPanel("eligible_officers")],
                        heading=gettext_lazy("Who sits it")),
        FieldRowPanel([FieldPanel("attempts_allowed"), FieldPanel("pass_mark"),
                       FieldPanel("multiple_rule")]),
        FieldRowPanel([FieldPanel("review_policy"), FieldPanel("review_from")]),
        FieldRowPanel([FieldPanel("layout"), FieldPanel("allow_takeover"),
                       FieldPanel("focus_loss_limit")]),
    ], base_form_class=ExamForm)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("publish/<int:pk>/", self.publish_view, name="publish"),
        ]

    def publish_view(self, request, pk):
        """Publish the exam: papers are drawn for every eligible officer in a job."""
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import redirect

        from .sitting import publish

        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        exam = get_object_or_404(Exam, pk=pk)
        if request.method != "POST":
            return TemplateResponse(request, "exams/admin/publish_confirm.html", {
                "exam": exam, "eligible": eligible_officers(exam).count(),
                "checks": check_blueprint(exam.paper)
                if exam.paper.kind == PaperKind.BLUEPRINT else []})
        job = publish(exam, user=request.user)
        return redirect(job)


class ExamOverrideViewSet(ModelViewSet):
    model = ExamOverride
    icon = "time"
    menu_label = gettext_lazy("Resits and extra time")
    list_display = ["exam", "officer", "extra_minutes", "opens_at", "closes_at", "extra_attempts"]
    list_filter = ["exam"]
    form_fields = ["exam", "officer", "extra_minutes", "opens_at", "closes_at", "extra_attempts",
                   "reason"]


class MonthlyPlanViewSet(ModelViewSet):
    model = MonthlyPlan
    icon = "repeat"
    menu_label = gettext_lazy("Monthly plans")
    list_display = ["title", "paper", "opens_day", "opens_time", "is_active"]
    form_fields = ["title", "paper", "opens_day", "opens_time", "duration_minutes", "pass_mark",
                   "eligible_units", "is_active"]


class ExamsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Exams")
    menu_icon = "date"
    menu_order = 210
    items = (ExamViewSet("exam_admin"), ExamOverrideViewSet("exam_overrides"),
             MonthlyPlanViewSet("monthly_plans"))


@hooks.register("register_admin_viewset")
def register_question_bank():
    return QuestionBankGroup()


@hooks.register("register_admin_menu_item")
def register_question_files_menu_item():
    from wagtail.admin.menu import MenuItem

    class BankFilesMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("exams.add_question")

    return BankFilesMenuItem(gettext_lazy("Import / export questions"), reverse("exams:import"),
                             icon_name="download", order=205)


@hooks.register("register_admin_viewset")
def register_exams():
    return ExamsGroup()


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def freeze_after_save(request, instance):
    if isinstance(instance, Question):
        sync_version(instance, user=request.user)
    elif isinstance(instance, Paper) and instance.kind == PaperKind.FIXED:
        freeze_fixed_items(instance)


class QuestionBulkAction(SnippetBulkAction):
    models = [Question]
    template_name = "exams/admin/bulk_confirm.html"
    new_status = None

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission(self.request.user, "change")

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        ids = [obj.pk for obj in objects]
        return Question.objects.filter(pk__in=ids).update(status=cls.new_status), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _("%(count)s questions updated.") % {"count": num_parent_objects}


@hooks.register("register_bulk_action")
class ActivateQuestions(QuestionBulkAction):
    display_name = gettext_lazy("Activate")
    aria_label = gettext_lazy("Activate the selected questions")
    action_type = "activate"
    new_status = QuestionStatus.ACTIVE


@hooks.register("register_bulk_action")
class RetireQuestions(QuestionBulkAction):
    display_name = gettext_lazy("Retire")
    aria_label = gettext_lazy("Retire the selected questions")
    action_type = "retire"
    new_status = QuestionStatus.RETIRED


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=gettext_lazy("Move to category"),
                                      queryset=Category.objects.all())


@hooks.register("register_bulk_action")
class MoveQuestions(QuestionBulkAction):
    display_name = gettext_lazy("Move to category")
    aria_label = gettext_lazy("Move the selected questions to another category")
    action_type = "move_category"
    form_class = MoveForm

    def get_execution_context(self):
        return {**super().get_execution_context(),
                "category": self.cleaned_form.cleaned_data["category"]}

    @classmethod
    def execute_action(cls, objects, user=None, category=None, **kwargs):
        ids = [obj.pk for obj in objects]
        return Question.objects.filter(pk__in=ids).update(category=category), 0
