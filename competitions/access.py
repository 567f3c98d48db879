"""Who may do what with a contest: organizers, registering managers, judges, contestants."""
from django.db.models import Q
from django.http import Http404

from people.roles import Role, has_role
from people.scopes import can_see_unit, visible_officers, visible_units

from .models import Contest, ContestStatus, Entry, JudgeAssignment, Team

# Who withdraws an entry, and until when: a unit's registrar while registration is open,
# the organizer (with a recorded reason) until marking starts.
ORGANIZER = "organizer"
REGISTRAR = "registrar"
ORGANIZER_WITHDRAWS_IN = (ContestStatus.DRAFT, ContestStatus.REGISTRATION, ContestStatus.RUNNING)
REGISTRAR_WITHDRAWS_IN = (ContestStatus.REGISTRATION,)


def can_organize(user, contest):
    """Return True for an organizer whose scope holds the contest's organizer unit (or admin)."""
    if not user.is_authenticated:
        return False
    return has_role(user, Role.ORGANIZER) and can_see_unit(user, contest.organizer_unit)


def organized_contests(user):
    """Return the contests `user` organizes."""
    if not has_role(user, Role.ORGANIZER):
        return Contest.objects.none()
    return Contest.objects.filter(organizer_unit__in=visible_units(user))


def can_register(user):
    """Return True if `user` may register their units' officers for contests."""
    return has_role(user, Role.MANAGER, Role.ORGANIZER)


def registrable_officers(user, contest):
    """Return the active officers `user` may register: in scope and in a participating unit."""
    officers = visible_officers(user).active().select_related("unit")
    paths = list(contest.participating_units.values_list("path", flat=True))
    if paths:
        condition = Q()
        for path in paths:
            condition |= Q(unit__path__startswith=path)
        officers = officers.filter(condition)
    return officers


def registered_entries(user, contest):
    """Return the entries of `contest` a registering manager answers for: those of the
    units they may see, and those they registered themselves."""
    return Entry.objects.filter(contest=contest).filter(
        Q(unit__in=visible_units(user)) | Q(registered_by=user))


def registered_teams(user, contest):
    """Return the teams of `contest` a registering manager answers for: their units', and
    those with a member they registered."""
    theirs = Entry.objects.filter(contest=contest, registered_by=user, team__isnull=False)
    return Team.objects.filter(contest=contest).filter(
        Q(unit__in=visible_units(user)) | Q(pk__in=theirs.values("team_id")))


def withdrawal_role(user, contest):
    """Return how `user` may withdraw entries of `contest` now: ORGANIZER (any entry,
    reason required), REGISTRAR (the entries of `registered_entries`), or None."""
    if not user.is_authenticated:
        return None
    if can_organize(user, contest):
        return ORGANIZER if contest.status in ORGANIZER_WITHDRAWS_IN else None
    if can_register(user) and contest.status in REGISTRAR_WITHDRAWS_IN:
        return REGISTRAR
    return None


def organizer_or_404(user, contest):
    if not can_organize(user, contest):
        raise Http404
    return contest


def assignment_for(user, event):
    """Return the user's JudgeAssignment on `event`, or None."""
    return JudgeAssignment.objects.filter(event=event, judge=user).first()


def can_chief(user, event):
    """Return True for the event's chief judge or the contest's organizer."""
    if can_organize(user, event.contest):
        return True
    return JudgeAssignment.objects.filter(event=event, judge=user, is_chief=True).exists()
