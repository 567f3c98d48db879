from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.models import Page

from ..chinese_numbers import to_chinese
from .pages import SignedInPage


class LawStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


class LawPage(SignedInPage):
    """A law or regulation (法律法规); its text lives in Article rows, one per 条."""

    short_title = models.CharField(
        _("short title"), max_length=60, blank=True,
        help_text=_("Used in citations, e.g. 行政处罚法 → 《行政处罚法》第三十二条."))
    issuing_body = models.CharField(_("issuing body"), max_length=100, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=LawStatus.choices,
                              default=LawStatus.IN_FORCE)
    preamble = models.TextField(_("history"), blank=True,
                                help_text=_("Promulgation and revision history."))

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("short_title"), FieldPanel("issuing_body"),
                         FieldPanel("document_number"), FieldPanel("effective_date"),
                         FieldPanel("status")], heading=_("Facts")),
        FieldPanel("preamble"),
        HelpPanel(content=_("The articles are imported from the law's text: use “Import law "
                            "text” in the Study material menu.")),
    ]
    parent_page_types = ["content.StudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("law or regulation")
        verbose_name_plural = _("laws and regulations")

    @property
    def citation_title(self):
        """Return the name used in citations (the short title, else the full one)."""
        return self.short_title or self.title.removeprefix("中华人民共和国")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        chapters = []
        for article in self.articles.all():
            if not chapters or chapters[-1]["title"] != article.chapter:
                chapters.append({"title": article.chapter, "sections": []})
            sections = chapters[-1]["sections"]
            if not sections or sections[-1]["title"] != article.section:
                sections.append({"title": article.section, "articles": []})
            sections[-1]["articles"].append(article)
        context["chapters"] = chapters
        return context


class Article(models.Model):
    """One article (条) of a law, citable as 《行政处罚法》第三十二条."""

    law = models.ForeignKey(LawPage, on_delete=models.CASCADE, related_name="articles",
                            verbose_name=_("law"))
    position = models.PositiveIntegerField(_("position"))
    number = models.PositiveIntegerField(_("number"))
    suffix = models.PositiveSmallIntegerField(
        _("suffix"), default=0, help_text=_("Y in 第X条之Y; 0 for an ordinary article."))
    chapter = models.CharField(_("chapter"), max_length=100, blank=True)
    section = models.CharField(_("section"), max_length=100, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["law", "position"]
        constraints = [models.UniqueConstraint(fields=["law", "number", "suffix"],
                                               name="content_article_unique_number")]

    def __str__(self):
        return self.citation

    @property
    def label(self):
        """Return 第三十二条 (or 第十条之一)."""
        return f"第{to_chinese(self.number)}条" + (f"之{to_chinese(self.suffix)}"
                                                 if self.suffix else "")

    @property
    def citation(self):
        return f"《{self.law.citation_title}》{self.label}"

    @property
    def anchor(self):
        """Return the fragment id of the article on its law's page."""
        return f"a{self.number}" + (f"-{self.suffix}" if self.suffix else "")

    @property
    def paragraphs(self):
        return self.text.split("\n")

    def get_absolute_url(self):
        return reverse("content:article", args=[self.pk])
