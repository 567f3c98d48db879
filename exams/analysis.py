"""
Item analysis 试题分析: how each question version of an exam performed, within a scope.

The candidates are the fully marked counted attempts of `results.marked_attempts`. For a
question version answered by those candidates:

- facility index F = total points earned / total points available (the mean score as a
  share of the maximum); 1 means everyone got it fully right;
- discrimination index D = p_upper − p_lower (the classical upper–lower index): sort the
  candidates by total score, take the top 27% and the bottom 27% (k = round(0.27 × n),
  ties broken by attempt id so the two groups never overlap), and let p be the share of
  the available points earned on this question inside a group (for a right/wrong question
  that is the proportion of the group answering it right). D runs from −1 to 1; D < 0
  means weaker candidates did better than stronger ones — often a wrong key. D is empty
  when k is 0 (a single candidate);
- option counts: how many candidates chose each option of a choice question;
- flags: too easy (F > 0.9), too hard (F < 0.2), negative discrimination (D < 0).

Everything is aggregated by the database: four queries whatever the number of attempts.
"""
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from .models import AttemptItem, QuestionType, QuestionVersion
from .results import marked_attempts

GROUP_SHARE = Decimal("0.27")
TOO_EASY = Decimal("0.9")
TOO_HARD = Decimal("0.2")
CHOICE_QTYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)


def group_size(candidates):
    """Return k = round(0.27 × candidates), the size of the upper and of the lower group."""
    return int((GROUP_SHARE * candidates).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def item_analysis(exam, scope):
    """Return (candidates, rows): one row per question version, in question order."""
    attempts = marked_attempts(exam, scope)
    candidates = attempts.count()
    k = group_size(candidates)
    upper = attempts.order_by("-score", "pk").values("pk")[:k]
    lower = attempts.order_by("score", "-pk").values("pk")[:k]
    # Case rows carry no points (their sub-questions do), so `points > 0` skips them.
    items = AttemptItem.objects.filter(attempt__in=attempts.values("pk"), points__gt=0)
    in_upper, in_lower = Q(attempt__in=upper), Q(attempt__in=lower)
    stats = (items.values("version_id")
             .annotate(answers=Count("pk"), earned_sum=Sum("earned"), available=Sum("points"),
                       upper_earned=Sum("earned", filter=in_upper),
                       upper_available=Sum("points", filter=in_upper),
                       lower_earned=Sum("earned", filter=in_lower),
                       lower_available=Sum("points", filter=in_lower))
             .order_by())
    stats = {row["version_id"]: row for row in stats}
    versions = QuestionVersion.objects.in_bulk(list(stats))
    counts = option_counts(items, [v for v in versions.values() if v.qtype in CHOICE_QTYPES])
    rows = []
    for version_id, row in stats.items():
        version = versions[version_id]
        facility = _ratio(row["earned_sum"], row["available"])
        discrimination = None
        if k:
            p_upper = _ratio(row["upper_earned"], row["upper_available"])
            p_lower = _ratio(row["lower_earned"], row["lower_available"])
            if p_upper is not None and p_lower is not None:
                discrimination = p_upper - p_lower
        rows.append({
            "version": version,
            "question_id": version.question_id,
            "number": version.number,
            "qtype": version.qtype,
            "qtype_label": QuestionType(version.qtype).label,
            "stem_text": version.data.get("stem_text", ""),
            "answers": row["answers"],
            "mean": row["earned_sum"] / row["answers"] if row["answers"] else None,
            "facility": facility,
            "discrimination": discrimination,
            "options": _options(version, counts.get(version_id, {})),
            "too_easy": facility is not None and facility > TOO_EASY,
            "too_hard": facility is not None and facility < TOO_HARD,
            "negative": discrimination is not None and discrimination < 0,
        })
    rows.sort(key=lambda r: (r["question_id"], r["number"]))
    return candidates, rows


def _ratio(part, whole):
    if part is None or not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"))


def option_counts(items, versions):
    """Return {version_id: {key: count}} of the options chosen, in one query.

    A single choice is saved as "B" and a multiple choice as ["A", "C"]; both contain the
    quoted key in their JSON text, which the database can count without unpacking arrays.
    """
    if not versions:
        return {}
    keys = sorted({option["key"] for v in versions for option in v.data.get("options") or []})
    if not keys:
        return {}
    annotations = {f"key_{key}": Count("pk", filter=Q(answer__icontains=f'"{key}"'))
                   for key in keys}
    rows = (items.filter(version_id__in=[v.pk for v in versions]).values("version_id")
            .annotate(**annotations).order_by())
    return {row["version_id"]: {key: row[f"key_{key}"] for key in keys} for row in rows}


def _options(version, counts):
    return [{"key": option["key"], "text": option["text"], "correct": option["correct"],
             "chosen": counts.get(option["key"], 0)}
            for option in version.data.get("options") or []]
