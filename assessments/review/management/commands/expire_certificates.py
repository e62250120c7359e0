"""Store "expired" on certificates past their validity (the public status is computed anyway)."""

from django.core.management.base import BaseCommand

from assessments.review.certificates import expire_due


class Command(BaseCommand):
    help = "Mark valid certificates whose validity has ended as expired (run daily)."

    def handle(self, *args, **options):
        count = expire_due()
        self.stdout.write(self.style.SUCCESS(f"{count} certificate(s) marked expired."))
