"""Who manages what of a programme in the Wagtail admin.

Editors and moderators write the call (titles, texts, window, required materials); the quotas,
the regions and the levels of the recommendation chain are for lead reviewers and
administrators only. Lead reviewers get access to the Wagtail admin for that (they see only
what their permissions allow: programmes, review levels, quotas and the working-day calendar).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CALL = ["view_programme", "add_programme", "change_programme"]
MATERIALS = [
    "view_requiredmaterial",
    "add_requiredmaterial",
    "change_requiredmaterial",
    "delete_requiredmaterial",
]
CHAIN = [
    "change_programme_quota",
    "view_reviewstage",
    "add_reviewstage",
    "change_reviewstage",
    "delete_reviewstage",
    "view_programmequota",
    "add_programmequota",
    "change_programmequota",
    "delete_programmequota",
    "view_calendarday",
    "add_calendarday",
    "change_calendarday",
    "delete_calendarday",
]
GRANTS = {
    "Editors": MATERIALS,
    "Moderators": MATERIALS,
    "Administrators": MATERIALS + CHAIN,
    "Lead reviewers": CALL + MATERIALS + CHAIN,
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("review")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(codename__in=codenames, content_type__app_label="review")
        )
    leads = Group.objects.filter(name="Lead reviewers").first()
    access = Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    ).first()
    if leads is not None and access is not None:
        leads.permissions.add(access)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0004_decision_safeguards_panels_materials_publicity"),
        ("accounts", "0005_expert_group"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
