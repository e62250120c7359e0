"""Section scores for the submissions made before peer benchmarks existed (from their stored
result JSON, the same way ``services.score_rows`` reads a new one)."""

from decimal import Decimal

from django.db import migrations

BATCH = 500


def _percent(value):
    return None if value is None else Decimal(str(value))


def fill(apps, schema_editor):
    Submission = apps.get_model("assessments", "Submission")
    SectionScore = apps.get_model("peers", "SectionScore")
    done = set(SectionScore.objects.values_list("submission_id", flat=True).distinct())
    batch = []
    for pk, result in Submission.objects.order_by("pk").values_list("pk", "result").iterator():
        if pk in done:
            continue
        batch.append(SectionScore(submission_id=pk, section="", percent=_percent(result.get("percent"))))
        for section in result.get("sections", ()):
            applicable = section.get("applicable", True)
            batch.append(
                SectionScore(
                    submission_id=pk,
                    section=section["code"],
                    percent=_percent(section.get("percent")) if applicable else None,
                )
            )
        if len(batch) >= BATCH:
            SectionScore.objects.bulk_create(batch)
            batch = []
    SectionScore.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0001_section_scores"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
