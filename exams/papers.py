"""
Papers: checking a blueprint against the bank, drawing one candidate's paper, summaries.

Drawing is reproducible: the same paper and seed give the same questions in the same
order with the same option order. A question is never drawn twice, and the
sub-questions of a case analysis always follow their case.
"""
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from .models import (CHOICE_TYPES, PaperKind, Question, QuestionStatus, QuestionType,
                     QuestionVersion)
from .versions import mark_used, sync_version

CENT = Decimal("0.01")


@dataclass
class DrawnItem:
    """One question of a drawn paper: the frozen version, its points and option order."""

    version_id: int
    question_id: int
    points: Decimal
    option_order: list = field(default_factory=list)
    children: list = field(default_factory=list)

    def flat(self):
        """Return this item followed by its sub-questions."""
        return [self] + [child for item in self.children for child in item.flat()]


@dataclass
class RuleCheck:
    rule: object
    available: int

    @property
    def missing(self):
        return max(0, self.rule.count - self.available)

    @property
    def message(self):
        if not self.missing:
            return ""
        return _("Rule “%(rule)s” needs %(count)s questions but the bank has %(available)s: "
                 "%(missing)s missing.") % {"rule": self.rule, "count": self.rule.count,
                                           "available": self.available, "missing": self.missing}


class BlueprintError(Exception):
    """A blueprint that the bank cannot satisfy."""


def rule_pool(rule):
    """Return the active, standalone questions a rule may draw, in a stable order.

    A case analysis is drawn only if it has an active sub-question (a case without one
    has nothing to answer)."""
    pool = (Question.objects.active().top_level()
            .filter(category__path__startswith=rule.category.path, qtype=rule.qtype,
                    difficulty__gte=rule.difficulty_min, difficulty__lte=rule.difficulty_max,
                    current_version__isnull=False))
    if rule.qtype == QuestionType.CASE_ANALYSIS:
        pool = pool.filter(Exists(Question.objects.filter(parent=OuterRef("pk"),
                                                          status=QuestionStatus.ACTIVE)))
    if rule.tag:
        pool = pool.filter(tags__name=rule.tag)
    return pool.order_by("pk")


def check_blueprint(paper):
    """Return a RuleCheck per rule (how many questions each can draw from)."""
    return [RuleCheck(rule, rule_pool(rule).count()) for rule in paper.rules.all()]


@transaction.atomic
def freeze_fixed_items(paper):
    """Pin every item of a fixed paper to its question's current version (and freeze it)."""
    for item in paper.items.select_related("question"):
        if item.version_id is None or item.version.question_id != item.question_id:
            version = item.question.current_version or sync_version(item.question)
            item.version = version
            item.save(update_fields=["version"])
    mark_used(paper.items.values_list("version_id", flat=True))


def draw(paper, seed):
    """Return one candidate's paper as a list of DrawnItems (reproducible from `seed`)."""
    rng = random.Random(f"{paper.pk}:{seed}")
    if paper.kind == PaperKind.FIXED:
        items = [_item(rng, paper, item.question, item.version,
                       item.points if item.points is not None else item.version.data["points"])
                 for item in paper.items.select_related("question", "version")]
    else:
        items = []
        taken = set()
        for rule in paper.rules.select_related("category"):
            ids = [pk for pk in rule_pool(rule).values_list("pk", flat=True) if pk not in taken]
            if len(ids) < rule.count:
                raise BlueprintError(RuleCheck(rule, len(ids)).message)
            chosen = rng.sample(ids, rule.count)
            taken.update(chosen)
            questions = Question.objects.in_bulk(chosen)
            versions = QuestionVersion.objects.in_bulk(
                [questions[pk].current_version_id for pk in chosen])
            for pk in chosen:
                question = questions[pk]
                items.append(_item(rng, paper, question, versions[question.current_version_id],
                                   rule.points))
    if paper.shuffle_questions:
        rng.shuffle(items)
    return items


def _item(rng, paper, question, version, points):
    points = Decimal(str(points)).quantize(CENT, rounding=ROUND_HALF_UP)
    item = DrawnItem(version.pk, question.pk, points, _option_order(rng, paper, version))
    if question.qtype == QuestionType.CASE_ANALYSIS:
        children = list(question.sub_questions.filter(status=QuestionStatus.ACTIVE)
                        .select_related("current_version").order_by("position", "pk"))
        if not children:  # nothing to answer (a fixed paper's case): worth nothing
            item.points = Decimal("0.00")
        for child, share in zip(children, _shares(points, [child.points for child in children])):
            child_version = child.current_version or sync_version(child)
            item.children.append(DrawnItem(child_version.pk, child.pk, share,
                                           _option_order(rng, paper, child_version)))
    return item


def _shares(points, weights):
    """Split a case's points among its sub-questions by their own points, in cents.

    Each share is rounded; the rounding remainder goes to the last sub-question with a
    weight, so that the shares add up to exactly `points` (10 in three: 3.33, 3.33, 3.34).
    Sub-questions that all have no points share equally.
    """
    weights = [Decimal(weight) for weight in weights]
    if not any(weights):
        weights = [Decimal("1")] * len(weights)
    if not weights:
        return []
    total = sum(weights)
    shares = [(points * weight / total).quantize(CENT, rounding=ROUND_HALF_UP)
              for weight in weights]
    last = max(index for index, weight in enumerate(weights) if weight)
    shares[last] += points - sum(shares)
    return shares


def _option_order(rng, paper, version):
    keys = [option["key"] for option in version.data.get("options") or []]
    if paper.shuffle_options and version.qtype in CHOICE_TYPES:
        rng.shuffle(keys)
    return keys


def paper_summary(paper):
    """Return totals and the difficulty/category/type mix of a paper, for its preview."""
    if paper.kind == PaperKind.FIXED:
        rows = [(item.version or item.question.current_version, item.points)
                for item in paper.items.select_related("question__current_version", "version")]
        entries = [(version.data, Decimal(str(points if points is not None
                                              else version.data["points"])))
                   for version, points in rows if version is not None]
        return {
            "kind": paper.kind,
            "count": len(entries),
            "total": sum((points for _data, points in entries), Decimal("0")),
            "by_difficulty": sorted(Counter(d["difficulty"] for d, _p in entries).items()),
            "by_category": sorted(Counter(d["category"] for d, _p in entries).items()),
            "by_type": sorted(Counter(QuestionType(d["qtype"]).label
                                      for d, _p in entries).items()),
            "checks": [],
        }
    rules = list(paper.rules.select_related("category"))
    return {
        "kind": paper.kind,
        "count": sum(rule.count for rule in rules),
        "total": sum((rule.points * rule.count for rule in rules), Decimal("0")),
        "by_difficulty": sorted(Counter(f"{r.difficulty_min}–{r.difficulty_max}"
                                        for r in rules for _ in range(r.count)).items()),
        "by_category": sorted(Counter(r.category.full_name for r in rules
                                      for _ in range(r.count)).items()),
        "by_type": sorted(Counter(str(r.get_qtype_display()) for r in rules
                                  for _ in range(r.count)).items()),
        "checks": check_blueprint(paper),
    }


