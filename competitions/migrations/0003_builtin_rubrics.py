"""Create the shipped 案卷评查 rubric (competitions.rubric_spec.case_file_review_definition)."""
from django.db import migrations


def create_builtin_rubrics(apps, schema_editor):
    from competitions.rubric_spec import CASE_FILE_REVIEW_NAME, builtin_rubric_defaults

    Rubric = apps.get_model("competitions", "Rubric")
    Rubric.objects.get_or_create(name=CASE_FILE_REVIEW_NAME, defaults=builtin_rubric_defaults())


class Migration(migrations.Migration):

    dependencies = [("competitions", "0002_judging_fields")]

    operations = [migrations.RunPython(create_builtin_rubrics, migrations.RunPython.noop)]
