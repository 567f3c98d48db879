"""What an officer may see of a finished attempt, per the exam's review policy."""
from django.db.models import Max
from django.utils import timezone

from .models import AttemptStatus, ExamOverride, ReviewFrom, ReviewPolicy
from .rendering import officer_view

# The attribute an exam may carry (annotated by a caller, or cached here): the latest
# closing time of its per-officer overrides (resits), None if there is none.
LAST_OVERRIDE_CLOSE = "last_override_closes_at"


def review_opens_at(exam):
    """Return when an "after close" review opens: once the exam has closed for everyone,
    resit officers (ExamOverride.closes_at) included — else answer keys and explanations
    would reach an officer still sitting it. One query per exam instance (or none, when the
    caller annotated LAST_OVERRIDE_CLOSE)."""
    if not hasattr(exam, LAST_OVERRIDE_CLOSE):
        setattr(exam, LAST_OVERRIDE_CLOSE, ExamOverride.objects.filter(exam_id=exam.pk)
                .aggregate(last=Max("closes_at"))["last"])
    last = getattr(exam, LAST_OVERRIDE_CLOSE)
    return max(exam.closes_at, last) if last is not None else exam.closes_at


def review_allowed(attempt, now=None):
    """Return "nothing", "score" or "full": what the officer may see of this attempt now."""
    exam = attempt.exam
    if attempt.status in (AttemptStatus.READY, AttemptStatus.IN_PROGRESS):
        return ReviewPolicy.NOTHING
    now = now or timezone.now()
    if exam.review_from == ReviewFrom.AFTER_CLOSE and (
            now < exam.closes_at or now < review_opens_at(exam)):
        return ReviewPolicy.NOTHING
    return exam.review_policy


def review_context(attempt):
    """Return the result page's context; keys and explanations only under a full review."""
    level = review_allowed(attempt)
    context = {"attempt": attempt, "exam": attempt.exam, "level": level, "items": []}
    if level == ReviewPolicy.FULL:
        number = 0  # numbered as on the exam page: the case of a case analysis has none
        for item in attempt.items.select_related("version").order_by("position"):
            data = item.version.data
            is_case = data["qtype"] == "case_analysis"
            number += not is_case
            view = officer_view(data, number=None if is_case else number,
                                option_order=item.option_order, answer=item.answer)
            labels = {option["key"]: option["label"] for option in view["options"]}
            chosen = item.answer if isinstance(item.answer, list) else [item.answer]
            view.update(
                # The points this paper gives the question (the bank's default may differ).
                points=item.points,
                given_labels=sorted(labels[key] for key in chosen if key in labels),
                position=item.position, earned=item.earned, needs_marking=item.needs_marking,
                is_case=is_case,
                correct_labels=sorted(labels[o["key"]] for o in data.get("options") or []
                                      if o["correct"] and o["key"] in labels),
                answer_bool=data.get("answer_bool"), blanks=data.get("blanks"),
                reference_answer=data.get("reference_answer"),
                explanation=data.get("explanation"), legal_basis=data.get("legal_basis"),
                comment=item.marker_comment)
            context["items"].append(view)
    return context
