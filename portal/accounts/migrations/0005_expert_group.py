"""Create the Experts role group, next to the role groups of 0002."""

from django.db import migrations


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="Experts")


def delete_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Experts").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_single_line_names")]

    operations = [migrations.RunPython(create_group, delete_group)]
