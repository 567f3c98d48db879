"""
Registering contestants and teams, deciding registrations, and blind codes.

A unit's manager (or an organizer) registers officers of the units they may see — and,
when the contest names participating units, only officers of those units' subtrees.
A team is `Contest.team_size` officers of one unit (the unit or the units below it).
The organizer approves or rejects each entry; an approved entry gets a fresh random
blind code, unique in the contest (drawn again on a collision).

Withdrawal 退赛
    A unit's registrar (the manager who answers for the entry: see
    access.registered_entries) withdraws its entries, or a whole team, while registration
    is open; the organizer withdraws any entry until marking starts, always with a
    reason. A withdrawn entry is kept, with its blind code and team, for the record
    (lists and exports show it as 已退赛); judging, scoring, rankings and awards read
    approved entries only, so it drops out of all of them. Its quiz seat is given up,
    its overall score cleared, and any stored award of it (or of a team left with no
    member) deleted. The organizer can undo a withdrawal (a mistake, a contestant back
    from sick leave) while withdrawals are allowed, with a reason kept in the audit trail
    together with the withdrawal it undid (`reinstate`).

Outside participants (quiz events open to outsiders)
    They register through the contest's invitation link with a name, organisation and
    phone number and are approved at once (a sector-wide quiz has a thousand of them).
    The exam engine needs an Officer, so each outsider gets a guest account: a user
    without a password (it can never sign in with one) and an Officer in the inactive
    root unit “外部参赛人员” (code EXTERNAL). That unit sits outside every manager's scope,
    so unit reports, rosters and dashboards never count outsiders (only administrators
    see the unit). The guest is named as an eligible officer of the quiz's exam and
    signs in through a personal link (signed, so it cannot be guessed), shown after
    registering. Their entry keeps unit = None so team scores and unit prize caps leave
    them out.
"""
import secrets

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.i18n_text import join_list
from people.models import Officer, Unit, UnitLevel

from .access import ORGANIZER, REGISTRAR, registered_entries, withdrawal_role
from .models import (WITHDRAWABLE, AwardResult, ContestStatus, Entry, EntryStatus, Event,
                     EventKind, Submission, Team, new_blind_code)

EXTERNAL_UNIT_CODE = "EXTERNAL"
EXTERNAL_UNIT_NAME = "外部参赛人员"
GUEST_SALT = "competitions.guest"
CODE_ATTEMPTS = 50


class RegistrationError(Exception):
    """A registration the rules refuse; the message is shown as it is."""


def _check_open(contest):
    if contest.status != ContestStatus.REGISTRATION:
        raise RegistrationError(_("Registration for “%(contest)s” is not open.")
                                % {"contest": contest.name})


def _internal_events(contest, events=None):
    chosen = list(contest.events.all() if events is None else events)
    if any(event.contest_id != contest.pk for event in chosen):
        raise RegistrationError(_("An event of another contest was chosen."))
    return chosen


def _create_with_code(make):
    """Run `make(code)` with fresh blind codes until one is free in the contest."""
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return make(new_blind_code())
        except IntegrityError as error:
            if "blind_code" not in str(error):
                raise
    raise RegistrationError(_("No free blind code was found; try again."))


def register(contest, officer, by, events=None, team=None):
    """Register `officer` (awaiting approval) for `events` (default: all the contest's)."""
    _check_open(contest)
    existing = Entry.objects.filter(contest=contest, officer=officer).values_list(
        "status", flat=True).first()
    if existing == EntryStatus.WITHDRAWN:
        raise RegistrationError(_("%(name)s has withdrawn from this contest.")
                                % {"name": officer.name})
    if existing is not None:
        raise RegistrationError(_("%(name)s is already registered.") % {"name": officer.name})
    events = _internal_events(contest, events)
    if not events:
        raise RegistrationError(_("Choose at least one event."))
    return _new_entry(contest, officer, by, events, team)


def _new_entry(contest, officer, by, events, team=None):
    def make(code):
        entry = Entry.objects.create(contest=contest, officer=officer, unit=officer.unit,
                                     team=team, registered_by=by, blind_code=code)
        Submission.objects.bulk_create([Submission(event=e, entry=entry) for e in events])
        return entry

    return _create_with_code(make)


def register_team(contest, unit, name, officers, by, events=None):
    """Register a team of exactly `contest.team_size` officers of `unit`'s subtree."""
    _check_open(contest)
    officers = list(officers)
    name = name.strip()
    if not name:
        raise RegistrationError(_("Give the team a name."))
    if len(officers) != contest.team_size or len({o.pk for o in officers}) != len(officers):
        raise RegistrationError(_("A team has exactly %(size)s different officers.")
                                % {"size": contest.team_size})
    outside = [o.name for o in officers if not o.unit.path.startswith(unit.path)]
    if outside:
        raise RegistrationError(_("Not in %(unit)s: %(names)s") % {
            "unit": unit.name, "names": join_list(outside)})
    if Team.objects.filter(contest=contest, name=name).exists():
        raise RegistrationError(_("There is already a team named “%(name)s”.") % {"name": name})
    with transaction.atomic():
        team = Team.objects.create(contest=contest, unit=unit, name=name)
        entries = []
        for officer in officers:
            existing = Entry.objects.filter(contest=contest, officer=officer).first()
            if existing is not None:
                if existing.status == EntryStatus.WITHDRAWN:
                    raise RegistrationError(_("%(name)s has withdrawn from this contest.")
                                            % {"name": officer.name})
                if existing.team_id:
                    raise RegistrationError(_("%(name)s is already in a team.")
                                            % {"name": officer.name})
                existing.team = team
                existing.save(update_fields=["team"])
                entries.append(existing)
            else:
                entries.append(register(contest, officer, by, events, team=team))
    return team, entries


def decide(entry, approve, by):
    """Approve (with a fresh blind code, and a seat in the contest's quizzes) or reject."""
    if approve:
        assign_blind_code(entry)
        entry.status = EntryStatus.APPROVED
        _give_quiz_seats([entry])
    else:
        entry.status = EntryStatus.REJECTED
    entry.decided_by = by
    entry.decided_at = timezone.now()
    entry.save(update_fields=["status", "decided_by", "decided_at"])
    return entry


def _give_quiz_seats(entries):
    """An approved contestant may sit the contest's quizzes whatever the exam's units."""
    for submission in Submission.objects.filter(
            entry__in=entries, event__kind=EventKind.QUIZ, event__exam__isnull=False,
            entry__officer__isnull=False).select_related("event__exam", "entry"):
        submission.event.exam.eligible_officers.add(submission.entry.officer_id)


def assign_blind_code(entry):
    """Give `entry` a new random blind code, unique in its contest."""

    def make(code):
        Entry.objects.filter(pk=entry.pk).update(blind_code=code)
        entry.blind_code = code
        return entry

    return _create_with_code(make)


def _lock_chosen(contest, entries, none_chosen, *related):
    """Lock the chosen `entries` (inside a transaction), all of them entries of `contest`,
    else refuse; `none_chosen` is the message when nothing was chosen. In the order they
    were entered (the id): locks always taken in one order, names always listed in one."""
    ids = {entry.pk for entry in entries}
    if not ids:
        raise RegistrationError(none_chosen)
    chosen = list(Entry.objects.select_for_update(of=("self",)).filter(
        contest=contest, pk__in=ids).select_related(*related).order_by("pk"))
    if len(chosen) != len(ids):
        raise RegistrationError(_("An entry of another contest was chosen."))
    return chosen


# --- withdrawal ----------------------------------------------------------------------------

def withdraw(contest, entries, by, reason=""):
    """Withdraw `entries` of `contest` (退赛), all or none; return the entries withdrawn.

    Entries already withdrawn are left as they are; a rejected entry cannot be withdrawn.
    """
    reason = (reason or "").strip()
    role = withdrawal_role(by, contest)
    if role is None:
        raise RegistrationError(_("Entries of “%(contest)s” cannot be withdrawn now.")
                                % {"contest": contest.name})
    if role == ORGANIZER and not reason:
        raise RegistrationError(_("Give the reason for the withdrawal."))
    with transaction.atomic():
        chosen = _lock_chosen(contest, entries, _("Choose the entries to withdraw."),
                              "officer")
        if role == REGISTRAR:
            mine = set(registered_entries(by, contest).filter(pk__in=[e.pk for e in chosen])
                       .values_list("pk", flat=True))
            others = [entry.display_name for entry in chosen if entry.pk not in mine]
            if others:
                raise RegistrationError(_("You may not withdraw these entries: %(names)s")
                                        % {"names": join_list(others)})
        rejected = [entry.display_name for entry in chosen
                    if entry.status == EntryStatus.REJECTED]
        if rejected:
            raise RegistrationError(_("A rejected entry cannot be withdrawn: %(names)s")
                                    % {"names": join_list(rejected)})
        todo = [entry for entry in chosen if entry.status in WITHDRAWABLE]
        if not todo:
            return []
        now = timezone.now()
        Entry.objects.filter(pk__in=[entry.pk for entry in todo]).update(
            status=EntryStatus.WITHDRAWN, withdrawn_by=by, withdrawn_at=now,
            withdrawal_reason=reason[:300], total=None)
        for entry in todo:
            entry.status, entry.withdrawn_by, entry.withdrawn_at = EntryStatus.WITHDRAWN, by, now
            entry.withdrawal_reason, entry.total = reason[:300], None
        # The contest's quiz seats given at approval are given up.
        for submission in Submission.objects.filter(
                entry__in=todo, event__kind=EventKind.QUIZ, event__exam__isnull=False,
                entry__officer__isnull=False).select_related("event__exam", "entry"):
            submission.event.exam.eligible_officers.remove(submission.entry.officer_id)
        team_ids = {entry.team_id for entry in todo if entry.team_id}
        still_in = set(Entry.objects.filter(team_id__in=team_ids, status__in=WITHDRAWABLE)
                       .values_list("team_id", flat=True))
        deleted, _detail = AwardResult.objects.filter(
            Q(entry__in=todo) | Q(team_id__in=team_ids - still_in)).delete()
    if deleted:
        from .results import bump_version

        bump_version(contest)
    return todo


def reinstate(contest, entries, by, reason=""):
    """Undo the withdrawal of `entries` (撤销退赛): the organizer only, with a reason, while
    withdrawals are allowed. Each entry returns to where it was — approved (with its blind
    code and quiz seats) if it had been approved, else awaiting approval — and the change
    is kept in the audit trail. Return the entries reinstated."""
    from security.audit import record

    reason = (reason or "").strip()
    if withdrawal_role(by, contest) != ORGANIZER:
        raise RegistrationError(_("Only the organizer can undo a withdrawal, while marking "
                                  "has not started."))
    if not reason:
        raise RegistrationError(_("Give the reason for undoing the withdrawal."))
    with transaction.atomic():
        chosen = _lock_chosen(contest, entries, _("Choose the entries to reinstate."),
                              "officer", "withdrawn_by")
        todo = [entry for entry in chosen if entry.status == EntryStatus.WITHDRAWN]
        if not todo:
            raise RegistrationError(_("None of the chosen entries has withdrawn."))
        _check_team_places(contest, todo)
        for entry in todo:
            before = {"status": entry.status, "withdrawn_at": entry.withdrawn_at,
                      "withdrawn_by": entry.withdrawn_by.get_username()
                      if entry.withdrawn_by else None,
                      "withdrawal_reason": entry.withdrawal_reason}
            entry.status = (EntryStatus.APPROVED if entry.decided_at else
                            EntryStatus.REGISTERED)
            entry.withdrawn_by, entry.withdrawn_at, entry.withdrawal_reason = None, None, ""
            entry.save(update_fields=["status", "withdrawn_by", "withdrawn_at",
                                      "withdrawal_reason"])
            record(by, entry, "lianbing.entry.reinstate", before, {"status": entry.status},
                   reason=reason)
        _give_quiz_seats([entry for entry in todo if entry.status == EntryStatus.APPROVED])
    from .results import bump_version

    bump_version(contest)
    return todo


def _check_team_places(contest, entries):
    """Refuse to bring `entries` back if a team of theirs has no place left for them (a
    substitute took it); the teams are locked until the end of the transaction."""
    back = {}
    for entry in entries:
        if entry.team_id:
            back.setdefault(entry.team_id, []).append(entry)
    for team in Team.objects.select_for_update().filter(pk__in=back).order_by("pk"):
        active = team.members.filter(status__in=WITHDRAWABLE).count()
        if active + len(back[team.pk]) > contest.team_size:
            raise RegistrationError(
                _("Team “%(name)s” has no place left for %(names)s: a substitute took it.")
                % {"name": team.name, "names": join_list(e.display_name for e in back[team.pk])})


def withdraw_team(contest, team, by, reason=""):
    """Withdraw every member of `team` still in the contest (all or none)."""
    if team.contest_id != contest.pk:
        raise RegistrationError(_("A team of another contest was chosen."))
    members = list(team.members.filter(status__in=WITHDRAWABLE))
    if not members:
        raise RegistrationError(_("Team “%(name)s” has no member left to withdraw.")
                                % {"name": team.name})
    return withdraw(contest, members, by, reason)


def replacement_candidates(contest, team):
    """Officers who may take a free place in `team`: active, in the team's unit, and not
    entered in the contest in any way."""
    return (Officer.objects.active().filter(unit__path__startswith=team.unit.path)
            .exclude(contest_entries__contest=contest).select_related("unit")
            .order_by("unit__path", "name"))


def replace_member(contest, team, officer, by, reason=""):
    """Put `officer` in `team` in a free place (替补): one left by a member who withdrew
    or was rejected.

    The organizer only, with a reason, while withdrawals are allowed and the team has a
    free place. The substitute sits the team's events and takes the team's standing:
    approved at once (a blind code, the quiz seats) if the team had been approved, else
    awaiting approval like the others. The change is kept in the audit trail with the
    members who had withdrawn. Return the new entry.
    """
    from security.audit import record

    reason = (reason or "").strip()
    if withdrawal_role(by, contest) != ORGANIZER:
        raise RegistrationError(_("Only the organizer can replace a team member, while "
                                  "marking has not started."))
    if team.contest_id != contest.pk:
        raise RegistrationError(_("A team of another contest was chosen."))
    if not reason:
        raise RegistrationError(_("Give the reason for the replacement."))
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("unit").get(pk=team.pk)
        if not replacement_candidates(contest, team).filter(pk=officer.pk).exists():
            raise RegistrationError(
                _("%(name)s cannot join “%(team)s”: an officer of %(unit)s not entered in "
                  "this contest can.") % {"name": officer.name, "team": team.name,
                                           "unit": team.unit.name})
        members = list(team.members.select_related("officer"))
        if sum(member.status in WITHDRAWABLE for member in members) >= contest.team_size:
            raise RegistrationError(_("Team “%(name)s” has no free place: a member must "
                                      "withdraw first.") % {"name": team.name})
        withdrawn = [member.display_name for member in members
                     if member.status == EntryStatus.WITHDRAWN]
        events = list(Event.objects.filter(submissions__entry__team=team).distinct())
        try:
            entry = _new_entry(contest, officer, by,
                               events or _internal_events(contest, None), team)
        except IntegrityError:  # entered meanwhile (another team, the same second)
            raise RegistrationError(_("%(name)s is already registered.")
                                    % {"name": officer.name}) from None
        if any(member.decided_at and member.status != EntryStatus.REJECTED
               for member in members):
            decide(entry, True, by)
        record(by, entry, "lianbing.team.replace", {"team": team.name, "withdrawn": withdrawn},
               {"team": team.name, "member": officer.name, "status": entry.status},
               reason=reason)
    from .results import bump_version

    bump_version(contest)
    return entry


# --- outside participants ---------------------------------------------------------------

def external_unit():
    """Return the inactive root unit that holds outside participants' guest officers."""
    unit = Unit.objects.filter(code=EXTERNAL_UNIT_CODE).first()
    if unit is None:
        unit = Unit.add_root(code=EXTERNAL_UNIT_CODE, name=EXTERNAL_UNIT_NAME,
                             level=UnitLevel.CORPS, is_active=False)
    return unit


def outsider_events(contest):
    return list(contest.events.filter(kind=EventKind.QUIZ, open_to_outsiders=True))


def register_outsider(contest, name, organisation, phone):
    """Register an outside participant (approved at once); return the Entry."""
    _check_open(contest)
    events = outsider_events(contest)
    if not events:
        raise RegistrationError(_("This contest has no event open to outside participants."))
    name, organisation, phone = name.strip(), organisation.strip(), phone.strip()
    if not (name and organisation and phone):
        raise RegistrationError(_("Give your name, organisation and phone number."))
    if Entry.objects.filter(contest=contest, outside_phone=phone).exists():
        raise RegistrationError(_("This phone number is already registered for the contest."))
    unit = external_unit()
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=f"guest-{secrets.token_hex(8)}", password=None)
        officer = Officer.objects.create(user=user, unit=unit, name=name, phone=phone,
                                         badge_number=f"EXT-{secrets.token_hex(6).upper()}")

        def make(code):
            entry = Entry.objects.create(
                contest=contest, officer=officer, unit=None, outside_name=name,
                outside_organisation=organisation, outside_phone=phone,
                status=EntryStatus.APPROVED, decided_at=timezone.now(), blind_code=code)
            Submission.objects.bulk_create([Submission(event=e, entry=entry) for e in events])
            return entry

        entry = _create_with_code(make)
        for event in events:
            if event.exam_id:
                event.exam.eligible_officers.add(officer)
    return entry


def guest_token(entry):
    """Return the signed token of an outside participant's personal sign-in link."""
    return signing.dumps(entry.pk, salt=GUEST_SALT)


def entry_for_guest_token(token):
    """Return the outside participant's Entry for a personal link token, or None."""
    try:
        pk = signing.loads(token, salt=GUEST_SALT)
    except signing.BadSignature:
        return None
    return (Entry.objects.select_related("officer__user", "contest")
            .filter(pk=pk).exclude(outside_name="").first())
