"""PAdES signatures (pyHanko): the one key that signs every document the portal issues, and
the check of a signed PDF against the portal's trust roots.

Keys (docs/decisions.md, "Signed documents"):
- production: a PKCS#12 file and its passphrase, named by DOCUMENT_SIGNING_PKCS12 and
  DOCUMENT_SIGNING_PASSPHRASE; the trust roots by DOCUMENT_TRUST_ROOTS (PEM files), else the
  self-signed certificates of the PKCS#12's chain. DOCUMENT_TSA_URL, when set, adds an RFC 3161
  timestamp from that authority (PAdES B-T); without it the signature is PAdES B-B.
- development, sandbox and tests: a sandbox CA, a signing certificate and a timestamping
  certificate made once under DOCUMENT_SANDBOX_KEYS_DIR (outside the repository's tracked files
  and the web root), each key in a PKCS#12 encrypted with a passphrase derived from SECRET_KEY,
  in 0600 files of a 0700 directory; the sandbox timestamps with its own local authority
  (pyHanko's DummyTimeStamper), so sandbox signatures are PAdES B-T as well.

Nothing here reaches the network: validation never fetches revocation data or certificates
(the portal checks its own signatures against roots it holds).
"""

import asyncio
import datetime as dt
import functools
import io
import logging
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import DummyTimeStamper, TimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

__all__ = ["SignatureCheck", "check_signed_pdf", "sign_pdf", "signature_level", "trust_roots"]

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "PortalSignature"
SANDBOX_FILES = ("ca.pem", "signer.p12", "tsa.p12")


# --- the sandbox's certificates --------------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "i-Industry portal (sandbox)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signs_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not signs_certificates,
        content_commitment=not signs_certificates,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=signs_certificates,
        crl_sign=signs_certificates,
        encipher_only=False,
        decipher_only=False,
    )


def _sandbox_certificates(now: dt.datetime):
    """A CA, and beneath it a document-signing and a timestamping certificate. RSA: pyHanko's
    local timestamp authority signs with RSA only."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("i-Industry sandbox document CA"))
        .issuer_name(_name("i-Industry sandbox document CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signs_certificates=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )

    def issue(common_name: str, extended_usage: list | None):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(signs_certificates=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        )
        if extended_usage:
            builder = builder.add_extension(x509.ExtendedKeyUsage(extended_usage), critical=True)
        return key, builder.sign(ca_key, hashes.SHA256())

    signer = issue("i-Industry sandbox document signing", None)
    tsa = issue("i-Industry sandbox timestamp authority", [ExtendedKeyUsageOID.TIME_STAMPING])
    return ca, signer, tsa


def ensure_sandbox_keys(directory: Path, passphrase: bytes) -> Path:
    """Make the sandbox's CA and keys once. They are made in a private directory beside the
    final one and renamed into place, which is atomic: processes starting together on a fresh
    machine (web workers, the task worker) all end with the same keys."""
    if all((directory / name).exists() for name in SANDBOX_FILES):
        return directory
    directory.parent.mkdir(parents=True, exist_ok=True)
    building = directory.with_name(f".{directory.name}.{os.getpid()}.{threading.get_ident()}")
    building.mkdir(mode=0o700)
    try:
        ca, (signer_key, signer_cert), (tsa_key, tsa_cert) = _sandbox_certificates(
            dt.datetime.now(dt.UTC)
        )
        encryption = serialization.BestAvailableEncryption(passphrase)
        files = {
            "ca.pem": ca.public_bytes(serialization.Encoding.PEM),
            "signer.p12": pkcs12.serialize_key_and_certificates(
                b"signer", signer_key, signer_cert, [ca], encryption
            ),
            "tsa.p12": pkcs12.serialize_key_and_certificates(
                b"tsa", tsa_key, tsa_cert, [ca], encryption
            ),
        }
        for name, content in files.items():
            path = building / name
            path.write_bytes(content)
            os.chmod(path, 0o600)
        try:
            os.rename(building, directory)
        except OSError:
            if not all((directory / name).exists() for name in SANDBOX_FILES):
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return directory


# --- the signing material --------------------------------------------------------------------


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _asn1_key(key) -> asn1_keys.PrivateKeyInfo:
    return asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _self_signed(certificate: x509.Certificate) -> bool:
    return certificate.subject == certificate.issuer


@dataclass(frozen=True)
class SigningMaterial:
    signer: signers.SimpleSigner
    roots: tuple[asn1_x509.Certificate, ...]
    timestamper: TimeStamper | None
    level: str  # "PAdES-B-B" or "PAdES-B-T"


def _load_pkcs12(data: bytes, passphrase: bytes | None):
    key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase)
    if key is None or certificate is None:
        raise ImproperlyConfigured("The PKCS#12 file holds no key and certificate")
    return key, certificate, list(chain)


def _signer(key, certificate, chain) -> signers.SimpleSigner:
    return signers.SimpleSigner(
        signing_cert=_asn1_certificate(certificate),
        signing_key=_asn1_key(key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(c) for c in chain]),
    )


@functools.cache
def _sandbox_material(directory: str, passphrase: str) -> SigningMaterial:
    folder = ensure_sandbox_keys(Path(directory), passphrase.encode())
    secret = passphrase.encode()
    key, certificate, chain = _load_pkcs12((folder / "signer.p12").read_bytes(), secret)
    tsa_key, tsa_certificate, tsa_chain = _load_pkcs12((folder / "tsa.p12").read_bytes(), secret)
    ca = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    timestamper = DummyTimeStamper(
        tsa_cert=_asn1_certificate(tsa_certificate),
        tsa_key=_asn1_key(tsa_key),
        certs_to_embed=SimpleCertificateStore.from_certs([_asn1_certificate(c) for c in tsa_chain]),
    )
    return SigningMaterial(
        signer=_signer(key, certificate, chain),
        roots=(_asn1_certificate(ca),),
        timestamper=timestamper,
        level="PAdES-B-T",
    )


@functools.cache
def _production_material(
    path: str, passphrase: str, root_files: tuple[str, ...], tsa_url: str
) -> SigningMaterial:
    key, certificate, chain = _load_pkcs12(Path(path).read_bytes(), passphrase.encode() or None)
    if root_files:
        roots = []
        for root_file in root_files:
            roots.extend(x509.load_pem_x509_certificates(Path(root_file).read_bytes()))
    else:
        roots = [c for c in chain if _self_signed(c)]
    if not roots:
        raise ImproperlyConfigured(
            "DOCUMENT_TRUST_ROOTS is empty and the PKCS#12 chain has no root certificate"
        )
    timestamper = RequestsHTTPTimeStamper(tsa_url, timeout=10) if tsa_url else None
    return SigningMaterial(
        signer=_signer(key, certificate, chain),
        roots=tuple(_asn1_certificate(c) for c in roots),
        timestamper=timestamper,
        level="PAdES-B-T" if tsa_url else "PAdES-B-B",
    )


def _material() -> SigningMaterial:
    if settings.DOCUMENT_SIGNING_PKCS12:
        return _production_material(
            settings.DOCUMENT_SIGNING_PKCS12,
            settings.DOCUMENT_SIGNING_PASSPHRASE,
            tuple(settings.DOCUMENT_TRUST_ROOTS),
            settings.DOCUMENT_TSA_URL,
        )
    if settings.DOCUMENT_SANDBOX_KEYS:
        return _sandbox_material(
            str(settings.DOCUMENT_SANDBOX_KEYS_DIR), settings.DOCUMENT_SANDBOX_PASSPHRASE
        )
    raise ImproperlyConfigured(
        "No document-signing key: set DOCUMENT_SIGNING_PKCS12 and DOCUMENT_SIGNING_PASSPHRASE"
    )


def signature_level() -> str:
    return _material().level


def trust_roots() -> tuple[asn1_x509.Certificate, ...]:
    return _material().roots


# --- signing and checking --------------------------------------------------------------------


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous API starts an event loop of its own (asyncio.run), which cannot
    start in a thread that already runs one (an async view; Playwright's sync API in the
    browser tests): there it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(pdf_bytes: bytes, reason: str, location: str) -> bytes:
    """The PDF with the portal's PAdES signature over the whole file (an incremental update)."""
    material = _material()
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    signer = signers.PdfSigner(metadata, signer=material.signer, timestamper=material.timestamper)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    output = _outside_event_loop(signer.sign_pdf, writer)
    return output.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool  # intact, cryptographically valid, trusted, covering the whole file
    signer: str = ""
    signed_at: dt.datetime | None = None
    timestamped: bool = False
    problem: str = ""  # a short reason for logs and tests, never shown as is


def check_signed_pdf(data: bytes) -> SignatureCheck:
    """Validate the one portal signature of a PDF with pyHanko's validator against the
    portal's trust roots. Any file, however broken, gives an answer, never an exception."""
    context = ValidationContext(trust_roots=list(trust_roots()), allow_fetching=False)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return SignatureCheck(valid=False, problem=f"{len(signatures)} signatures")
        status = _outside_event_loop(validate_pdf_signature, signatures[0], context)
    except Exception as error:  # a damaged or hostile file: it is simply not valid
        logger.info("signed PDF check failed: %s", type(error).__name__)
        return SignatureCheck(valid=False, problem=type(error).__name__)
    entire = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    valid = bool(status.bottom_line and entire)
    timestamp = status.timestamp_validity
    return SignatureCheck(
        valid=valid,
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        signed_at=timestamp.timestamp if timestamp is not None else status.signer_reported_dt,
        timestamped=bool(timestamp is not None and timestamp.valid and timestamp.trusted),
        problem="" if valid else ("not the whole file" if not entire else "signature invalid"),
    )
