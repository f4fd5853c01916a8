"""Templates to PDF: Thai text shaped and extractable, Sarabun embedded, A4, and nothing
fetched but the portal's own static files."""

import io

import pypdf
import pytest
import zxingcpp
from PIL import Image

from portal.documents.rendering import (
    LocalFilesOnly,
    RefusedResource,
    qr_svg,
    render_pdf,
    verification_qr,
)
from tests.documents.helpers import (
    THAI_WORDS,
    embedded_fonts,
    letter_content,
    pdf_text,
    thai_as_extracted,
)

A4_POINTS = (595.28, 841.89)


def _letter_pdf() -> bytes:
    content = letter_content()
    facts = {
        "number": "อก 0301/7",
        "code": "ABCDEFGHJKLMNPQRSTUV",
        "code_display": "ABCD-EFGH-JKLM-NPQR-STUV",
        "verify_url": "http://127.0.0.1:8000/verify/ABCDEFGHJKLMNPQRSTUV/",
        "qr_svg": qr_svg("http://127.0.0.1:8000/verify/ABCDEFGHJKLMNPQRSTUV/"),
        "issued_at": None,
        "mark_th": "ต้นฉบับ",
        "mark_en": "Original",
    }
    return render_pdf(content.template_name, {**content.context, "document": facts})


def test_a_letter_renders_to_an_a4_pdf_whose_thai_text_reads_back():
    data = _letter_pdf()
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_POINTS
    text = pdf_text(data)
    for word in THAI_WORDS:
        assert thai_as_extracted(word) in text, word
    # Tone marks and above-vowels stay in their syllables (Thai shaped by Pango and HarfBuzz):
    # "ที่" and "ได้" come back whole, not as loose marks.
    assert "ที่ อก 0301/7" in text
    assert "ได้พิจารณาแล้ว" in text
    assert "ต้นฉบับ / Original" in text
    assert "ABCD-EFGH-JKLM-NPQR-STUV" in text


def test_sarabun_is_embedded_in_every_pdf():
    fonts = embedded_fonts(_letter_pdf())
    assert fonts, "no font at all"
    assert all("Sarabun" in name for name in fonts), fonts
    assert all(fonts.values()), fonts  # every font program travels with the file


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://127.0.0.1:8000/static/fonts/Sarabun-Regular.ttf",
        "file:///etc/passwd",
        "static:../../../../etc/passwd",
        "static:core/css/portal.css",
        "ftp://example.com/x",
    ],
)
def test_the_url_fetcher_refuses_the_network_and_other_files(url):
    with pytest.raises(RefusedResource):
        LocalFilesOnly().fetch(url)


def test_the_url_fetcher_serves_the_sarabun_ttf_from_the_static_files():
    response = LocalFilesOnly().fetch("static:fonts/Sarabun-Regular.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    assert response.content_type == "font/ttf"


def test_a_template_pointing_at_the_network_still_renders_without_it(settings, tmp_path):
    """The suite forbids any connection but loopback (tests/conftest.py): an image from the
    web is refused by the fetcher, and the document renders without it."""
    template = tmp_path / "remote.html"
    template.write_text(
        '{% extends "documents/pdf/base.html" %}{% block content %}'
        '<p>ใบเสร็จรับเงิน</p><img src="http://example.com/logo.png" alt="">{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]},
    ]
    data = render_pdf("remote.html", {"document": {"code_display": "X"}})
    assert "ใบเสร็จรับเงิน" in pdf_text(data)


def test_the_qr_code_reads_back_as_the_verification_url():
    url = "http://127.0.0.1:8000/verify/ABCDEFGHJKLMNPQRSTUV/"
    svg = qr_svg(url)
    assert svg.startswith("<svg") and 'class="qr"' in svg
    # The symbol the SVG draws, as a picture, read by a real decoder.
    buffer = io.BytesIO()
    verification_qr(url).save(buffer, kind="png", scale=6, border=4)
    buffer.seek(0)
    results = zxingcpp.read_barcodes(Image.open(buffer))
    assert [result.text for result in results] == [url]
