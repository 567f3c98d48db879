"""Editing a used question makes a new version; old papers keep the old one."""
import pytest

from exams.models import Paper, PaperItem, PaperKind, QuestionOption
from exams.papers import draw, freeze_fixed_items
from exams.versions import mark_used, sync_version

from .factories import question

pytestmark = pytest.mark.django_db


def test_a_new_question_has_version_one():
    q = question()
    assert q.current_version.number == 1
    assert q.current_version.data["stem_text"] == "行政处罚的种类不包括哪一项？"


def test_editing_an_unused_question_updates_its_version_in_place():
    q = question()
    q.explanation = "见《行政处罚法》第九条"
    q.save()
    version = sync_version(q)
    assert version.number == 1 and q.versions.count() == 1
    assert version.data["explanation"] == "见《行政处罚法》第九条"


def test_saving_without_changes_makes_no_version():
    q = question()
    mark_used([q.current_version_id])
    assert sync_version(q).number == 1


def test_editing_a_used_question_creates_a_new_version_and_keeps_the_old():
    q = question()
    old = q.current_version
    mark_used([old.pk])
    QuestionOption.objects.filter(question=q, text="记过").update(is_correct=True)
    QuestionOption.objects.filter(question=q, text="警告").update(is_correct=False)
    new = sync_version(q)
    old.refresh_from_db()
    assert (old.number, new.number) == (1, 2)
    assert [o["key"] for o in old.data["options"] if o["correct"]] == ["A"]
    assert [o["key"] for o in new.data["options"] if o["correct"]] == ["D"]
    q.refresh_from_db()
    assert q.current_version == new


def test_a_fixed_paper_keeps_the_version_it_was_made_with():
    q = question()
    paper = Paper.objects.create(title="固定试卷", kind=PaperKind.FIXED, shuffle_questions=False,
                                 shuffle_options=False)
    PaperItem.objects.create(paper=paper, question=q, sort_order=0)
    freeze_fixed_items(paper)
    first = paper.items.get().version
    assert first.used
    q.legal_basis = "《行政处罚法》第九条"
    q.save()
    sync_version(q)
    [item] = draw(paper, seed=1)
    assert item.version_id == first.pk
    q.refresh_from_db()
    assert q.current_version.number == 2
