"""Remind firms of the deadlines of requests for changes, and flag the ones past due."""

from django.core.management.base import BaseCommand

from assessments.review.deadlines import remind_and_flag


class Command(BaseCommand):
    help = (
        "Send the reminders due before the deadlines of requests for changes (补正) and flag "
        "the requests whose deadline has passed (run daily)."
    )

    def handle(self, *args, **options):
        reminded, flagged = remind_and_flag()
        self.stdout.write(
            self.style.SUCCESS(
                f"{reminded} reminder(s) sent, {flagged} request(s) flagged overdue."
            )
        )
