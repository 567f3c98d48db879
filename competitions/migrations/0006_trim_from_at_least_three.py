# Event.trim_from below 3 cannot be applied: the trimmed mean (and the judges' drop rate
# in the consistency report) drops the highest and the lowest mark, and such events
# could not be scored or reported. Event.clean now refuses it; existing events take the
# nearest valid rule, 3 ("trim whenever there are enough marks").

from django.db import migrations


def raise_trim_from(apps, schema_editor):
    Event = apps.get_model("competitions", "Event")
    Event.objects.filter(trim_from__lt=3).update(trim_from=3)


class Migration(migrations.Migration):

    dependencies = [
        ('competitions', '0005_correction_category_labels'),
    ]

    operations = [
        migrations.RunPython(raise_trim_from, migrations.RunPython.noop),
    ]
