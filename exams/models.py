"""
The question bank: categories, questions (the editable working copy), frozen question
versions (what papers and attempts use), and papers — fixed lists or blueprints.
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from treebeard.mp_tree import MP_Node
from wagtail.fields import StreamField
from wagtail.models import Orderable, PreviewableMixin

from .blocks import StemBlock, stem_to_text
from .normalize import fingerprint


class Category(MP_Node):
    """A node of the question category tree, e.g. 通用法律 › 行政处罚法."""

    name = models.CharField(_("name"), max_length=100)
    node_order_by = ["name"]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["path"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        """Return the path of names from the root, e.g. 通用法律/行政处罚法."""
        if self.depth == 1:
            return self.name
        names = list(self.get_ancestors().values_list("name", flat=True))
        return "/".join(names + [self.name])

    @property
    def indented_name(self):
        return "\u3000" * (self.depth - 1) + self.name

    @classmethod
    def get_or_create_path(cls, names):
        """Return the category at the path `names` (a list), creating missing nodes."""
        node = None
        for name in names:
            name = name.strip()
            if not name:
                continue
            siblings = cls.get_root_nodes() if node is None else node.get_children()
            found = siblings.filter(name=name).first()
            if found is None:
                found = cls.add_root(name=name) if node is None else node.add_child(name=name)
                if node is not None:
                    node.refresh_from_db()
            node = found
        return node


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True/false")
    FILL_BLANK = "fill_blank", _("Fill in the blank")
    SHORT_ANSWER = "short_answer", _("Short answer")
    CASE_ANALYSIS = "case_analysis", _("Case analysis")


CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}
OPEN_TYPES = {QuestionType.SHORT_ANSWER}


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("Question", related_name="tagged_items", on_delete=models.CASCADE)


class QuestionQuerySet(models.QuerySet):
    def top_level(self):
        """Questions that stand alone (not a sub-question of a case)."""
        return self.filter(parent__isnull=True)

    def active(self):
        return self.filter(status=QuestionStatus.ACTIVE)


class Question(PreviewableMixin, ClusterableModel):
    """
    A question as trainers edit it (the working copy). Papers and attempts never point
    here: they use a frozen QuestionVersion, so editing a used question cannot change
    old results (see `versions.sync_version`).
    """

    qtype = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="questions",
                                 verbose_name=_("category"))
    stem = StreamField(StemBlock(), verbose_name=_("stem"))
    stem_text = models.TextField(_("stem (plain text)"), editable=False, default="",
                                 help_text=_("Kept from the stem on save; used for search."))
    explanation = models.TextField(_("explanation"), blank=True,
                                   help_text=_("Shown to officers only in a review the exam allows."))
    legal_basis = models.TextField(_("legal basis"), blank=True,
                                   help_text=_("E.g. 《行政处罚法》第三十二条."))
    answer_bool = models.BooleanField(_("answer (true/false)"), null=True, blank=True)
    blank_answers = models.TextField(
        _("accepted answers per blank"), blank=True,
        help_text=_("One line per blank, in order; alternatives on a line separated by “/”."))
    order_insensitive = models.BooleanField(
        _("blanks may be answered in any order"), default=False)
    reference_answer = models.TextField(_("reference answer"), blank=True)
    scoring_points = models.TextField(_("scoring points"), blank=True,
                                      help_text=_("One per line; markers see them."))
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])
    points = models.DecimalField(_("default points"), max_digits=6, decimal_places=2,
                                 default=Decimal("1"))
    status = models.CharField(_("status"), max_length=10, choices=QuestionStatus.choices,
                              default=QuestionStatus.DRAFT)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="sub_questions", verbose_name=_("case question"))
    position = models.PositiveSmallIntegerField(_("position in the case"), default=0)
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    fingerprint = models.CharField(max_length=40, db_index=True, editable=False)
    current_version = models.ForeignKey("QuestionVersion", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+",
                                        editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "qtype", "category"])]

    def __str__(self):
        text = self.stem_text
        return f"[{self.get_qtype_display()}] {text[:40]}{'…' if len(text) > 40 else ''}"

    def save(self, *args, **kwargs):
        self.stem_text = stem_to_text(self.stem)
        super().save(*args, **kwargs)

    def get_preview_template(self, request, mode_name):
        return "exams/question_preview.html"

    def get_preview_context(self, request, mode_name):
        """Render the question exactly as a candidate sees it (no key, no explanation)."""
        from .rendering import officer_view
        from .versions import snapshot

        context = super().get_preview_context(request, mode_name)
        context["q"] = officer_view(snapshot(self))
        context["children"] = [
            officer_view(snapshot(child), number=f"({index})")
            for index, child in enumerate(self.sub_questions.order_by("position"), start=1)
        ] if self.pk else []
        return context

    def get_admin_url(self):
        return reverse("wagtailsnippets_exams_question:edit", args=[self.pk])

    @property
    def blanks(self):
        """Return the accepted answers per blank: a list of lists of strings."""
        lines = [line.strip() for line in self.blank_answers.splitlines() if line.strip()]
        return [[alt.strip() for alt in line.split("/") if alt.strip()] for line in lines]

    @property
    def scoring_point_list(self):
        return [line.strip() for line in self.scoring_points.splitlines() if line.strip()]

    def option_list(self):
        """Return the options as dicts (key, text, correct, fraction), in order.

        `fraction` is None where the trainer left the value empty: grading.option_credits
        then decides (all or nothing when every value is empty).
        """
        return [
            {"key": chr(ord("A") + index), "text": option.text, "correct": option.is_correct,
             "fraction": float(option.fraction) if option.fraction is not None else None}
            for index, option in enumerate(self.options.all())
        ]

    def compute_fingerprint(self):
        return fingerprint(self.stem_text, [option.text for option in self.options.all()])


class QuestionOption(Orderable):
    """One option of a single- or multiple-choice question."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=1000)
    is_correct = models.BooleanField(_("correct"), default=False)
    fraction = models.DecimalField(
        _("partial credit"), max_digits=5, decimal_places=4, null=True, blank=True,
        help_text=_("Share of the points this option gives, e.g. 0.5 (below 0 takes points "
                    "off). A multiple choice marked by each option's own partial credit: leave "
                    "every option empty for all or nothing; an empty option among filled ones "
                    "counts 1/k if right and −1/m if wrong (k right, m wrong options)."))

    class Meta(Orderable.Meta):
        verbose_name = _("option")

    def __str__(self):
        return self.text


class QuestionVersion(models.Model):
    """A frozen snapshot of a question's content; papers and attempts point here."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    qtype = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    data = models.JSONField(_("content"))
    used = models.BooleanField(
        _("used"), default=False,
        help_text=_("Set once a paper or an attempt uses this version; it is then never changed."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        ordering = ["question", "-number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"],
                                               name="unique_question_version")]

    def __str__(self):
        return f"{self.question_id} v{self.number}"


class PaperKind(models.TextChoices):
    FIXED = "fixed", _("Fixed paper")
    BLUEPRINT = "blueprint", _("Blueprint (questions drawn by rules)")


class Paper(ClusterableModel):
    """A paper 试卷: a fixed list of questions, or a blueprint 抽题规则 to draw one per candidate."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=PaperKind.choices,
                            default=PaperKind.BLUEPRINT)
    description = models.TextField(_("description"), blank=True)
    shuffle_questions = models.BooleanField(_("shuffle question order"), default=True)
    shuffle_options = models.BooleanField(_("shuffle option order"), default=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title


class PaperItem(Orderable):
    """A hand-picked question of a fixed paper, frozen at the version it was picked in."""

    paper = ParentalKey(Paper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("question"),
                                 limit_choices_to={"parent__isnull": True})
    version = models.ForeignKey(QuestionVersion, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", editable=False)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True,
                                 blank=True, help_text=_("Empty: the question's default points."))

    class Meta(Orderable.Meta):
        verbose_name = _("paper question")

    def __str__(self):
        return str(self.question)


class BlueprintRule(Orderable):
    """Draw `count` questions matching category/type/difficulty/tag, each worth `points`."""

    paper = ParentalKey(Paper, on_delete=models.CASCADE, related_name="rules")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("category (with its subcategories)"))
    qtype = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    difficulty_min = models.PositiveSmallIntegerField(
        _("lowest difficulty"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)])
    difficulty_max = models.PositiveSmallIntegerField(
        _("highest difficulty"), default=5, validators=[MinValueValidator(1), MaxValueValidator(5)])
    tag = models.CharField(_("tag"), max_length=100, blank=True,
                           help_text=_("Optional: only questions with this tag."))
    count = models.PositiveSmallIntegerField(_("number of questions"),
                                             validators=[MinValueValidator(1)])
    points = models.DecimalField(_("points each"), max_digits=6, decimal_places=2)

    class Meta(Orderable.Meta):
        verbose_name = _("drawing rule")

    def __str__(self):
        return _("%(count)s × %(type)s from %(category)s, difficulty %(low)s–%(high)s") % {
            "count": self.count, "type": self.get_qtype_display(), "category": self.category,
            "low": self.difficulty_min, "high": self.difficulty_max}


class ExamKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly law test")
    QUALIFICATION = "qualification", _("Qualification exam")
    MOCK = "mock", _("Mock exam")
    CONTEST = "contest", _("Contest quiz")
    OTHER = "other", _("Other exam")


class ReviewPolicy(models.TextChoices):
    NOTHING = "nothing", _("Nothing")
    SCORE = "score", _("Score only")
    FULL = "full", _("Score, answers and explanations")


class ReviewFrom(models.TextChoices):
    ON_SUBMIT = "on_submit", _("As soon as the attempt is submitted")
    AFTER_CLOSE = "after_close", _("After the exam window closes")


class MultipleRule(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    HALF_FOR_PARTIAL = "half_for_partial", _("Half points for a correct subset, none for a wrong pick")
    PER_OPTION = "per_option", _("Each option's own partial credit")


class Layout(models.TextChoices):
    ONE_PER_PAGE = "one_per_page", _("One question per page")
    ALL_ON_ONE = "all_on_one", _("All questions on one page")


class ExamStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class MonthlyPlan(models.Model):
    """A recurring monthly exam: the scheduler creates one exam per month from it."""

    title = models.CharField(_("title"), max_length=200,
                             help_text=_("“{month}” is replaced, e.g. “{month}学法考试”."))
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("paper or blueprint"))
    opens_day = models.PositiveSmallIntegerField(
        _("opens on day"), default=20, validators=[MinValueValidator(1), MaxValueValidator(28)])
    opens_time = models.TimeField(_("opens at"), default="08:00")
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    pass_mark = models.DecimalField(_("pass mark (%)"), max_digits=5, decimal_places=2,
                                    default=Decimal("60"))
    eligible_units = models.ManyToManyField("people.Unit", related_name="+",
                                            verbose_name=_("units (with the units below)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("monthly exam plan")
        verbose_name_plural = _("monthly exam plans")

    def __str__(self):
        return self.title


class Exam(models.Model):
    """An exam sitting: a paper, a window, who may sit it and how it is marked and reviewed."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ExamKind.choices,
                            default=ExamKind.MONTHLY)
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="exams",
                              verbose_name=_("paper or blueprint"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    eligible_units = models.ManyToManyField("people.Unit", blank=True, related_name="+",
                                            verbose_name=_("units (with the units below)"))
    eligible_officers = models.ManyToManyField("people.Officer", blank=True, related_name="+",
                                               verbose_name=_("named officers"))
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    pass_mark = models.DecimalField(_("pass mark (%)"), max_digits=5, decimal_places=2,
                                    default=Decimal("60"))
    review_policy = models.CharField(_("review"), max_length=10, choices=ReviewPolicy.choices,
                                     default=ReviewPolicy.FULL)
    review_from = models.CharField(_("review from"), max_length=15, choices=ReviewFrom.choices,
                                   default=ReviewFrom.AFTER_CLOSE)
    multiple_rule = models.CharField(_("multiple-choice marking"), max_length=20,
                                     choices=MultipleRule.choices,
                                     default=MultipleRule.HALF_FOR_PARTIAL)
    layout = models.CharField(_("layout"), max_length=15, choices=Layout.choices,
                              default=Layout.ONE_PER_PAGE)
    allow_takeover = models.BooleanField(
        _("a second device may take over"), default=True,
        help_text=_("If off, an attempt stays on the device it was started on."))
    focus_loss_limit = models.PositiveSmallIntegerField(
        _("auto-submit after this many focus losses"), default=0,
        help_text=_("0 means never; focus losses are always recorded."))
    status = models.CharField(_("status"), max_length=10, choices=ExamStatus.choices,
                              default=ExamStatus.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    plan = models.ForeignKey(MonthlyPlan, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="exams")
    period = models.CharField(_("period"), max_length=7, blank=True,
                              help_text=_("The month a planned exam belongs to (YYYY-MM)."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_exam_per_plan_month",
                                    condition=models.Q(plan__isnull=False)),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                   name="exam_closes_after_opening"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exams:exam_start", args=[self.pk])


class ExamOverride(models.Model):
    """A per-officer exception for one exam (a resit 补考): extra time, another window."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="overrides")
    officer = models.ForeignKey("people.Officer", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("officer"))
    extra_minutes = models.PositiveSmallIntegerField(_("extra minutes"), default=0)
    opens_at = models.DateTimeField(_("opens at instead"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at instead"), null=True, blank=True)
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exam override")
        constraints = [models.UniqueConstraint(fields=["exam", "officer"],
                                               name="one_override_per_officer")]


class AttemptStatus(models.TextChoices):
    READY = "ready", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted, awaiting marking")
    MARKED = "marked", _("Marked")


class SubmitReason(models.TextChoices):
    OFFICER = "officer", _("Submitted by the officer")
    TIMEOUT = "timeout", _("Time ran out")
    FOCUS = "focus", _("Too many focus losses")


class Attempt(models.Model):
    """One officer's sitting of an exam: its drawn questions are frozen when it is created."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts")
    officer = models.ForeignKey("people.Officer", on_delete=models.CASCADE,
                                related_name="attempts")
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=AttemptStatus.choices,
                              default=AttemptStatus.READY)
    seed = models.CharField(max_length=40)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submit_reason = models.CharField(max_length=10, choices=SubmitReason.choices, blank=True)
    device = models.CharField(max_length=40, blank=True,
                              help_text="The token of the browser that holds the attempt.")
    focus_losses = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    passed = models.BooleanField(null=True)
    last_position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exam", "officer", "number"],
                                               name="one_attempt_number_per_officer")]
        indexes = [models.Index(fields=["status", "deadline"]),
                   models.Index(fields=["officer", "status"])]

    def __str__(self):
        return f"{self.exam} · {self.officer} · #{self.number}"


class AttemptItem(models.Model):
    """One question of an attempt, and the officer's answer to it (saved as it is given)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    points = models.DecimalField(max_digits=6, decimal_places=2)
    option_order = models.JSONField(default=list)
    answer = models.JSONField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    saved_ip = models.GenericIPAddressField(null=True, blank=True)
    saved_agent = models.CharField(max_length=300, blank=True)
    earned = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    needs_marking = models.BooleanField(default=False)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)
    marker_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"],
                                               name="one_item_per_position")]


class AttemptEvent(models.Model):
    """Something that happened during an attempt: start, focus loss, takeover, submit."""

    class Kind(models.TextChoices):
        START = "start", _("Started")
        RESUME = "resume", _("Resumed")
        TAKEOVER = "takeover", _("Taken over by another device")
        REFUSED = "refused", _("Other device refused")
        FOCUS_LOSS = "focus_loss", _("Left the exam page")
        LATE_SAVE = "late_save", _("Save after the deadline refused")
        SUBMIT = "submit", _("Submitted")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at"]


class ScoreChange(models.Model):
    """Audit of every change to a marked score: who, when, old → new, and why."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="score_changes")
    item = models.ForeignKey(AttemptItem, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    old_score = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    new_score = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["-changed_at"]


class WrongAnswer(models.Model):
    """An entry of an officer's wrong-answer notebook 错题本.

    A question enters when the officer answers it wrong (in practice, or in an exam once its
    review is open) and leaves after two right answers in a row (`streak` reaches 2).
    """

    class Source(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        EXAM = "exam", _("Exam")

    officer = models.ForeignKey("people.Officer", on_delete=models.CASCADE,
                                related_name="wrong_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+",
                                help_text="The version the officer got wrong (shown in the notebook).")
    last_answer = models.JSONField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    attempt_item = models.ForeignKey(AttemptItem, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    times_wrong = models.PositiveIntegerField(default=1)
    streak = models.PositiveSmallIntegerField(default=0, help_text="Right answers in a row.")
    added_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wrong answer")
        ordering = ["-last_seen_at"]
        constraints = [models.UniqueConstraint(fields=["officer", "question"],
                                               name="one_notebook_entry_per_question")]
        indexes = [models.Index(fields=["officer", "cleared_at"])]


class PracticeAnswer(models.Model):
    """One answer given in practice (immediate feedback); the practice history."""

    officer = models.ForeignKey("people.Officer", on_delete=models.CASCADE,
                                related_name="practice_answers")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    answer = models.JSONField(null=True, blank=True)
    correct = models.BooleanField()
    from_notebook = models.BooleanField(default=False)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-answered_at"]
        indexes = [models.Index(fields=["officer", "-answered_at"])]
