from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .laws import Article
from .pages import SignedInPage


class BandLevel(models.TextChoices):
    NONE = "none", _("No penalty")  # 不予处罚
    LIGHTER = "lighter", _("Lighter")  # 从轻
    GENERAL = "general", _("General")  # 一般
    HEAVIER = "heavier", _("Heavier")  # 从重


class DiscretionBenchmarkPage(SignedInPage):
    """A discretion benchmark (裁量基准): for each violation type, its bases and bands.

    The items are kept as rows and edited through the Excel workbook (export, edit,
    import), which is how legal departments maintain these tables.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    issued_by = models.CharField(_("issued by"), max_length=100, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"), FieldPanel("issued_by"), FieldPanel("effective_date"),
        HelpPanel(content=_("The violation types and bands are maintained in Excel: export "
                            "the benchmark from its page, edit it and import it again.")),
    ]
    parent_page_types = ["content.StudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("discretion benchmark")
        verbose_name_plural = _("discretion benchmarks")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = self.items.prefetch_related("bands", "basis_articles__law")
        return context


class BenchmarkItem(models.Model):
    """One violation type (违法行为) of a benchmark, with its legal basis."""

    benchmark = models.ForeignKey(DiscretionBenchmarkPage, on_delete=models.CASCADE,
                                  related_name="items", verbose_name=_("benchmark"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("violation"), max_length=200)
    basis_text = models.TextField(
        _("legal basis"), help_text=_("Citations such as 《娱乐场所管理条例》第四十三条, one "
                                      "per line or separated by ；"))
    basis_articles = models.ManyToManyField(Article, blank=True, related_name="benchmark_items",
                                            verbose_name=_("legal basis articles"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["benchmark", "position"]
        constraints = [models.UniqueConstraint(fields=["benchmark", "code"],
                                               name="content_benchmarkitem_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class BenchmarkBand(models.Model):
    """A discretion band: the conditions that place a case in it and the penalty range."""

    item = models.ForeignKey(BenchmarkItem, on_delete=models.CASCADE, related_name="bands",
                             verbose_name=_("violation type"))
    level = models.CharField(_("band"), max_length=10, choices=BandLevel.choices)
    conditions = models.TextField(_("conditions"))
    penalty = models.TextField(_("penalty"))
    fine_min = models.DecimalField(_("minimum fine (yuan)"), max_digits=12, decimal_places=2,
                                   null=True, blank=True)
    fine_max = models.DecimalField(_("maximum fine (yuan)"), max_digits=12, decimal_places=2,
                                   null=True, blank=True)

    class Meta:
        verbose_name = _("discretion band")
        verbose_name_plural = _("discretion bands")
        ordering = ["item", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "level"],
                                               name="content_benchmarkband_unique_level")]

    def __str__(self):
        return f"{self.item.name} · {self.get_level_display()}"
