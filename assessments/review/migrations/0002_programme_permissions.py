"""Editors, moderators and administrators manage programmes in the Wagtail admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_programme", "add_programme", "change_programme", "delete_programme"]
GROUPS = ["Editors", "Moderators", "Administrators"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("review")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(codename__in=CODENAMES, content_type__app_label="review")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("accounts", "0002_regions_and_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
