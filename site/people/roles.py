"""The platform's roles, kept as Django groups so Wagtail's permission screens apply."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    TRAINER = "trainer", _("Trainer")
    ORGANIZER = "organizer", _("Organizer")
    JUDGE = "judge", _("Judge")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


# Roles whose holders see the units below their own (lists, reports, rosters).
SCOPED_ROLES = {Role.MANAGER, Role.ORGANIZER, Role.TRAINER}
# Roles that may use the Wagtail admin at /cms/.
ADMIN_ACCESS_ROLES = {Role.TRAINER, Role.ORGANIZER, Role.MANAGER, Role.ADMIN}


def user_roles(user):
    """Return the set of role codes the user holds (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_lianbing_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role.values if role in names)
        if user.is_superuser:
            cached = cached | {Role.ADMIN}
        user._lianbing_roles = cached
    return cached


def can_open_console(user):
    """Whether the user may open Wagtail's admin (`wagtailadmin.access_admin`), in one query
    at most: the roles that grant it answer without one; anyone else is asked with a single
    EXISTS over their own and their groups' permissions (Django's has_perm takes two)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user_roles(user) & ADMIN_ACCESS_ROLES:
        return True
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    return (Permission.objects
            .filter(content_type__app_label="wagtailadmin", codename="access_admin")
            .filter(Q(user=user) | Q(group__user=user)).exists())


def has_role(user, *roles):
    """Return True if the user holds any of the given roles (admins hold every role)."""
    held = user_roles(user)
    return Role.ADMIN in held or any(role in held for role in roles)


# Django permissions each role's group holds ("app_label.codename"). Wagtail's admin
# screens check these; page permissions for trainers are granted on the page tree.
ROLE_PERMISSIONS = {
    Role.OFFICER: [],
    Role.JUDGE: [],
    Role.TRAINER: ["wagtailadmin.access_admin"],
    Role.ORGANIZER: ["wagtailadmin.access_admin"],
    Role.MANAGER: [
        "wagtailadmin.access_admin",
        "people.view_unit",
        "people.view_officer",
        "people.add_officer",
        "people.change_officer",
    ],
    Role.ADMIN: [
        "wagtailadmin.access_admin",
        "people.view_unit",
        "people.add_unit",
        "people.change_unit",
        "people.delete_unit",
        "people.view_officer",
        "people.add_officer",
        "people.change_officer",
        "people.delete_officer",
        "jobs.view_job",
    ],
}


def extend_role(role, *permissions):
    """Let a feature app grant its permissions to a role (call it from AppConfig.ready)."""
    for permission in permissions:
        if permission not in ROLE_PERMISSIONS[role]:
            ROLE_PERMISSIONS[role].append(permission)


def sync_role_groups(**kwargs):
    """Create one group per role and give it exactly its permissions (after every migrate).

    post_migrate is sent once per app (and after every flush of a transactional test): act
    on the last app's signal only, when every app's permissions exist, reading everything in
    three queries and writing only what differs.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    sender = kwargs.get("sender")
    if sender is not None:
        with_models = [config for config in apps.get_app_configs()
                       if config.models_module is not None]
        if sender is not with_models[-1]:
            return

    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    for role in Role:
        if role.value not in groups:
            groups[role.value] = Group.objects.create(name=role.value)
    wanted_names = {dotted for dotteds in ROLE_PERMISSIONS.values() for dotted in dotteds}
    query = Q(pk__in=[])
    for dotted in wanted_names:
        app_label, codename = dotted.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    permission_ids = {f"{app_label}.{codename}": pk for pk, app_label, codename in
                      Permission.objects.filter(query).values_list(
                          "pk", "content_type__app_label", "codename")}
    held = {}
    for group_id, permission_id in Group.permissions.through.objects.filter(
            group__in=groups.values()).values_list("group_id", "permission_id"):
        held.setdefault(group_id, set()).add(permission_id)
    for role in Role:
        group = groups[role.value]
        wanted = {permission_ids[d] for d in ROLE_PERMISSIONS[role] if d in permission_ids}
        if held.get(group.pk, set()) != wanted:
            group.permissions.set(wanted)
