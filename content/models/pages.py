from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class SignedInPage(Page):
    """A page only signed-in people may read (study material is not public)."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class StudyIndexPage(SignedInPage):
    """A shelf of study material (学习园地): laws, benchmarks, templates, courses, events."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["content.StudyIndexPage", "content.LawPage",
                     "content.DiscretionBenchmarkPage", "content.DocumentTemplatePage",
                     "content.CoursePage", "content.TrainingEventPage"]

    class Meta:
        verbose_name = _("study shelf")
        verbose_name_plural = _("study shelves")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().specific().order_by("path")
        groups = {}
        for child in children:
            groups.setdefault(child._meta.verbose_name_plural, []).append(child)
        context["groups"] = groups
        return context
