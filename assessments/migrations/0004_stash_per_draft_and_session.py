import django.utils.timezone
from django.db import migrations, models


def drop_stashes(apps, schema_editor):
    """Stashes live two days and older ones know no browser session: drop them."""
    apps.get_model("assessments", "StashedPost").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_wizard_changes_and_stash"),
    ]

    operations = [
        migrations.RunPython(drop_stashes, migrations.RunPython.noop),
        migrations.AddField(
            model_name="stashedpost",
            name="browser_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="stashedpost",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="created at"
            ),
        ),
        migrations.AddConstraint(
            model_name="stashedpost",
            constraint=models.UniqueConstraint(
                fields=("assessment", "browser_hash"), name="one_stash_per_draft_and_session"
            ),
        ),
    ]
