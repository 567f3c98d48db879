"""
Rankings and awards of a contest, stored as AwardResult rows, and their publication.

What is ranked
    Per event: the approved entries with a score in that event (Submission.score).
    Overall: the approved entries with an overall score (Entry.total).
    Teams: each Team with at least one ranked member; its score is the SUM or MEAN of
    its members' overall scores (Contest.team_score_rule), or, when the contest gives
    team awards by points (Contest.team_award_rule), the award points its members won
    with their individual prizes, in every event and overall (Contest.award_points,
    e.g. {"一等奖": 8, "二等奖": 4, "三等奖": 2}); teams equal on points are then
    ordered by their members' summed overall scores.

Ties
    Entrants with the same score are ordered by Contest.tie_break, an ordered list of
    {"name": "time" | "event:<event id>", "higher_first": bool}: "time" is the
    completion time (in an event, that submission's; overall, the sum over the entry's
    submissions), "event:<id>" the score in that event. Still equal on every key they
    share the place, or — with Contest.tie_rule STRICT — computing stops with an error
    that names them, so the organizer can add a key. The overall time sums the times the
    entry's submissions record (a judged event often records none); an entry none of
    whose submissions records a time has no time and ranks after those that do.

Awards
    Prize levels are [{"name": "一等奖", "count": 1} | {"name": …, "share": "0.1"}, …]
    from the highest down (shares round half up), with an optional cap per unit — see
    competitions.ranking.award for the exact rules on ties at a boundary and caps.

Stored results
    `compute_awards` writes one AwardResult per ranked entrant and team (with or without
    a prize). With `rescore` (the organizer's "compute awards") it first rebuilds every
    stored score from the raw marks and exam attempts (competitions.scoring.score_contest),
    under the contest's lock, so the overall and team rankings exist before publication.
    Recomputing updates the rows in place, so a printed certificate's QR code
    keeps working, and never touches a manual override: a row with `override_reason`
    keeps its `prize` (the computed one is refreshed in `computed_prize` beside it) —
    unless its entrant has left the contest (an entry no longer approved, a team without
    an approved member): that row goes, override and all.
    An override always needs a reason and records who made it.

Publication
    The organizer publishes when nothing blocks it: every submission scored (no missing
    mark, third marker or arbitration outstanding — competitions.scoring.unresolved)
    and the awards computable. Publishing rescores the contest from the raw marks and
    recomputes the awards first, so what is published always matches the marks.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.i18n_text import join_list

from . import ranking
from .models import (AwardResult, AwardScope, Contest, ContestStatus, Entry, EntryStatus,
                     Submission, Team, TeamAwardRule)
from .scoring_types import InvalidScoring, round_score

# The job kinds of this module's results (certificate ZIP, Excel exports) register here.
from . import jobs_results  # noqa: E402,F401  isort:skip

PUBLISHABLE_FROM = (ContestStatus.RUNNING, ContestStatus.MARKING)


class AwardsError(ValueError):
    """A rule that stops awards being computed, changed or published; shown as it is."""


class PublicationBlocked(AwardsError):
    """Publication refused; `blockers` lists what has to be resolved first."""

    def __init__(self, blockers):
        self.blockers = list(blockers)
        super().__init__(_("The results cannot be published yet: %(count)d problem(s) remain.")
                         % {"count": len(self.blockers)})


@dataclass
class Placing:
    """One computed line of a ranking: who, where, what score and what prize."""

    scope: str
    event_id: int | None
    entry: Entry | None
    team: Team | None
    score: object
    place: int
    tied: bool
    prize: str

    @property
    def key(self):
        return (self.scope, self.event_id, self.entry.pk if self.entry else None,
                self.team.pk if self.team else None)


def award_key(award):
    return (award.scope, award.event_id, award.entry_id, award.team_id)


# ---------------------------------------------------------------- reading the rules


def prize_levels(raw, where):
    """Return PrizeLevels from stored JSON, or raise AwardsError naming `where`."""
    if raw and not isinstance(raw, list):
        raise AwardsError(_("%(where)s: give the prize levels as a list, e.g. "
                            "[{\"name\": \"一等奖\", \"count\": 1}].") % {"where": where})
    levels = []
    for index, item in enumerate(raw or [], start=1):
        try:
            name = str(item["name"]).strip()
            if not name:
                raise KeyError("name")
            if item.get("count") not in (None, ""):
                levels.append(ranking.PrizeLevel(name, count=int(item["count"])))
            else:
                levels.append(ranking.PrizeLevel(name, share=item.get("share")))
        except (KeyError, TypeError, ValueError, InvalidScoring) as exc:
            raise AwardsError(
                _("%(where)s, prize level %(index)d: give a name and either a count or a "
                  "share (%(error)s).") % {"where": where, "index": index, "error": exc}
            ) from None
    return levels


def tie_break_keys(contest, events):
    """Return the SortKeys after the score, checked against the contest's events."""
    event_ids = {event.pk for event in events}
    keys = []
    for index, item in enumerate(contest.tie_break or [], start=1):
        name = str(item.get("name", "")) if isinstance(item, dict) else ""
        valid = name == "time" or (
            name.startswith("event:") and name[6:].isdigit() and int(name[6:]) in event_ids)
        if not valid:
            raise AwardsError(
                _("Tie-break key %(index)d (%(name)s) is not the completion time or an event "
                  "of this contest.") % {"index": index, "name": name or "—"})
        keys.append(ranking.SortKey(name, bool(item.get("higher_first", name != "time"))))
    return keys


def entrant_label(entry):
    """Return how an organizer's error message names an entrant: name (blind code)."""
    return f"{entry.display_name}（{entry.blind_code}）"


# ---------------------------------------------------------------- computing


class _Data:
    """The contest's events, approved entries and their submissions, read in four queries."""

    def __init__(self, contest):
        self.contest = contest
        self.events = list(contest.events.all())
        self.entries = {e.pk: e for e in Entry.objects.filter(
            contest=contest, status=EntryStatus.APPROVED).select_related(
            "officer", "unit", "team")}
        self.subs = defaultdict(dict)   # entry id → event id → Submission
        for sub in Submission.objects.filter(event__contest=contest,
                                             entry_id__in=list(self.entries)):
            self.subs[sub.entry_id][sub.event_id] = sub
        # The events that record a completion time (quizzes; judged events seldom do).
        self.timed_events = {sub.event_id for subs in self.subs.values()
                             for sub in subs.values() if sub.completion_seconds is not None}
        self.teams = {t.pk: t for t in Team.objects.filter(contest=contest).select_related("unit")}

    def values(self, entry, event=None):
        subs = self.subs.get(entry.pk, {})
        values = {f"event:{event_id}": sub.score for event_id, sub in subs.items()}
        if event is not None:
            sub = subs.get(event.pk)
            values["score"] = sub.score if sub else None
            values["time"] = sub.completion_seconds if sub else None
        else:
            values["score"] = entry.total
            # The total time over the timed events; an entrant without a time in one of
            # them has no total (a missing time must not look like a fast one).
            times = [subs[event_id].completion_seconds if event_id in subs else None
                     for event_id in self.timed_events]
            values["time"] = (sum(times) if times and None not in times else None)
        return values


def _rank(data, entrants, keys, where):
    try:
        return ranking.rank(entrants, keys, data.contest.tie_rule)
    except ranking.UnresolvedTie as exc:
        groups = []
        for group in exc.groups:
            names = [entrant_label(data.entries[i]) if i in data.entries
                     else str(data.teams[i]) for i in group]
            groups.append(join_list(names))
        raise AwardsError(
            _("%(where)s: these entrants are equal on every tie-break key and the contest "
              "allows no shared places: %(groups)s. Add a tie-break key or allow shared "
              "places.") % {"where": where, "groups": "；".join(groups)}) from None


def _individual(data, event, keys):
    """Return the awarded standings of one event (or overall when `event` is None)."""
    contest = data.contest
    entrants = []
    for entry in data.entries.values():
        values = data.values(entry, event)
        if values["score"] is None:
            continue
        entrants.append(ranking.Entrant(entry.pk, entry.unit_id, values))
    where = event.name if event else _("Overall")
    standings = _rank(data, entrants, [ranking.SortKey("score")] + keys, where)
    raw_levels = event.prize_levels if event else contest.prize_levels
    cap = event.prize_cap_per_unit if event else contest.prize_cap_per_unit
    try:
        return ranking.award(standings, prize_levels(raw_levels, where), cap)
    except InvalidScoring as exc:
        raise AwardsError(f"{where}: {exc}") from None


def compute(contest):
    """Return the Placings of every event, overall and the teams (nothing is saved)."""
    data = _Data(contest)
    keys = tie_break_keys(contest, data.events)
    placings = []
    individual_awards = []
    for event in data.events:
        awards = _individual(data, event, keys)
        individual_awards += awards
        placings += [_placing(AwardScope.EVENT, event.pk, data, a) for a in awards]
    overall = _individual(data, None, keys)
    individual_awards += overall
    placings += [_placing(AwardScope.OVERALL, None, data, a) for a in overall]
    placings += _teams(data, overall, individual_awards)
    return placings


def _placing(scope, event_id, data, item):
    entry = data.entries[item.standing.entrant.id]
    return Placing(scope, event_id, entry, None, item.standing.entrant.values["score"],
                   item.standing.place, item.standing.tied, item.prize or "")


def _team_points(by_team, raw):
    error = ranking.award_points_error(raw)
    if error:
        raise AwardsError(error)
    return ranking.team_award_points(by_team, raw or {})


def _teams(data, overall, individual_awards):
    contest = data.contest
    members = defaultdict(list)   # team id → overall scores
    for item in overall:
        entry = data.entries[item.standing.entrant.id]
        if entry.team_id:
            members[entry.team_id].append((entry.team_id, item.standing.entrant.values["score"]))
    if not members:
        return []
    summed = {t.unit: t.score for t in ranking.team_scores(
        [pair for pairs in members.values() for pair in pairs], ranking.SUM)}
    if contest.team_award_rule == TeamAwardRule.POINTS:
        by_team = []
        for item in individual_awards:
            team_id = data.entries[item.standing.entrant.id].team_id
            if team_id in members:
                entrant = ranking.Entrant(item.standing.entrant.id, team_id)
                by_team.append(ranking.Award(ranking.Standing(entrant, item.standing.place,
                                                              item.standing.tied), item.prize))
        points = _team_points(by_team, contest.award_points)
        scores = {t.unit: t.score for t in points}
        entrants = [ranking.Entrant(team_id, team_id,
                                    {"score": scores.get(team_id, round_score(0)),
                                     "members": summed[team_id]}) for team_id in members]
        keys = [ranking.SortKey("score"), ranking.SortKey("members")]
    else:
        teams = ranking.team_scores([pair for pairs in members.values() for pair in pairs],
                                    contest.team_score_rule)
        entrants = [t.as_entrant() for t in teams]
        keys = [ranking.SortKey("score")]
    where = _("Teams")
    standings = _rank(data, entrants, keys, where)
    try:
        awards = ranking.award(standings, prize_levels(contest.team_prize_levels, where))
    except InvalidScoring as exc:
        raise AwardsError(f"{where}: {exc}") from None
    return [Placing(AwardScope.TEAM, None, None, data.teams[a.standing.entrant.id],
                    a.standing.entrant.values["score"], a.standing.place, a.standing.tied,
                    a.prize or "") for a in awards]


# ---------------------------------------------------------------- storing


@transaction.atomic
def compute_awards(contest, user=None, allow_published=False, rescore=False):
    """Store the rankings and awards; keep manual overrides; return counts. With
    `rescore`, every stored score is first rebuilt from the raw marks (under the lock)."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.status == ContestStatus.PUBLISHED and not allow_published:
        raise AwardsError(_("The results are published. Withdraw the publication before "
                            "computing the awards again."))
    if rescore:
        from . import scoring

        scoring.score_contest(contest)
    placings = compute(contest)
    existing = {award_key(a): a for a in AwardResult.objects.filter(contest=contest)}
    created, updated = [], []
    for placing in placings:
        award = existing.pop(placing.key, None)
        if award is None:
            created.append(AwardResult(
                contest=contest, scope=placing.scope, event_id=placing.event_id,
                entry=placing.entry, team=placing.team, score=placing.score,
                place=placing.place, tied=placing.tied, prize=placing.prize,
                computed_prize=placing.prize))
            continue
        award.score, award.place, award.tied = placing.score, placing.place, placing.tied
        award.computed_prize = placing.prize
        if not award.override_reason:
            award.prize = placing.prize
        updated.append(award)
    # A row no longer computed goes, unless it carries an override of an entrant still
    # in the contest (an entry no longer approved, or a team without an approved member,
    # takes its overrides with it).
    approved = Entry.objects.filter(contest=contest, status=EntryStatus.APPROVED)
    present_entries = set(approved.values_list("pk", flat=True))
    present_teams = set(approved.filter(team__isnull=False).values_list("team_id", flat=True))
    stale = [a.pk for a in existing.values()
             if not a.override_reason
             or (a.entry_id is not None and a.entry_id not in present_entries)
             or (a.team_id is not None and a.team_id not in present_teams)]
    AwardResult.objects.filter(pk__in=stale).delete()
    AwardResult.objects.bulk_create(created)
    AwardResult.objects.bulk_update(updated, ["score", "place", "tied", "computed_prize",
                                              "prize"])
    from .results import bump_version

    bump_version(contest)
    return {"placings": len(placings), "prizes": sum(1 for p in placings if p.prize),
            "overrides": AwardResult.objects.filter(contest=contest).exclude(
                override_reason="").count()}


def level_names(award):
    """Return the prize names an award of this scope may carry."""
    contest = award.contest
    if award.scope == AwardScope.EVENT:
        raw = award.event.prize_levels
    elif award.scope == AwardScope.OVERALL:
        raw = contest.prize_levels
    else:
        raw = contest.team_prize_levels
    return [str(item.get("name", "")) for item in raw or [] if isinstance(item, dict)]


@transaction.atomic
def override(award, prize, reason, user):
    """Change an award's prize by hand; a reason is required and kept with who made it."""
    reason = (reason or "").strip()
    prize = (prize or "").strip()
    if not reason:
        raise AwardsError(_("Give the reason for changing this award."))
    if award.contest.status == ContestStatus.PUBLISHED:
        raise AwardsError(_("The results are published. Withdraw the publication before "
                            "changing an award."))
    if prize and prize not in level_names(award):
        raise AwardsError(_("“%(prize)s” is not one of this ranking's prizes: %(names)s.")
                          % {"prize": prize, "names": join_list(level_names(award)) or "—"})
    award.prize = prize
    award.override_reason = reason[:300]
    award.changed_by = user
    award.save(update_fields=["prize", "override_reason", "changed_by"])
    from .results import bump_version

    bump_version(award.contest)
    return award


@transaction.atomic
def clear_override(award, user):
    """Return an award to the prize the rules give."""
    if award.contest.status == ContestStatus.PUBLISHED:
        raise AwardsError(_("The results are published. Withdraw the publication before "
                            "changing an award."))
    award.prize = award.computed_prize
    award.override_reason = ""
    award.changed_by = user
    award.save(update_fields=["prize", "override_reason", "changed_by"])
    from .results import bump_version

    bump_version(award.contest)
    return award


def participating_units(contest):
    """Return the units taking part: those invited and those with an approved entry."""
    from people.models import Unit

    unit_ids = set(contest.participating_units.values_list("pk", flat=True))
    unit_ids |= set(Entry.objects.filter(contest=contest, status=EntryStatus.APPROVED,
                                         unit__isnull=False).values_list("unit_id", flat=True))
    return Unit.objects.filter(pk__in=unit_ids).order_by("path")


@transaction.atomic
def set_best_organisation(contest, unit, reason, user=None):
    """Give (or, with unit None, withdraw) the best organisation award 最佳组织奖."""
    reason = (reason or "").strip()
    if unit is not None:
        if not reason:
            raise AwardsError(_("Give the reason for the best organisation award."))
        if not participating_units(contest).filter(pk=unit.pk).exists():
            raise AwardsError(_("%(unit)s does not take part in this contest.")
                              % {"unit": unit.name})
    contest.best_organisation_unit = unit
    contest.best_organisation_reason = reason if unit is not None else ""
    contest.save(update_fields=["best_organisation_unit", "best_organisation_reason"])
    from .results import bump_version

    bump_version(contest)
    return contest


# ---------------------------------------------------------------- publication


def unresolved(contest):
    """Return what still stops publication, as short texts (empty: nothing)."""
    from . import scoring

    return [f"{item.submission.event.name} · {item.submission.entry.blind_code}："
            f"{item.message}" for item in scoring.unresolved(contest)]


def publication_blockers(contest):
    """Return the list of problems that block publication (empty when it may go ahead)."""
    blockers = []
    if contest.status not in PUBLISHABLE_FROM:
        blockers.append(_("The contest is “%(status)s”; results are published from running "
                          "or marking.") % {"status": contest.get_status_display()})
    if not contest.entries.filter(status=EntryStatus.APPROVED).exists():
        blockers.append(_("The contest has no approved entries."))
    blockers += unresolved(contest)
    return blockers


@transaction.atomic
def publish(contest, user=None):
    """Publish the results (awards recomputed first); raise PublicationBlocked if blocked."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    blockers = publication_blockers(contest)
    if blockers:
        raise PublicationBlocked(blockers)
    from . import scoring

    scoring.score_contest(contest)   # every stored score rebuilt from the raw marks
    try:
        compute_awards(contest, user)
    except AwardsError as exc:
        raise PublicationBlocked([str(exc)]) from None
    contest.status = ContestStatus.PUBLISHED
    contest.published_at = timezone.now()
    contest.save(update_fields=["status", "published_at"])
    from .results import bump_version

    bump_version(contest)
    return contest


@transaction.atomic
def withdraw(contest, user=None):
    """Take published results back to marking (e.g. to correct a mark)."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.status != ContestStatus.PUBLISHED:
        raise AwardsError(_("The results are not published."))
    contest.status = ContestStatus.MARKING
    contest.published_at = None
    contest.save(update_fields=["status", "published_at"])
    from .results import bump_version

    bump_version(contest)
    return contest
