"""A trainer who sat an exam never marks their own answers."""
from django.urls import reverse

from exams import marking
from exams.models import QuestionType

from .factories import question
from .test_marking import fixed_exam, open_items, sit


def test_a_trainer_who_sat_the_exam_cannot_mark_their_own_answer(org, people, client_for):
    short = question(QuestionType.SHORT_ANSWER, stem="简述行政处罚的种类", points="10",
                     reference_answer="警告、罚款")
    exam = fixed_exam(org, [short], units=("corps",))
    trainer = people["trainer"]
    own = open_items(sit(exam, trainer, {1: "自己的答案"}))[0]
    other = open_items(sit(exam, people["officer"], {1: "别人的答案"}))[0]

    mine = set(marking.markable_items(trainer).values_list("pk", flat=True))
    assert own.pk not in mine and other.pk in mine
    assert [row["pending"] for row in marking.pending_by_exam(trainer)] == [1]
    assert marking.next_pending(trainer, exam.pk).pk == other.pk
    client = client_for(trainer)
    assert client.get(reverse("exams:marking_item", args=[own.pk])).status_code == 404
    response = client.post(reverse("exams:marking_item", args=[own.pk]),
                           {"points": "10", "comment": ""})
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.marked_at is None and own.needs_marking

    # Another marker marks it.
    assert own.pk in set(marking.markable_items(people["organizer"]).values_list("pk", flat=True))
    assert client_for(people["organizer"]).get(
        reverse("exams:marking_item", args=[own.pk])).status_code == 200
