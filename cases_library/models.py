"""Typical cases (典型案例): structured case pages, trainer annotations, two-person review."""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import (FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel,
                                  MultipleChooserPanel)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page
from wagtail.signals import workflow_approved

from content.models import SelfCheckQuestionLink, SignedInPage


class Domain(models.TextChoices):
    INTERNET_CAFE = "internet_cafe", _("Internet cafés")  # 网吧
    ENTERTAINMENT = "entertainment", _("Entertainment venues")  # 娱乐场所
    PERFORMANCE = "performance", _("Commercial performances")  # 营业性演出
    ART = "art", _("Art market and grading")  # 艺术品、社会艺术水平考级
    ONLINE_CULTURE = "online_culture", _("Online culture")  # 网络文化
    PUBLICATIONS = "publications", _("Publications")  # 出版物
    BROADCASTING = "broadcasting", _("Radio, film and TV")  # 广播电影电视
    RELICS = "relics", _("Cultural relics")  # 文物
    TOURISM = "tourism", _("Tourism")  # 旅游
    SPORTS = "sports", _("Sports")  # 体育


class Outcome(models.TextChoices):
    NONE = "none", _("Accepted (no review or litigation)")
    REVIEW_UPHELD = "review_upheld", _("Administrative review: upheld")
    REVIEW_CHANGED = "review_changed", _("Administrative review: changed or revoked")
    LITIGATION_UPHELD = "litigation_upheld", _("Litigation: upheld")
    LITIGATION_REVERSED = "litigation_reversed", _("Litigation: revoked")


class Stage(models.TextChoices):
    FILING = "filing", _("Case filed")  # 立案
    INVESTIGATION = "investigation", _("Investigation")  # 调查取证
    NOTICE = "notice", _("Prior notice")  # 告知
    HEARING = "hearing", _("Hearing")  # 听证
    DECISION = "decision", _("Decision")  # 决定
    EXECUTION = "execution", _("Execution")  # 执行


class CaseIndexPage(SignedInPage):
    """The container of typical cases in the page tree; readers use the index at /cases/."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cases_library.CasePage"]
    max_count = 1

    class Meta:
        verbose_name = _("case library")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return redirect("cases_library:index")


class CaseTag(TaggedItemBase):
    content_object = ParentalKey("cases_library.CasePage", on_delete=models.CASCADE,
                                 related_name="tagged_items")


class CasePage(SignedInPage):
    """One typical case: its facts, procedure, legal basis, discretion, decision and lessons."""

    domain = models.CharField(_("enforcement domain"), max_length=20, choices=Domain.choices)
    violation_type = models.CharField(_("violation type"), max_length=100,
                                      help_text=_("The cause of action (案由)."))
    parties = StreamField([
        ("party", blocks.StructBlock([
            ("role", blocks.CharBlock(label=_("role"), help_text=_("E.g. 当事人, 法定代表人."))),
            ("name", blocks.CharBlock(label=_("name (anonymized)"),
                                      help_text=_("E.g. 某网络科技有限公司, 张某."))),
            ("note", blocks.CharBlock(label=_("note"), required=False)),
        ], icon="user")),
    ], verbose_name=_("parties"), blank=True)
    body = StreamField([
        ("heading", blocks.CharBlock(label=_("heading"), icon="title")),
        ("paragraph", blocks.TextBlock(label=_("paragraph"), icon="pilcrow")),
    ], verbose_name=_("facts and analysis"),
        help_text=_("Plain paragraphs, so trainers can annotate passages of them."))
    evidence = StreamField([
        ("item", blocks.StructBlock([
            ("kind", blocks.CharBlock(label=_("kind"), help_text=_("E.g. 书证, 视听资料."))),
            ("description", blocks.TextBlock(label=_("description"))),
        ], icon="doc-full")),
    ], verbose_name=_("evidence"), blank=True)
    timeline = StreamField([
        ("step", blocks.StructBlock([
            ("stage", blocks.ChoiceBlock(choices=Stage.choices, label=_("stage"))),
            ("date", blocks.DateBlock(label=_("date"))),
            ("note", blocks.TextBlock(label=_("note"), required=False)),
        ], icon="date")),
    ], verbose_name=_("procedure timeline"), blank=True)
    discretion_band = models.ForeignKey(
        "content.BenchmarkBand", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="cases", verbose_name=_("discretion band applied"))
    discretion_note = models.TextField(_("why this band"), blank=True)
    decision = models.TextField(_("decision"))
    decided_on = models.DateField(_("decision date"))
    penalty_amount = models.DecimalField(_("fine (yuan)"), max_digits=12, decimal_places=2,
                                         null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices,
                               default=Outcome.NONE)
    outcome_note = models.TextField(_("outcome details"), blank=True)
    teaching_points = StreamField([
        ("point", blocks.TextBlock(label=_("teaching point"))),
    ], verbose_name=_("teaching points"), blank=True)
    discussion_questions = StreamField([
        ("question", blocks.TextBlock(label=_("question"))),
    ], verbose_name=_("discussion questions"), blank=True)
    tags = ClusterTaggableManager(through=CaseTag, blank=True, verbose_name=_("tags"))
    plain_text = models.TextField(editable=False, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldRowPanel([FieldPanel("domain"), FieldPanel("violation_type")]),
                         FieldPanel("tags"), FieldPanel("parties")], heading=_("The case")),
        FieldPanel("body"),
        FieldPanel("evidence"),
        FieldPanel("timeline"),
        InlinePanel("legal_basis", label=_("legal basis")),
        MultiFieldPanel([FieldPanel("discretion_band"), FieldPanel("discretion_note")],
                        heading=_("Discretion")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("decided_on"), FieldPanel("penalty_amount")]),
                         FieldPanel("decision"), FieldPanel("outcome"),
                         FieldPanel("outcome_note")], heading=_("Decision and outcome")),
        FieldPanel("teaching_points"),
        FieldPanel("discussion_questions"),
        MultipleChooserPanel(
            "related_questions", chooser_field_name="question",
            label=_("related questions in the bank"),
            help_text=_("Questions from the question bank on this case's points; officers "
                        "answer them on the case page to check themselves.")),
    ]
    parent_page_types = ["cases_library.CaseIndexPage"]
    subpage_types = []
    self_check_relation = "related_questions"  # content/self_check.py

    class Meta:
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")

    def save(self, *args, **kwargs):
        self.plain_text = "\n".join(
            [self.violation_type] + [str(b.value) for b in self.body if b.block_type == "paragraph"]
            + [self.decision] + [str(b.value) for b in self.teaching_points])
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from content.self_check import items_for
        from people.roles import Role, has_role

        from .anchoring import annotated_blocks

        context = super().get_context(request, *args, **kwargs)
        blocks_, orphans = annotated_blocks(self, list(self.annotations.select_related(
            "author__officer")))
        context.update(
            blocks=blocks_, orphans=orphans,
            can_annotate=has_role(request.user, Role.TRAINER),
            basis=self.legal_basis.select_related("article__law"),
            annotation_kinds=AnnotationKind.choices,
            check_items=items_for(self),
        )
        return context


class CaseLegalBasis(Orderable):
    """An article the decision relied on."""

    case = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="legal_basis")
    article = models.ForeignKey("content.Article", on_delete=models.PROTECT,
                                related_name="case_citations", verbose_name=_("article"))
    note = models.CharField(_("how it applies"), max_length=200, blank=True)

    panels = [FieldPanel("article"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal basis")


class CaseQuestion(SelfCheckQuestionLink):
    """A question of the bank related to the case, answered on the case page."""

    case = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="related_questions")

    class Meta(SelfCheckQuestionLink.Meta):
        verbose_name = _("related question")
        verbose_name_plural = _("related questions")


class AnnotationKind(models.TextChoices):
    KEY_POINT = "key_point", _("Key point")  # 要点
    ERROR = "error", _("Error")  # 错误
    PROCEDURE_RISK = "procedure_risk", _("Procedure risk")  # 程序风险
    DISCRETION = "discretion", _("Discretion")  # 裁量


class Annotation(models.Model):
    """A trainer's comment on a passage of a case.

    Anchored to the paragraph block's id (stable across edits of other paragraphs) and to
    the quoted text with a little context around it, plus offsets as a hint; if the
    paragraph itself is edited, the quote is found again where it moved.
    """

    case = models.ForeignKey(CasePage, on_delete=models.CASCADE, related_name="annotations",
                             verbose_name=_("case"))
    block_id = models.CharField(_("paragraph id"), max_length=64)
    quote = models.TextField(_("passage"))
    prefix = models.CharField(_("text before"), max_length=64, blank=True)
    suffix = models.CharField(_("text after"), max_length=64, blank=True)
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    kind = models.CharField(_("kind"), max_length=20, choices=AnnotationKind.choices)
    comment = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["case", "start", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.quote[:20]}"

    def get_absolute_url(self):
        return f"{self.case.url}#note-{self.pk}"


class TwoPersonReviewTask(AbstractGroupApprovalTask):
    """Approval by a member of the chosen groups who is neither the submitter nor the author
    of the revision under review (四眼原则: two different trainers)."""

    class Meta:
        verbose_name = _("two-person review")
        verbose_name_plural = _("two-person reviews")

    @staticmethod
    def _involved(obj, user):
        state = obj.current_workflow_state
        if state is None:
            return False
        revision = state.current_task_state.revision if state.current_task_state else None
        return user.pk in {state.requested_by_id, getattr(revision, "user_id", None)}

    def get_actions(self, obj, user):
        if self._involved(obj, user):
            return []
        return super().get_actions(obj, user)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        workflow_state = task_state.workflow_state
        if self._involved(workflow_state.content_object, user):
            raise PermissionDenied
        task_state.approve(user=user, update=False, **kwargs)
        if workflow_state.get_next_task() is not None:
            workflow_state.update(user=user)
            return None
        # The last approval publishes. Wagtail would publish as the approver and require
        # their publish permission; trainers deliberately lack it (so nobody can skip the
        # review), so the approved revision is published here on the approver's behalf.
        workflow_state.status = workflow_state.STATUS_APPROVED
        workflow_state.save(update_fields=["status"])
        workflow_state.content_object.get_latest_revision().publish(
            user=user, skip_permission_checks=True)
        workflow_approved.send(sender=workflow_state.__class__, instance=workflow_state,
                               user=user)
        return None

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    @classmethod
    def get_description(cls):
        return _("A second trainer (not the one who submitted or wrote the revision) approves")


