"""Digital signatures (PAdES) on the PDFs the portal issues: result reports and certificates.

:func:`sign_pdf` adds an invisible PAdES baseline (B-B) signature made with the portal's
signing key, so that a PDF reader shows who issued the file and that it has not changed since;
:func:`check_signature` validates the signature of an uploaded file against the portal's
certificate (the verification page does this besides comparing the file's SHA-256).

Where the key comes from (:func:`signing_key`):

* ``PDF_SIGNING_PKCS12`` (a path to a PKCS#12 file holding the key and its certificate chain)
  and ``PDF_SIGNING_PASSPHRASE``: the bureau's own key, for production;
* otherwise the **development key**: a self-signed key and certificate generated on first use
  into ``DATA_DIR/signing/development.p12`` (mode 0600) and reused. It proves only that the file
  is unchanged since this installation signed it; the verification page says so.

pyHanko is imported inside the functions: it loads a sizeable part of the ASN.1 and PDF
machinery that the processes which never sign or check a PDF need not carry.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import io
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings

logger = logging.getLogger(__name__)

DEVELOPMENT_FILE = Path("signing") / "development.p12"
DEVELOPMENT_NAME = "IP Portal development signing key (self-signed)"
FIELD_NAME = "PortalSignature"
# Room for the CMS signature: an EC or RSA-4096 signature with a chain of a few certificates.
SIGNATURE_BYTES = 16 * 1024


T = TypeVar("T")


def _outside_event_loop(func: Callable[[], T]) -> T:
    """Run ``func`` here, or in a worker thread when this thread runs an asyncio event loop:
    pyHanko's synchronous API calls ``asyncio.run()``, which refuses to run inside one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func).result()


class SigningKeyError(RuntimeError):
    """The configured PKCS#12 file cannot be read (wrong path or passphrase)."""


@dataclass(frozen=True)
class SigningKey:
    """The loaded key: the pyHanko signer and facts the verification page shows."""

    signer: Any  # pyhanko.sign.signers.SimpleSigner
    certificate: Any  # asn1crypto.x509.Certificate
    subject: str
    fingerprint: str  # SHA-256 of the certificate, hex
    development: bool


def development_key_path() -> Path:
    return Path(settings.DATA_DIR) / DEVELOPMENT_FILE


def _write_development_key(path: Path) -> None:
    """Generate a self-signed EC P-256 key and certificate into ``path`` (mode 0600)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEVELOPMENT_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "IP Portal"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation, which PDF signers are checked for
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"ip-portal-development", key, certificate, None, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile: theirs is used
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _read_development_key(path: Path) -> bytes:
    if not path.exists():
        _write_development_key(path)
    for _ in range(50):  # another process may still be writing it
        data = path.read_bytes()
        if data:
            return data
        time.sleep(0.01)
    raise SigningKeyError(f"The development signing key {path} is empty.")


@functools.lru_cache(maxsize=4)
def _load(source: str, passphrase: str, development: bool, mtime: float) -> SigningKey:
    from asn1crypto import x509 as asn1_x509  # noqa: F401 (pyHanko's certificate type)
    from pyhanko.sign import signers

    path = Path(source)
    data = _read_development_key(path) if development else path.read_bytes()
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=(), passphrase=passphrase.encode() if passphrase else None
        )
    except ValueError as exc:
        raise SigningKeyError(f"Cannot read the signing key {path}: {exc}") from exc
    certificate = signer.signing_cert
    return SigningKey(
        signer=signer,
        certificate=certificate,
        subject=certificate.subject.human_friendly,
        fingerprint=certificate.sha256.hex(),
        development=development,
    )


def signing_key() -> SigningKey:
    """The portal's signing key (loaded once per process, again when the file changes)."""
    configured = settings.PDF_SIGNING_PKCS12
    if configured:
        path = Path(configured)
        try:
            mtime = path.stat().st_mtime
        except OSError as exc:
            raise SigningKeyError(f"PDF_SIGNING_PKCS12 {path} cannot be read: {exc}") from exc
        return _load(str(path), settings.PDF_SIGNING_PASSPHRASE, False, mtime)
    path = development_key_path()
    if not path.exists():
        _read_development_key(path)
        logger.warning("Generated a self-signed development signing key in %s", path)
    return _load(str(path), "", True, path.stat().st_mtime)


def sign_pdf(data: bytes, *, reason: str = "", location: str = "") -> bytes:
    """``data`` (a PDF) with the portal's PAdES signature appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key = signing_key()
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=key.subject,
        signer_key_usage={"non_repudiation"},
    )
    # A fixed reservation for the CMS blob: without it pyHanko signs twice to measure it.
    out = _outside_event_loop(
        lambda: signers.sign_pdf(writer, meta, signer=key.signer, bytes_reserved=SIGNATURE_BYTES)
    )
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What the signature of an uploaded file says.

    ``signed``: the file carries a signature at all; ``valid``: it is intact, covers the whole
    file and was made with the portal's current key; ``signer`` and ``signed_at`` as the
    signature states them (empty when there is none).
    """

    signed: bool
    valid: bool
    signer: str = ""
    signed_at: dt.datetime | None = None


def check_signature(data: bytes) -> SignatureCheck:
    """Validate the last signature of ``data`` with pyHanko against the portal's certificate.

    Never raises on a bad file: anything that cannot be read counts as "not signed".
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    key = signing_key()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged or hostile file is simply not a signed one
        return SignatureCheck(signed=False, valid=False)
    if not signatures:
        return SignatureCheck(signed=False, valid=False)
    embedded = signatures[-1]
    context = ValidationContext(trust_roots=[key.certificate], allow_fetching=False)
    try:
        status = _outside_event_loop(lambda: validate_pdf_signature(embedded, context))
    except Exception:  # a malformed signature dictionary must not become a 500
        logger.info("signature check failed", exc_info=True)
        return SignatureCheck(signed=True, valid=False)
    valid = bool(
        status.intact
        and status.valid
        and status.trusted
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    )
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    return SignatureCheck(
        signed=True, valid=valid, signer=signer, signed_at=status.signer_reported_dt
    )
