"""Load the administrative regions and create the role groups."""

import json
from pathlib import Path

from django.db import migrations

REGIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.json"
ROLE_GROUPS = [
    "Enterprise owners",
    "Enterprise members",
    "Reviewers",
    "Lead reviewers",
    "Editors",
    "Moderators",
    "Administrators",
]


def load_regions(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    provinces = []
    cities = []
    for province in data["provinces"]:
        provinces.append(Region(code=province["code"], name_zh=province["zh"], name_en=province["en"]))
        for city in province["cities"]:
            if city["code"] != province["code"]:
                cities.append(
                    Region(
                        code=city["code"],
                        name_zh=city["zh"],
                        name_en=city["en"],
                        parent_id=province["code"],
                    )
                )
    Region.objects.bulk_create(provinces, ignore_conflicts=True)
    Region.objects.bulk_create(cities, ignore_conflicts=True)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [
        migrations.RunPython(load_regions, migrations.RunPython.noop),
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]
