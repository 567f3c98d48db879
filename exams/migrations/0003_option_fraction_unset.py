"""
Give frozen question versions back the option values their trainers left empty.

Until now a version stored `fraction` 1.0 for a right option left empty and 0.0 for a wrong
one, so the "each option's own partial credit" marking could not tell an empty value from
a given one (one right option of two earned full marks, so did ticking every option). A
version now stores None for an empty value (Question.option_list, grading.option_credits).

For each choice version:
- its options still are the question's (same texts and keys in order, values as then
  stored): each option's value comes from the question's option (None where empty);
- otherwise (the question was edited since), if every option holds exactly the old stand-in
  (right 1.0, wrong 0.0), the values are taken as all empty; any other version keeps its
  values (some were given, and which were not can no longer be told).

The content otherwise stays as frozen; the reverse puts the stand-ins back.
"""
from collections import defaultdict

from django.db import migrations, models

CHOICE_TYPES = ("single", "multiple")
BATCH = 500


def _stand_in(correct):
    return 1.0 if correct else 0.0


def _unset(apps, schema_editor):
    QuestionVersion = apps.get_model("exams", "QuestionVersion")
    QuestionOption = apps.get_model("exams", "QuestionOption")
    by_question = defaultdict(list)
    for row in (QuestionOption.objects.order_by("question_id", "sort_order", "pk")
                .values_list("question_id", "text", "is_correct", "fraction")):
        by_question[row[0]].append(row[1:])
    changed = []
    for version in QuestionVersion.objects.filter(qtype__in=CHOICE_TYPES).iterator(BATCH):
        options = (version.data or {}).get("options") or []
        if not options or any(option.get("fraction") is None for option in options):
            continue  # nothing to do, or already in the new form
        current = by_question.get(version.question_id, [])
        if len(current) == len(options) and all(
                option["key"] == chr(ord("A") + index) and option["text"] == text
                and option["correct"] == correct
                and option["fraction"] == (float(fraction) if fraction is not None
                                           else _stand_in(correct))
                for index, (option, (text, correct, fraction))
                in enumerate(zip(options, current))):
            values = [float(fraction) if fraction is not None else None
                      for _text, _correct, fraction in current]
        elif all(option["fraction"] == _stand_in(option["correct"]) for option in options):
            values = [None] * len(options)
        else:
            continue
        if values == [option["fraction"] for option in options]:
            continue
        for option, value in zip(options, values):
            option["fraction"] = value
        changed.append(version)
        if len(changed) >= BATCH:
            QuestionVersion.objects.bulk_update(changed, ["data"])
            changed = []
    QuestionVersion.objects.bulk_update(changed, ["data"])


def _restore(apps, schema_editor):
    QuestionVersion = apps.get_model("exams", "QuestionVersion")
    changed = []
    for version in QuestionVersion.objects.filter(qtype__in=CHOICE_TYPES).iterator(BATCH):
        options = (version.data or {}).get("options") or []
        if not any(option.get("fraction") is None for option in options):
            continue
        for option in options:
            if option.get("fraction") is None:
                option["fraction"] = _stand_in(option["correct"])
        changed.append(version)
    QuestionVersion.objects.bulk_update(changed, ["data"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("exams", "0002_stem_without_underline"),
    ]

    operations = [
        migrations.AlterField(
            model_name="questionoption",
            name="fraction",
            field=models.DecimalField(
                blank=True, decimal_places=4, max_digits=5, null=True,
                verbose_name="partial credit",
                help_text="Share of the points this option gives, e.g. 0.5 (below 0 takes points "
                          "off). A multiple choice marked by each option's own partial credit: "
                          "leave every option empty for all or nothing; an empty option among "
                          "filled ones counts 1/k if right and −1/m if wrong (k right, m wrong "
                          "options)."),
        ),
        migrations.RunPython(_unset, _restore),
    ]
