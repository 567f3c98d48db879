from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's root page: a welcome text and the ways in (dashboard, study, exams)."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link",
                                                            "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")


class MonthlyReport(models.Model):
    """The managers' report of one top-level unit for one month, generated on the 1st."""

    unit = models.ForeignKey("people.Unit", on_delete=models.CASCADE,
                             related_name="monthly_reports", verbose_name=_("unit"))
    period = models.CharField(_("month"), max_length=7, help_text=_("YYYY-MM"))
    file = models.FileField(_("file"), upload_to="reports/monthly/%Y/")
    file_name = models.CharField(_("file name"), max_length=200)
    created_at = models.DateTimeField(_("generated"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-period", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"],
                                               name="one_monthly_report_per_unit")]

    def __str__(self):
        return f"{self.unit} · {self.period}"
