"""Load the public holidays and make-up working days shipped with the portal."""

from django.core.management.base import BaseCommand

from assessments.review.calendar import load_calendar


class Command(BaseCommand):
    help = (
        "Create or update the working-day calendar (public holidays, 调休) from the shipped data."
    )

    def handle(self, *args, **options):
        created, updated = load_calendar()
        self.stdout.write(self.style.SUCCESS(f"{created} day(s) created, {updated} updated."))
