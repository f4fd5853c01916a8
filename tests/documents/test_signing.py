"""PAdES signatures: the signed PDF verifies with pyHanko's validator against the portal's
trust root and fails it once a byte changes; the sandbox keys are made once and kept
encrypted in private files; a production PKCS#12 file signs just the same."""

import asyncio
import datetime as dt
import io
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from werkzeug import Response

from portal.documents import signing
from portal.documents.rendering import render_pdf
from tests.documents.helpers import letter_content

PASSPHRASE = b"sandbox passphrase for the test"


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    content = letter_content()
    return render_pdf(
        content.template_name,
        {**content.context, "document": {"number": "อก 1/2569", "issued_at": None}},
    )


@pytest.fixture(scope="module")
def signed_pdf(plain_pdf) -> bytes:
    return signing.sign_pdf(plain_pdf, "หนังสือแจ้งผล", "กรุงเทพมหานคร")


def _validate(data: bytes, roots):
    """pyHanko's own validator, called as its documentation shows. In a thread of its own: it
    starts an event loop, and a browser test earlier in this process leaves one running."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    [signature] = reader.embedded_signatures
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(validate_pdf_signature, signature, context).result()


def _signed_content_offset(data: bytes) -> int:
    """A byte inside what the signature covers (the page's content stream), not inside the
    signature's own /Contents, which the byte range leaves out."""
    return data.index(b"stream", 200) + 20


def test_the_signed_pdf_verifies_with_pyhankos_validator_against_the_sandbox_ca(signed_pdf):
    status = _validate(signed_pdf, signing.trust_roots())
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    # PAdES B-T: a timestamp from the sandbox's own authority, itself trusted.
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.valid and status.timestamp_validity.trusted
    assert signing.signature_level() == "PAdES-B-T"
    assert signing.check_signed_pdf(signed_pdf).valid


def test_one_altered_byte_fails_the_validation(signed_pdf):
    altered = bytearray(signed_pdf)
    offset = _signed_content_offset(signed_pdf)
    altered[offset] ^= 0x01
    status = _validate(bytes(altered), signing.trust_roots())
    assert not status.intact
    assert not status.bottom_line
    check = signing.check_signed_pdf(bytes(altered))
    assert not check.valid


def test_a_signature_from_another_ca_is_not_trusted(signed_pdf, tmp_path):
    other = signing.ensure_sandbox_keys(tmp_path / "other", PASSPHRASE)
    other_root = asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate((other / "ca.pem").read_bytes()).public_bytes(
            serialization.Encoding.DER
        )
    )
    status = _validate(signed_pdf, [other_root])
    assert status.intact and status.valid
    assert not status.trusted and not status.bottom_line


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-1.7\n%%EOF", b"not a pdf at all", b"%PDF-1.7\n" + b"\x00" * 500]
)
def test_a_broken_or_unsigned_file_is_simply_not_valid(data):
    assert signing.check_signed_pdf(data).valid is False


def test_an_unsigned_pdf_is_not_valid(plain_pdf):
    check = signing.check_signed_pdf(plain_pdf)
    assert not check.valid and check.problem == "0 signatures"


def test_the_sandbox_keys_are_made_once_encrypted_in_private_files(tmp_path):
    folder = signing.ensure_sandbox_keys(tmp_path / "keys", PASSPHRASE)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    first = {name: (folder / name).read_bytes() for name in signing.SANDBOX_FILES}
    for name in signing.SANDBOX_FILES:
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
    # The keys are encrypted at rest: no key without the passphrase.
    for name in ("signer.p12", "tsa.p12"):
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(first[name], None)
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(first[name], b"wrong")
        key, certificate, chain = pkcs12.load_key_and_certificates(first[name], PASSPHRASE)
        assert key is not None and certificate is not None and len(chain) == 1
    # Made once: a second call (another process starting) keeps them.
    signing.ensure_sandbox_keys(tmp_path / "keys", PASSPHRASE)
    assert {name: (folder / name).read_bytes() for name in signing.SANDBOX_FILES} == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys"]  # no leftover


def test_the_sandbox_keys_live_outside_the_web_root(settings):
    keys = settings.DOCUMENT_SANDBOX_KEYS_DIR.resolve()
    static_root = settings.STATIC_ROOT.resolve()
    assert not keys.is_relative_to(static_root)
    assert "var" in keys.parts  # the untracked var/ of the checkout (.gitignore)


def test_a_production_pkcs12_file_signs_pades_b_b_without_a_timestamp_authority(
    settings, tmp_path, plain_pdf
):
    keys = signing.ensure_sandbox_keys(tmp_path / "ca", PASSPHRASE)
    key, certificate, chain = pkcs12.load_key_and_certificates(
        (keys / "signer.p12").read_bytes(), PASSPHRASE
    )
    production = tmp_path / "production.p12"
    production.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"portal",
            key,
            certificate,
            chain,
            serialization.BestAvailableEncryption(b"production secret"),
        )
    )
    settings.DOCUMENT_SIGNING_PKCS12 = str(production)
    settings.DOCUMENT_SIGNING_PASSPHRASE = "production secret"
    settings.DOCUMENT_TRUST_ROOTS = []
    settings.DOCUMENT_TSA_URL = ""
    signed = signing.sign_pdf(plain_pdf, "ใบเสร็จรับเงิน", "กรุงเทพมหานคร")
    assert signing.signature_level() == "PAdES-B-B"
    check = signing.check_signed_pdf(signed)
    assert check.valid and not check.timestamped
    assert check.signed_at is not None
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    # Trust roots named on their own replace the chain's.
    other = signing.ensure_sandbox_keys(tmp_path / "other", PASSPHRASE)
    settings.DOCUMENT_TRUST_ROOTS = [str(other / "ca.pem")]
    assert not signing.check_signed_pdf(signed).valid


def test_production_without_a_key_refuses_to_sign(settings, plain_pdf):
    settings.DOCUMENT_SIGNING_PKCS12 = ""
    settings.DOCUMENT_SANDBOX_KEYS = False
    with pytest.raises(signing.ImproperlyConfigured):
        signing.sign_pdf(plain_pdf, "x", "y")


def test_signing_and_checking_work_where_an_event_loop_runs(plain_pdf):
    """pyHanko's synchronous API starts its own loop; inside a running one (an async view)
    it runs in a thread of its own."""

    async def inside_a_loop():
        signed = signing.sign_pdf(plain_pdf, "ใบเสร็จรับเงิน", "กรุงเทพมหานคร")
        return signing.check_signed_pdf(signed)

    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread surely without a loop
        assert pool.submit(asyncio.run, inside_a_loop()).result().valid


def test_a_timestamp_authority_by_url_makes_production_signatures_pades_b_t(
    settings, tmp_path, plain_pdf, httpserver
):
    """DOCUMENT_TSA_URL: an RFC 3161 authority over HTTP (here a local one answering with the
    sandbox's timestamping key) timestamps each signature."""
    authority = signing._sandbox_material(
        str(settings.DOCUMENT_SANDBOX_KEYS_DIR), settings.DOCUMENT_SANDBOX_PASSPHRASE
    ).timestamper
    asked = []

    def answer(request):
        asked.append(request.headers["Content-Type"])
        query = tsp.TimeStampReq.load(request.get_data())
        reply = authority.request_tsa_response(query)
        return Response(reply.dump(), content_type="application/timestamp-reply")

    httpserver.expect_request("/tsa", method="POST").respond_with_handler(answer)
    keys = Path(settings.DOCUMENT_SANDBOX_KEYS_DIR)
    key, certificate, chain = pkcs12.load_key_and_certificates(
        (keys / "signer.p12").read_bytes(), settings.DOCUMENT_SANDBOX_PASSPHRASE.encode()
    )
    production = tmp_path / "production.p12"
    production.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"portal", key, certificate, chain, serialization.BestAvailableEncryption(b"s3cret")
        )
    )
    settings.DOCUMENT_SIGNING_PKCS12 = str(production)
    settings.DOCUMENT_SIGNING_PASSPHRASE = "s3cret"
    settings.DOCUMENT_TRUST_ROOTS = [str(keys / "ca.pem")]
    settings.DOCUMENT_TSA_URL = httpserver.url_for("/tsa")
    signed = signing.sign_pdf(plain_pdf, "ใบเสร็จรับเงิน", "กรุงเทพมหานคร")
    # pyHanko asks once for a stand-in (to size the signature's room), then for the real one.
    assert asked and set(asked) == {"application/timestamp-query"}
    assert signing.signature_level() == "PAdES-B-T"
    check = signing.check_signed_pdf(signed)
    assert check.valid and check.timestamped
