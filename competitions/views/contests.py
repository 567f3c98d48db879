"""Contest pages for organizers and registering managers: overview, status, entries."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.i18n_text import join_list
from people.roles import Role, has_role
from people.scopes import visible_units

from .. import contest_flow, marksheets, registration
from ..access import (ORGANIZER, can_organize, can_register, organized_contests,
                      organizer_or_404, registered_entries, registered_teams,
                      registrable_officers, withdrawal_role)
from ..forms import OutsiderForm, RegisterForm, ReplaceMemberForm, TeamForm
from ..models import WITHDRAWABLE, Contest, ContestStatus, Entry, EntryStatus, JudgeAssignment, Team


@login_required
def index(request):
    """Contests the user organizes, may register for, judges, or takes part in."""
    user = request.user
    organized = organized_contests(user).annotate(
        entry_count=Count("entries"),
        waiting=Count("entries", filter=Q(entries__status=EntryStatus.REGISTERED)))
    open_for_registration = (Contest.objects.filter(status=ContestStatus.REGISTRATION)
                             if can_register(user) else Contest.objects.none())
    judging = JudgeAssignment.objects.filter(judge=user).select_related(
        "event", "event__contest").exclude(event__contest__status=ContestStatus.ARCHIVED)
    mine = (Entry.objects.filter(officer__user=user).select_related("contest")
            .prefetch_related("submissions__event"))
    return render(request, "competitions/index.html", {
        "organized": organized, "open_for_registration": open_for_registration,
        "judging": judging, "mine": mine})


def _contest_for(request, contest_id):
    contest = get_object_or_404(Contest.objects.select_related("organizer_unit"), pk=contest_id)
    user = request.user
    if can_organize(user, contest):
        return contest, True
    if can_register(user) and contest.status != ContestStatus.DRAFT:
        return contest, False
    raise Http404


@login_required
def contest(request, contest_id):
    contest, organizer = _contest_for(request, contest_id)
    events = contest.events.select_related("rubric", "exam").annotate(
        judge_count=Count("judges", distinct=True)).order_by("sort_order", "pk")
    entries = (Entry.objects.filter(contest=contest) if organizer
               else registered_entries(request.user, contest))
    by_status = {row["status"]: row["n"]
                 for row in entries.values("status").annotate(n=Count("pk"))}
    counts = {label: by_status[value] for value, label in EntryStatus.choices
              if value in by_status}
    return render(request, "competitions/contest.html", {
        "contest": contest, "organizer": organizer, "events": events,
        "counts": counts, "moves": contest_flow.allowed_moves(contest) if organizer else (),
        "Status": ContestStatus,
        "invitation_url": request.build_absolute_uri(
            reverse("competitions:invite", args=[contest.invitation_token]))
        if organizer and any(e.open_to_outsiders for e in events) else ""})


@require_POST
@login_required
def contest_move(request, contest_id):
    contest = organizer_or_404(request.user, get_object_or_404(Contest, pk=contest_id))
    try:
        contest_flow.move(contest, request.POST.get("to", ""), request.user)
    except ValueError:
        raise Http404 from None
    except contest_flow.FlowError as error:
        messages.error(request, str(error))
        for problem in error.problems[:20]:
            if hasattr(problem, "submission"):
                problem = (f"{problem.submission.event.name} · "
                           f"{problem.submission.entry.blind_code}: {problem.message}")
            messages.warning(request, str(problem))
        return redirect(contest)
    contest.refresh_from_db()
    messages.success(request, _("The contest is now: %(status)s.")
                     % {"status": contest.get_status_display()})
    return redirect(contest)


@login_required
def entries(request, contest_id):
    """The contest's entries: all for the organizer, the own units' for a manager."""
    contest, organizer = _contest_for(request, contest_id)
    rows = (Entry.objects.filter(contest=contest) if organizer
            else registered_entries(request.user, contest))
    rows = rows.select_related("officer", "unit", "team", "withdrawn_by__officer").order_by(
        "status", "unit__path", "officer__name")
    status = request.GET.get("status", "")
    if status in EntryStatus.values:
        rows = rows.filter(status=status)
    teams = (Team.objects.filter(contest=contest) if organizer
             else registered_teams(request.user, contest))
    teams = teams.select_related("unit").annotate(
        active=Count("members", filter=Q(members__status__in=WITHDRAWABLE), distinct=True),
        withdrawn=Count("members", filter=Q(members__status=EntryStatus.WITHDRAWN),
                        distinct=True)).order_by("name")
    role = withdrawal_role(request.user, contest)
    return render(request, "competitions/entries.html", {
        "contest": contest, "organizer": organizer, "entries": rows, "teams": teams,
        "statuses": EntryStatus.choices, "status": status,
        "can_withdraw": role is not None, "reason_required": role == ORGANIZER,
        "can_reinstate": role == ORGANIZER and rows.filter(
            status=EntryStatus.WITHDRAWN).exists(),
        "can_register": contest.status == ContestStatus.REGISTRATION and can_register(
            request.user)})


def _withdrawn_message(request, withdrawn):
    if withdrawn:
        messages.success(request, _("%(count)s entries withdrawn: %(names)s") % {
            "count": len(withdrawn), "names": join_list(e.display_name for e in withdrawn)})
    else:
        messages.info(request, _("The chosen entries were already withdrawn."))


def _chosen(request, entries):
    """The entries ticked in the form, every one of them among `entries` (else 404)."""
    ids = [pk for pk in request.POST.getlist("entry") if pk.isdigit()]
    chosen = list(entries.filter(pk__in=ids))
    if len(chosen) != len(set(ids)):
        raise Http404
    return chosen


@require_POST
@login_required
def entry_withdraw(request, contest_id):
    """Withdraw the chosen entries (退赛): a registrar its own, the organizer any."""
    contest, organizer = _contest_for(request, contest_id)
    chosen = _chosen(request, Entry.objects.filter(contest=contest) if organizer
                     else registered_entries(request.user, contest))
    try:
        withdrawn = registration.withdraw(contest, chosen, request.user,
                                          request.POST.get("reason", ""))
    except registration.RegistrationError as error:
        messages.error(request, str(error))
    else:
        _withdrawn_message(request, withdrawn)
    return redirect("competitions:entries", contest.pk)


@require_POST
@login_required
def entry_reinstate(request, contest_id):
    """Undo the withdrawal of the chosen entries (the organizer, with a reason)."""
    contest, organizer = _contest_for(request, contest_id)
    if not organizer:
        raise Http404
    chosen = _chosen(request, Entry.objects.filter(contest=contest))
    try:
        reinstated = registration.reinstate(contest, chosen, request.user,
                                            request.POST.get("reason", ""))
    except registration.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s entries are back in the contest: %(names)s") % {
            "count": len(reinstated), "names": join_list(e.display_name for e in reinstated)})
    return redirect("competitions:entries", contest.pk)


@require_POST
@login_required
def team_withdraw(request, contest_id, team_id):
    """Withdraw a whole team: every member still in the contest."""
    contest, organizer = _contest_for(request, contest_id)
    teams = (Team.objects.filter(contest=contest) if organizer
             else registered_teams(request.user, contest))
    team = get_object_or_404(teams, pk=team_id)
    try:
        withdrawn = registration.withdraw_team(contest, team, request.user,
                                               request.POST.get("reason", ""))
    except registration.RegistrationError as error:
        messages.error(request, str(error))
    else:
        _withdrawn_message(request, withdrawn)
    return redirect("competitions:entries", contest.pk)


@login_required
def team_replace(request, contest_id, team_id):
    """Put a substitute in the place of a team member who withdrew (the organizer)."""
    contest = organizer_or_404(request.user, get_object_or_404(Contest, pk=contest_id))
    team = get_object_or_404(Team.objects.select_related("unit"), contest=contest, pk=team_id)
    form = ReplaceMemberForm(request.POST or None,
                             candidates=registration.replacement_candidates(contest, team))
    if request.method == "POST" and form.is_valid():
        try:
            entry = registration.replace_member(contest, team, form.cleaned_data["officer"],
                                                request.user, form.cleaned_data["reason"])
        except registration.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s joined team “%(team)s”.") % {
                "name": entry.display_name, "team": team.name})
            return redirect("competitions:entries", contest.pk)
    members = team.members.select_related("officer", "unit").order_by("status", "officer__name")
    return render(request, "competitions/team_replace.html", {
        "contest": contest, "team": team, "form": form, "members": members,
        "allowed": withdrawal_role(request.user, contest) == ORGANIZER})


# What the organizer may still decide on: entries awaiting approval, and rejected ones
# (a rejection may be reconsidered) — only while registration is open. An approved entry
# leaves the contest by withdrawal (退赛), with its reason, never by a rejection.
DECIDABLE = {True: (EntryStatus.REGISTERED, EntryStatus.REJECTED),
             False: (EntryStatus.REGISTERED,)}


@require_POST
@login_required
def entry_decide(request, contest_id):
    contest = organizer_or_404(request.user, get_object_or_404(Contest, pk=contest_id))
    approve = request.POST.get("decision") == "approve"
    back = redirect("competitions:entries", contest.pk)
    raw = request.POST.getlist("entry")
    ids = {int(pk) for pk in raw if pk.strip().isdigit()}
    if not raw:
        messages.error(request, _("Choose the entries to approve or reject."))
        return back
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        if contest.status != ContestStatus.REGISTRATION:
            messages.error(request, _("Entries are approved or rejected only while "
                                      "registration is open. To take an approved entry out "
                                      "of the contest, withdraw it."))
            return back
        chosen = list(Entry.objects.select_for_update(of=("self",)).filter(
            contest=contest, pk__in=ids).select_related("officer").order_by("pk"))
        if len(ids) != len({pk.strip() for pk in raw}) or len(chosen) != len(ids):
            messages.error(request, _("Some of the chosen entries are not entries of this "
                                      "contest; nothing was changed."))
            return back
        decided, left = [], []
        for entry in chosen:
            if entry.status in DECIDABLE[approve]:
                registration.decide(entry, approve, request.user)
                decided.append(entry)
            else:
                left.append(entry)
    if approve:
        messages.success(request, _("%(count)s entries approved.") % {"count": len(decided)})
    else:
        messages.success(request, _("%(count)s entries rejected.") % {"count": len(decided)})
    if left:
        messages.warning(request, _(
            "%(count)s chosen entries were not awaiting a decision and are unchanged: "
            "%(names)s. An approved entry leaves the contest by withdrawal.") % {
            "count": len(left), "names": join_list(e.display_name for e in left)})
    return back


def _register_guard(request, contest_id):
    contest = get_object_or_404(Contest, pk=contest_id)
    if not can_register(request.user):
        raise PermissionDenied
    if contest.status != ContestStatus.REGISTRATION:
        messages.error(request, _("Registration for “%(contest)s” is not open.")
                       % {"contest": contest.name})
        return contest, False
    return contest, True


@login_required
def register(request, contest_id):
    """A manager or organizer registers officers of their visible units."""
    contest, is_open = _register_guard(request, contest_id)
    if not is_open:
        return redirect("competitions:index")
    officers = registrable_officers(request.user, contest).exclude(
        contest_entries__contest=contest)
    form = RegisterForm(request.POST or None, officers=officers, contest=contest)
    if request.method == "POST" and form.is_valid():
        done, failed = 0, []
        for officer in form.cleaned_data["officers"]:
            try:
                registration.register(contest, officer, request.user,
                                      form.cleaned_data["events"])
                done += 1
            except registration.RegistrationError as error:
                failed.append(str(error))
        for text in failed:
            messages.error(request, text)
        messages.success(request, _("%(count)s officers registered; they await the "
                                    "organizer's approval.") % {"count": done})
        return redirect("competitions:entries", contest.pk)
    return render(request, "competitions/register.html", {"contest": contest, "form": form,
                                                          "team": False})


@login_required
def register_team(request, contest_id):
    contest, is_open = _register_guard(request, contest_id)
    if not is_open:
        return redirect("competitions:index")
    officers = registrable_officers(request.user, contest)
    units = visible_units(request.user)
    form = TeamForm(request.POST or None, officers=officers, contest=contest, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team, _entries = registration.register_team(
                contest, data["unit"], data["name"], data["officers"], request.user,
                data["events"])
        except registration.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Team “%(name)s” registered.") % {"name": team.name})
            return redirect("competitions:entries", contest.pk)
    return render(request, "competitions/register.html", {"contest": contest, "form": form,
                                                          "team": True})


@login_required
def entries_export(request, contest_id):
    contest = organizer_or_404(request.user, get_object_or_404(Contest, pk=contest_id))
    response = HttpResponse(
        marksheets.write_entries(contest),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=contest-{contest.pk}-entries.xlsx"
    return response


# --- outside participants ------------------------------------------------------------------

INVITE_PER_HOUR = 30


def _too_many_registrations(request):
    """Count outside registrations per address and hour (the link is public)."""
    hour = int(timezone.now().timestamp() // 3600)
    key = f"competitions:invite:{request.META.get('REMOTE_ADDR', '')}:{hour}"
    cache.add(key, 0, timeout=3700)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > INVITE_PER_HOUR


def invite(request, token):
    """Registration by the contest's invitation link: no account needed."""
    contest = get_object_or_404(Contest, invitation_token=token)
    events = registration.outsider_events(contest)
    if not events:
        raise Http404
    form = OutsiderForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _too_many_registrations(request):
        form.add_error(None, _("Too many registrations from this network; try again later."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = registration.register_outsider(contest, data["name"], data["organisation"],
                                                   data["phone"])
        except registration.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            return redirect("competitions:guest", registration.guest_token(entry))
    return render(request, "competitions/invite.html", {
        "contest": contest, "events": events, "form": form,
        "is_open": contest.status == ContestStatus.REGISTRATION})


def guest(request, token):
    """An outside participant's personal link: signs the guest in, shows the quiz."""
    entry = registration.entry_for_guest_token(token)
    if entry is None:
        raise Http404
    user = entry.officer.user
    if request.user.is_authenticated and request.user.pk != user.pk:
        if has_role(request.user, Role.OFFICER, Role.MANAGER, Role.ORGANIZER, Role.JUDGE,
                    Role.TRAINER):
            raise PermissionDenied
    if not request.user.is_authenticated or request.user.pk != user.pk:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    subs = entry.submissions.select_related("event", "event__exam")
    return render(request, "competitions/guest.html", {
        "entry": entry, "submissions": subs,
        "link": request.build_absolute_uri(reverse("competitions:guest", args=[token]))})
