from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.roles import Role


class StudyRecord(models.Model):
    """What one officer did with one page: active reading time, and when it was completed."""

    officer = models.ForeignKey("people.Officer", on_delete=models.CASCADE,
                                related_name="study_records", verbose_name=_("officer"))
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE,
                             related_name="study_records", verbose_name=_("page"))
    active_seconds = models.PositiveIntegerField(_("active reading seconds"), default=0)
    last_beat_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    started_at = models.DateTimeField(_("first opened"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    credited_hours = models.DecimalField(
        _("credited hours"), max_digits=5, decimal_places=2, default=0,
        help_text=_("Study hours this record counts for (set when a lesson is completed)."))

    class Meta:
        verbose_name = _("study record")
        verbose_name_plural = _("study records")
        constraints = [models.UniqueConstraint(fields=["officer", "page"],
                                               name="content_studyrecord_unique")]
        indexes = [models.Index(fields=["officer", "completed_at"])]

    def __str__(self):
        return f"{self.officer} · {self.page_id}"

    @property
    def active_minutes(self):
        return self.active_seconds // 60


class Assignment(models.Model):
    """Study material assigned to the officers of some units (and optionally one role)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE,
                             related_name="study_assignments", verbose_name=_("material"),
                             help_text=_("A course, a lesson, a law or a training event."))
    units = models.ManyToManyField("people.Unit", related_name="study_assignments",
                                   verbose_name=_("units"),
                                   help_text=_("Each unit includes the units below it."))
    role = models.CharField(_("only for role"), max_length=20, choices=Role.choices,
                            blank=True, help_text=_("Leave empty for everybody in the units."))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("study assignment")
        verbose_name_plural = _("study assignments")
        ordering = ["due_date", "-created_at"]

    def __str__(self):
        return str(self.page)


class RequirementKind(models.TextChoices):
    INDUCTION = "induction", _("Induction training")  # 入职培训
    ANNUAL = "annual", _("Annual refresher training")  # 年度轮训


class StudyRequirement(models.Model):
    """A rule such as “induction ≥ 40 hours within 90 days of hire” or “≥ 60 hours a year”."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RequirementKind.choices)
    hours = models.DecimalField(_("required hours"), max_digits=5, decimal_places=1)
    within_days = models.PositiveIntegerField(
        _("within days of hire"), null=True, blank=True,
        help_text=_("Induction only: the hours must be earned within this many days of the "
                    "hire date (e.g. 90 for the first three months)."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("study requirement")
        verbose_name_plural = _("study requirements")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name
