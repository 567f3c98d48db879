"""
Rankings, awards, team scores and weighted overall scores.

Ranking (`rank`)
    Entrants are ordered by a chain of keys, each with a direction: e.g. shorter
    completion time, then higher practical score, then higher theory score. A later key
    is looked at only when all earlier ones are equal. A missing value (None) sorts after
    every present value, whatever the direction.
    Entrants still equal on every key either share a place — standard competition
    ranking, 1, 2, 2, 4 (SHARED) — or, when ties are not allowed (STRICT), `rank` raises
    UnresolvedTie naming the tied groups.

Awards (`award`)
    Prize levels from the highest down, each with a count (1 first prize, 2 second …) or
    a share of the entrants (15% → round half up of 0.15 × entrants). Shares are rounded
    cumulatively (`level_places`): a level has round(up to it) − round(up to the one
    before) places, so 10%, 20% and 30% of 25 entrants give 3, 5 and 7 — together
    round(60% × 25) = 15 — not 3 + 5 + 8 = 16.
    Levels are filled in ranking order.
    Ties at a prize boundary: tied entrants share the higher prize, and the extra places
    they take are subtracted from the next levels (并列者同获较高奖项，下一奖项名额顺减).
    So with counts 1, 2, 5 and places 1, 2, 3, 3, 3, 6, 7, 8, 9: one first, four second,
    three third — the total stays eight. A tie across the last boundary gives more
    prizes than planned rather than leaving a tied entrant out.
    Cap per unit (`cap_per_unit`): at most that many of a unit's entrants at each level.
    An entrant beyond the cap moves down to the highest later level where the unit is
    below the cap and places are left (or gets no prize); the place they would have had
    goes to the next entrant in ranking order. Entrants without a unit (outside
    participants) are no unit: the cap never applies to them.

Teams
    A team is one unit's entrants. `team_scores` gives each unit the SUM or MEAN of its
    members' scores; `team_award_points` gives each unit points per prize won (e.g. 8 per
    first, 4 per second, 2 per third). Either list ranks and awards like individuals,
    through `TeamScore.as_entrant()`.

Weighted overall score (`weighted_score`)
    overall = Σ weight_e × score_e / Σ weight_e over the events, so weights 3 and 7 mean
    the same as 0.3 and 0.7. A missing event score counts as 0.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .scoring_types import ZERO, InvalidScoring, round_count, round_score, to_decimal

SHARED = "shared"
STRICT = "strict"

SUM = "sum"
MEAN = "mean"


class UnresolvedTie(InvalidScoring):
    """Entrants equal on every tie-break key where ties are not allowed."""

    def __init__(self, groups):
        self.groups = groups
        names = "; ".join(", ".join(str(i) for i in group) for group in groups)
        super().__init__(_("Unresolved ties: %(groups)s") % {"groups": names})


@dataclass(frozen=True)
class SortKey:
    """One key of the ranking chain; `higher_first=False` for times and the like."""

    name: str
    higher_first: bool = True


@dataclass(frozen=True)
class Entrant:
    id: object
    unit: object = None
    values: dict = field(default_factory=dict)   # key name → Decimal (or None: missing)


@dataclass(frozen=True)
class Standing:
    entrant: Entrant
    place: int
    tied: bool


def _sort_tuple(entrant, keys):
    parts = []
    for key in keys:
        value = entrant.values.get(key.name)
        if value is None:
            parts.append((1, ZERO))
        else:
            value = to_decimal(value)
            parts.append((0, -value if key.higher_first else value))
    return tuple(parts)


def rank(entrants, keys, ties=SHARED):
    """Return the Standings of `entrants` ordered by the `keys` chain."""
    if ties not in (SHARED, STRICT):
        raise InvalidScoring(_("Unknown tie policy: %(policy)s") % {"policy": ties})
    keys = tuple(keys)
    if not keys:
        raise InvalidScoring(_("A ranking needs at least one key."))
    ordered = sorted(entrants, key=lambda e: _sort_tuple(e, keys))
    standings, groups = [], []
    previous = None
    for position, entrant in enumerate(ordered, start=1):
        current = _sort_tuple(entrant, keys)
        if current == previous:
            groups[-1].append(entrant)
        else:
            groups.append([entrant])
            place = position
        previous = current
        standings.append((entrant, place))
    tied_groups = [group for group in groups if len(group) > 1]
    if ties == STRICT and tied_groups:
        raise UnresolvedTie([[e.id for e in group] for group in tied_groups])
    tied_ids = {id(e) for group in tied_groups for e in group}
    return [Standing(entrant, place, id(entrant) in tied_ids) for entrant, place in standings]


@dataclass(frozen=True)
class PrizeLevel:
    """A prize and how many get it: `count` entrants, or `share` (0.1 = 10%) of them."""

    name: str
    count: int | None = None
    share: Decimal | None = None

    def __post_init__(self):
        if (self.count is None) == (self.share is None):
            raise InvalidScoring(_("Give a prize either a count or a share."))
        if self.share is not None:
            object.__setattr__(self, "share", to_decimal(self.share))
            if not ZERO <= self.share <= 1:
                raise InvalidScoring(_("A prize share must be between 0 and 1."))
        elif self.count < 0:
            raise InvalidScoring(_("A prize count cannot be negative."))

    def places(self, entrants):
        """Return how many places this level has among `entrants` entrants."""
        if self.count is not None:
            return self.count
        return round_count(self.share * entrants)


def level_places(levels, entrants):
    """Return each level's number of places among `entrants` entrants, shares rounded
    cumulatively: round(Σ up to the level) − round(Σ up to the one before)."""
    places, exact, before = [], ZERO, 0
    for level in levels:
        exact += Decimal(level.count) if level.count is not None else level.share * entrants
        upto = round_count(exact)
        places.append(max(0, upto - before))
        before = max(before, upto)
    return places


@dataclass(frozen=True)
class Award:
    standing: Standing
    prize: str | None       # None: no prize


def award(standings, levels, cap_per_unit=None):
    """Return an Award for every standing, in ranking order (see the module's rules)."""
    levels = tuple(levels)
    if cap_per_unit is not None and cap_per_unit < 1:
        raise InvalidScoring(_("A cap per unit must be at least 1."))
    standings = sorted(standings, key=lambda s: s.place)
    remaining = level_places(levels, len(standings))
    held = [Counter() for _level in levels]   # per level: unit → prizes held

    def below_cap(level, unit):
        return cap_per_unit is None or unit is None or held[level][unit] < cap_per_unit

    awards = []
    for group in _groups_by_place(standings):
        current = next((i for i, left in enumerate(remaining) if left > 0), None)
        for standing in group:
            unit = standing.entrant.unit
            level = None
            if current is not None:
                if below_cap(current, unit):
                    level = current
                else:
                    level = next((i for i in range(current + 1, len(levels))
                                  if remaining[i] > 0 and below_cap(i, unit)), None)
            if level is not None:
                remaining[level] -= 1
                held[level][unit] += 1
            awards.append(Award(standing, levels[level].name if level is not None else None))
        # Places a tie took beyond a level's count come off the next levels.
        for i in range(len(remaining) - 1):
            if remaining[i] < 0:
                remaining[i + 1] += remaining[i]
                remaining[i] = 0
    return awards


def _groups_by_place(standings):
    groups = []
    for standing in standings:
        if groups and groups[-1][0].place == standing.place:
            groups[-1].append(standing)
        else:
            groups.append([standing])
    return groups


@dataclass(frozen=True)
class TeamScore:
    unit: object
    score: Decimal
    members: int

    def as_entrant(self, key="score"):
        """Return this team as an Entrant to rank and award, its score under `key`."""
        return Entrant(self.unit, self.unit, {key: self.score})


def team_scores(results, how=SUM):
    """
    Return a TeamScore per unit from `results`, (unit, score) pairs of the members'
    event scores; SUM adds them, MEAN averages them (rounded to 0.01).
    """
    if how not in (SUM, MEAN):
        raise InvalidScoring(_("Unknown team score rule: %(rule)s") % {"rule": how})
    by_unit = defaultdict(list)
    for unit, score in results:
        by_unit[unit].append(to_decimal(score))
    teams = []
    for unit, scores in by_unit.items():
        total = sum(scores, ZERO)
        value = total if how == SUM else total / len(scores)
        teams.append(TeamScore(unit, round_score(value), len(scores)))
    return teams


def team_award_points(awards, points):
    """Return a TeamScore per unit: the sum of `points[prize]` over its members' awards."""
    points = {prize: to_decimal(value) for prize, value in points.items()}
    by_unit = defaultdict(lambda: [ZERO, 0])
    for item in awards:
        unit = item.standing.entrant.unit
        by_unit[unit][0] += points.get(item.prize, ZERO) if item.prize else ZERO
        by_unit[unit][1] += 1
    return [TeamScore(unit, round_score(total), members)
            for unit, (total, members) in by_unit.items()]


def award_points_error(raw):
    """Return why `raw` is not a valid Contest.award_points ("" when it is)."""
    if not raw:
        return ""
    if not isinstance(raw, dict):
        return _("Give the award points as prize names with points, e.g. "
                 "{\"一等奖\": 8, \"二等奖\": 4}.")
    for name, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return _("Award points for “%(prize)s” must be a number.") % {"prize": name}
        try:
            number = to_decimal(value)
        except InvalidScoring:
            return _("Award points for “%(prize)s” must be a number.") % {"prize": name}
        if number < 0:
            return _("Award points for “%(prize)s” cannot be negative.") % {"prize": name}
    return ""


def weighted_score(scores, weights):
    """Return Σ weight × score / Σ weight; an event without a score counts as 0."""
    weights = {event: to_decimal(weight) for event, weight in weights.items()}
    if any(weight < ZERO for weight in weights.values()):
        raise InvalidScoring(_("Event weights cannot be negative."))
    total_weight = sum(weights.values(), ZERO)
    if total_weight <= ZERO:
        raise InvalidScoring(_("The event weights must add up to more than zero."))
    unweighted = set(scores) - set(weights)
    if unweighted:
        raise InvalidScoring(
            _("No weight for events: %(events)s") % {"events": ", ".join(map(str, unweighted))})
    total = sum((weight * to_decimal(scores[event]) for event, weight in weights.items()
                 if scores.get(event) is not None), ZERO)
    return round_score(total / total_weight)
