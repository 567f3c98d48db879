"""
Who may see a contest's results, and the results as the pages, exports and charts show
them: read from the stored AwardResult rows (the published snapshot), never recomputed.

Visibility
    Before publication only the contest's organizers (organizers whose scope holds the
    organizer unit, and administrators) see the results.
    Once published: everybody, signed in or not, when the contest's results are public;
    otherwise the participants — the contest's entrants, its judges, its organizers, and
    managers whose scope holds a participating unit.
    Published results show names and units (that is what a published result is), never
    answer keys or judges' marks.

Data version
    Every change to the stored results (awards computed or changed, publication) sets a
    new random version token per contest and one for all contests; cached charts are
    keyed by it, so a chart is never served from before a change, and a token lost from
    the cache simply becomes a new one.
"""
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from people.roles import Role, has_role
from people.scopes import scope_root_paths

from .models import (AwardResult, AwardScope, Contest, ContestStatus, Entry, JudgeAssignment,
                     ResultsVisibility)

SHOWN_STATUSES = (ContestStatus.PUBLISHED, ContestStatus.ARCHIVED)
ALL = "all"


# ---------------------------------------------------------------- versions


def _version_key(name):
    return f"competitions:results-version:{name}"


def version(contest=None):
    """Return the current data version token of one contest (or of all contests)."""
    key = _version_key(contest.pk if contest is not None else ALL)
    token = cache.get(key)
    if token is None:
        token = secrets.token_hex(8)
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token
    return token


def bump_version(contest):
    """Record that a contest's stored results changed."""
    cache.set_many({_version_key(contest.pk): secrets.token_hex(8),
                    _version_key(ALL): secrets.token_hex(8)}, timeout=None)


# ---------------------------------------------------------------- who may see


def is_published(contest):
    return contest.status in SHOWN_STATUSES


def is_organizer(user, contest):
    """Return True for the contest's organizers (their scope holds the organizer unit)."""
    from .access import can_organize

    return can_organize(user, contest)


def participating_unit_ids(contest):
    ids = set(contest.participating_units.values_list("pk", flat=True))
    ids |= set(contest.entries.filter(unit__isnull=False).values_list("unit_id", flat=True))
    return ids


def is_participant(user, contest):
    """Return True for entrants, judges and organizers of the contest, and for managers
    whose scope holds a participating unit."""
    if not user.is_authenticated:
        return False
    if is_organizer(user, contest):
        return True
    if Entry.objects.filter(contest=contest, officer__user=user).exists():
        return True
    if JudgeAssignment.objects.filter(event__contest=contest, judge=user).exists():
        return True
    if has_role(user, Role.MANAGER):
        from people.models import Unit

        paths = scope_root_paths(user)
        units = Unit.objects.filter(pk__in=participating_unit_ids(contest))
        return any(unit.path.startswith(path) for unit in units for path in paths)
    return False


def can_see_results(user, contest):
    if is_organizer(user, contest):
        return True
    if not is_published(contest):
        return False
    if contest.results_visibility == ResultsVisibility.PUBLIC:
        return True
    return is_participant(user, contest)


def _manager_over(user, unit):
    """Return True for a manager (or organizer) whose scope holds `unit`."""
    from people.scopes import can_see_unit

    return has_role(user, Role.MANAGER, Role.ORGANIZER) and can_see_unit(user, unit)


def may_print_certificate(user, award):
    """Return True if `user` may download `award`'s certificate: the contest's organizers
    at any time; once published, the winner, and for a team award the team's members
    and the managers over its unit."""
    if not user.is_authenticated or not award.prize:
        return False
    if is_organizer(user, award.contest):
        return True
    if not is_published(award.contest):
        return False
    if award.entry_id:
        return bool(award.entry.officer_id and award.entry.officer.user_id == user.pk)
    if award.team_id:
        from .models import EntryStatus

        return (Entry.objects.filter(team_id=award.team_id, officer__user=user,
                                     status=EntryStatus.APPROVED).exists()
                or _manager_over(user, award.team.unit))
    return False


def may_print_best_organisation(user, contest):
    """Return True if `user` may download the best organisation award certificate: the
    contest's organizers, and once published the managers over the winning unit."""
    if not user.is_authenticated or not contest.best_organisation_unit_id:
        return False
    if is_organizer(user, contest):
        return True
    return is_published(contest) and _manager_over(user, contest.best_organisation_unit)


class LoginNeeded(Exception):
    """Raised by `contest_for_results` for anonymous visitors of a closed results page."""


def contest_for_results(request, contest_id):
    """Return the contest if the user may see its results; raise 404/403/LoginNeeded."""
    contest = get_object_or_404(Contest.objects.select_related("organizer_unit",
                                                               "best_organisation_unit"),
                                pk=contest_id)
    if can_see_results(request.user, contest):
        return contest
    if not request.user.is_authenticated:
        raise LoginNeeded
    if not is_published(contest):
        raise Http404
    raise PermissionDenied


def login_redirect(request):
    return redirect_to_login(request.get_full_path())


# ---------------------------------------------------------------- the results as shown


@dataclass
class Line:
    """One line of a ranking table."""

    award: AwardResult
    name: str
    unit: str
    team: str = ""
    event_scores: list = field(default_factory=list)   # overall lines: per event, in order
    members: list = field(default_factory=list)        # team lines: member names


def entrant_name(entry):
    return entry.officer.name if entry.officer_id else entry.outside_name


def entrant_unit(entry):
    if entry.unit_id:
        return entry.unit.name
    return entry.outside_organisation


@dataclass
class Results:
    contest: Contest
    events: list
    overall: list
    by_event: dict          # event id → [Line]
    teams: list

    @property
    def has_any(self):
        return bool(self.overall or self.teams or any(self.by_event.values()))


def load(contest):
    """Return the stored rankings of a contest (a fixed number of queries)."""
    events = list(contest.events.all())
    awards = list(AwardResult.objects.filter(contest=contest).select_related(
        "entry__officer", "entry__unit", "entry__team", "team__unit").order_by(
        "scope", "event_id", "place", "pk"))
    scores = defaultdict(dict)   # entry id → event id → score
    team_members = defaultdict(list)
    for award in awards:
        if award.scope == AwardScope.EVENT:
            scores[award.entry_id][award.event_id] = award.score
        if award.scope == AwardScope.OVERALL and award.entry.team_id:
            team_members[award.entry.team_id].append(entrant_name(award.entry))
    overall, teams, by_event = [], [], {event.pk: [] for event in events}
    for award in awards:
        if award.scope == AwardScope.TEAM:
            teams.append(Line(award, award.team.name, award.team.unit.name,
                              members=team_members.get(award.team_id, [])))
            continue
        entry = award.entry
        line = Line(award, entrant_name(entry), entrant_unit(entry),
                    entry.team.name if entry.team_id else "")
        if award.scope == AwardScope.OVERALL:
            line.event_scores = [scores[entry.pk].get(event.pk) for event in events]
            overall.append(line)
        else:
            by_event.setdefault(award.event_id, []).append(line)
    return Results(contest, events, overall, by_event, teams)


def prize_counts(lines):
    """Return [(prize, count)] in the order prizes first appear down the ranking."""
    counts = {}
    for line in lines:
        if line.award.prize:
            counts[line.award.prize] = counts.get(line.award.prize, 0) + 1
    return list(counts.items())


# ---------------------------------------------------------------- Excel


def export_workbook(res):
    """Return .xlsx bytes of the final results: overall, each event, teams."""
    from django.utils.translation import gettext as _

    from workbooks.writing import header_cells, new_write_only_workbook, text_cell, workbook_bytes

    def number(value):
        return float(value) if value is not None else None

    wb = new_write_only_workbook()
    ws = wb.create_sheet(_("Overall")[:31])
    ws.append(header_cells(ws, [_("Place"), _("Name"), _("Unit"), _("Team"), _("Blind code")]
                           + [event.name for event in res.events]
                           + [_("Overall score"), _("Prize"), _("Reason for the change")]))
    for line in res.overall:
        award = line.award
        ws.append([award.place, text_cell(ws, line.name), text_cell(ws, line.unit),
                   text_cell(ws, line.team), text_cell(ws, award.entry.blind_code)]
                  + [number(s) for s in line.event_scores]
                  + [number(award.score), text_cell(ws, award.prize),
                     text_cell(ws, award.override_reason)])
    used = set()
    for event in res.events:
        title = event.name[:28] or str(event.pk)
        while title in used:
            title = f"{title[:26]}{len(used)}"
        used.add(title)
        ws = wb.create_sheet(title)
        ws.append(header_cells(ws, [_("Place"), _("Name"), _("Unit"), _("Blind code"),
                                    _("Score"), _("Prize"), _("Reason for the change")]))
        for line in res.by_event.get(event.pk, []):
            award = line.award
            ws.append([award.place, text_cell(ws, line.name), text_cell(ws, line.unit),
                       text_cell(ws, award.entry.blind_code), number(award.score),
                       text_cell(ws, award.prize), text_cell(ws, award.override_reason)])
    ws = wb.create_sheet(_("Teams")[:31])
    ws.append(header_cells(ws, [_("Place"), _("Team"), _("Unit"), _("Members"), _("Score"),
                                _("Prize"), _("Reason for the change")]))
    for line in res.teams:
        award = line.award
        ws.append([award.place, text_cell(ws, line.name), text_cell(ws, line.unit),
                   text_cell(ws, "、".join(line.members)), number(award.score),
                   text_cell(ws, award.prize), text_cell(ws, award.override_reason)])
    contest = res.contest
    if contest.best_organisation_unit_id:
        ws = wb.create_sheet(_("Best organisation")[:31])
        ws.append(header_cells(ws, [_("Unit"), _("Reason")]))
        ws.append([text_cell(ws, contest.best_organisation_unit.name),
                   text_cell(ws, contest.best_organisation_reason)])
    return workbook_bytes(wb)
