from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node


class UnitLevel(models.TextChoices):
    CORPS = "corps", _("Corps")  # 总队
    DETACHMENT = "detachment", _("Detachment")  # 支队
    BRIGADE = "brigade", _("Brigade")  # 大队
    SQUAD = "squad", _("Squad")  # 中队


class Unit(MP_Node):
    """A node of the enforcement organisation tree (总队 › 支队 › 大队 › 中队, any depth)."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Letters, digits, - and _ only."))],
        help_text=_("A unique code, used in roster files to name the unit."),
    )
    level = models.CharField(_("level"), max_length=20, choices=UnitLevel.choices)
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        """Return the unit's name with its code, as roster files and dropdowns show it."""
        return f"{self.name}（{self.code}）"

    @property
    def indented_name(self):
        """Return the name indented by depth, for tree-shaped lists."""
        return "\u3000" * (self.depth - 1) + self.name

    def subtree(self):
        """Return this unit and every unit below it."""
        return Unit.objects.filter(path__startswith=self.path)


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("officer status", "Active")
    LEFT = "left", _("Left")


class OfficerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=OfficerStatus.ACTIVE)

    def in_units(self, units):
        """Return officers whose unit is one of `units` (a Unit queryset)."""
        return self.filter(unit__in=units)


class Officer(models.Model):
    """An enforcement officer: the profile of a user account, placed in one unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="officer",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="officers", verbose_name=_("unit")
    )
    badge_number = models.CharField(
        _("badge number"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", _("Letters, digits and - only."))],
    )
    position = models.CharField(_("position"), max_length=50, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    extra_time_percent = models.PositiveSmallIntegerField(
        _("extra exam time (%)"), default=0,
        help_text=_("A standing accommodation: every exam gives this much more time."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["unit__path", "badge_number"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.name}（{self.badge_number}）"
