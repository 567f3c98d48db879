"""Signal receivers that put changes to scores, marks, certificates, units and roles on record.

The apps already write their own change rows (ScoreChange, CertificateChange, MarkChange)
wherever a score, certificate or mark changes; each new row becomes an audit entry here, so
no code path can change one without the audit trail seeing it. Units, officers' units and
users' roles and administrator flags are compared before and after each save.

Changes made with queryset.update() or bulk_update() send no signals: code that changes
these fields in bulk calls audit.record itself (as people.roster.apply_roster does).
"""
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from people.models import Officer, Unit
from people.roles import Role

from .audit import changed_fields, record

UNIT_FIELDS = ("name", "short_name", "code", "level", "is_active")
USER_FLAGS = ("is_superuser", "is_staff", "is_active")


def unit_state(unit):
    parent = None
    if unit.path and unit.depth and unit.depth > 1:
        parent = (Unit.objects.filter(path=unit.path[:-Unit.steplen])
                  .values_list("code", flat=True).first())
    state = {field: getattr(unit, field) for field in UNIT_FIELDS}
    state["parent"] = parent
    return state


def officer_state(officer):
    unit_code = (Unit.objects.filter(pk=officer.unit_id).values_list("code", flat=True).first()
                 if officer.unit_id else None)
    return {"unit": unit_code, "status": officer.status}


def role_names(user):
    names = set(user.groups.values_list("name", flat=True))
    return sorted(role for role in Role.values if role in names)


def _touches(kwargs, fields):
    update_fields = kwargs.get("update_fields")
    return update_fields is None or bool(set(update_fields) & set(fields))


def _remember(instance, state_of, kwargs, fields):
    """Keep the state before this save (the first one seen, across a save-move-save)."""
    if kwargs.get("raw") or not _touches(kwargs, fields) or instance.pk is None:
        return
    if getattr(instance, "_audit_before", None) is not None:
        return
    stored = type(instance).objects.filter(pk=instance.pk).first()
    if stored is not None:
        instance._audit_before = state_of(stored)


def _record_diff(instance, state_of, kwargs, fields, action, create_action=None):
    if kwargs.get("raw") or not _touches(kwargs, fields):
        return
    after = state_of(instance)
    if kwargs.get("created"):
        if create_action:
            record(None, instance, create_action, None, after)
    else:
        before = getattr(instance, "_audit_before", None)
        if before is not None:
            old, new = changed_fields(before, after)
            if new:
                record(None, instance, action, old, new)
    instance._audit_before = after


# --- Units ----------------------------------------------------------------------------

def unit_pre_save(sender, instance, **kwargs):
    _remember(instance, unit_state, kwargs, (*UNIT_FIELDS, "path"))


def unit_post_save(sender, instance, **kwargs):
    _record_diff(instance, unit_state, kwargs, (*UNIT_FIELDS, "path"),
                 "lianbing.unit.change", "lianbing.unit.create")


def unit_post_delete(sender, instance, **kwargs):
    record(None, instance, "lianbing.unit.delete",
           {field: getattr(instance, field) for field in UNIT_FIELDS}, None)


# --- Officers: the unit they belong to and their status --------------------------------

def officer_pre_save(sender, instance, **kwargs):
    _remember(instance, officer_state, kwargs, ("unit", "status"))


def officer_post_save(sender, instance, **kwargs):
    _record_diff(instance, officer_state, kwargs, ("unit", "status"), "lianbing.officer.change")


# --- Users: roles (groups) and administrator flags --------------------------------------

def user_pre_save(sender, instance, **kwargs):
    _remember(instance, lambda user: {flag: getattr(user, flag) for flag in USER_FLAGS},
              kwargs, USER_FLAGS)


def user_post_save(sender, instance, **kwargs):
    state = {flag: getattr(instance, flag) for flag in USER_FLAGS}
    if kwargs.get("created"):
        if instance.is_superuser or instance.is_staff:
            record(None, instance, "lianbing.user.access", None, state)
        instance._audit_before = state
        return
    _record_diff(instance, lambda user: state, kwargs, USER_FLAGS, "lianbing.user.access")


def groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    User = get_user_model()
    if reverse:  # group.user_set.add(...): the users are in pk_set
        users = list(User.objects.filter(pk__in=pk_set or ())) if action != "pre_clear" \
            else list(instance.user_set.all())
    else:
        users = [instance]
    if action in ("pre_add", "pre_remove", "pre_clear"):
        stash = getattr(instance, "_audit_roles", {})
        for user in users:
            stash[user.pk] = role_names(user)
        instance._audit_roles = stash
    elif action in ("post_add", "post_remove", "post_clear"):
        stash = getattr(instance, "_audit_roles", {})
        for user in users:
            before = stash.pop(user.pk, None)
            after = role_names(user)
            if before != after:
                record(None, user, "lianbing.user.roles", before, after)


# --- The apps' own change rows ---------------------------------------------------------

def score_change_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    details = {"item": instance.item_id} if instance.item_id else None
    record(instance.changed_by, instance.attempt, "lianbing.score.change",
           {"score": instance.old_score}, {"score": instance.new_score},
           reason=instance.reason, details=details)


def certificate_change_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    record(instance.by, instance.certificate, "lianbing.certificate.change",
           {"status": instance.old_status, "valid_until": instance.old_valid_until},
           {"status": instance.new_status, "valid_until": instance.new_valid_until},
           reason=instance.reason, details={"action": instance.action})


def mark_change_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    record(instance.changed_by, instance.mark, "lianbing.mark.change",
           instance.before, instance.after, reason=instance.reason,
           details={"action": instance.action})


def connect():
    User = get_user_model()
    pre_save.connect(unit_pre_save, sender=Unit, dispatch_uid="audit-unit-pre")
    post_save.connect(unit_post_save, sender=Unit, dispatch_uid="audit-unit-post")
    post_delete.connect(unit_post_delete, sender=Unit, dispatch_uid="audit-unit-delete")
    pre_save.connect(officer_pre_save, sender=Officer, dispatch_uid="audit-officer-pre")
    post_save.connect(officer_post_save, sender=Officer, dispatch_uid="audit-officer-post")
    pre_save.connect(user_pre_save, sender=User, dispatch_uid="audit-user-pre")
    post_save.connect(user_post_save, sender=User, dispatch_uid="audit-user-post")
    m2m_changed.connect(groups_changed, sender=User.groups.through, dispatch_uid="audit-roles")
    for label, receiver in (("exams.ScoreChange", score_change_saved),
                            ("certificates.CertificateChange", certificate_change_saved),
                            ("competitions.MarkChange", mark_change_saved)):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(receiver, sender=model, dispatch_uid=f"audit-{label}")


connect()
