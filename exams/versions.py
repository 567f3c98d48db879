"""
Question versions: freeze what a question says when it is used.

The Question row is the working copy trainers edit. `sync_version` is called after every
save of a question (admin, import): while the current version is unused it is updated in
place; once a paper or an attempt has used it, an edit creates the next version, so old
papers and results keep exactly the question they had.
"""
from django.db import transaction

from .models import Question, QuestionVersion


def snapshot(question, options=None, category_name=None):
    """Return the JSON-able content of a question as it is now.

    `options` (dicts as from Question.option_list) and `category_name` may be given by a
    caller that already has them (the bulk importer), to save queries.
    """
    if category_name is None:
        category_name = question.category.full_name if question.category_id else ""
    return {
        "qtype": question.qtype,
        "stem": question.stem.get_prep_value(),
        "stem_text": question.stem_text,
        "options": question.option_list() if options is None else options,
        "answer_bool": question.answer_bool,
        "blanks": question.blanks,
        "order_insensitive": question.order_insensitive,
        "reference_answer": question.reference_answer,
        "scoring_points": question.scoring_point_list,
        "explanation": question.explanation,
        "legal_basis": question.legal_basis,
        "difficulty": question.difficulty,
        "points": str(question.points),
        "category": category_name,
        "parent_id": question.parent_id,
        "position": question.position,
    }


@transaction.atomic
def sync_version(question, user=None):
    """Make the question's current version match its content; return that version."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    data = snapshot(question)
    fingerprint = question.compute_fingerprint()
    current = question.current_version
    if current is not None and current.data == data:
        version = current
    elif current is not None and not current.used:
        current.data = data
        current.qtype = question.qtype
        current.save(update_fields=["data", "qtype"])
        version = current
    else:
        last = question.versions.order_by("-number").values_list("number", flat=True).first()
        version = QuestionVersion.objects.create(
            question=question, number=(last or 0) + 1, qtype=question.qtype, data=data,
            created_by=user)
    Question.objects.filter(pk=question.pk).update(current_version=version,
                                                   fingerprint=fingerprint)
    return version


def mark_used(version_ids):
    """Freeze the given versions: from now on, editing their question makes a new version."""
    QuestionVersion.objects.filter(pk__in=list(version_ids), used=False).update(used=True)
