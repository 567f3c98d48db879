"""Turn the cases' related-question ids (`CasePage.related_question_ids`, a JSON list of
question bank ids) into CaseQuestion rows, in order; ids of questions that no longer
exist are dropped. Reversible: the rows are written back as the id list."""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


def copy_ids_to_links(apps, schema_editor):
    Page = apps.get_model("cases_library", "CasePage")
    Link = apps.get_model("cases_library", "CaseQuestion")
    Question = apps.get_model("exams", "Question")
    pages = [(pk, ids) for pk, ids in Page.objects.values_list("pk", "related_question_ids") if ids]
    wanted = {int(i) for _pk, ids in pages for i in ids if str(i).isdigit()}
    existing = set(Question.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    rows = []
    for pk, ids in pages:
        seen = set()
        for i in ids:
            question_id = int(i) if str(i).isdigit() else None
            if question_id in existing and question_id not in seen:
                seen.add(question_id)
                rows.append(Link(case_id=pk, question_id=question_id, sort_order=len(seen) - 1))
    Link.objects.bulk_create(rows)


def copy_links_to_ids(apps, schema_editor):
    Page = apps.get_model("cases_library", "CasePage")
    Link = apps.get_model("cases_library", "CaseQuestion")
    ids = {}
    for page_id, question_id in Link.objects.order_by("sort_order", "pk").values_list(
            "case_id", "question_id"):
        ids.setdefault(page_id, []).append(question_id)
    for page_id, question_ids in ids.items():
        Page.objects.filter(pk=page_id).update(related_question_ids=question_ids)


class Migration(migrations.Migration):

    dependencies = [
        ('cases_library', '0002_initial'),
        ('exams', '0002_stem_without_underline'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('case', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='related_questions', to='cases_library.casepage')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exams.question', verbose_name='bank question')),
            ],
            options={
                'verbose_name': 'related question',
                'verbose_name_plural': 'related questions',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.RunPython(copy_ids_to_links, copy_links_to_ids),
        migrations.RemoveField(
            model_name='casepage',
            name='related_question_ids',
        ),
    ]
