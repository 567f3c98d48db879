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
    """Create one group per role and give it exactly its permissions (after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
