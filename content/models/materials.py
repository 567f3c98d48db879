from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultipleChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from ..blocks import StudyBlock, plain_text
from ..question_chooser import question_chooser_viewset
from .pages import SignedInPage


class DocumentTemplatePage(SignedInPage):
    """A standard enforcement document (执法文书): what it is for, its fields, its file."""

    purpose = models.TextField(_("purpose"))
    fields = StreamField([
        ("field", blocks.StructBlock([
            ("name", blocks.CharBlock(label=_("field"))),
            ("guidance", blocks.TextBlock(label=_("how to fill it in"))),
        ], icon="form")),
    ], verbose_name=_("fields"), blank=True)
    file = models.ForeignKey("wagtaildocs.Document", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("form file"))
    mistakes = StreamField([
        ("mistake", blocks.StructBlock([
            ("mistake", blocks.TextBlock(label=_("common mistake"))),
            ("correction", blocks.TextBlock(label=_("correct practice"))),
        ], icon="warning")),
    ], verbose_name=_("common mistakes"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("purpose"), FieldPanel("file"), FieldPanel("fields"), FieldPanel("mistakes"),
    ]
    parent_page_types = ["content.StudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")


class CoursePage(SignedInPage):
    """A course: an ordered group of lessons."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["content.StudyIndexPage"]
    subpage_types = ["content.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from ..assignments import completed_page_ids

        context = super().get_context(request, *args, **kwargs)
        lessons = list(self.lessons())
        done = completed_page_ids(request.user, [lesson.pk for lesson in lessons])
        context["lessons"] = [(lesson, lesson.pk in done) for lesson in lessons]
        return context


class LessonPage(SignedInPage):
    """A lesson of a course: a body to read, attachments, and the minutes it should take."""

    body = StreamField(StudyBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated study minutes"), default=20,
        help_text=_("Completing the lesson credits this many minutes of study."))
    plain_text = models.TextField(editable=False, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("estimated_minutes"), FieldPanel("body"),
        InlinePanel("attachments", label=_("attachments")),
        MultipleChooserPanel(
            "check_questions", chooser_field_name="question", label=_("check questions"),
            help_text=_("Optional questions from the question bank that officers answer on the "
                        "lesson page to check themselves (immediate feedback).")),
    ]
    parent_page_types = ["content.CoursePage"]
    subpage_types = []
    self_check_relation = "check_questions"  # content/self_check.py

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def save(self, *args, **kwargs):
        self.plain_text = plain_text(self.body)
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..models import StudyRecord
        from ..reading import completion_threshold_seconds
        from ..self_check import items_for

        context = super().get_context(request, *args, **kwargs)
        officer = getattr(request.user, "officer", None)
        record = (StudyRecord.objects.filter(officer=officer, page=self).first()
                  if officer else None)
        context.update(record=record, officer=officer,
                       threshold_minutes=completion_threshold_seconds(self) // 60,
                       check_items=items_for(self))
        return context


class LessonAttachment(Orderable):
    lesson = ParentalKey(LessonPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("document"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("note")]


def check_self_check_question(question):
    """Refuse a question that cannot be answered with immediate feedback on a page."""
    from exams.practice import PRACTICE_TYPES

    if question is None:
        return
    if question.qtype not in PRACTICE_TYPES or question.parent_id is not None:
        raise ValidationError({"question": _(
            "Only standalone single-choice, multiple-choice, true/false and fill-in-the-blank "
            "questions can be answered on the page; “%(question)s” cannot.")
            % {"question": question}})


class SelfCheckQuestionLink(Orderable):
    """A question of the bank that officers answer on a study page (a lesson's check
    question, a case's related question) with immediate feedback (content/self_check.py).
    Subclasses add the ParentalKey to their page."""

    question = models.ForeignKey("exams.Question", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("bank question"))

    panels = [FieldPanel("question", widget=question_chooser_viewset.widget_class)]

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self):
        super().clean()
        check_self_check_question(self.question if self.question_id else None)


class LessonCheckQuestion(SelfCheckQuestionLink):
    """A question of the bank that officers answer on the lesson page to check themselves."""

    lesson = ParentalKey(LessonPage, on_delete=models.CASCADE, related_name="check_questions")

    class Meta(SelfCheckQuestionLink.Meta):
        verbose_name = _("check question")
        verbose_name_plural = _("check questions")
