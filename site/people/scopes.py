"""
Who may see which units: the one answer every list, report and export filters through.

A manager's (or organizer's, or trainer's) scope is their own unit and every unit below
it; an administrator sees everything; anybody else sees no unit (only their own data).
"""
from .models import Officer, Unit
from .roles import SCOPED_ROLES, Role, user_roles


def scope_root_paths(user):
    """Return the tree paths at the top of the user's scope ([""] for everything)."""
    roles = user_roles(user)
    if not roles:
        return []
    if Role.ADMIN in roles:
        return [""]
    if roles & SCOPED_ROLES:
        officer = getattr(user, "officer", None)
        if officer is not None:
            return [officer.unit.path]
    return []


def visible_units(user):
    """Return the queryset of units the user may see."""
    paths = scope_root_paths(user)
    if not paths:
        return Unit.objects.none()
    if "" in paths:
        return Unit.objects.all()
    return Unit.objects.filter(path__startswith=paths[0])


def visible_officers(user):
    """Return the queryset of officers in the units the user may see."""
    paths = scope_root_paths(user)
    if not paths:
        return Officer.objects.none()
    if "" in paths:
        return Officer.objects.all()
    return Officer.objects.filter(unit__path__startswith=paths[0])


def can_see_unit(user, unit):
    """Return True if `unit` lies inside the user's scope."""
    return any(unit.path.startswith(path) for path in scope_root_paths(user))


def can_see_officer(user, officer):
    """Return True if the user may see this officer (themselves, or within their scope)."""
    if officer.user_id == user.pk:
        return True
    return can_see_unit(user, officer.unit)
