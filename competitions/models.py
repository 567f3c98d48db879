"""
Skills contests 技能比武: contest → events → entries → submissions → judges' marks.

The scoring rules themselves live in plain-value modules (rubrics, aggregation,
correction, ranking, consistency); these models store what is needed to recompute every
score from the raw marks at any time: the rubric definition, the answer key, each
judge's raw marks and the contestants' findings. Stored scores (`Submission.score`,
`Entry.total`) are caches written by `competitions.scoring` and can always be rebuilt.
"""
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import aggregation as agg
from . import correction, ranking

# Blind codes avoid letters and digits that are easily confused (0/O, 1/I/L).
BLIND_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BLIND_LENGTH = 6


def new_blind_code():
    """Return a random blind code such as K7Q3MZ."""
    return "".join(secrets.choice(BLIND_ALPHABET) for _ in range(BLIND_LENGTH))


def new_token():
    return secrets.token_urlsafe(24)


class ContestStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contest status", "Draft")
    REGISTRATION = "registration", _("Registration open")
    RUNNING = "running", _("Running")
    MARKING = "marking", pgettext_lazy("contest status", "Marking")
    PUBLISHED = "published", _("Results published")
    ARCHIVED = "archived", _("Archived")


# The order a contest moves through; an organizer may only move one step at a time
# (and back from registration to draft, or from results published to marking).
STATUS_FLOW = [s.value for s in ContestStatus]


class TeamScoreRule(models.TextChoices):
    SUM = ranking.SUM, _("Sum of members' scores")
    MEAN = ranking.MEAN, _("Mean of members' scores")


class TeamAwardRule(models.TextChoices):
    SCORES = "scores", _("By team score")
    POINTS = "points", _("By award points of members")


class ResultsVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTICIPANTS = "participants", _("Participants only")


class TieRule(models.TextChoices):
    SHARED = ranking.SHARED, _("Share the place")
    STRICT = ranking.STRICT, _("No ties allowed")


class Contest(models.Model):
    """A contest such as a city's annual 文化市场行政执法岗位技能竞赛."""

    name = models.CharField(_("name"), max_length=200)
    series = models.CharField(
        _("series"), max_length=100, blank=True,
        help_text=_("Contests of one series (e.g. the annual city contest) are compared "
                    "in trend charts."))
    year = models.PositiveSmallIntegerField(_("year"))
    organizer_unit = models.ForeignKey("people.Unit", on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("organizer unit"))
    participating_units = models.ManyToManyField(
        "people.Unit", blank=True, related_name="+", verbose_name=_("participating units"))
    status = models.CharField(_("status"), max_length=15, choices=ContestStatus.choices,
                              default=ContestStatus.DRAFT)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    team_size = models.PositiveSmallIntegerField(_("team size"), default=3)
    team_score_rule = models.CharField(_("team score"), max_length=10,
                                       choices=TeamScoreRule.choices, default=TeamScoreRule.SUM)
    # Overall awards: [{"name": "一等奖", "count": 1} | {"name": …, "share": "0.1"}, …]
    prize_levels = models.JSONField(_("overall prizes"), default=list, blank=True)
    prize_cap_per_unit = models.PositiveSmallIntegerField(
        _("overall prizes per unit at most"), null=True, blank=True)
    team_award_rule = models.CharField(_("team awards"), max_length=10,
                                       choices=TeamAwardRule.choices,
                                       default=TeamAwardRule.SCORES)
    team_prize_levels = models.JSONField(_("team prizes"), default=list, blank=True)
    # Award points per prize name for team awards by points: {"一等奖": 8, "二等奖": 4, …}
    award_points = models.JSONField(_("award points"), default=dict, blank=True)
    # Tie-break keys after the score: [{"name": "time", "higher_first": false}, …]; names
    # are "time" (completion seconds) or "event:<event id>".
    tie_break = models.JSONField(_("tie-break keys"), default=list, blank=True)
    tie_rule = models.CharField(_("ties"), max_length=10, choices=TieRule.choices,
                                default=TieRule.SHARED)
    results_visibility = models.CharField(_("results visible to"), max_length=15,
                                          choices=ResultsVisibility.choices,
                                          default=ResultsVisibility.PARTICIPANTS)
    best_organisation_unit = models.ForeignKey(
        "people.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("best organisation award"))
    best_organisation_reason = models.TextField(_("reason for the best organisation award"),
                                                blank=True)
    invitation_token = models.CharField(max_length=64, unique=True, default=new_token,
                                        editable=False)
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.best_organisation_unit_id and not self.best_organisation_reason.strip():
            errors["best_organisation_reason"] = _(
                "Give the reason for the best organisation award.")
        problem = ranking.award_points_error(self.award_points)
        if problem:
            errors["award_points"] = problem
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("competitions:contest", args=[self.pk])


class EventKind(models.TextChoices):
    QUIZ = "quiz", _("Knowledge quiz")
    DRAFTING = "drafting", _("Document drafting")
    CORRECTION = "correction", _("Case-file error correction")
    PRACTICAL = "practical", _("Practical")


# The fewest marks a trimmed mean can drop the highest and the lowest of.
MIN_TRIM_FROM = 3

# Events whose entries judges mark against a rubric.
RUBRIC_KINDS = (EventKind.DRAFTING, EventKind.PRACTICAL)


class Aggregation(models.TextChoices):
    MEAN = agg.MEAN, _("Mean")
    MEDIAN = agg.MEDIAN, _("Median")
    TRIMMED_MEAN = agg.TRIMMED_MEAN, _("Trimmed mean (drop highest and lowest)")
    DOUBLE = "double", _("Double marking with third marker and arbitration")


class PenaltyKind(models.TextChoices):
    NONE = correction.NO_PENALTY, pgettext_lazy("false findings", "No penalty")
    FIXED = correction.FIXED, _("Fixed points per false finding")
    SHARE = correction.SHARE, _("Share of an error's value per false finding")


class Rubric(models.Model):
    """A stored rubric 评分标准; `definition` is what `rubric_spec.to_rubric` reads."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # {"criteria": [...], "vetoes": [...], "grades": {...}}: see competitions.rubric_spec.
    definition = models.JSONField(_("definition"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Event(models.Model):
    """An event 比赛项目 of a contest, with its weight in the overall score."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=15, choices=EventKind.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2,
                                 default=Decimal("1"),
                                 help_text=_("The event's weight in the overall score."))
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2,
                                     default=Decimal("100"))
    brief = models.TextField(_("scenario / instructions"), blank=True)
    brief_file = models.FileField(_("case file or materials"), upload_to="contests/briefs/",
                                  blank=True)
    case = models.ForeignKey("cases_library.CasePage", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("case from the library"))
    exam = models.ForeignKey("exams.Exam", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="contest_events", verbose_name=_("quiz exam"))
    open_to_outsiders = models.BooleanField(
        _("open to outside participants"), default=False,
        help_text=_("People without an officer account may register by invitation link."))
    rubric = models.ForeignKey(Rubric, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="events", verbose_name=_("rubric"))
    aggregation = models.CharField(_("aggregation"), max_length=15,
                                   choices=Aggregation.choices,
                                   default=Aggregation.TRIMMED_MEAN)
    trim_from = models.PositiveSmallIntegerField(
        _("trim from this many marks"), default=agg.DEFAULT_TRIM_FROM)
    tolerance_points = models.DecimalField(_("double-marking tolerance (points)"),
                                           max_digits=7, decimal_places=2,
                                           null=True, blank=True)
    tolerance_share = models.DecimalField(_("double-marking tolerance (share of max)"),
                                          max_digits=5, decimal_places=4,
                                          null=True, blank=True)
    partial_share = models.DecimalField(
        _("partial credit for a right location with a wrong reason"),
        max_digits=5, decimal_places=4, default=Decimal("0.5"))
    penalty_kind = models.CharField(_("false-finding penalty"), max_length=10,
                                    choices=PenaltyKind.choices, default=PenaltyKind.NONE)
    penalty_value = models.DecimalField(_("penalty value"), max_digits=7, decimal_places=4,
                                        default=Decimal("0"))
    prize_levels = models.JSONField(_("event prizes"), default=list, blank=True)
    prize_cap_per_unit = models.PositiveSmallIntegerField(
        _("event prizes per unit at most"), null=True, blank=True)
    # Case-file correction: the places in the case file a contestant may point at
    # (["询问笔录第2页", …]); empty = free text. Planted errors use the same names.
    locations = models.JSONField(
        _("locations in the case file"), default=list, blank=True,
        help_text=_("The places contestants choose from when they report an error; "
                    "include places without errors. Leave empty for free text."))
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["contest", "sort_order", "pk"]

    def __str__(self):
        return f"{self.contest} · {self.name}"

    def clean(self):
        errors = {}
        if self.kind == EventKind.QUIZ and not self.exam_id:
            errors["exam"] = _("A knowledge quiz needs an exam.")
        if self.kind in RUBRIC_KINDS and not self.rubric_id:
            errors["rubric"] = _("This kind of event is judged against a rubric.")
        if self.trim_from is not None and self.trim_from < MIN_TRIM_FROM:
            # Used by the trimmed mean and, whatever the aggregation, by the judges' drop
            # rate in the consistency report.
            errors["trim_from"] = _(
                "Trim from 3 marks or more: the trimmed mean (and the judges' drop rate in "
                "the consistency report) drops the highest and the lowest mark.")
        if self.aggregation == Aggregation.DOUBLE and (
                (self.tolerance_points is None) == (self.tolerance_share is None)):
            errors["tolerance_points"] = _(
                "Double marking needs a tolerance, in points or as a share (not both).")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The event must close after it opens.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_judged(self):
        return self.kind != EventKind.QUIZ


class PlantedError(models.Model):
    """One error planted in a case file: a line of the hidden answer key."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="answer_key")
    code = models.CharField(_("code"), max_length=20)
    location = models.CharField(_("location"), max_length=200)
    category = models.CharField(_("category"), max_length=20,
                                choices=[(k, v) for k, v in correction.CATEGORIES.items()])
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    description = models.TextField(_("what is wrong"), blank=True)

    class Meta:
        verbose_name = _("planted error")
        verbose_name_plural = _("answer key")
        ordering = ["event", "code"]
        constraints = [models.UniqueConstraint(fields=["event", "code"],
                                               name="one_key_code_per_event")]

    def __str__(self):
        return f"{self.code} {self.location}"


class Team(models.Model):
    """A unit's team in a contest."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="teams")
    unit = models.ForeignKey("people.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["contest", "name"]
        constraints = [models.UniqueConstraint(fields=["contest", "name"],
                                               name="team_name_unique_in_contest")]

    def __str__(self):
        return self.name


class EntryStatus(models.TextChoices):
    REGISTERED = "registered", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("entry status", "Withdrawn")


# Entries that may still be withdrawn (退赛); see competitions.registration.withdraw.
WITHDRAWABLE = (EntryStatus.REGISTERED, EntryStatus.APPROVED)


class Entry(models.Model):
    """A contestant in a contest: an officer, or an outside participant (quiz only)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    officer = models.ForeignKey("people.Officer", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="contest_entries",
                                verbose_name=_("officer"))
    # Outside participants (invitation link) have a name and organisation instead.
    outside_name = models.CharField(_("name"), max_length=50, blank=True)
    outside_organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    outside_phone = models.CharField(_("phone"), max_length=20, blank=True)
    unit = models.ForeignKey("people.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("unit"))
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="members", verbose_name=_("team"))
    events = models.ManyToManyField(Event, through="Submission", related_name="entries")
    status = models.CharField(_("status"), max_length=12, choices=EntryStatus.choices,
                              default=EntryStatus.REGISTERED)
    blind_code = models.CharField(_("blind code"), max_length=12, default=new_blind_code)
    total = models.DecimalField(_("overall score"), max_digits=8, decimal_places=2,
                                null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Withdrawal 退赛: the entry stays (with its blind code) for the record, out of judging,
    # rankings and awards.
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for the withdrawal"), max_length=300,
                                         blank=True)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["contest", "blind_code"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "blind_code"],
                                    name="blind_code_unique_in_contest"),
            models.UniqueConstraint(fields=["contest", "officer"],
                                    condition=models.Q(officer__isnull=False),
                                    name="one_entry_per_officer"),
        ]

    def __str__(self):
        return self.blind_code

    @property
    def display_name(self):
        """The contestant's real name: never for judges' eyes."""
        return self.officer.name if self.officer_id else self.outside_name

    @property
    def is_withdrawable(self):
        """Return True if the entry's status still allows a withdrawal (not who or when)."""
        return self.status in WITHDRAWABLE

    @property
    def shows_blind_code(self):
        """Return True once the entry holds the blind code it was approved with."""
        return self.status == EntryStatus.APPROVED or (
            self.status == EntryStatus.WITHDRAWN and self.decided_at is not None)


class Submission(models.Model):
    """An entry's work in one event, and the event score computed from it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="submissions")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="submissions")
    text = models.TextField(pgettext_lazy("contest work", "text"), blank=True)
    file = models.FileField(_("file"), upload_to="contests/submissions/", blank=True)
    # Case-file correction: [{"location": …, "category": …, "explanation": …}, …]
    findings = models.JSONField(_("findings"), default=list, blank=True)
    attempt = models.ForeignKey("exams.Attempt", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    completion_seconds = models.PositiveIntegerField(_("completion time (s)"), null=True,
                                                     blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    not_attempted = models.BooleanField(_("not attempted"), default=False)
    # Cache, rebuilt by competitions.scoring from the raw marks.
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2,
                                null=True, blank=True)
    score_state = models.CharField(_("scoring state"), max_length=20,
                                   default=agg.PENDING)
    grade = models.CharField(pgettext_lazy("rubric grade", "grade"), max_length=10, blank=True)
    # A high-disagreement flag (judge consistency) stops publication until the chief
    # judge or organizer has looked at the marks and cleared it with a note.
    flag_cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    flag_cleared_at = models.DateTimeField(_("disagreement cleared"), null=True, blank=True)
    flag_note = models.CharField(_("note on the disagreement"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["event", "entry__blind_code"]
        constraints = [models.UniqueConstraint(fields=["event", "entry"],
                                               name="one_submission_per_event")]

    def __str__(self):
        return f"{self.event.name} · {self.entry.blind_code}"


class JudgeAssignment(models.Model):
    """A judge on an event's panel, for every submission or only the ones listed."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="judges")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="judge_assignments", verbose_name=_("judge"))
    is_chief = models.BooleanField(_("chief judge"), default=False)
    seat = models.CharField(_("seat"), max_length=10, blank=True,
                            help_text=_("How the judge is named in reports, e.g. J1."))
    # Double marking: which marker this judge is (first, second, third); "panel" lets
    # the judge take the first free of the first and second marker's places.
    role = models.CharField(_("marker role"), max_length=12, default="panel",
                            choices=[("panel", _("Panel mark")), ("first", _("First marker")),
                                     ("second", _("Second marker")),
                                     ("third", _("Third marker"))])
    submissions = models.ManyToManyField(
        Submission, blank=True, related_name="assignments",
        verbose_name=_("only these submissions"),
        help_text=_("Leave empty to mark every submission of the event."))

    class Meta:
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        ordering = ["event", "seat", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "judge"],
                                               name="one_assignment_per_judge")]

    def __str__(self):
        return f"{self.event} · {self.seat or self.judge}"

    def clean(self):
        # In double marking the chief judge arbitrates and never holds a marker's place
        # (competitions.judging.role_for).
        if (self.is_chief and self.role != MarkRole.PANEL and self.event_id
                and self.event.aggregation == Aggregation.DOUBLE):
            raise ValidationError({"role": _(
                "In double marking the chief judge gives only the arbitration mark: leave "
                "the marker role at “Panel mark”.")})


class MarkRole(models.TextChoices):
    PANEL = "panel", _("Panel mark")
    FIRST = "first", _("First marker")
    SECOND = "second", _("Second marker")
    THIRD = "third", _("Third marker")
    ARBITRATION = "arbitration", _("Arbitration")


class MarkStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("mark status", "Draft")
    SUBMITTED = "submitted", _("Submitted (locked)")
    RELEASED = "released", _("Released")


class Mark(models.Model):
    """One judge's marking of one submission: the raw marks, kept for recomputation."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="marks")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="contest_marks")
    role = models.CharField(pgettext_lazy("marker role", "role"), max_length=12,
                            choices=MarkRole.choices, default=MarkRole.PANEL)
    # Rubric events: {"levels": {code: points}, "measures_met": [...],
    #   "deductions": [{"code": …, "amount": …}], "vetoes": [...]}
    # Correction events: {"verdicts": [{"finding": i, "reason_ok": bool,
    #   "confirmed_key": code|null}]}
    raw = models.JSONField(_("raw marks"), default=dict, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2,
                                 null=True, blank=True)
    grade = models.CharField(pgettext_lazy("rubric grade", "grade"), max_length=10, blank=True)
    comment = models.TextField(pgettext_lazy("judge", "comment"), blank=True)
    criterion_comments = models.JSONField(_("comments per criterion"), default=dict,
                                          blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MarkStatus.choices,
                              default=MarkStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        ordering = ["submission", "created_at"]
        constraints = [models.UniqueConstraint(fields=["submission", "judge"],
                                               name="one_mark_per_judge")]

    def __str__(self):
        return f"{self.submission} · {self.judge}"

    @property
    def is_locked(self):
        return self.status != MarkStatus.DRAFT


class MarkChange(models.Model):
    """Audit of every change to a mark after submission: who, when, why, before → after."""

    class Action(models.TextChoices):
        SUBMIT = "submit", pgettext_lazy("mark change", "Submitted")
        UNLOCK = "unlock", _("Unlocked")
        EDIT = "edit", _("Changed by the organizer")
        RELEASE = "release", _("Released")
        IMPORT = "import", _("Imported from a mark sheet")

    mark = models.ForeignKey(Mark, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("mark change")
        verbose_name_plural = _("mark changes")
        ordering = ["-changed_at", "-pk"]


class AwardScope(models.TextChoices):
    EVENT = "event", _("Event")
    OVERALL = "overall", _("Overall")
    TEAM = "team", _("Team")


class AwardResult(models.Model):
    """A place and prize, computed from the rules; an override keeps its reason."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="awards")
    scope = models.CharField(_("scope"), max_length=10, choices=AwardScope.choices)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="awards")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="awards")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="awards")
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True)
    place = models.PositiveIntegerField(pgettext_lazy("ranking", "place"))
    tied = models.BooleanField(_("tied"), default=False)
    prize = models.CharField(_("prize"), max_length=50, blank=True)
    computed_prize = models.CharField(_("prize by the rules"), max_length=50, blank=True)
    override_reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    certificate_token = models.CharField(max_length=64, unique=True, default=new_token,
                                         editable=False)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["contest", "scope", "event", "place"]
