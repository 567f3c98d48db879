from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..benchmark_form import BenchmarkPageForm
from .laws import Article
from .pages import SignedInPage


class BandLevel(models.TextChoices):
    NONE = "none", _("No penalty")  # 不予处罚
    LIGHTER = "lighter", _("Lighter")  # 从轻
    GENERAL = "general", _("General")  # 一般
    HEAVIER = "heavier", _("Heavier")  # 从重


class DiscretionBenchmarkPage(SignedInPage):
    """A discretion benchmark (裁量基准): for each violation type, its bases and bands.

    The violation types and their bands are rows (cases link to a band), edited either in
    the page editor (nested inline panels, kept in the page's revisions) or through the
    Excel workbook (export, edit, import), which is how legal departments maintain these
    tables. An import writes the rows and then saves them as a new revision
    (`save_rows_as_revision`), so the editor never shows, or republishes, older rows.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    issued_by = models.CharField(_("issued by"), max_length=100, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"), FieldPanel("issued_by"), FieldPanel("effective_date"),
        HelpPanel(content=_("Edit the violation types and their bands below, or in Excel: "
                            "export the benchmark from its page, edit it and import it again.")),
        InlinePanel("items", heading=_("Violation types"), label=_("violation type")),
    ]
    base_form_class = BenchmarkPageForm
    parent_page_types = ["content.StudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("discretion benchmark")
        verbose_name_plural = _("discretion benchmarks")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = self.items.prefetch_related("bands", "basis_articles__law")
        return context

    def save_rows_as_revision(self, user=None):
        """Save the rows as they now are in the database as a new revision; return it.

        The revision is published if the page is live, so the live page, its latest revision
        and the editor all show the same rows (band ids are kept: cases still link to them).
        """
        page = DiscretionBenchmarkPage.objects.get(pk=self.pk)
        revision = page.save_revision(user=user)
        if page.live:
            revision.publish(user=user, skip_permission_checks=True)
        return revision


class BenchmarkItem(ClusterableModel):
    """One violation type (违法行为) of a benchmark, with its legal basis.

    `basis_articles` follows `basis_text`: the citations in it are resolved on every save.
    """

    benchmark = ParentalKey(DiscretionBenchmarkPage, on_delete=models.CASCADE,
                            related_name="items", verbose_name=_("benchmark"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("violation"), max_length=200)
    basis_text = models.TextField(
        _("legal basis"), help_text=_("Citations such as 《娱乐场所管理条例》第四十三条, one "
                                      "per line or separated by ；"))
    basis_articles = models.ManyToManyField(Article, blank=True, related_name="benchmark_items",
                                            verbose_name=_("legal basis articles"))
    position = models.PositiveIntegerField(_("position"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("basis_text"),
        InlinePanel("bands", heading=_("Discretion bands"), label=_("band"), min_num=1),
    ]
    sort_order_field = "position"

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["benchmark", "position"]
        constraints = [models.UniqueConstraint(fields=["benchmark", "code"],
                                               name="content_benchmarkitem_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from ..citations import resolve_all

        self.basis_articles.set(resolve_all(self.basis_text)[0])

    @property
    def cited_articles(self):
        """Return the articles of the legal basis (none yet for an unsaved preview row)."""
        return list(self.basis_articles.all()) if self.pk else []


class BenchmarkBand(models.Model):
    """A discretion band: the conditions that place a case in it and the penalty range."""

    item = ParentalKey(BenchmarkItem, on_delete=models.CASCADE, related_name="bands",
                       verbose_name=_("violation type"))
    level = models.CharField(_("band"), max_length=10, choices=BandLevel.choices)
    conditions = models.TextField(_("conditions"))
    penalty = models.TextField(_("penalty"))
    fine_min = models.DecimalField(_("minimum fine (yuan)"), max_digits=12, decimal_places=2,
                                   null=True, blank=True)
    fine_max = models.DecimalField(_("maximum fine (yuan)"), max_digits=12, decimal_places=2,
                                   null=True, blank=True)

    panels = [
        FieldPanel("level"),
        FieldPanel("conditions"),
        FieldPanel("penalty"),
        FieldRowPanel([FieldPanel("fine_min"), FieldPanel("fine_max")]),
    ]

    class Meta:
        verbose_name = _("discretion band")
        verbose_name_plural = _("discretion bands")
        ordering = ["item", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "level"],
                                               name="content_benchmarkband_unique_level")]

    def __str__(self):
        return f"{self.item.name} · {self.get_level_display()}"

    def clean(self):
        super().clean()
        if (self.fine_min is not None and self.fine_max is not None
                and self.fine_min > self.fine_max):
            raise ValidationError({"fine_max": _("The maximum fine is below the minimum fine.")})
