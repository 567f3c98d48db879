"""The platform's roles, kept as Django groups so Wagtail's permission screens apply."""
import functools

from django.db import connection, models
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
    """Return the set of role codes the user holds (cached on the user object).

    One query answers both this and `can_open_console`: the user's group names, with
    whether their own or their groups' permissions include Wagtail's `access_admin`
    (every page's header asks both)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_lianbing_roles", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(_roles_sql(), {"user": user.pk})
            rows = cursor.fetchall()
        names = {name for name, _ in rows}
        cached = frozenset(role for role in Role.values if role in names)
        if user.is_superuser:
            cached = cached | {Role.ADMIN}
        user._lianbing_roles = cached
        user._lianbing_console = any(console for _, console in rows)
    return cached


@functools.lru_cache
def _roles_sql():
    """The user's group names, each with whether the user may open the console: their own
    or their groups' permissions include `wagtailadmin.access_admin`. Written once as SQL
    (table names from the models): every page asks it, and building the same query with
    the ORM cost more CPU than running it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    user = get_user_model()
    user_groups = user.groups.through._meta.db_table
    user_perms = user.user_permissions.through._meta.db_table
    group_perms = Group.permissions.through._meta.db_table
    return f"""
        SELECT g.name, EXISTS (
            SELECT 1 FROM {Permission._meta.db_table} p
            JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id
            WHERE ct.app_label = 'wagtailadmin' AND p.codename = 'access_admin'
              AND (p.id IN (SELECT permission_id FROM {user_perms} WHERE user_id = %(user)s)
                   OR p.id IN (SELECT gp.permission_id FROM {group_perms} gp
                               JOIN {user_groups} ug ON ug.group_id = gp.group_id
                               WHERE ug.user_id = %(user)s)))
        FROM (SELECT 1) AS one
        LEFT JOIN {user_groups} ug ON ug.user_id = %(user)s
        LEFT JOIN {Group._meta.db_table} g ON g.id = ug.group_id"""


def can_open_console(user):
    """Whether the user may open Wagtail's admin (`wagtailadmin.access_admin`): answered
    by `user_roles`' query (Django's has_perm would take two more)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user_roles(user) & ADMIN_ACCESS_ROLES:
        return True
    return user._lianbing_console


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
        "people.change_officer",  # not add: officers come with accounts, by the roster import
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
