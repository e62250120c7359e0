"""Editors browse and draft scheme versions; moderators and administrators also publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": ["view_schemeversion", "add_schemeversion", "change_schemeversion"],
    "Moderators": [
        "view_schemeversion",
        "add_schemeversion",
        "change_schemeversion",
        "publish_schemeversion",
    ],
    "Administrators": [
        "view_schemeversion",
        "add_schemeversion",
        "change_schemeversion",
        "publish_schemeversion",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("assessments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(
                codename__in=codenames, content_type__app_label="assessments"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("accounts", "0002_regions_and_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
