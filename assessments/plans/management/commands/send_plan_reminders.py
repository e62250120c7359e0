"""E-mail the owners of improvement actions due soon (run daily; safe to run more often)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from assessments.plans.services import send_reminders


class Command(BaseCommand):
    help = (
        "Remind the owners of open improvement actions due within PLAN_REMINDER_DAYS days "
        "(once per action and due date; run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Days ahead (default PLAN_REMINDER_DAYS).")
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, days=None, today=None, **options):
        if days is not None and not 0 <= days <= 366:
            raise CommandError("--days must be between 0 and 366.")
        on = None
        if today:
            try:
                on = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today must be a date written YYYY-MM-DD.") from None
        count = send_reminders(today=on, days=days)
        self.stdout.write(self.style.SUCCESS(f"{count} reminder(s) sent."))
