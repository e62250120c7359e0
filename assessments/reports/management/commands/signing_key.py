"""Make sure the portal can sign the PDFs it issues, and say with which key.

``manage.py signing_key`` loads the configured PKCS#12 file (``PDF_SIGNING_PKCS12`` and
``PDF_SIGNING_PASSPHRASE``) or, without one, generates the self-signed development key into
``DATA_DIR/signing/`` if it does not exist yet; it prints the certificate's subject and SHA-256
fingerprint. ``scripts/bootstrap.sh`` runs it, so a fresh machine has its key before the first
PDF is rendered. It fails (exit status 1) when the configured file cannot be read.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from assessments.reports import signing


class Command(BaseCommand):
    help = "Load (or, in development, generate) the key that signs issued PDFs and describe it."
    requires_system_checks: list[str] = []

    def handle(self, *args, **options) -> None:
        try:
            key = signing.signing_key()
        except signing.SigningKeyError as exc:
            raise CommandError(str(exc)) from exc
        kind = (
            f"self-signed development key in {signing.development_key_path()}"
            if key.development
            else "configured PKCS#12 key (PDF_SIGNING_PKCS12)"
        )
        self.stdout.write(f"PDF signing: {kind}")
        self.stdout.write(f"  subject: {key.subject}")
        self.stdout.write(f"  SHA-256 fingerprint: {key.fingerprint}")
