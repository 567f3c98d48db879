from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .pages import SignedInPage


class TrainingEventPage(SignedInPage):
    """A training session (培训) in a room or online; attendance gives hours to attendees."""

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("online meeting link"), blank=True)
    hours = models.DecimalField(_("study hours"), max_digits=4, decimal_places=1,
                                help_text=_("Hours credited to each attendee."))
    trainer_name = models.CharField(_("trainer"), max_length=100)
    eligible_units = ParentalManyToManyField(
        "people.Unit", blank=True, related_name="training_events",
        verbose_name=_("eligible units"),
        help_text=_("Each unit includes the units below it. Leave empty for everyone."))
    description = RichTextField(_("description"), blank=True,
                                features=["bold", "italic", "link", "ul", "ol"])

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                         FieldPanel("place"), FieldPanel("online"), FieldPanel("online_url"),
                         FieldPanel("hours"), FieldPanel("trainer_name")],
                        heading=_("When and where")),
        FieldPanel("eligible_units"),
        FieldPanel("description"),
    ]
    parent_page_types = ["content.StudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")

    def eligible_officers(self):
        """Return the active officers who may attend (within the eligible unit subtrees)."""
        from django.db.models import Q

        from people.models import Officer

        officers = Officer.objects.active()
        paths = list(self.eligible_units.values_list("path", flat=True))
        if paths:
            condition = Q()
            for path in paths:
                condition |= Q(unit__path__startswith=path)
            officers = officers.filter(condition)
        return officers

    def get_context(self, request, *args, **kwargs):
        from people.roles import Role, has_role

        context = super().get_context(request, *args, **kwargs)
        officer = getattr(request.user, "officer", None)
        context["attended"] = bool(officer and self.attendances.filter(officer=officer).exists())
        context["can_record"] = has_role(request.user, Role.TRAINER)
        context["attendee_count"] = self.attendances.count()
        return context


class Attendance(models.Model):
    """An officer attended a training event and was credited its hours."""

    event = models.ForeignKey(TrainingEventPage, on_delete=models.CASCADE,
                              related_name="attendances", verbose_name=_("training event"))
    officer = models.ForeignKey("people.Officer", on_delete=models.CASCADE,
                                related_name="attendances", verbose_name=_("officer"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["event", "officer"],
                                               name="content_attendance_unique")]

    def __str__(self):
        return f"{self.officer} @ {self.event}"
