"""The audit trail: Wagtail log entries kept in their own table, seen only by administrators."""
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager, LogEntryQuerySet


class AuditEntryChangeRefused(Exception):
    """An audit entry was about to be changed or deleted; entries are written once."""


class AuditQuerySet(LogEntryQuerySet):
    def update(self, **kwargs):
        raise AuditEntryChangeRefused("Audit entries cannot be changed.")

    def delete(self):
        raise AuditEntryChangeRefused("Audit entries cannot be deleted.")


class AuditLogEntryManager(BaseLogEntryManager):
    def get_queryset(self):
        return AuditQuerySet(self.model, using=self._db)

    def log_action(self, instance, action, **kwargs):
        kwargs.update(object_id=str(instance.pk))
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )

    def viewable_by_user(self, user):
        """Return every entry for administrators and none for anyone else."""
        from people.roles import Role, has_role

        if user.is_authenticated and has_role(user, Role.ADMIN):
            return self.all()
        return self.none()


class AuditLogEntry(BaseLogEntry):
    """Who changed a score, mark, certificate, role or unit, when, and the values before → after.

    `data` holds {"before": …, "after": …, "reason": …}. Entries are only ever added:
    saving an existing entry, deleting one or a bulk update/delete raises
    AuditEntryChangeRefused. They appear in the Wagtail admin under Reports › Site history
    and on each object's history page, for administrators only.
    """

    object_id = models.CharField(max_length=255, db_index=True)

    objects = AuditLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"AuditLogEntry {self.pk}: {self.action} on {self.object_verbose_name} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditEntryChangeRefused("Audit entries cannot be changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryChangeRefused("Audit entries cannot be deleted.")
